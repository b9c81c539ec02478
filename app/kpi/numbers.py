"""Numbers, ratios and years as KPI writers put them (zh-TW first, also Japanese and English).

Every helper is pure and strict: it either understands the whole fragment or returns None. Callers put
what they do not understand into ``unparsed`` rather than guessing a value.
"""

from __future__ import annotations

import re

# Full-width ASCII (U+FF01..U+FF5E) sits at a fixed offset from ASCII. Mapping char-for-char keeps string
# offsets identical, so spans found in the normalised text can slice the original text.
_HALFWIDTH: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH.update({0x3000: 0x20, 0x2212: 0x2D, 0x2013: 0x2D, 0xFF5E: 0x7E, 0x301C: 0x7E})


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation (８，２５％（）) to ASCII; same length as the input."""
    return text.translate(_HALFWIDTH)


CN_DIGITS: dict[str, int] = {
    "〇": 0, "○": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "貳": 2, "贰": 2, "兩": 2, "两": 2,
    "三": 3, "參": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陸": 6, "七": 7, "柒": 7,
    "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS: dict[str, int] = {"萬": 10**4, "万": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12}
_EN_MULT: dict[str, int] = {"thousand": 10**3, "million": 10**6, "billion": 10**9}

# Characters that may form a Chinese/Japanese numeral; shared with the KPI parser's patterns.
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)

_TOKEN = re.compile(
    r"(?P<arabic>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|\.\d+)"
    rf"|(?P<digit>[{''.join(CN_DIGITS)}])"
    rf"|(?P<small>[{''.join(_SMALL_UNITS)}])"
    rf"|(?P<big>[{''.join(_BIG_UNITS)}])"
    r"|\s*(?P<en>thousand|million|billion)\b",
    re.IGNORECASE,
)


_PLAIN = re.compile(r"\d+(?:\.\d+)?")


def _clean(value: float) -> float:
    # 3.2 * 1e8 and 0.035 carry binary noise; 15 significant digits keep every integer up to 10**15 exact.
    return float(f"{value:.15g}")


def _tokens(text: str) -> list[tuple[str, str]] | None:
    """Split a numeral into (kind, text) tokens, or None if any character is not part of a number."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            return None
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def parse_number(text: str) -> float | None:
    """Parse a whole fragment as a number: 1,200 / １，２００ / 3.2億 / 800萬 / 一千二百 / 兩萬五.

    Returns None unless every character belongs to the number (units such as 人 or 元 are not accepted).
    """
    s = to_halfwidth(text).strip()
    sign = 1.0
    if s[:1] in ("+", "-"):
        sign, s = (-1.0 if s[0] == "-" else 1.0), s[1:].lstrip()
    if _PLAIN.fullmatch(s):
        return sign * float(s)  # the common case, without the numeral walk below
    tokens = _tokens(s) if s else None
    if not tokens:
        return None
    kinds = [k for k, _ in tokens]
    # 二〇二六 / 一一五: a run of bare Chinese digits is read positionally, as years are written.
    if all(k == "digit" for k in kinds):
        return sign * float("".join(str(CN_DIGITS[t]) for _, t in tokens))
    total = section = 0.0
    current: float | None = None
    last_small, last_big = 10**13, 10**13
    prev_kind = ""
    for i, (kind, tok) in enumerate(tokens):
        if kind in ("arabic", "digit"):
            value = float(tok.replace(",", "")) if kind == "arabic" else float(CN_DIGITS[tok])
            if current is not None and not (kind == "digit" and value == 0):
                return None  # two numbers in a row ("3五") is not a numeral
            if kind == "digit" and value == 0:
                prev_kind = "zero"  # 一百零五: 零 only marks a skipped place
                continue
            # 兩千五 / 一萬五: a trailing digit right after a unit counts in the next lower place.
            if kind == "digit" and i == len(tokens) - 1 and prev_kind in ("small", "big"):
                value *= (last_small if prev_kind == "small" else last_big) / 10
            current = value
        elif kind == "small":
            unit = _SMALL_UNITS[tok]
            if unit >= last_small:
                return None  # 百千 is not a numeral
            section += (current if current is not None else 1.0) * unit
            current, last_small = None, unit
        elif kind == "big":
            unit = _BIG_UNITS[tok]
            chunk = section + (current or 0.0)
            if unit >= last_big or chunk == 0:
                return None
            total += chunk * unit
            section, current, last_small, last_big = 0.0, None, 10**13, unit
        else:  # English multiplier: only as the last token ("1.5 million")
            if i != len(tokens) - 1:
                return None
            return _clean(sign * (total + section + (current or 0.0)) * _EN_MULT[tok.lower()])
        prev_kind = kind
    return _clean(sign * (total + section + (current or 0.0)))


