"""Parse one KPI as written (zh-TW first, also Japanese and English) into structured fields.

The text is scanned once for items (dates, amounts, ratios). The connective words between items
(由…至, 較…的, から…に, from…to, by) decide each item's role. What cannot be placed with confidence goes
into ``unparsed``: for a critique a wrong baseline or deadline is worse than a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.kpi import numbers as nums
from app.kpi.lexicon import PAST_CLAUSE
from app.kpi.numbers import alternation, normalise_unit, parse_number, parse_ratio, to_ad_year, to_halfwidth
from app.kpi.schemas import Direction, ParsedFields


class ParsedKpi(ParsedFields):
    """The parsed fields plus the measure's name: numbers, dates and verbs stripped, e.g. "老街空店舖數"."""

    name: str


# --- lexicon ---------------------------------------------------------------------------------------
_NUM, _NB, _SIGN, _MULT = nums.NUMBER_PATTERN, nums.NUMBER_START, nums.SIGN_PATTERN, nums.MULTIPLIER_CHARS
_UNITS, _DURATION, _CURRENCY = nums.UNIT_PATTERN, nums.DURATION_PATTERN, nums.CURRENCY_PATTERN
# 成 is also a word (成長, 成立, 成員 …); only a numeral before a bare 成 makes a proportion.
_CHENG = r"成(?![長长立員员本果功效交績绩為为熟形就品份年真人])"

_ITEM = re.compile(
    # Every alternative starts with one of these characters; checking it first keeps the scan linear and
    # fast on the text between numbers.
    rf"(?=[\d{nums.CN_NUMERAL_CHARS}〇○+\-▲△$¥￥中民令平昭西公元新台臺日百acdfhjmnorstu])(?:"
    # Ages qualify the measure (65歲以上人口, 20代) and stay part of its name.
    rf"(?P<age>{_NB}{_NUM}(?:\s*[-~至到]\s*{_NUM})?\s*(?:歲|歳|岁|代(?![表理替價价目金言辦办])))"
    rf"|{nums.DATE_PATTERN}"
    rf"|(?P<pct>(?:(?P<psign>{_SIGN})\s*)?{_NB}(?P<pnum>{_NUM})\s*(?P<psuf>[個个]?百分[點点]"
    r"|%\s*ポイント|ポイント|percentage points?|pp\b|%|percent\b|per\s?cent\b|pct\b))"
    rf"|(?P<zh>百分之(?P<znum>{_NUM}))"
    rf"|(?P<tenths>{_NB}{_NUM}\s*(?:{_CHENG}|割(?:\s*(?:[1-9]|[一二三四五六七八九])\s*分)?))"
    rf"|(?P<times>{_NB}(?P<tnum>{_NUM})\s*倍(?![數数率]))"
    rf"|(?P<qty>(?:(?P<cur>{_CURRENCY})\s*)?(?:(?P<qsign>{_SIGN})\s*)?{_NB}(?P<qnum>{_NUM})(?:\s*[多餘余])?"
    rf"(?P<qmult>\s*(?:thousand|million|billion)\b)?(?:\s*(?:(?P<unit>{_UNITS})|(?P<dur>{_DURATION})))?))",
    re.IGNORECASE,
)

_EN = r"(?:e|es|ed|ing)\b"  # English verb endings
_INC = alternation(
    "增加 增長 增长 增至 增為 增为 增到 增設 增设 擴大 扩大 擴增 扩增 擴充 提升 提高 成長",
    "成长 上升 倍增 翻倍 加倍 増加 増大 増やす 増やし 向上 拡大 上昇 アップ 倍増",
    rf"\bincreas{_EN} \brais{_EN} \bgr(?:ow|ows|own|owing|ew|owth)\b \bboost(?:s|ed|ing)?\b",
    rf"\bexpand(?:s|ed|ing)?\b \bdoubl{_EN}",
)
_INC_WEAK = alternation(
    "達到 到達 达到 達成 达成 達 达 新增 增 増", rf"\bup\b \breach(?:es|ed|ing)?\b \bachiev{_EN}"
)
_DEC = alternation(
    "減少 减少 降低 下降 縮減 缩减 縮小 缩小 減至 减至 降至 降到 降為 降为 減到 减到",
    "減為 减为 減緩 减缓 削減 減らす 減らし 低下 抑制 減半 减半 半減",
    rf"\breduc(?:e|es|ed|ing|tion)\b \bcut(?:s|ting)?\b \bdecreas{_EN} \blower(?:s|ed|ing)?\b",
    rf"\bdeclin{_EN} \bdrop(?:s|ped|ping)?\b \bhalv{_EN}",
)
_DEC_WEAK = r"減|减|\bdown\b"
_KEEP = alternation(
    r"維持 维持 保持 持平 \bmaintain(?:s|ed|ing)?\b \bkeep(?:s|ing)?\b \bkept\b",
    r"\bsustain(?:s|ed|ing)?\b \bretain(?:s|ed|ing)?\b \bremain(?:s|ed|ing)?\b",
)
# Activities: no direction, and not the measure either.
_ACT = alternation(
    "辦理 办理 舉辦 举办 舉行 举行 開辦 开办 完成 建立 建置 設置 設立 成立 培育 招募 開發",
    "輔導 吸引 創造 帶動 促成 媒合 打造 推動 協助",
)
# (?!率|幅): 成長率 / 減少幅度 name a measure, not a verb; the atomic group (?>…) keeps 減少率 from
# falling back to the weak verb 減.
_VERB_ALT = (
    rf"(?>(?P<inc>{_INC})|(?P<dec>{_DEC})|(?P<keep>{_KEEP})|(?P<incw>{_INC_WEAK})"
    rf"|(?P<decw>{_DEC_WEAK})|(?P<act>{_ACT}))(?!率|幅)"
)
_VERB = re.compile(_VERB_ALT, re.IGNORECASE)
# A verb after the number (10%増加, 15% up) unless it is "verb to" (40間減少至…): then it is a level.
_VERB_POST = re.compile(
    rf"\s*(?:{_VERB_ALT}|(?P<incp>up|more|higher)\b|(?P<decp>down|less|fewer|lower)\b"
    r"|(?P<incj>アップ)|(?P<decj>ダウン))(?!\s*(?:至|到|為|为|成|to\b|に))",
    re.IGNORECASE,
)
_HALVE, _DOUBLE = re.compile(r"減半|减半|半減|halv", re.I), re.compile(r"倍增|翻倍|加倍|倍増|doubl", re.I)
_PER = re.compile(
    r"(?P<年>每年度?|每一年|毎年度?|(?<!\d)年間|年均|年平均|平均每年|/\s*年"
    r"|(?<![去今明前翌同本當当隔往近每])年(?=增|増|成長|成长|減|减)"  # 年增5%, but not 去年增加
    r"|\bper (?:year|annum)\b|\ba year\b|\beach year\b|\bannual(?:ly)?\b|\byearly\b)"
    r"|(?P<月>每月|毎月|月間|月均|/\s*月|\bper month\b|\bmonthly\b|\ba month\b)"
    r"|(?P<週>每週|每周|毎週|/\s*週|\bper week\b|\bweekly\b)"
    r"|(?P<日>每日|每天|毎日|/\s*日|\bper day\b|\bdaily\b)",
    re.IGNORECASE,
)
_FLOOR = re.compile(r"至少|最少|不少於|不低於|逾|超過|超过|突破|≧|\bat least\b|\bmore than\b", re.I)
_VAGUE = re.compile(rf"(?:數|数|幾|几|上|近|逾|破)[十百千萬万億]+(?:{_UNITS})?|若干", re.IGNORECASE)


