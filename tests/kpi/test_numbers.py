"""Numbers, ratios and years as KPI writers put them: app.kpi.numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.kpi.numbers import parse_number, parse_ratio, to_ad_year, to_halfwidth

_FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("40", 40),
        ("１２", 12),
        ("1,200", 1200),
        ("1，200", 1200),
        ("１，２００", 1200),
        ("12,345.6", 12345.6),
        ("3.2億", 320_000_000),
        ("800萬", 8_000_000),
        ("800万", 8_000_000),
        ("1.5千", 1500),
        ("3千萬", 30_000_000),
        ("1億2000萬", 120_000_000),
        ("5亿", 500_000_000),
        ("三十", 30),
        ("兩百", 200),
        ("两百", 200),
        ("一千二百", 1200),
        ("二十五", 25),
        ("十五", 15),
        ("一百零五", 105),
        ("兩萬五", 25_000),  # spoken short form: 兩萬五千
        ("一千二", 1200),
        ("〇", 0),
        ("零", 0),
        ("二〇二六", 2026),  # digits read positionally, as in years
        ("一一五", 115),
        ("1.5 million", 1_500_000),
        ("-5", -5),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "萬", "百千", "3五", "12人", "1,20", "abc", "1.2.3", "數百"])
def test_parse_number_rejects_what_is_not_only_a_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "ratio"),
    [
        ("一成", 0.1),
        ("兩成", 0.2),
        ("2成", 0.2),
        ("10%", 0.1),
        ("１０％", 0.1),
        ("3.5%", 0.035),
        ("15 percent", 0.15),
        ("百分之十", 0.1),
        ("1割", 0.1),
        ("1割5分", 0.15),
        ("+10%", 0.1),
        ("-20%", -0.2),
    ],
)
def test_parse_ratio(text: str, ratio: float) -> None:
    assert parse_ratio(text) == pytest.approx(ratio)


@pytest.mark.parametrize("text", ["10", "成長", "一成長", "%", "abc%"])
def test_parse_ratio_rejects_non_ratios(text: str) -> None:
    assert parse_ratio(text) is None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("民國115年", 2026),
        ("115年", 2026),
        ("115年底", 2026),
        ("民國一一五年", 2026),
        ("令和8年度", 2026),
        ("令和元年", 2019),
        ("平成30年", 2018),
        ("R8年度", 2026),
        ("2026", 2026),
        ("2026年", 2026),
        ("2026年度", 2026),
        ("二〇二六年", 2026),
        ("FY2026", 2026),
        ("西元2026年", 2026),
    ],
)
def test_to_ad_year(text: str, year: int) -> None:
    assert to_ad_year(text) == year


@pytest.mark.parametrize("text", ["115", "5年", "元年", "R8", "令和100年", "民國300年", "1150年", "abc", ""])
def test_to_ad_year_rejects_ambiguous_or_impossible_years(text: str) -> None:
    assert to_ad_year(text) is None


def test_halfwidth_keeps_length_so_spans_line_up() -> None:
    text = "移居人數由８人增加到２５人（２０２７年）"
    assert to_halfwidth(text) == "移居人數由8人增加到25人(2027年)"
    assert len(to_halfwidth(text)) == len(text)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=99))
def test_full_width_digits_parse_like_ascii(whole: int, cents: int) -> None:
    for ascii_text in (str(whole), f"{whole}.{cents:02d}", f"{whole:,}"):
        assert parse_number(ascii_text.translate(_FULL_WIDTH)) == parse_number(ascii_text)


@given(st.integers(min_value=0, max_value=10**15))
def test_thousands_separators_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", "，")) == n


@given(st.integers(min_value=100, max_value=130))
def test_roc_years(n: int) -> None:
    assert to_ad_year(f"民國{n}年") == n + 1911
    assert to_ad_year(f"{n}年") == n + 1911


def _to_chinese(n: int) -> str:
    """The standard written form: 12305 → 一萬二千三百零五."""
    digits = "零一二三四五六七八九"

    def below_10k(x: int) -> str:
        out, zero = "", False
        for unit, place in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // unit % 10
            if d:
                out += ("零" if zero and out else "") + digits[d] + place
                zero = False
            else:
                zero = True
        return out

    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    text = (below_10k(high) + "萬") if high else ""
    if low:
        text += ("零" if high and low < 1000 else "") + below_10k(low)
    return text


@given(st.integers(min_value=0, max_value=99_999_999))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_number(_to_chinese(n)) == n
