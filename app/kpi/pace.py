"""A target against the plan's own past pace (the guideline: targets above past performance, not merely above
the baseline). Two forms a baseline → target comparison cannot see:

- a cumulative target against a past yearly average: 「116年底前累計15家（近三年平均每年6家）」 over a
  three-year plan is 5 a year, below the 6 a year already achieved;
- a growth target below a growth trend the plan's description states: 「過去三年使用人次每年成長約15%」 and then
  「116年使用人次較113年成長10%」, about 3 % a year.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.kpi import lexicon as lx
from app.kpi.numbers import parse_number, to_ad_year

if TYPE_CHECKING:
    from app.kpi.context import KpiContext

_NUMBER = r"\d[\d,]*(?:\.\d+)?(?:\s*[萬万億千]\s*(?:\d[\d,]*\s*[千]?)?)?"
CUMULATIVE = re.compile(r"累計|累積|延べ|通算|\bcumulative|\bin total\b", re.I)
# A past yearly level: 「平均每年返鄉 10 人」, 「年平均 6 家」, 「110–112年平均1萬5千人次」, "an average of 9 a year"
YEARLY_AVERAGE = re.compile(
    rf"(?:平均每年|每年平均|年平均|年均|平均)(?P<gap>[^\d，,；;）)]{{0,8}})(?P<value>{_NUMBER})(?![\d.,]*\s*(?:[%％年]|個?月))"
    rf"|\baverage of (?P<english>{_NUMBER})(?![\d.,]*\s*%)",
    re.I,
)
_CHANGE_WORDS = re.compile(r"成長|增加|増加|減|増|伸び|grow|increase|decrease|declin", re.I)
# 「平均停留時間延長至8小時」: 平均 names the measure, and the number after 至 is the target, not a past level.
_TARGET_WORDS = re.compile(r"至|到|達|达|為|为|延長|提升|提高|まで|to|reach", re.I)
# A past yearly increment: 「近3年每年增加約6公頃」, 「近年每年成長約3家」
YEARLY_INCREMENT = re.compile(
    rf"每年(?:平均)?(?:增加|成長|増加|增長)(?:約|約|大約)?\s*(?P<value>{_NUMBER})\s*(?![%％\d])"
)
_YEAR = r"(?:令和|平成|民國|FY|R|H)?\s*\d{1,4}\s*(?:年度|年)?"
# 「114至116年」, 「令和6～8年度」, "FY2024–FY2026": a span of years
_SPAN = re.compile(rf"(?P<start>{_YEAR})\s*(?:至|到|～|~|〜|–|—|-)\s*(?P<end>{_YEAR})")
# 「期程114至116年」, 「事業期間：令和6～8年度」, "from FY2025 to FY2027"
_PLAN_PERIOD = re.compile(
    rf"(?:期程|期間|計畫期|計画期間|事業期間|實施期間|執行期間|\bperiod|\bfrom)\D{{0,6}}(?P<start>{_YEAR})\s*"
    rf"(?:至|到|～|~|〜|–|—|-|\bto\b|\bthrough\b)\s*(?P<end>{_YEAR})",
    re.I,
)
# 「每年成長約15%」, 「每年平均成長12%」, 「年平均伸び率5%」, "grew about 8% a year"
_TREND = re.compile(
    rf"(?:每年|年)(?:平均)?(?:成長|增加|増加|伸び率?|增長)(?:約|約|大約)?\s*(?P<pct>{_NUMBER})\s*[%％]"
    rf"|\bgr[eo]w(?:n|s|th)?\b[^.;]{{0,20}}?(?P<english>{_NUMBER})\s*% (?:a|per) year",
    re.I,
)
_SENTENCE = re.compile(r"[^。.;；\n]+")


def _number(text: str) -> float | None:
    return parse_number(text.replace(" ", ""))


def _past_average(text: str) -> float | None:
    """The past yearly level stated in the KPI, not a past growth rate (平均每年成長8% is a trend)."""
    for match in YEARLY_AVERAGE.finditer(text):
        if match.group("english"):
            return _number(match.group("english"))
        if match.group(0).startswith("平均") and not _in_reference(text, match.start()):
            continue  # 「平均停留時間約4小時」, 「平均年收入45萬元」: 平均 names the measure, the number is its target
        if not _CHANGE_WORDS.search(match.group("gap")) and not _TARGET_WORDS.search(match.group("gap")):
            return _number(match.group("value"))
    return None


_PAST_MARK = re.compile(r"過去|以往|歷年|近\s*\d+\s*年|近[一二三四五]年|\d\s*年|年度|[–~～-]\s*\d")


def _in_reference(text: str, at: int) -> bool:
    """Whether a bare 平均 stands in a past reference: inside a bracket, or right after years or 過去."""
    opened = max(text.rfind("（", 0, at), text.rfind("(", 0, at))
    closed = max(text.rfind("）", 0, at), text.rfind(")", 0, at))
    return opened > closed or bool(_PAST_MARK.search(text[max(0, at - 10) : at]))


def _span_years(match: re.Match[str]) -> int | None:
    end = to_ad_year(match.group("end"))
    start = to_ad_year(match.group("start"))
    if (
        start is None and end is not None
    ):  # 「114至116年」, 「令和6～8年度」: the era and 年 are written once, at the end
        era = re.match(r"\s*(令和|平成|民國|FY|R|H)", match.group("end"), re.I)
        digits = re.search(r"\d+", match.group("start"))
        start = to_ad_year(f"{era.group(1) if era else ''}{digits.group(0)}年") if digits else None
    if start is None or end is None or not 0 <= end - start <= 10:
        return None
    return end - start + 1


def _plan_years(kpi: KpiContext, without: str) -> int | None:
    """How many years the target covers: a span in the KPI (not the average's own span), the plan's stated
    period, or the years from the baseline to the deadline."""
    own = _SPAN.search(without)
    if own and (years := _span_years(own)):
        return years
    period = _PLAN_PERIOD.search(kpi.plan.description)
    if period and (years := _span_years(period)):
        return years
    return _years_from_baseline(kpi)


def cumulative_short_of_average(kpi: KpiContext) -> bool:
    """A cumulative target whose yearly share does not beat the past yearly average stated beside it."""
    text, target = kpi.text, kpi.parsed.target
    if target is None or kpi.lower_is_better or not CUMULATIVE.search(text):
        return False
    past = _past_average(text)
    if past is None:
        return False
    # The bracket that holds the average holds its own span (111–113年): the target's span is elsewhere.
    without = lx.BRACKETED.sub(lambda m: "" if YEARLY_AVERAGE.search(m.group(0)) else m.group(0), text)
    years = _plan_years(kpi, without)
    # 「累計8社（現況7社）」: a running total with its current level gains only the difference
    base = kpi.parsed.baseline
    gain = target - base if base is not None and base != past and 0 < base < target else target
    return years is not None and gain / years <= past


def below_past_average(kpi: KpiContext) -> bool:
    """A yearly target at or below the past yearly average: 「目標值 1萬4千人次（110–112年平均1萬5千人次）」."""
    text, target = kpi.text, kpi.parsed.target
    if target is None or kpi.lower_is_better or CUMULATIVE.search(text):
        return False
    past = _past_average(text)
    return past is not None and target <= past


def below_past_increment(kpi: KpiContext) -> bool:
    """A yearly gain below the past yearly gain: 「38公頃（近3年每年增加約6公頃）→ 116年 50公頃」 is 3 a year."""
    p = kpi.parsed
    increment = YEARLY_INCREMENT.search(kpi.text)
    if increment is None or p.baseline is None or p.target is None or kpi.lower_is_better:
        return False
    past = _number(increment.group("value"))
    years = _years_from_baseline(kpi)
    return past is not None and years is not None and (p.target - p.baseline) / years < past


# 「（112年30校、113年40校、114年48校）」: a dated series of past values in the KPI
_DATED_VALUE = re.compile(
    r"(?P<year>(?:民國|令和|平成|R|H|FY)?\s*\d{1,4})\s*(?P<suffix>年度|年)?\s*[:：]?\s*(?P<value>\d[\d,]*(?:\.\d+)?)(?![\d年])"
)


def below_past_series(kpi: KpiContext) -> bool:
    """A yearly gain below the yearly gain of the past series stated beside the target."""
    p = kpi.parsed
    years = _years_from_baseline(kpi)
    if p.baseline is None or p.target is None or years is None or kpi.lower_is_better:
        return False
    for bracket in lx.BRACKETED.findall(kpi.text):
        points = []
        for m in _DATED_VALUE.finditer(bracket):
            year = to_ad_year(m.group("year") + (m.group("suffix") or "年"))
            value = _number(m.group("value"))
            if year is not None and value is not None:
                points.append((year, value))
        if len(points) >= 3 and points == sorted(points):
            (first_year, first), (last_year, last) = points[0], points[-1]
            past_gain = (last - first) / (last_year - first_year)
            return past_gain > 0 and (p.target - p.baseline) / years < past_gain
    return False


def behind_past_pace(kpi: KpiContext) -> bool:
    return (
        cumulative_short_of_average(kpi)
        or below_past_average(kpi)
        or below_past_increment(kpi)
        or below_stated_trend(kpi)
        or below_past_series(kpi)
    )


def _years_from_baseline(kpi: KpiContext) -> int | None:
    p = kpi.parsed
    if p.deadline and p.baseline_year and int(p.deadline[:4]) > int(p.baseline_year):
        return int(p.deadline[:4]) - int(p.baseline_year)
    return None


def _shared_words(a: str, b: str) -> bool:
    """Whether two phrases name the same measure: a common CJK pair or a common long Latin word."""
    pairs = {
        a[i : i + 2] for i in range(len(a) - 1) if all("\u4e00" <= ch <= "\u9fff" for ch in a[i : i + 2])
    }
    if any(pair in b for pair in pairs):
        return True
    # English: a shared measure word (sales, visitors …), not the shared subject (milkfish price vs milkfish sales)
    words = {w for w in re.findall(r"[a-z]{4,}", a.lower()) if w in _MEASURE_WORDS}
    return any(re.search(rf"\b{w}", b.lower()) for w in words)


_MEASURE_WORDS = frozenset(
    "sales revenue revenues income visitors visitor tourists guests stays nights users price prices "
    "households residents population jobs employment bookings orders exports spending spend members".split()
)


def below_stated_trend(kpi: KpiContext) -> bool:
    """A growth target slower, per year, than the trend the plan's description states for the same measure."""
    if kpi.lower_is_better or not kpi.plan.description:
        return False
    for sentence in _SENTENCE.findall(kpi.plan.description):
        trend = _TREND.search(sentence)
        if not trend or not _shared_words(kpi.name, sentence.replace(trend.group(0), "")):
            continue
        past = _number(trend.group("pct") or trend.group("english"))
        yearly = _yearly_growth(kpi)
        return past is not None and yearly is not None and yearly < past / 100
    return False


def _yearly_growth(kpi: KpiContext) -> float | None:
    p = kpi.parsed
    years = _years_from_baseline(kpi)
    if p.relative_change is not None:
        if p.per == "年" or years is None:
            return p.relative_change
        return (1 + p.relative_change) ** (1 / years) - 1
    if p.baseline and p.target is not None and years:
        return (p.target / p.baseline) ** (1 / years) - 1
    return None
