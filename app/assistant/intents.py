"""What a question asks for, recognised without an LLM: its intent and the facets it names.

Intents (issue 9): `find_cases` (「有哪些觀光振興的案例」, 「台灣有類似的嗎」), `kpi_advice` (「青年返鄉創業 KPI 怎麼訂」),
`concept` (「什麼是政策間連携」, 「六大驅動要素是什麼」), `process` (PDCA, external verification, applying),
`programme` (Taiwan's programme and its years) and `other` (a case's facts, a KPI judged, anything else).
Facets — country, categories, contexts, driving factors, the kind of project — are found through the glossary's
aliases (app/i18n/glossary.yaml), so naming a topic in English or Japanese works as in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from app.assistant.conversation import country_of
from app.i18n.glossary import AnswerLang, answer_lang, glossary

Intent = Literal["find_cases", "kpi_advice", "concept", "process", "programme", "other"]

_CASE_WORDS = re.compile(
    r"案例|例子|實例|事例|範例|先例|ケース|\bcases\b|\bexamples?\b|\bprojects\b|\btowns\b|\bvillages\b", re.I
)
# Asking for several (a list), or for ones like the earlier: 「有哪些」, 「可以參考」, 「還有嗎」, "any", "which".
_LIST_WORDS = re.compile(
    r"哪些|有沒有|有無|有嗎|有什麼|可以參考|參考|推薦|列出|舉幾個|幾個|類似|相似|其他|還有|其中|呢"
    r"|ありますか|ありません|教えて|知りたい|ほかに|他に|似たよう|は[？?]|どんな"
    r"|\bany\b|\bwhich\b|\bshow me\b|\blist\b|\bwhat (?:are|were)\b|\bsimilar\b|\bmore\b|\bonly\b|\bother\b",
    re.I,
)
_KPI = re.compile(r"kpi|ＫＰＩ|指標|目標值|績效|成果指標|評価指標", re.I)
_HOW = re.compile(
    r"怎麼|如何|怎樣|要怎|該怎|設定|訂|設計|規劃|寫|建議|どう|どのように|設定すべき|決め|"
    r"\bhow\b|\bwhat kpis\b|\bwhich kpis\b|\bsuggest|\bset\b|\bdesign",
    re.I,
)
_DEFINE = re.compile(
    r"是什麼|是甚麼|什麼是|甚麼是|什麼意思|意思|定義|指什麼|是指|差在哪|差別|區別|不同|有哪幾|有哪些要素|包括哪些"
    r"|とは|って何|とは何|何ですか|意味|違い"
    r"|\bwhat (?:is|are|does|do)\b|\bmeaning\b|\bmean\b|\bdefine\b|\bdifference\b|\bexplain\b",
    re.I,
)
_ALL_FACTORS = re.compile(
    r"六大|六個|6個|六項|6項|六つ|6つ|驅動要素|驅動因素|先驅性要素|先驅要素|先駆性|six (?:driving )?factors|driving factors",
    re.I,
)
_LEVELS = re.compile(
    r"三個層次|三層|3層|三つの階層|層次|three levels|kpi levels|outcome.{0,12}output|output.{0,12}outcome"
    r"|成果.{0,6}產出|產出.{0,6}成果|アウトカム.{0,8}アウトプット",
    re.I,
)
# How something is done, step by step; 「由誰檢證」 asks who, not how, and is answered from the passages.
_PROCESS = re.compile(
    r"pdca|流程|步驟|程序|怎麼申請|如何申請|申請流程|手順|手続|申請方法|\bsteps?\b|\bprocess\b|\bhow to apply\b"
    r"|\bapply for\b|\bwalk me through\b",
    re.I,
)
_WHEN = re.compile(r"什麼時候|何時|哪一年|幾年|哪年|いつ|何年|\bwhen\b|\bwhat year\b", re.I)
# A set of named things asked for whole: 「政策5原則是什麼」, "the three viewpoints".
_A_SET = re.compile(r"[二三四五六七八九兩2-9]\s*(?:個|項|大|原則|つ|種)|\b(?:three|four|five|six)\b", re.I)
_PROGRAMME = re.compile(
    r"國發會|国発会|地方創生\s*[23]\.0|[23]\.0|國家戰略|国家戦略|元年|青培站|青年培力|五支箭|tesas|優先推動|"
    r"national development council|\bndc\b|programme|program\b|national strategy|youth (?:empowerment )?stations?",
    re.I,
)
_TAIWAN_POLICY = re.compile(
    r"台灣|臺灣|台湾|taiwan|國發會|国発会|青培站|青年培力|五支箭|tesas|行政院|國家戰略|國家|地方創生\s*[23]\.0",
    re.I,
)


@dataclass(frozen=True)
class Understanding:
    """A question's intent, the language to answer in, and the facets it names."""

    intent: Intent
    lang: AnswerLang
    country: str | None = None
    categories: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    factors: tuple[str, ...] = ()
    project_kind: str | None = None
    all_factors: bool = False  # the six driving factors, all of them
    levels: bool = False  # the three KPI levels
    a_set: bool = False  # a set of named things asked for whole (「政策5原則」)