_PERCENT = re.compile(r"(.+?)\s*(?:%|percent|per\s?cent|pct)", re.IGNORECASE)
_TENTHS = re.compile(r"(.+?)\s*(?:成|割)(?:\s*(.+?)\s*分)?")


def parse_ratio(text: str) -> float | None:
    """Parse a proportion as a fraction: 10% → 0.1, 百分之十 → 0.1, 一成 → 0.1, 兩成 → 0.2, 1割5分 → 0.15."""
    s = to_halfwidth(text).strip()
    sign = 1.0
    if s[:1] in ("+", "-"):
        sign, s = (-1.0 if s[0] == "-" else 1.0), s[1:].lstrip()
    if s.startswith("百分之"):
        n = parse_number(s[3:])
        return None if n is None or n < 0 else _clean(sign * n / 100)
    if m := _PERCENT.fullmatch(s):
        n = parse_number(m.group(1))
        return None if n is None or n < 0 else _clean(sign * n / 100)
    if m := _TENTHS.fullmatch(s):
        tenths = parse_number(m.group(1))
        hundredths = parse_number(m.group(2)) if m.group(2) else 0.0
        if tenths is None or hundredths is None or tenths < 0 or not 0 <= hundredths < 10:
            return None
        return _clean(sign * (tenths / 10 + hundredths / 100))
    return None


_ERA_OFFSET: dict[str, int] = {
    "令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925,
    "民國": 1911, "民国": 1911, "中華民國": 1911, "中华民国": 1911,
}  # fmt: skip
_ERA_MAX: dict[int, int] = {2018: 99, 1988: 31, 1925: 64, 1911: 200}
_YEAR = re.compile(
    r"(?P<era>中華民國|中华民国|民國|民国|令和|平成|昭和|西元|公元|FY|AD|[RHS](?=\s*(?:\d|元)))?\s*"
    r"(?P<n>元|\d{1,4}|[〇○零一二三四五六七八九十百千]{1,7})\s*"
    r"(?P<nian>年)?(?:度)?(?:底|末|初|中)?",
    re.IGNORECASE,
)


def to_ad_year(text: str) -> int | None:
    """民國115年 / 115年 → 2026, 令和8年度 → 2026, 令和元年 → 2019, 平成30年 → 2018, 2026 / 2026年 → 2026.

    An ROC year needs 民國 or a following 年 (a bare "115" is too ambiguous), and is 1..200. Returns None
    for anything else, including a bare 1- to 3-digit number.
    """
    m = _YEAR.fullmatch(to_halfwidth(text).strip())
    if not m:
        return None
    era = (m.group("era") or "").upper() if (m.group("era") or "").isascii() else m.group("era")
    n = 1.0 if m.group("n") == "元" else parse_number(m.group("n"))
    if n is None or n != int(n) or (m.group("n") == "元" and era in ("", "西元", "公元", "FY", "AD")):
        return None
    year = int(n)
    if era in _ERA_OFFSET:
        offset = _ERA_OFFSET[era]
        if len(era) == 1 and not m.group("nian"):
            return None  # R8 alone may be anything; R8年度 is a year
        return year + offset if 1 <= year <= _ERA_MAX[offset] else None
    if 1900 <= year <= 2199:
        return year
    if not era and m.group("nian") and 10 <= year <= 200:
        return year + 1911  # 2- or 3-digit year followed by 年: ROC calendar
    return None


# --- patterns shared with the KPI parser ---------------------------------------------------------------
def alternation(*chunks: str) -> str:
    """Space-separated regex fragments to one alternation, so word lists stay readable."""
    return "|".join(" ".join(chunks).split())


def _longest_first(words: list[str], word_boundary: bool = False) -> str:
    # Longest first, so 人次 wins over 人 and 日圓 over 日.
    body = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return rf"(?:{body})\b" if word_boundary else f"(?:{body})"