def _end(*chunks: str) -> re.Pattern[str]:
    return re.compile(f"(?:{alternation(*chunks)})$", re.IGNORECASE)


def _start(*chunks: str) -> re.Pattern[str]:
    return re.compile(rf"\s*(?:{alternation(*chunks)})", re.IGNORECASE)


# Markers on the gap text around an item: _end ones are read just before it, _start ones just after.
_FILLER = alternation(
    r"\s [:=] 了 約 约 大約 大约 共 累計 累積 合計 總計 总计 平均 每年度? 每月",
    r"毎年 年間 年均 至少 最少 最多 不少於 不低於 逾 超過 超过 近",
    r"\babout \bapproximately \bapprox\. \baround",
    r"\bnearly \bover \bat\sleast \bat\smost \bmore\sthan \bup\sto \ba\stotal\sof \bthe",
)
_TAIL = re.compile(rf"(.*?)(?:{_FILLER})*", re.IGNORECASE | re.DOTALL)  # a gap without trailing fillers
_FROM_END = _end(
    "由 從 从 自 原本 原為 原为 現況值? 现况值? 目前 現在 現行 現狀 现状 現状値?",
    r"基準值? 基准值? 基期值? 実績値? \bfrom \bbetween \bbaseline(?:\sof)? \bcurrently \bnow",
)
_FROM_POST = _start("から より(?!も)")
_TO_END = _end(
    r"至 到 為 为 成為 成为 達 达 目標值? 目标值? 目標値 → -> => ⇒ \bto \breach(?:es|ed|ing)?",
    r"\bachieve[sd]? \btarget(?:\sof)? \bgoal(?:\sof)?",
)
_TO_POST = _start(
    "に(?![比対つ関よお]) まで へ 以上 以下 以內 以内 未満 未滿",
    r"or\s(?:more|less|above|below) and\s(?:above|over)",
)
_BY_END = _end(r"\bby")
_LINK = re.compile(f"(?:{alternation('的 之 為 为 の 是 時 时 時點 時点 水準 水准')})?")
_START_POST = _start(r"起 開始 开始 以來 以来 から 以降 onwards?\b")
_RANGE_GAP = re.compile(r"\s*(?:[-~]|至|到|to|through|until)\s*", re.IGNORECASE)
_BASE_PRE = _end(
    "較 较 (?<![占佔])比 相較於? 相较于? 相比於? 與 与 和 自 從 从 由 以",
    r"\bfrom \bsince \bcompared\s(?:to|with) \bvs\.? \bversus \bthan \bover \bagainst",
)
_BASE_POST = _start(
    r"比 相比 實績 实绩 実績 現況 现况 [為为]?基準 [為为]?基准 [為为]?基期 \(?基準年",
    r"\blevels?\b \bbaseline",
)
_WEAK_BASE_POST = _start("的 之 為 为 時 时 の [:=] 時點 時点")
# A year in brackets after a value, then the arrow to the target: 「1.2ha(H30)→8ha(R5)」, "40 users (FY2018) → 120".
_DATED_THEN_ARROW = re.compile(r"\s*[)）]\s*(?:→|⇒|->|～|~|から|\bto\b)", re.IGNORECASE)
_BOUND_DEC = _start(r"以下 以內 以内 未満 未滿 or\sless or\sbelow at\smost")
_BOUND_INC = _start(r"以上 or\smore or\sabove and\sabove")
_EDGE = r"[\s,.;:!?()\[\]{}<>\"'「」『』【】〔〕、。…·・/\\|~\-+*→⇒=]"
_LEAD = re.compile(
    alternation(
        _EDGE,
        "至 到 為 为 達(?!成|人) 达(?!成|人) 的 之 を に で が は から までに まで より 前 以前",
        "之前 底 以上 以下 以內 以内 未満 左右 共(?!同) 大約 大约 約 约 使 讓 让 將 将 並 并 且 及 與 与 起 開始 开始",
        "累計 累積 逾 超過 超过 至少 比(?!例|率|重)",
        r"(?:by|in|to|from|of|the|and|for|until|before|per|at|on|target|goal)\b",
    ),
    re.IGNORECASE,
)
_TRAIL = _end(
    _EDGE,
    "由 從 从 自 較 较 相較於? 至 到 為 为 達 达 的 之 を の は が に で から まで より",
    "約 约 共 累計 累積 目標值? 目标值? 基準值? 現況 目前 於 于 將 将 並 并 使",
    r"\b(?:from|to|by|of|the|and|in|at|for|per|with|than|about|around|target|goal)",
)
_DATED_GAP = re.compile(r"\s*[(（]?\s*(?:實績|实绩|実績|為|为|的|之|の|:|：|時|时)?\s*")
# "over 2023" is a filler before an amount (over 500 people) but a reference point before a year.
_DATE_BASE_RAW = re.compile(r"\b(?:over|than)\s*$", re.IGNORECASE)
_CLAUSE = re.compile(r"[,;，；、。]")
_NEXT_CHAR = re.compile(r"\s*(.?)", re.DOTALL)
_MEASURE_HINT = re.compile(
    alternation(
        "數 数 額 额 率 量 度 比例 比率 人口 人次 占比 面積 面积 收入 所得 產值 产值 營收 营收",
        "number rate count sales revenue income population share ratio volume visitors",
    ),
    re.IGNORECASE,
)
_SIGNS = {"+": 1, "-": -1, "▲": -1, "△": -1}  # ▲ and △ mark a decrease in Japanese tables
_KIND_SIGN = {"inc": 1, "incw": 1, "incp": 1, "incj": 1, "dec": -1, "decw": -1, "decp": -1, "decj": -1}
_DIRECTION_OF: dict[int, Direction] = {1: "increase", -1: "decrease", 0: "maintain"}


