"""Rewrites in the plan's own domain: which outcome measure to use instead, written as a full KPI.

The measures come from the guideline's KPI example table (corpus/guidelines/gl-kpi-example-table.md) and
the seed's good/bad pairs (移居諮詢件數 → 經諮詢後實際移居人數; 居民滿意度 → 空店舖減少率; 全市觀光人數 →
本活動入場人數與觀光消費額).
"""

from __future__ import annotations

from app.kpi import lexicon as lx
from app.kpi.context import KpiContext
from app.kpi.messages import Localized, localized
from app.kpi.numbers import format_number

# (words that must all appear in the KPI, better outcome measure); the first match wins.
_REWRITES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("移居", "諮詢"), "經諮詢後實際移居（設籍）人數"),
    (("移住", "相談"), "經諮詢後實際移居（設籍）人數"),
    (("說明會", "移居"), "經諮詢後實際移居（設籍）人數"),
    (("移居",), "經本計畫協助而實際移居（設籍滿6個月）人數"),
    (("返鄉",), "經本計畫媒合後返鄉就業或創業（設籍滿6個月）的青年人數"),
    (("滿意",), ""),  # decided by category below
    (("觀光",), "本計畫主辦活動的入場人數與活動帶來的觀光消費額"),
    (("遊客",), "本計畫主辦活動的入場人數與活動帶來的觀光消費額"),
    (("旅客",), "本計畫主辦活動的入場人數與活動帶來的觀光消費額"),
    (("visitor",), "admissions to the project's own events and the spending they bring"),
    (("tourist",), "admissions to the project's own events and the spending they bring"),
    (("創業",), "經本計畫輔導創業者的新僱用人數與銷售額"),
    (("實習",), "實習後留在當地就職的人數"),
    (("研習",), "結訓學員在地就業或創業人數"),
    (("課程",), "結訓學員在地就業或創業人數"),
    (("工作坊",), "參與者後續在地創業或開業家數"),
    (("商品開發",), "新開發商品的銷售額"),
    (("開發",), "新開發商品的銷售額"),
    (("設施",), "設施完成後增加的營運收入與使用人次"),
    (("人口",), "經本計畫協助移居者的定居人數"),
    (("定居",), "經本計畫協助移居者的定居人數"),
    (("就業",), "經本計畫輔導後新就業（新僱用）人數"),
    (("空店",), "補助區域空店舖減少率"),
    (("空屋",), "活化後進駐使用的空屋數與進駐者營業額"),
    (("農",), "新開發農產加工品的銷售額與單位面積增產量"),
)
BY_CATEGORY = {
    "地方創業": "經本計畫輔導創業者的新僱用人數與銷售額",
    "農林水產": "新開發商品的銷售額與單位面積增產量",
    "觀光振興": "本計畫主辦活動的入場人數與活動帶來的觀光消費額",
    "地方人口移動": "經諮詢後實際移居（設籍）人數",
    "街區營造": "補助區域空店舖減少率與新開業店家數",
    "工作方法改革": "進駐企業的新僱用人數與在地遠距工作者人數",
}
DEFAULT_MEASURE = "本計畫直接受益對象的客觀成果（人數、金額或家數）"
# The measures above in English, for the English page (a measure quoted from the plan stays as written).
MEASURES_EN = {
    "經諮詢後實際移居（設籍）人數": "people who actually moved in (registered) after a consultation",
    "經本計畫協助而實際移居（設籍滿6個月）人數": "people who moved in with the project's help (registered for 6 months)",
    "經本計畫媒合後返鄉就業或創業（設籍滿6個月）的青年人數": (
        "young people who returned to work or start a business through the project (registered for 6 months)"
    ),
    "本計畫主辦活動的入場人數與活動帶來的觀光消費額": "admissions to the project's own events and the spending they bring",
    "經本計畫輔導創業者的新僱用人數與銷售額": "new hires and sales of the businesses the project supported",
    "實習後留在當地就職的人數": "interns who stayed to work locally",
    "結訓學員在地就業或創業人數": "trainees who found local work or started a business",
    "參與者後續在地創業或開業家數": "businesses participants later started locally",
    "新開發商品的銷售額": "sales of the newly developed products",
    "設施完成後增加的營運收入與使用人次": "operating income and users added once the facility opens",
    "經本計畫協助移居者的定居人數": "people who settled after moving in with the project's help",
    "經本計畫輔導後新就業（新僱用）人數": "people newly employed after the project's support",
    "補助區域空店舖減少率": "fall in vacant shops in the supported area",
    "活化後進駐使用的空屋數與進駐者營業額": "vacant houses brought back into use and their occupants' sales",
    "新開發農產加工品的銷售額與單位面積增產量": "sales of new processed farm products and yield per hectare",
    "新開發商品的銷售額與單位面積增產量": "sales of new products and yield per hectare",
    "補助區域空店舖減少率與新開業店家數": "fall in vacant shops in the supported area and new shops opened",
    "進駐企業的新僱用人數與在地遠距工作者人數": "new hires by the firms that moved in and local remote workers",
    DEFAULT_MEASURE: "an objective result for the project's own beneficiaries (people, money or businesses)",
}


def better_measure(kpi: KpiContext) -> str:
    """The outcome measure a reviewer would suggest for this KPI's domain."""
    text = lx.norm(kpi.text)
    for words, measure in _REWRITES:
        if all(word in text for word in words):
            if measure:
                return measure
            break
    if kpi.plan.category in BY_CATEGORY:
        return BY_CATEGORY[kpi.plan.category]
    return DEFAULT_MEASURE


def example_kpi(measure: str, kpi: KpiContext, *, keep_numbers: bool = False) -> Localized:
    """A complete KPI sentence in each language: measure, baseline with its year, target, deadline."""
    p = kpi.parsed
    unit = p.unit or ""
    deadline = p.deadline or "20XX"
    if keep_numbers and (p.baseline is not None or p.target is not None):
        baseline = format_number(p.baseline, "X")
        target = format_number(p.target, "Y")
    else:
        baseline, target, unit = "X", "Y", ""
    since = localized("since_year", year=p.baseline_year) if p.baseline_year else localized("since_now")
    named = {"zh-TW": measure, "en": MEASURES_EN.get(measure, measure)}
    return localized(
        "example_kpi",
        measure=named,
        since=since,
        baseline=baseline,
        target=target,
        unit=unit,
        deadline=deadline,
    )
