"""KPIs as written (zh-TW, Japanese, English) to structured fields: app.kpi.parsing.parse_kpi."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.kpi.parsing import ParsedKpi, parse_kpi

# Each row: the KPI as written, then the fields it must parse to. Fields not named must stay None
# (or empty), so a row also checks that nothing is guessed.
CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "老街空店舖數由40間減少至28間（2027年）",
        {
            "name": "老街空店舖數",
            "baseline": 40,
            "target": 28,
            "unit": "間",
            "deadline": "2027",
            "direction": "decrease",
        },
    ),
    (
        "經諮詢後實際移居人數由每年8人提升至25人",
        {
            "name": "經諮詢後實際移居人數",
            "baseline": 8,
            "target": 25,
            "unit": "人",
            "per": "年",
            "direction": "increase",
        },
    ),
    (
        "益子燒銷售額較2023年的32億日圓成長一成",
        {
            "name": "益子燒銷售額",
            "baseline": 3_200_000_000,
            "baseline_year": "2023",
            "target": 3_520_000_000,
            "relative_change": 0.1,
            "unit": "日圓",
            "direction": "increase",
        },
    ),
    ("商品銷售額增加10%", {"name": "商品銷售額", "relative_change": 0.1, "direction": "increase"}),
    ("銷售額 +10%", {"name": "銷售額", "relative_change": 0.1, "direction": "increase"}),
    ("來客數成長兩成", {"name": "來客數", "relative_change": 0.2, "direction": "increase"}),
    ("來客數減少兩成", {"name": "來客數", "relative_change": -0.2, "direction": "decrease"}),
    ("維持800萬元", {"name": "", "target": 8_000_000, "unit": "元", "direction": "maintain"}),
    # 達 names a level to reach, not a direction (issue 10: 「達1,500人次」 says nothing of which way is good)
    ("營業額達500萬元", {"name": "營業額", "target": 5_000_000, "unit": "元", "direction": None}),
    ("115年底前", {"name": "", "deadline": "2026"}),
    ("民國115年12月", {"name": "", "deadline": "2026-12"}),
    ("2026年度", {"name": "", "deadline": "2026"}),
    ("令和8年度", {"name": "", "deadline": "2026"}),
    ("by 2027", {"name": "", "deadline": "2027"}),
    (
        "from 40 to 28 by 2027",
        {"name": "", "baseline": 40, "target": 28, "deadline": "2027", "direction": "decrease"},
    ),
    (
        "increase visitors by 15% by 2028",
        {"name": "visitors", "relative_change": 0.15, "deadline": "2028", "direction": "increase"},
    ),
    (
        "空き店舗数を40件から28件に減少（2027年度）",
        {
            "name": "空き店舗数",
            "baseline": 40,
            "target": 28,
            "unit": "件",
            "deadline": "2027",
            "direction": "decrease",
        },
    ),
    (
        "移住者数を年間25人に（令和9年度まで）",
        {"name": "移住者数", "target": 25, "unit": "人", "per": "年", "deadline": "2027"},
    ),
    (
        "移居人數由８人增加到２５人",  # full-width digits
        {"name": "移居人數", "baseline": 8, "target": 25, "unit": "人", "direction": "increase"},
    ),
    (
        "入場人數由1,200人次成長至1,800人次",  # thousands separators
        {"name": "入場人數", "baseline": 1200, "target": 1800, "unit": "人次", "direction": "increase"},
    ),
    (
        "新創團隊由三十家增加至四十五家",  # Chinese numerals
        {"name": "新創團隊", "baseline": 30, "target": 45, "unit": "家", "direction": "increase"},
    ),
    ("辦理說明會兩百場", {"name": "說明會", "target": 200, "unit": "場"}),
    ("提升居民滿意度", {"name": "居民滿意度", "direction": "increase"}),
    (
        "耕作放棄地比率由12%降至8%",
        {"name": "耕作放棄地比率", "baseline": 12, "target": 8, "unit": "%", "direction": "decrease"},
    ),
    ("年增5%", {"name": "", "relative_change": 0.05, "per": "年", "direction": "increase"}),
    ("每年成長3%", {"name": "", "relative_change": 0.03, "per": "年", "direction": "increase"}),
    ("2025-2027", {"name": "", "deadline": "2027"}),
    # Baseline year against deadline.
    (
        "2023年為40間，2027年達到60間",
        {
            "name": "",
            "baseline": 40,
            "baseline_year": "2023",
            "target": 60,
            "unit": "間",
            "deadline": "2027",
            "direction": "increase",
        },
    ),
    (
        "空店數由2023年的40間減少至28間",
        {
            "name": "空店數",
            "baseline": 40,
            "baseline_year": "2023",
            "target": 28,
            "unit": "間",
            "direction": "decrease",
        },
    ),
    (
        "観光客数を令和5年度の5万人から令和9年度に6万人へ",
        {
            "name": "観光客数",
            "baseline": 50_000,
            "baseline_year": "2023",
            "target": 60_000,
            "unit": "人",
            "deadline": "2027",
            "direction": "increase",
        },
    ),
    (
        "65歲以上長者參與人數由100人增至150人（113-115年）",
        {
            "name": "65歲以上長者參與人數",
            "baseline": 100,
            "target": 150,
            "unit": "人",
            "deadline": "2026",
            "direction": "increase",
        },
    ),
    # More Japanese and English.
    (
        "観光客数を10%増加（令和9年度）",
        {"name": "観光客数", "relative_change": 0.1, "deadline": "2027", "direction": "increase"},
    ),
    ("ごみ排出量を1割削減", {"name": "ごみ排出量", "relative_change": -0.1, "direction": "decrease"}),
    (
        "reduce vacant shops from 40 to 28 by 2027",
        {"name": "vacant shops", "baseline": 40, "target": 28, "deadline": "2027", "direction": "decrease"},
    ),
    (
        "revenue NT$5 million by December 2027",
        {"name": "revenue", "target": 5_000_000, "unit": "元", "deadline": "2027-12"},
    ),
    ("maintain 300 jobs", {"name": "", "target": 300, "unit": "jobs", "direction": "maintain"}),
    # Other shapes.
    ("由12%提升5個百分點", {"name": "", "baseline": 12, "target": 17, "unit": "%", "direction": "increase"}),
    ("失業率降至3%以下", {"name": "失業率", "target": 3, "unit": "%", "direction": "decrease"}),
    ("空店數減半", {"name": "空店數", "relative_change": -0.5, "direction": "decrease"}),
    ("人口減少率降至1%", {"name": "人口減少率", "target": 1, "unit": "%", "direction": "decrease"}),
    ("每月辦理10場", {"name": "", "target": 10, "unit": "場", "per": "月"}),
    ("115/12/31前完成", {"name": "", "deadline": "2026-12"}),
    ("新台幣3,000萬元", {"name": "", "target": 30_000_000, "unit": "元"}),
    # Understood only in part: the rest is reported, never guessed.
    (
        "觀光人次增加5萬人次",  # "by 50,000" with no baseline: the target level is unknown, the change is not
        {"name": "觀光人次", "unit": "人次", "direction": "increase", "change": 50000, "target": None},
    ),
    ("KPI 1：老街空店舖數40-50間", {"name": "老街空店舖數", "unparsed": ["40-50間"]}),
    ("數百人參與", {"name": "參與", "unparsed": ["數百人"]}),
    (
        "3年內新增20家",  # a period, not a year
        {"name": "", "target": 20, "unit": "家", "direction": None, "unparsed": ["3年內"]},
    ),
    ("營收成長2倍", {"name": "營收", "direction": "increase", "unparsed": ["2倍"]}),
    ("visitors change by 10%", {"name": "visitors change", "unparsed": ["10%"]}),  # up or down?
    (
        "空店數由40間到40間",
        {"name": "空店數", "baseline": 40, "target": 40, "unit": "間", "direction": "maintain"},
    ),
    (
        "2027年達30間、2028年達40間",
        {
            "name": "",
            "target": 40,
            "unit": "間",
            "deadline": "2028",
            "direction": None,  # two steps: the first is an interim target, not a baseline
            "unparsed": ["2027年", "30間"],
        },
    ),
]
_FIELDS = ("baseline", "baseline_year", "target", "relative_change", "unit", "per", "deadline", "direction")


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_kpi(text: str, expected: dict[str, Any]) -> None:
    got = parse_kpi(text)
    assert got.name == expected["name"]
    for field in _FIELDS:
        want = expected.get(field)
        value = getattr(got, field)
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            assert value == pytest.approx(want), field
        else:
            assert value == want, field
    assert got.unparsed == expected.get("unparsed", [])


_NAMES = ["老街空店舖數", "移居人數", "來客數", "營業額", "新創團隊數", "農產品銷售量"]
_UNITS = ["間", "人", "件", "家", "人次", "場", "公頃", "元", "戶", "處"]


@given(
    st.sampled_from(_NAMES),
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=1, max_value=10**7),
    st.sampled_from(_UNITS),
    st.integers(min_value=2000, max_value=2100),
)
def test_from_to_round_trip(name: str, a: int, step: int, unit: str, year: int) -> None:
    b = a + step
    up = parse_kpi(f"{name}由{a}{unit}增加至{b}{unit}（{year}年）")
    assert (up.name, up.baseline, up.target, up.unit) == (name, a, b, unit)
    assert (up.deadline, up.direction, up.unparsed) == (str(year), "increase", [])
    down = parse_kpi(f"{name}由{b}{unit}減少至{a}{unit}（{year}年）")
    assert (down.name, down.baseline, down.target, down.unit) == (name, b, a, unit)
    assert (down.deadline, down.direction, down.unparsed) == (str(year), "decrease", [])


@given(st.integers(min_value=100, max_value=130), st.integers(min_value=1, max_value=12))
def test_roc_deadlines(n: int, month: int) -> None:
    assert parse_kpi(f"移居人數達25人（{n}年）").deadline == str(n + 1911)
    assert parse_kpi(f"民國{n}年{month}月前完成").deadline == f"{n + 1911}-{month:02d}"


@given(st.integers(min_value=0, max_value=10**9))
def test_full_width_and_thousands_parse_like_plain_digits(n: int) -> None:
    plain = parse_kpi(f"入場人數達{n}人次")
    assert plain.target == n
    full_width = f"{n:,}".translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    assert parse_kpi(f"入場人數達{full_width}人次") == plain


# Characters KPIs are made of, so random text often forms numbers, dates and markers.
_KPI_ALPHABET = st.sampled_from(
    list(
        "0123456789０１２３４５６７８９,.%％+-~/()（）：:年月度底前由至到較的為成割倍萬億千百十"
        "一二三四五兩〇人間元家次場增加減少提升維持達民國令和平成 bytofrm"
    )
)


@settings(max_examples=300)
@given(st.one_of(st.text(), st.text(_KPI_ALPHABET, max_size=40)))
def test_never_raises_and_reports_only_what_is_there(text: str) -> None:
    got = parse_kpi(text)
    assert isinstance(got, ParsedKpi)
    assert got.name in text
    assert all(fragment in text for fragment in got.unparsed)
    assert got.deadline is None or got.deadline[:4].isdigit()


def test_value_dated_by_the_baseline_year_is_the_baseline() -> None:
    kpi = parse_kpi("青年返鄉留鄉人數115年達125人（111年實績440人）")
    assert (kpi.baseline, kpi.baseline_year, kpi.target, kpi.deadline) == (440, "2022", 125, "2026")
    assert kpi.unparsed == []
    en = parse_kpi("revenue grows 20% over 2023 (NT$3.2 million) by 2027")
    assert (en.baseline, en.baseline_year, en.target, en.unit) == (3_200_000, "2023", 3_840_000, "元")
    ja = parse_kpi("野焼き放棄地面積を令和5年の120haから令和8年に90haへ縮小する")
    assert (ja.baseline, ja.target, ja.unit, ja.direction) == (120, 90, "ha", "decrease")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # target first, the past value in brackets
        (
            "116年前協助青年完成營業登記之新創事業15家（112年4家）",
            {
                "baseline": 4,
                "baseline_year": "2023",
                "target": 15,
                "deadline": "2027",
                "direction": "increase",
            },
        ),
        (
            "Homestay room-nights booked by walk participants: 1,500 in 2026 (2023: 420)",
            {"baseline": 420, "baseline_year": "2023", "target": 1500, "deadline": "2026"},
        ),
        # labels
        (
            "參加漁港小旅行並消費之人次：目標值115年4,800人次／基準值113年2,100人次",
            {"baseline": 2100, "baseline_year": "2024", "target": 4800, "deadline": "2026", "unit": "人次"},
        ),
        (
            "有機耕作面積：目標116年350公頃，現況113年210公頃",
            {"baseline": 210, "target": 350, "deadline": "2027", "unit": "公頃"},
        ),
        # a deadline and a baseline sharing one bracket
        (
            "老街空店舖數控制在40間以內（115年；113年現況28間）",
            {"baseline": 28, "baseline_year": "2024", "target": 40, "deadline": "2026"},
        ),
        # a ladder whose last step is the target
        (
            "加入共同品牌之養殖戶數115年25戶、116年35戶（113年12戶）",
            {"baseline": 12, "target": 35, "deadline": "2027"},
        ),
        # ranges
        (
            "共同品牌烏魚子年銷售額116年達2,200～2,500萬元（112年1,650萬元）",
            {"baseline": 16_500_000, "target": 22_000_000, "target_high": 25_000_000, "unit": "元"},
        ),
        (
            "每人月收入由8萬元提升至10～12萬元",
            {"baseline": 80_000, "target": 100_000, "target_high": 120_000},
        ),
        # past averages and trends
        ("辦理傳統工藝展覽每年2場（110–113年平均每年4場）", {"baseline": 4, "target": 2, "per": "年"}),
        (
            "烏魚子外銷量每年成長5%（過去三年平均每年成長8%）",
            {"relative_change": 0.05, "reference_change": 0.08},
        ),
        # a bracket holding only the deadline stays the deadline
        ("進駐青年創業家滿意度達90%以上（116年）", {"target": 90, "deadline": "2027", "baseline": None}),
    ],
)
def test_layouts_plans_use(text: str, expected: dict[str, Any]) -> None:
    got = parse_kpi(text)
    for field, want in expected.items():
        value = getattr(got, field)
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            assert value == pytest.approx(want), field
        else:
            assert value == want, field


def test_tonnes_and_a_baseline_stated_in_words() -> None:
    chestnuts = parse_kpi("栗出荷量 R7年度 60t（R4年度 22t）")
    assert (chestnuts.baseline, chestnuts.target, chestnuts.unit, chestnuts.deadline) == (22, 60, "t", "2025")
    assert parse_kpi("114年底前完成光復青年創業基地整修並啟用1處（現無）").baseline == 0
    assert parse_kpi("the 5th market").unit is None  # an ordinal is no tonne