@dataclass
class _Item:
    kind: str  # date | value | ratio | points | times
    start: int
    end: int
    value: float | None = None  # amount; a fraction for ratios
    unit: str | None = None
    year: int | None = None
    month: int | None = None
    sign: int = 0  # an explicit +, -, ▲ written before the number, or the verb's direction
    role: str = ""  # baseline | target | deadline | start | relative | delta | dropped


def _item_from(m: re.Match[str], norm: str) -> _Item | str | None:
    """One match to an item; "?" for a fragment to report as unparsed; None for one to ignore."""
    kind, s, e = m.lastgroup or "", m.start(), m.end()
    if kind == "age":
        return None
    if kind.startswith("d"):
        ym = nums.date_from_match(m)
        return _Item("date", s, e, year=ym[0], month=ym[1]) if ym else "?"
    if kind == "pct":
        n = parse_number(m["pnum"])
        points = not m["psuf"].startswith(("%", "percent", "per", "pct")) or "ポイント" in m["psuf"]
        if n is None:
            return "?"
        value = n if points else n / 100
        return _Item("points" if points else "ratio", s, e, value=value, sign=_SIGNS.get(m["psign"] or "", 0))
    if kind in ("zh", "tenths"):
        r = parse_ratio(m.group(0))
        return _Item("ratio", s, e, value=r) if r is not None else "?"
    if kind == "times":
        n = parse_number(m["tnum"])
        return _Item("times", s, e, value=n) if n is not None else "?"
    num = m["qnum"]
    if not any(c.isdigit() for c in num):
        # A Chinese numeral counts with a unit (三十家) or when unmistakable (三十);
        # 一起, 十分, 九份 are words.
        has_digit = any(c in nums.CN_DIGIT_CHARS for c in num)
        if not (has_digit or num[0] in "十拾") or not (m["unit"] or m["dur"] or len(num) > 1):
            return None
    elif not m["unit"] and e < len(norm) and norm[e].isascii() and norm[e].isalpha():
        return None  # 5G, 3D: an identifier, not an amount
    after = _NEXT_CHAR.match(norm, e).group(1)  # type: ignore[union-attr]
    if not (m["unit"] or m["cur"] or m["qsign"]) and (
        after == ":" or (s < 4 and not norm[:s].strip(" (") and after != "" and after in ".、)")
    ):
        return None  # "KPI 1：…", "1. …", "(2) …": a label, not an amount
    n = parse_number(num)
    if m["dur"] or n is None:
        return "?"  # 3年內, 6個月: a period with no calendar year
    if m["qmult"]:
        n = parse_number(f"{n} {m['qmult'].strip()}") or n
    unit = normalise_unit(m["unit"], m["cur"])
    return _Item("value", s, e, value=n, unit=unit, sign=_SIGNS.get(m["qsign"] or "", 0))


def _name(text: str, norm: str, cuts: list[tuple[int, int]]) -> str:
    """The measure: the text left between items and verbs, trimmed of particles and markers."""
    bounds, pos = [], 0
    # Clause punctuation also ends a segment: 工作坊，每場 is two phrases, not one measure.
    cuts = cuts + [(m.start(), m.end()) for m in _CLAUSE.finditer(norm)]
    for s, e in sorted(cuts):
        if s > pos:
            bounds.append((pos, s))
        pos = max(pos, e)
    bounds.append((pos, len(norm)))
    candidates = []
    for s, e in bounds:
        colon = norm.rfind(":", s, e)  # "KPI 1：老街空店舖數": a label before a colon is not the measure
        if colon >= 0 and norm[colon + 1 : e].strip():
            s = colon + 1
        while s < e and (m := _LEAD.match(norm, s, e)) and m.end() > s:
            s = m.end()
        while s < e and (m := _TRAIL.search(norm, max(s, e - 12), e)) and m.start() < e:
            e = m.start()
        if (bracket := norm.rfind("(", s, e)) >= 0 and ")" not in norm[bracket:e]:
            e = bracket  # a bracket whose content was cut away
        seg = text[s:e].strip()
        if any(c.isalpha() for c in seg):
            candidates.append(seg)
    hinted = [c for c in candidates if _MEASURE_HINT.search(c)]
    return (hinted or candidates or [""])[0]


