"""Conversation state without an LLM: whether a question follows up on the conversation, and what it carries.

A question is a follow-up when it points back (那、這些、其中、類似的、還有嗎、台灣呢、それ、what about …) or has no
topic of its own once its pointers, country and question words are taken away (「Taiwan?」). Only then is the
earlier topic carried over: the anchor is the latest earlier question with a topic of its own (with the
question it followed when it was itself a follow-up), and its words join the follow-up's own; a country the
follow-up names becomes a filter (「那台灣有類似的嗎？」 = the anchor's topic, in Taiwan). A self-contained
question starts afresh, and a follow-up with words of its own is judged on those words alone, so an off-topic
question is never rescued by the history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.assistant.schemas import AskRequest
from app.knowledge.schemas import SearchFilters

_POINTERS = re.compile(
    r"那麼|那些|那個|那(?=[^\s霸須])|這些|這個|這類|這[兩二三四五幾]個|兩者|兩個都|它們|它|他們|其中|上述|前面|該案|此案|類似|相似|同樣|還有|另外"
    r"|呢\s*[？?]?\s*$"
    r"|それ|その|これら|この|両方|ほかに|他に|似たよう|同じよう|同様"
    r"|\bwhat about\b|\bhow about\b|\bthose\b|\bthese\b|\bit\b|\bits\b|\bthey\b|\bthem\b|\bsimilar\b"
    r"|\bothers?\b|\banything else\b|\bany more\b|\bthat one\b|\bboth\b",
    re.IGNORECASE,
)
_COUNTRIES = {
    "TW": re.compile(r"台灣|臺灣|台湾|\btaiwan(?:ese)?\b", re.IGNORECASE),
    "JP": re.compile(r"日本|\bjapan(?:ese)?\b", re.IGNORECASE),
}
# Words that ask without naming a topic: what is left after removing them and the pointers is the topic.
_QUESTION_WORDS = re.compile(
    r"有沒有|有哪些|有什麼|是什麼|什麼|怎麼|如何|哪些|哪裡|案例|例子|事例|ケース|有嗎|嗎|呢|的|是|也|有|在|嘛|啊|吧|呀"
    r"|ありますか|ありません|ですか|ますか|教えて(?:ください)?|について|でしょうか|どう|は|の|も|に|で|を|が|か"
    r"|\b(?:are|is|there|any|case|cases|example|examples|do|does|you|have|in|the|a|an|of|for|and|about|what|how|"
    r"which|please|tell|me|show)\b",
    re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"[\s、，,。.？?！!：:；;「」『』（）()…~～]+")
# A follow-up with more than this of its own (「其中自立性有哪些案例」) is judged on its own words; one with less
# (「它的KPI呢」, 「台灣呢」) only narrows the earlier topic and is judged with it.
_OWN_TOPIC_CHARS = 2
MAX_CARRIED = 2  # earlier questions a follow-up carries: its anchor, and the follow-up before it
_ASKS_FOR_CASES = re.compile(
    r"案例|例子|事例|ケース|類似|相似|似たよう|\bcases?\b|\bexamples?\b|\bsimilar\b", re.I
)


@dataclass(frozen=True)
class QueryPlan:
    """What to retrieve for a question, and which words decide whether the corpus supports an answer."""

    query: str  # what retrieval searches
    judged_on: str  # the question's own words when it has a topic of its own; else the query
    filters: SearchFilters | None = None
    follow_up: bool = False


def residual(question: str) -> str:
    """The question's own topic: without pointers, country names, question words and punctuation."""
    text = _POINTERS.sub(" ", question)
    for pattern in _COUNTRIES.values():
        text = pattern.sub(" ", text)
    return _PUNCTUATION.sub("", _QUESTION_WORDS.sub(" ", text))


# Pointing at one thing named earlier (「那個招商經理」, 「它的KPI」, "the Yuli one", 「その事例」), not just moving on (「那…」).
_REFERS = re.compile(
    r"那個|這個|那位|這位|該|它|他們|她們|其中|那裡|當地|その|それ|そこ|彼ら|この"
    r"|\b(?:it|its|they|them|their|there|that one|this one|the \w+ one)\b",
    re.IGNORECASE,
)


# Words that only ask for a kind of answer (when, how much): not what the question is about.
_ASKING = re.compile(
    r"什麼時候|何時|多少|幾|哪|怎麼|如何|為什麼|嗎|呢|いつ|いくら|どの|どう|なぜ|ですか|ましたか"
)
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}(?![A-Za-z])")


def own_words(question: str) -> list[str]:
    """The runs of Chinese characters (and Latin words) a question is about, without pointers and asking
    words: 「那個招商經理一個月領多少？」 → [招商經理一個月領]; 「那它有訂KPI嗎？」 → [有訂, kpi]."""
    text = _QUESTION_WORDS.sub(" ", _ASKING.sub(" ", _POINTERS.sub(" ", question)))
    return _CJK_RUN.findall(text) + [w.lower() for w in _LATIN_WORD.findall(text)]


def refers_back(question: str) -> bool:
    return bool(_REFERS.search(question))


def points_back(question: str) -> bool:
    return bool(_POINTERS.search(question)) or not residual(question)


def country_of(question: str) -> str | None:
    found = [code for code, pattern in _COUNTRIES.items() if pattern.search(question)]
    return found[0] if len(found) == 1 else None


def plan_query(request: AskRequest) -> QueryPlan:
    """The query for `request.question` given the conversation so far (user turns only)."""
    question = request.question
    earlier = [turn.content for turn in request.history if turn.role == "user"]
    if not earlier or not points_back(question):
        return QueryPlan(query=question, judged_on=question)
    # The anchor is the latest earlier question with a topic of its own (「台灣呢？」 has none). When that one was
    # itself a follow-up (「那3.0呢？」), the question it followed comes too: 「這兩個計畫的經費」 needs both.
    carried: list[str] = []
    for earlier_question in reversed(earlier):
        if residual(earlier_question):
            carried.append(earlier_question)
        if len(carried) == MAX_CARRIED or (carried and not points_back(earlier_question)):
            break
    if not carried:
        return QueryPlan(query=question, judged_on=question)
    query = " ".join([*reversed(carried), question])
    country = country_of(question)
    filters = None
    if country:  # 「那台灣有類似的嗎？」: the same topic, in Taiwan; cases when cases were asked for
        kind = "case" if _ASKS_FOR_CASES.search(query) else None
        filters = SearchFilters.model_validate({"country": country, "kind": kind})
    return QueryPlan(
        query=query,
        judged_on=question if len(residual(question)) > _OWN_TOPIC_CHARS else query,
        filters=filters,
        follow_up=True,
    )