def understand(question: str, topic: str | None = None) -> Understanding:
    """`question` is what the user typed; `topic` is the search query when a follow-up carried the earlier
    topic over (「台灣呢？」 after 「有哪些觀光振興的案例」): facets are read from both, the intent from both."""
    words = f"{topic} {question}" if topic and topic != question else question
    terms = glossary()
    kinds = terms.named("project_kinds", words)
    facets = Understanding(
        intent="other",
        lang=answer_lang(question),
        country=country_of(question) or country_of(words),
        categories=tuple(terms.named("categories", words)),
        contexts=tuple(terms.named("contexts", words)),
        factors=tuple(terms.named("factors", words)),
    )
    if _KPI.search(words) and _HOW.search(question) and not _DEFINE.search(question):
        return replace(facets, intent="kpi_advice", project_kind=kinds[0] if kinds else None)
    if _LEVELS.search(question) and _KPI.search(question) and not _KPI_JUDGED.search(question):
        return replace(facets, intent="concept", levels=True)
    # A follow-up (「What about Taiwan?」) keeps the earlier question's request for a list.
    asks_for_list = _LIST_WORDS.search(question) or _CASE_WORDS.search(question if topic is None else words)
    if _CASE_WORDS.search(words) and asks_for_list and not _SINGULAR.search(question):
        return replace(facets, intent="find_cases")
    if _DEFINE.search(question) or _ALL_FACTORS.search(question):
        if _ALL_FACTORS.search(question) and not facets.factors:
            return replace(facets, intent="concept", all_factors=True)
        if _LEVELS.search(question) and not _KPI_JUDGED.search(question):
            return replace(facets, intent="concept", levels=True)
        if facets.factors:
            return replace(facets, intent="concept")
    if _PROGRAMME.search(question) and _TAIWAN_POLICY.search(words) and not _WHEN.search(question):
        return replace(facets, intent="programme")  # 「何時開始」 is one fact: answered from the passages
    if _PROCESS.search(question):
        return replace(facets, intent="process")
    if _DEFINE.search(question):
        return replace(facets, intent="concept", a_set=bool(_A_SET.search(question)))
    return replace(facets, intent="other")


# 「這個案例」, "the Aso grassland case", 「その事例」: one case, asked about; not a request for a list.
_SINGULAR = re.compile(
    r"這個案例|該案例|此案例|那個案例|その事例|この事例|\bthe [\w\s-]{1,40} case\b|\bthis case\b", re.I
)
# 「參加人數算 outcome 還是 output」: a KPI judged, not the levels explained.
_KPI_JUDGED = re.compile(r"算|還是|可以嗎|可不可以|好不好|\bis (?:the|a|our)\b|\bcount as\b", re.I)