class _Scan:
    """Items, the gaps between them, and the verbs and per-words found outside items."""

    def __init__(self, text: str) -> None:
        self.text, self.norm = text, to_halfwidth(text)  # same length, so spans slice either
        self.items: list[_Item] = []
        self.bad: list[tuple[int, int]] = []
        for m in _ITEM.finditer(self.norm):
            it = _item_from(m, self.norm)
            if it == "?":
                self.bad.append(m.span())
            elif isinstance(it, _Item):
                self.items.append(it)
        n, norm = len(self.items), self.norm
        self.gaps = [
            (self.items[i - 1].end if i else 0, self.items[i].start if i < n else len(norm))
            for i in range(n + 1)
        ]
        covered = bytearray(len(norm))
        for it in self.items:
            covered[it.start : it.end] = b"\x01" * (it.end - it.start)

        def outside(found: re.Match[str]) -> bool:
            return found.end() > found.start() and covered.find(1, found.start(), found.end()) < 0

        # One pass per pattern over the whole text, keeping what lies outside items.
        self.verbs = [
            (v.start(), v.end(), v.lastgroup or "", v.group(0)) for v in _VERB.finditer(norm) if outside(v)
        ]
        pers = [m for m in _PER.finditer(norm) if outside(m)]
        self.per = pers[0].lastgroup if pers else None
        self.bad += [m.span() for m in _VAGUE.finditer(norm) if outside(m)]
        self.cuts = [(it.start, it.end) for it in self.items] + [v[:2] for v in self.verbs]
        self.cuts += [m.span() for m in pers]
        verb_at_end = {v[1]: v[2] for v in self.verbs}
        # Before each item: the gap's end without fillers, and the kind of a verb ending right there.
        self.pre: list[str] = []
        self.verb_before: list[str] = []
        for gs, ge in self.gaps[:n]:
            window = max(gs, ge - 40)
            tail = _TAIL.fullmatch(norm, window, ge)
            p = tail.group(1) if tail else norm[window:ge]
            self.pre.append(p)
            self.verb_before.append(verb_at_end.get(window + len(p), ""))
        self.post = [norm[gs : min(ge, gs + 40)] for gs, ge in self.gaps[1:]]

    def next(self, i: int) -> _Item | None:
        return self.items[i + 1] if i + 1 < len(self.items) else None


def _date_roles(sc: _Scan) -> None:
    """Each date is the start of a period, the baseline year or (by default) the deadline."""
    latest_after, latest = [0] * len(sc.items), 0  # the latest year written after each item
    for i in range(len(sc.items) - 1, -1, -1):
        latest_after[i] = latest
        latest = max(latest, sc.items[i].year or 0)
    for i, it in enumerate(sc.items):
        if it.kind != "date":
            continue
        nxt, post, later = sc.next(i), sc.post[i], latest_after[i] > (it.year or 0)
        if _START_POST.match(post) or (nxt and nxt.kind == "date" and _RANGE_GAP.fullmatch(post)):
            it.role = "start"
        elif (
            _BASE_PRE.search(sc.pre[i])
            or _DATE_BASE_RAW.search(sc.norm[sc.gaps[i][0] : sc.gaps[i][1]])
            or _BASE_POST.match(post)
            or (later and (_WEAK_BASE_POST.match(post) or (nxt and nxt.kind != "date" and not post.strip())))
            or (later and _DATED_THEN_ARROW.match(post))
        ):
            it.role = "baseline"  # 較2023年, 2023年比; 2023年為40間 or 113年15人 when a later year follows
        else:
            it.role = "deadline"


def _value_roles(sc: _Scan) -> int:
    """Amounts and ratios: baseline, target level, relative change or absolute delta.

    Returns the direction implied by 以上 (+1) or 以下 (-1) after a target, else 0.
    """
    bound = 0
    for i, it in enumerate(sc.items):
        if it.kind == "date":
            continue
        p, q, nxt = sc.pre[i], sc.post[i], sc.next(i)
        prev = sc.items[i - 1] if i else None
        if (
            it.kind == "value"
            and not it.unit
            and nxt
            and nxt.kind == "date"
            and _RANGE_GAP.fullmatch(q)
            and 0 < (it.value or 0) < 1000
            and (to_ad_year(f"{it.value:g}年") or 9999) <= (nxt.year or 0)
        ):
            it.role = "start"  # 113-115年: the first number starts the period
            continue
        if it.kind == "value" and nxt and nxt.kind == "value" and re.fullmatch(r"\s*[-~]\s*", q):
            sc.bad.append((it.start, nxt.end))  # 40-50人: a range, not a from/to pair
            it.role = nxt.role = "dropped"
        if it.role:
            continue
        if (prev and prev.kind == "date" and prev.role == "baseline" and _LINK.fullmatch(p)) or (
            _FROM_END.search(p) or _FROM_POST.match(q)
        ):
            it.role = "baseline"
        elif _TO_END.search(p) or _TO_POST.match(q):
            it.role = "target"
        elif it.kind == "times":
            sc.bad.append((it.start, it.end))  # 成長2倍: "by" or "to" twice is ambiguous in Chinese
            it.role = "dropped"
            continue
        else:
            verb_post = _VERB_POST.match(q)
            vk = sc.verb_before[i] or (verb_post.lastgroup if verb_post else "") or ""
            # 增加500人 is a delta; 新增500人 / 達500人 is a level. Any verb makes a ratio relative.
            usable = ("inc", "dec") if it.kind == "value" else ("inc", "dec", "incw", "decw")
            if it.sign or vk in usable or vk in ("incp", "decp", "incj", "decj") or _BY_END.search(p):
                it.role = "relative" if it.kind == "ratio" else "delta"
                it.sign = it.sign or _KIND_SIGN.get(vk or "", 0)
        if it.kind == "times" and it.role == "target":
            it.kind, it.value, it.role, it.sign = "ratio", (it.value or 1) - 1, "relative", 1  # 達到2倍
            continue
        if it.kind == "ratio" and it.role in ("", "baseline", "target"):
            it.kind, it.value, it.unit = "value", round((it.value or 0) * 100, 10), "%"  # 12% is 12 (%)
        if it.role in ("target", "") and (_BOUND_DEC.match(q) or _BOUND_INC.match(q)):
            bound = -1 if _BOUND_DEC.match(q) else 1
        if it.kind == "points" and it.role != "delta":
            sc.bad.append((it.start, it.end))
            it.role = "dropped"
    # 2023年度の40件から: the year written with a baseline amount is the baseline year.
    for i, it in enumerate(sc.items[:-1]):
        if (
            it.kind == "date"
            and it.role == "deadline"
            and _WEAK_BASE_POST.match(sc.post[i])
            and sc.items[i + 1].role == "baseline"
        ):
            it.role = "baseline"
    return bound