# Money is reported in its currency word; the 萬/億 before it is part of the number (800萬元 → 8000000 元).
_MONEY_UNITS = {
    "元": "元",
    "圓": "元",
    "塊": "元",
    "日圓": "日圓",
    "日元": "日圓",
    "日幣": "日圓",
    "円": "日圓",  # one word for the yen, whatever the script
    "美元": "美元",
    "yen": "日圓",
    "jpy": "日圓",
    "ntd": "元",
    "twd": "元",
    "usd": "USD",
    "dollars": "$",
}
_CURRENCY_PREFIX = {
    "新台幣": "元",
    "新臺幣": "元",
    "台幣": "元",
    "臺幣": "元",
    "nt$": "元",
    "ntd": "元",
    "twd": "元",
    "us$": "USD",
    "usd": "USD",
    "jpy": "日圓",
    "日幣": "日圓",
    "$": "$",
    "¥": "日圓",
    "￥": "日圓",
}
_CJK_UNITS = alternation(
    "人次 人日 人 間 件 家 場次 場 處 处 戶 户 位 名 組 组 個 个 團 团 隊 队 項 项",
    "棟 栋 筆 笔 次 公頃 平方公尺 平方公里 平方米 ㎡ 公里 公尺 公斤 公噸 噸 吨 店舗 店 軒",
    "社 団体 团体 回 箇所 か所 ヶ所 カ所 ケ所 坪 張 张 冊 台 輛 辆 班 天 日 晚 泊 夜",
    "小時 小时 時間 門 堂 梯次 所 校 座 條 条 點 点 套 款 種 种 品項 床 室 隻 頭 株",
    "枚 口 世帯 世帶 戸 事業者 事業所 企業 業者 攤位 攤 篇 則 館 部 份 ha ヘクタール 公畝 トン 案",
).split("|")
_EN_UNITS = alternation(
    "people persons person visitors visitor tourists residents migrants newcomers households shops",
    "stores businesses companies firms startups start-ups teams cases events sessions workshops jobs hectares",
    "markets projects",
    "ha km kg acres nights rooms beds participants users members products items units times tonnes tons t",
).split("|")
UNIT_PATTERN = (
    f"(?:{_longest_first(_CJK_UNITS + [w for w in _MONEY_UNITS if not w.isascii()])}"
    f"|{_longest_first(_EN_UNITS + [w for w in _MONEY_UNITS if w.isascii()], True)})"
)
CURRENCY_PATTERN = alternation(r"新台幣 新臺幣 台幣 臺幣 NT\$ US\$ NTD TWD USD JPY 日幣 \$ ¥ ￥")
# 3年內, 6個月: a period, not a calendar date.
DURATION_PATTERN = (
    f"(?:{alternation('個月 个月 ヶ月 か月 カ月 年 週 周 季 月')})"
    f"(?:{alternation('以內 以内 以來 以来 內 内 間 间 來 来 後 后 半')})?"
)
CN_DIGIT_CHARS = "".join(CN_DIGITS)
MULTIPLIER_CHARS = "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
NUMBER_PATTERN = (
    # 5萬5千, and digits left bare after 萬 or 億 as documents print them: 213萬8191, 2萬零350
    rf"(?:{_ARABIC}[{MULTIPLIER_CHARS}]*(?:零?{_ARABIC}[{MULTIPLIER_CHARS}]+)*(?:(?<=[萬万億亿])零?{_ARABIC}(?![\d.]))?"
    rf"|(?<![數数幾几])[{CN_NUMERAL_CHARS}]+)"
)  # 數百 is vague, not 100
# Not inside another number, an identifier (5G, COVID-19), an ordinal (第三) or 每一.
NUMBER_START = rf"(?<![\dA-Za-z.第每{CN_NUMERAL_CHARS}])(?<![A-Za-z]-)"
# A hyphen is a minus only against its number (「−45人」); spaced (「Onomichi City - 1,200,000」) it separates.
SIGN_PATTERN = r"(?<!\d)(?:[+▲△](?=\s*\d)|-(?=\d))"


def normalise_unit(unit: str | None, currency_prefix: str | None = None) -> str | None:
    """人 stays 人; money becomes its currency word (日元 → 日圓, NT$ → 元); English units lower-case."""
    if unit:
        key = unit.lower() if unit.isascii() else unit
        return _MONEY_UNITS.get(key, key)
    return _CURRENCY_PREFIX.get(currency_prefix.lower()) if currency_prefix else None