def _parse_part(text: str) -> ParsedKpi:
    """Parse one part of a KPI into its measure, baseline, target, unit, period, deadline and direction."""
    sc = _Scan(text)
    _date_roles(sc)
    bound = _value_roles(sc)
    items, unparsed = sc.items, list(sc.bad)

    def pick(role: str, kinds: tuple[str, ...], last: bool = False) -> _Item | None:
        found = [it for it in items if it.role == role and it.kind in kinds]
        chosen = (found[-1] if last else found[0]) if found else None
        unparsed.extend((it.start, it.end) for it in found if it is not chosen)
        return chosen

    deadline, base_date = pick("deadline", ("date",), last=True), pick("baseline", ("date",))
    baseline, rel = pick("baseline", ("value",)), pick("relative", ("ratio",))
    delta = pick("delta", ("value", "points"))
    if baseline is None and base_date is not None:
        # 111年實績440人 / 以113年40間為基準: the value the baseline year dates is the baseline.
        baseline = next(
            (
                it
                for it in items
                if it.kind == "value"
                and it.start >= base_date.end
                and _DATED_GAP.fullmatch(sc.norm[base_date.end : it.start])
            ),
            None,
        )
    targets = [it for it in items if it.role == "target" and it.kind == "value" and it is not baseline]
    # The target answering the baseline (由A…至B), else the last (2026年達30間、2027年達40間).
    after_base = [t for t in targets if baseline and t.start > baseline.start]
    target = after_base[0] if after_base else (targets[-1] if targets else None)
    unparsed.extend((it.start, it.end) for it in targets if it is not target)
    loose = [it for it in items if it.kind == "value" and not it.role and it is not baseline]
    if target is None and loose and not (rel and loose[-1].start < rel.start):
        target = loose.pop()
    if baseline is None and loose and (target is None or loose[-1].start < target.start):
        baseline = loose.pop()  # 40間→28間 has markers; "40 28" has only the order
    unparsed.extend((it.start, it.end) for it in loose)
    if baseline and target and baseline.unit and target.unit and baseline.unit != target.unit:
        unparsed.append((baseline.start, baseline.end))  # 40間 vs 28人: units disagree
        baseline = None

    # Direction: strong verbs, then 以上/以下, then weak verbs (達, 增), then signs, then the numbers.
    kinds = {v[2] for v in sc.verbs}
    strong = kinds & {"inc", "dec", "keep"}
    weak = {1 if k == "incw" else -1 for k in kinds if k in ("incw", "decw")}
    sign: int | None = {"inc": 1, "dec": -1, "keep": 0}[next(iter(strong))] if len(strong) == 1 else None
    if sign is None and not strong:
        change = rel or delta
        # 達 / 新增 / reach name a level, not a direction, unless a change is stated (年增5%); a cap (以內)
        # bounds a level without saying which way is good (補助比例70%以內).
        weak_sign = next(iter(weak)) if len(weak) == 1 and change else 0
        sign = max(bound, 0) or weak_sign or (change.sign if change else 0) or None
    if sign is None and baseline and target and baseline.value is not None and target.value is not None:
        sign = (target.value > baseline.value) - (target.value < baseline.value)
    verb = next((v for v in sc.verbs if _HALVE.search(v[3]) or _DOUBLE.search(v[3])), None)
    if rel is None and verb:
        halve = bool(_HALVE.search(verb[3]))  # 減半 / 倍增 state the change without a number
        rel = _Item("ratio", verb[0], verb[1], value=0.5 if halve else 1.0, sign=-1 if halve else 1)
    for change in (rel, delta):
        if change and not change.sign:
            change.sign = sign or 0  # "by 10%": the direction comes from the verb, else unknown
            if not change.sign:
                unparsed.append((change.start, change.end))
    rel, delta = (rel if rel and rel.sign else None), (delta if delta and delta.sign else None)
    if sign is None and (rel or delta):
        sign = (rel or delta).sign  # type: ignore[union-attr]

    if sign is None and _FLOOR.search(sc.norm):
        sign = 1  # 至少8次, 突破80萬人次, 不低於90%, at least 50 jobs: a floor to reach
    out = ParsedKpi(name=_name(text, sc.norm, sc.cuts + sc.bad), per=sc.per)
    out.direction = _DIRECTION_OF[sign] if sign is not None else None
    out.baseline = baseline.value if baseline else None
    out.target = target.value if target else None
    out.unit = (target.unit if target else None) or (baseline.unit if baseline else None)
    if rel and rel.value is not None:
        out.relative_change = round(rel.sign * rel.value, 10)
        if out.target is None and out.baseline is not None:
            out.target = float(f"{out.baseline * (1 + out.relative_change):.15g}")
    if delta and delta.value is not None:
        out.unit = out.unit or delta.unit
        if out.target is None and out.baseline is not None and (delta.kind != "points" or out.unit == "%"):
            out.target = float(f"{out.baseline + delta.sign * delta.value:.15g}")
        elif out.target is None and sc.per and delta.kind != "points":
            out.target = delta.value  # 每年增加500人: a yearly increment is the target, per year
        elif out.target is None:
            out.change = delta.sign * delta.value  # 增加300萬元 with no baseline: quantified, level unknown
    if deadline:
        out.deadline = f"{deadline.year}" + (f"-{deadline.month:02d}" if deadline.month else "")
    if base_date:
        out.baseline_year = str(base_date.year)
    fragments = (text[s:e].strip() for s, e in sorted(set(unparsed)))
    out.unparsed = list(dict.fromkeys(f for f in fragments if f))
    return out


# --- layout: how plans arrange a KPI's parts ----------------------------------------------------------------
# Plans often put the target first and the past value beside it: 「116年前新創事業15家（112年4家）」,
# 「目標值115年4,800人次／基準值113年2,100人次」, 「1,500 in 2026 (2023: 420)」. Each part is parsed on its own
# and the reference part supplies the baseline, its year, or a past average or trend.
_BRACKET = re.compile(r"[（(]([^（）()]*)[）)]\s*$|[（(]([^（）()]*)[）)](?=\s*[，,;；。]|\s*$)")
_REFERENCE_WORDS = re.compile(
    r"現況|现况|現狀|現状|基準|基准|實績|实绩|実績|過去|过去|前期|原為|目前|去年|平均|年均|累計|baseline|current|past"
    r"|average|last year",
    re.I,
)
_LABEL = re.compile(
    # not a level's tag (【総合目標】, 【綜合目標】): that names the KPI's level, not its target
    r"(?P<target>(?<![総綜总]合)(?:目標[值値]?|目标值?)(?!】)|target)\s*[:：]?"
    r"|(?P<base>現況[值値]?|现况值?|基準[值値]?|基准值?|基期值?|實績值?|実績値?|現状値?|baseline|current)\s*[:：]?",
    re.I,
)
_AVERAGE = re.compile(r"平均|年均|average", re.I)
_RANGE = re.compile(
    rf"(?P<low>{_NB}{_NUM})\s*(?:～|~|〜|–|—|-|至|到)\s*(?P<high>{_NB}{_NUM})"
    # a unit after the upper end, or (English tables) "1,300–1,400 in FY2027"
    rf"(?=\s*(?:{_UNITS}|%|million|萬|万|億|千)|\s+(?:in|by)\b|\s*$)",
    re.I,
)


# 「（現無）」, 「目前尚無」, "(none today)": the baseline is zero, stated in words.
_NONE_TODAY = re.compile(
    r"[（(][^（）()]{0,12}?(?:現無|目前無|目前尚無|現況無|尚無|現在なし|現状なし)\s*[）)]"
    r"|\((?:currently none|none today|none at present|none yet)\)|\b(?:currently|today) none\b",
    re.I,
)


# A row pasted from a plan's KPI table: 「| 街區市集辦理 | 場 | 6 | 20 | 115年 |」 (name, unit, baseline, target,
# year in the usual column order). It is read as the sentence it stands for.
_CELL_EMPTY = re.compile(r"[-－—–/／]")
_CELL_NONE = re.compile(r"現無|現況無|目前無|尚無|無|なし|none|0", re.I)
_CELL_YEAR = re.compile(
    r"(?:民國|令和|平成|FY|R|H)\s*\d{1,4}(?:[./]\d{1,2})?\s*(?:年度?|年底|年末)?|\d{2,4}\s*(?:年度?|年底|年末)"
    r"|(?:19|20)\d\d[./]\d{1,2}",
    re.I,
)


def table_row_reading(text: str) -> str | None:
    """「| 街區市集辦理 | 場 | 6 | 20 | 115年 |」 → 「街區市集辦理 目標值20場（115年），基準值6場」; None when the text
    is not a pasted table row (pipes or tabs between at least three cells)."""
    separators = text.count("|") + text.count("｜")
    cells = [c.strip() for c in re.split(r"[|｜]" if separators >= 3 else r"\t", text)]
    cells = [c for c in cells if c]
    if (separators < 3 and text.count("\t") < 2) or len(cells) < 3:
        return None
    name, rest = cells[0], cells[1:]
    if not any(ch.isalpha() for ch in name):
        return None
    # 「| 基準値 R5年度 6人 | 目標値 R8年度 30人 |」: the cells say what they are
    if any(_LABEL.match(c) for c in rest):
        return f"{name} " + "，".join(rest)
    unit = next((c for c in rest if _is_unit_cell(c)), "")
    years = [
        m
        for c in rest
        if (m := _CELL_YEAR.match(c)) and (m.end() == len(c) or c[m.end() :].lstrip()[:1] in "（(")
    ]
    year_cells = {m.string for m in years}
    values = [c for c in rest if c not in year_cells and c != unit and re.search(r"\d", c)]
    if not values:
        return None
    target, base = values[-1], values[0] if len(values) > 1 else None
    if base is None and any(_CELL_NONE.fullmatch(c) for c in rest):
        base = "0"  # 「現無」, 「なし」: a baseline of zero in words
    target, base = (f"{v}{unit}" if v and _BARE_VALUE.fullmatch(v) else v for v in (target, base))
    last = years[-1] if years else None
    year = f"（{last.group(0)}）" if last else ""
    if base:
        return f"{name} 目標值{target}{year}，基準值{base}"
    # 「R8.3（R5年度実績 1,500万円）」: a reference bracket after the year stays with the sentence
    after_year = last.string[last.end() :].strip() if last else ""
    return f"{name} {target}{year}{after_year}"


_BARE_VALUE = re.compile(r"約?[\d,.]+\s*[萬万千億]?")  # a cell's number written without its unit


def _is_unit_cell(cell: str) -> bool:
    """「場」, 「万人」, 「公噸」: a short cell with no digit that is neither a dash nor 「現無」."""
    return (
        not re.search(r"\d", cell)
        and 0 < len(cell) <= 4
        and not _CELL_EMPTY.fullmatch(cell)
        and not _CELL_NONE.fullmatch(cell)
    )


def target_text(text: str) -> str:
    """The part of a KPI that states its target: without a past-clause, a labelled or bracketed reference, or a
    baseline cell (「基準値｜目標値：約200件｜300件」), so that a hedge on the past value is not the target's."""
    text = table_row_reading(text) or text
    if (past := PAST_CLAUSE.search(text)) and past.start() > 0:
        text = text[: past.start()]
    if labelled := _labelled_parts(text):
        return labelled[0]
    if bracket := _reference_bracket(text):
        return bracket[0]
    return text


def states_decrease(text: str) -> bool:
    """Whether the KPI's own verb asks for a fall (減少15%, 降至, reduce), whatever the numbers say."""
    kinds = {m.lastgroup for m in _VERB.finditer(to_halfwidth(text))}
    return "dec" in kinds and "inc" not in kinds


def parse_kpi(text: str) -> ParsedKpi:
    """Parse one KPI as written (``_parse_layout``), a pasted table row as the sentence it stands for; a baseline
    stated in words (「現無」) is zero."""
    text = table_row_reading(text) or text
    parsed = _parse_layout(text)
    if parsed.baseline is None and _NONE_TODAY.search(text):
        return parsed.model_copy(update={"baseline": 0.0})
    return parsed