_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_ERAS = alternation("中華民國 中华民国 民國 民国 令和 平成 昭和 西元 公元")
# 3年內, 30年來, 3年級: not calendar years.
_NOT_A_YEAR = alternation("間 间 內 内 來 来 以來 以来 後 后 半 左右 多 餘 余 級 级 齡 龄 金")
_CN_MD = r"3[01]|[12]\d|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
# Alternatives, by named group: dcjk 民國115年12月 / 2026年度 / 令和8年度 / R8年度; dslash 2026/12, 115/12;
# den December 2027; dfy FY2026; dbare 2027 (only when no unit follows, so 2000人 stays an amount).
DATE_PATTERN = (
    rf"(?P<dcjk>(?:(?P<dera>{_ERAS}|(?<![A-Za-z])[RH](?=\s*[\d元]))\s*)?(?<![\d.])"
    rf"(?P<dyear>元|\d{{1,4}}|[〇○零一二三四五六七八九十百]{{2,7}})\s*年(?!{_NOT_A_YEAR})(?:度)?"
    rf"(?:\s*(?P<dmonth>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月"
    rf"(?:\s*(?:{_CN_MD})\s*[日號号])?)?(?:底|末|初|中|上半|下半)?)"
    r"|(?P<dslash>(?<![\d./])(?:(?P<syear>(?:19|20)\d{2})\s*[/-]|(?P<ryear>1\d{2}|[89]\d)\s*/)\s*"
    r"(?P<smonth>1[0-2]|0?[1-9])(?:\s*[/-]\s*(?:3[01]|[12]\d|0?[1-9]))?(?![\d%.]))"
    rf"|(?P<den>(?<![A-Za-z])(?P<enmon>{'|'.join(_MONTHS)})[a-z]*\.?\s+"
    r"(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?P<enyear>(?:19|20)\d{2})(?!\d))"
    r"|(?P<dfy>(?<![A-Za-z])(?:FY|CY|AD)\s*(?P<fyyear>(?:19|20)\d{2})(?!\d))"
    # Japanese tables abbreviate the era and drop 年: R6.3 (March of Reiwa 6), (H30), R2→R7
    r"|(?P<djp>(?<![A-Za-z0-9])(?P<jera>[RH])\s?(?P<jyear>[1-9]\d?|元)(?:\s*[.．]\s*(?P<jmonth>1[0-2]|0?[1-9]))?"
    r"(?![\d%A-Za-z.]))"
    rf"|(?P<dbare>(?<![\d.,$A-Za-z])(?:19[5-9]\d|20\d\d|2100)(?![\d%{MULTIPLIER_CHARS}多餘余]|[.,]\d"
    rf"|\s*(?:{UNIT_PATTERN}|{DURATION_PATTERN}|thousand|million|billion|成|割|倍)))"
)


def date_from_match(m: re.Match[str]) -> tuple[int, int | None] | None:
    """(AD year, month or None) for a DATE_PATTERN match; None when the year is not a plausible date."""
    kind = m.lastgroup
    if kind == "dcjk":
        era, ytext = m["dera"] or "", m["dyear"]
        year = to_ad_year(f"{era}{ytext}年")
        # Without 民國, a 2-3 digit year before ROC 80 is likelier a duration or an age than a date.
        if year is None or (not era and year < 1991 and not (ytext.isdigit() and len(ytext) == 4)):
            return None
        month = parse_number(m["dmonth"]) if m["dmonth"] else None
        return year, int(month) if month else None
    if kind == "dslash":
        return (int(m["syear"]) if m["syear"] else int(m["ryear"]) + 1911), int(m["smonth"])
    if kind == "djp":
        year = to_ad_year(f"{m['jera']}{m['jyear']}年")
        if year is None:
            return None
        return year, int(m["jmonth"]) if m["jmonth"] else None
    if kind == "den":
        return int(m["enyear"]), _MONTHS.index(m["enmon"][:3].lower()) + 1
    return int(m["fyyear"] or m.group(kind or 0)), None


def format_number(value: float | None, fallback: str = "") -> str:
    """A figure as people read it: 40.0 → 40, 3520000000.0 → 3,520,000,000, 12.5 → 12.5, 0.125 → 0.13.
    `fallback` stands in for a missing value."""
    if value is None:
        return fallback
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def figure_text(item: float | int | str | None) -> str:
    """A corpus figure as people read it: 29470000.0 → 29,470,000; text stays as it is."""
    if item is None:
        return ""
    if isinstance(item, int | float) and not isinstance(item, bool):
        return format_number(float(item))
    return str(item)