def _parse_layout(text: str) -> ParsedKpi:
    """The layout's parts (target, bracketed or labelled reference, range, ladder) first, then each part's
    items (``_parse_part``)."""
    past = PAST_CLAUSE.search(text)
    if (
        past and past.start() > 0
    ):  # 「…成長10%，113年以前每年成長約15%」: the trend is a reference, not the target
        parsed = _parse_layout(text[: past.start()])
        trend = _parse_part(past.group("past"))
        if parsed.reference_change is None and trend.relative_change is not None:
            parsed.reference_change = trend.relative_change
        return parsed
    text = _FORMULA_FACTOR.sub(lambda m: " " * len(m.group(0)), text)  # 實際數/計畫數×100%: a formula
    text = _SCALE.sub(
        lambda m: " " * len(m.group(0)), text
    )  # 「（5分量表）」, 滿分5分: the scale, not a value
    text = _ERA_SPAN.sub(r"\g<era>\g<start>\g<suffix>～\g<era>\g<end>\g<suffix>", text)
    ladder = _ladder(text)
    if ladder is not None:
        return ladder
    labelled = _labelled_parts(text)
    if labelled:
        return _combine(text, *labelled)
    bracket = _reference_bracket(text)
    if bracket:
        main, reference = bracket
        return _combine(text, main, reference)
    return _with_range(text, _parse_part(text))


# 「令和6～8年度」 is a span of years, not a range of values: written out, each end is read as a year.
_ERA_SPAN = re.compile(
    r"(?P<era>令和|平成|R|H)\s*(?P<start>\d{1,2})\s*[～~〜–-]\s*(?P<end>\d{1,2})\s*(?P<suffix>年度|年)"
)
_FORMULA_FACTOR = re.compile(r"[*×xX✕]\s*100\s*[%％]")
_SCALE = re.compile(
    r"(?:滿分|满分|總分)\s*\d+(?:\.\d+)?\s*分(?:制)?|\d+\s*分(?:量表|制|滿分)|\d+\s*段階(?:評価)?"
    r"|\bout of \d+\b|\bon an? \d+-point scale\b|\b\d+-point scale\b"
    r"|\d+\s*(?:顆)?星(?:以上|級以上)|\b\d+ stars? (?:or (?:more|above)|and above)",  # 「好評率（4星以上）」 defines
    re.I,
)
_RUNG = re.compile(r"[、，,／/;；]|→|->")
LADDER_RUNGS = (
    3  # 114年20家、115年35家、116年50家: three dated steps make a ladder (two may be baseline → target)
)


def _ladder(text: str) -> ParsedKpi | None:
    """A milestone ladder: its last step is the target and the deadline; the steps before it are not a
    baseline (no past value is stated)."""
    parts = [p for p in _RUNG.split(text) if p.strip()]
    if len(parts) < LADDER_RUNGS or "（" in text or "(" in text:
        return None
    steps = [_parse_part(p) for p in parts]
    dated = [
        (s.deadline, s.target if s.target is not None else s.baseline)
        for s in steps
        if s.deadline and (s.target is not None or s.baseline is not None)
    ]
    if len(dated) < LADDER_RUNGS or len(dated) < len(steps) - 1:
        return None
    years = [d for d, _ in dated]
    if years != sorted(years):
        return None
    out = _parse_part(text)
    out.baseline, out.baseline_year = None, None
    out.deadline, out.target = dated[-1]
    first, last = dated[0][1], dated[-1][1]
    if first is not None and last is not None:  # the steps' own direction
        out.direction = _DIRECTION_OF[(last > first) - (last < first)]
    out.unit = out.unit or next((s.unit for s in steps if s.unit), None)
    out.unparsed = []
    return out


# 「基準值｜目標值：180公噸（113年）｜260公噸（116年）」: a table's two headers pasted before its two cells.
_PAIR_SEPARATOR = r"\s*[｜|／/]\s*"
_ANY_LABEL = re.sub(r"\(\?P<\w+>", "(?:", _LABEL.pattern)  # the same words without their group names
_PAIRED_LABELS = re.compile(
    rf"(?P<first>{_ANY_LABEL}){_PAIR_SEPARATOR}(?P<second>{_ANY_LABEL})\s*[:：]?\s*"
    rf"(?P<cell1>[^｜|／/]+?){_PAIR_SEPARATOR}(?P<cell2>[^｜|／/]+?)\s*$",
    re.I,
)


def _paired_cells(text: str) -> tuple[str, str] | None:
    """「基準值｜目標值：180公噸（113年）｜260公噸（116年）」 → (measure + target cell, baseline cell)."""
    found = _PAIRED_LABELS.search(text)
    if found is None:
        return None
    first_is_target = _LABEL.match(found.group("first")).lastgroup == "target"  # type: ignore[union-attr]
    second_is_target = _LABEL.match(found.group("second")).lastgroup == "target"  # type: ignore[union-attr]
    if first_is_target == second_is_target:
        return None
    target, base = (found["cell1"], found["cell2"]) if first_is_target else (found["cell2"], found["cell1"])
    return f"{text[: found.start()].strip()} {target}".strip(), base


def _labelled_parts(text: str) -> tuple[str, str] | None:
    """「目標值115年4,800人次／基準值113年2,100人次」 → (target part, baseline part)."""
    if paired := _paired_cells(text):
        return paired
    found = list(_LABEL.finditer(text))
    kinds = {m.lastgroup for m in found}
    if kinds != {"target", "base"}:
        return None
    target_at = next(m for m in found if m.lastgroup == "target")
    base_at = next(m for m in found if m.lastgroup == "base")
    if target_at.start() < base_at.start():
        target, base = text[: base_at.start()], text[base_at.end() :]
        target = text[: target_at.start()] + target[target_at.end() :]
    else:
        base, target = text[base_at.end() : target_at.start()], text[target_at.end() :]
        target = text[: base_at.start()] + target
    return target.strip(" ，,；;／/"), base.strip(" ，,；;／/")


def _reference_bracket(text: str) -> tuple[str, str] | None:
    """A bracket that holds a past value (「（112年4家）」, 「(2023: 420)」, 「（過去三年平均每年成長8%）」);
    a bracket holding only a year (「（116年）」, 「(R8.3)」) is the deadline and stays in the main part."""
    for match in _BRACKET.finditer(text):
        inner = match.group(1) if match.group(1) is not None else match.group(2)
        # 「（115年；113年現況28間）」: a piece with no value (the deadline) belongs to the main part.
        pieces = [p for p in re.split(r"[；;，、]|,(?!\d)", inner) if p.strip()]  # not the comma in 3,219
        parsed = {piece: _parse_part(piece) for piece in pieces}  # each piece parsed once
        valued = [p for p in pieces if _has_value(parsed[p])]
        if not valued:
            continue  # 「（113-115年）」, 「（116年）」: a period or a deadline, not a reference value
        rest = " ".join(p for p in pieces if p not in valued)
        dated = [p for p in valued if parsed[p].deadline]
        if len(dated) >= 2 and len(dated) == len(
            valued
        ):  # 「（112年30校、113年40校、114年48校）」: the latest
            valued = [max(dated, key=lambda p: parsed[p].deadline or "")]
        inner = "，".join(valued)
        probe = _parse_part(inner)
        main = (text[: match.start()] + " " + rest + " " + text[match.end() :]).strip()
        if not any(it.kind != "date" for it in _Scan(main).items) and not _VAGUE_TARGET.search(main):
            continue  # 「完成修繕（12處）」: the bracket holds the target itself
        if probe.deadline or probe.baseline_year or _REFERENCE_WORDS.search(inner):
            return main, inner
    return None


def _has_value(parsed: ParsedKpi) -> bool:
    return (
        parsed.target is not None
        or parsed.baseline is not None
        or parsed.relative_change is not None
        or parsed.change is not None
    )


_VAGUE_TARGET = re.compile(r"提升|提高|增加|成長|減少|降低|increase|reduce", re.I)


def _combine(text: str, main_text: str, reference_text: str) -> ParsedKpi:
    """The target part's target and deadline with the reference part's value and year as the baseline."""
    main = _with_range(main_text, _parse_part(main_text))
    ref = _parse_part(reference_text)
    ref_value = ref.baseline if ref.baseline is not None else ref.target
    if ref_value is None and ref.change is not None and main.change is not None:
        # "+30 by FY2026 (FY2024: +12)": both signed, so both are levels of a score, not changes
        ref_value, main.target, main.change = ref.change, main.change, None
    ref_year = ref.baseline_year or ref.deadline
    main_years = main.baseline_year and main.target is not None and main.baseline is not None
    if main_years or (main.baseline is not None and main.target is not None):
        # 「115年25戶、116年35戶（113年12戶）」: the main part is a ladder; its last step is the target.
        main.baseline, main.baseline_year = None, None
    out = main.model_copy()
    out.name = main.name or _parse_part(text).name
    if (ref.relative_change is not None and _AVERAGE.search(reference_text)) or (
        ref.relative_change is not None and out.relative_change is not None
    ):
        out.reference_change = ref.relative_change  # 「每年成長5%（過去平均每年成長8%）」: a past trend
    elif ref_value is not None and (ref.unit == out.unit or not ref.unit or not out.unit):
        out.baseline = ref_value
        out.baseline_year = ref_year[:4] if ref_year else out.baseline_year
        out.unit = out.unit or ref.unit
        out.unparsed = [u for u in out.unparsed if u not in reference_text]
    else:  # 「減少率30%（以113年40間為基準）」: the units differ, but the year still dates the baseline
        out.baseline_year = ref_year[:4] if ref_year else out.baseline_year
        out.unparsed = [*out.unparsed, reference_text.strip()]
    if out.deadline and out.baseline_year and out.deadline[:4] <= out.baseline_year:
        out.deadline = None  # the only year was the baseline's
    if out.relative_change is not None and out.baseline is not None and out.target is None:
        out.target = float(
            f"{out.baseline * (1 + out.relative_change):.15g}"
        )  # 前年比20%増（令和7年度 800万円）
    if out.change is not None and out.baseline is not None and out.target is None:
        out.target, out.change = float(f"{out.baseline + out.change:.15g}"), None  # 增加500人（113年1,200人）
    rises = out.baseline is not None and out.target is not None and out.target > out.baseline
    # 「維持1萬人以上（114年 9,623人）」: a level kept above a lower past value is a rise; 「維持95%以上（113年
    # 96.2%）」 stays a floor kept
    if (out.direction is None or (out.direction == "maintain" and rises)) and (
        out.baseline is not None and out.target is not None
    ):
        out.direction = _DIRECTION_OF[(out.target > out.baseline) - (out.target < out.baseline)]
    return out


_YEAR_LIKE = re.compile(r"(?:19|20)\d\d|1[0-3]\d|[89]\d")


def _overlaps(fragment: str, matched: str) -> bool:
    return matched in fragment or fragment in matched


def _with_range(text: str, parsed: ParsedKpi) -> ParsedKpi:
    """「10～12萬元」, "NT$6-8 million": the range's lower end is the target, its upper end `target_high`."""
    norm = to_halfwidth(text)
    match = _RANGE.search(norm)
    if not match:
        return parsed
    # 「每年辦理20至25梯次」: 至 between two amounts with no 由/從/from before them is a range, not a change.
    read_as_change = (
        parsed.target is not None and parsed.baseline is not None and parsed.target != parsed.baseline
    )
    if read_as_change and _FROM_END.search(norm[: match.start()].rstrip()) is None and "至" in match.group(0):
        read_as_change = False
        parsed = parsed.model_copy(update={"baseline": None, "direction": None})
    if read_as_change:
        return parsed
    if not (parsed.deadline or parsed.direction or parsed.per or parsed.baseline is not None):
        return parsed  # 「空店舖數40-50間」 with nothing marking a target: a state or a goal? left unparsed
    tail = text[match.end("high") :]
    high_text = match.group("high")
    magnitude = high_text[
        len(high_text.rstrip("萬万億亿千")) :
    ]  # 「2,200～2,500萬元」: 萬 applies to both ends
    low = _parse_part(
        f"{match.group('low')}{'' if match.group('low').endswith(magnitude) else magnitude}{tail}"
    )
    high = _parse_part(f"{match.group('high')}{tail}")
    value_low = low.target if low.target is not None else low.baseline
    value_high = high.target if high.target is not None else high.baseline
    if value_low is None or value_high is None or value_low >= value_high:
        return parsed
    if not (low.unit or high.unit) and all(_YEAR_LIKE.fullmatch(match.group(g)) for g in ("low", "high")):
        return parsed  # 2025–2027, 113-115: a span of years
    out = parsed.model_copy()
    out.target, out.target_high = value_low, value_high
    out.unit = out.unit or low.unit
    if parsed.baseline in (value_low, value_high):
        out.baseline = None
    out.unparsed = [u for u in out.unparsed if not _overlaps(to_halfwidth(u), match.group(0))]
    return out
