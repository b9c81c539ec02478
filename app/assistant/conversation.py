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
from functools import cache

from app.assistant.schemas import AskRequest, Turn
from app.i18n.glossary import glossary
from app.knowledge.schemas import SearchFilters

_POINTERS = re.compile(
    r"那麼|那些|那個|那(?=[^\s霸須])|這些|這個|這類|這[兩二三四五幾]個|兩者|兩個都|它們|它|他們|其中|上述|前面|該案|此案|類似|相似|同樣|還有|另外|反過來|相反"
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
    r"有沒有|有哪些|有什麼|是什麼|什麼|怎麼|如何|哪些|哪裡|案例|例子|事例|例|ケース|有嗎|嗎|呢|的|是|也|有|在|嘛|啊|吧|呀"
    # asking for advice on what was just discussed (「那應該怎麼改比較好？」) names no topic either
    r"|應該|応該|比較好|改善|改進|怎麼改|改成|建議|可以|要不要|會不會|べき|いい|良い"
    r"|ありますか|ありません|ですか|ますか|教えて(?:ください)?|について|でしょうか|どう|は|の|も|に|で|を|が|か"
    r"|\b(?:are|is|there|any|case|cases|example|examples|do|does|you|have|in|the|a|an|of|for|and|about|what|how|"
    r"which|please|tell|me|show|should|we|it|better|improve|fix|change|could|can|would)\b",
    re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"[\s、，,。.？?！!：:；;「」『』（）()…~～]+")
# A follow-up with more than this of its own (「其中自立性有哪些案例」) is judged on its own words; one with less
# (「它的KPI呢」, 「台灣呢」) only narrows the earlier topic and is judged with it.
_OWN_TOPIC_CHARS = 2
MAX_CARRIED = 2  # earlier questions a follow-up carries: its anchor, and the follow-up before it
_ASKS_FOR_CASES = re.compile(
    r"案例|例子|事例|例|ケース|類似|相似|似たよう|\bcases?\b|\bexamples?\b|\bsimilar\b", re.I
)
# Words that open a turn without asking anything: 「另外問一下，」, 「好，換個問題：」, 「ちなみに」, "By the way,".
_OPENERS = re.compile(
    r"^(?:(?:好|嗯|喔|哦|ok|okay|thanks|謝謝)[，,。！!\s]*)?"
    r"(?:另外(?:想)?問(?:一下)?|換個問題|換個話題|順便問(?:一下)?|再問(?:一下)?|想再問|我想問|想問(?:一下)?|請問(?:一下)?"
    r"|ちなみに|ところで|別の質問ですが|by the way|another question|one more question|also"
    r"|(?:a )?(?:separate|different|new|unrelated) question|unrelated|話は変わりますが)?[，,：:、。\s]*",
    re.I,
)
# Openers that say the question starts afresh: nothing of the conversation carries over, no case stays in focus.
_FRESH_START = re.compile(
    r"^[^\w]*(?:(?:好|嗯|ok|okay)[，,。！!\s]*)?(?:換個問題|換個話題|另外(?:想)?問|別の質問ですが|話は変わりますが"
    r"|(?:a )?(?:separate|different|new|unrelated) question|unrelated|another question)",
    re.I,
)


def starts_fresh(question: str) -> bool:
    """「換個問題：…」, "Separate question: …": the question says it is not a follow-up."""
    return _FRESH_START.search(question) is not None


@dataclass(frozen=True)
class QueryPlan:
    """What to retrieve for a question, and which words decide whether the corpus supports an answer."""

    query: str  # what retrieval searches
    judged_on: str  # the question's own words when it has a topic of its own; else the query
    filters: SearchFilters | None = None
    follow_up: bool = False


# English words that carry no topic (「How should they fix it?」 has one topic word: fix).
_EN_AUXILIARIES = frozenset(
    "should would could can will may might they we our us i my did was were be been has had get got so then "
    "now really actually just also".split()
)
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'-]*")
LATIN_WORD_SIZE = 2  # one English topic word weighs as much as two Chinese characters


def topic_size(question: str) -> int:
    """How much topic a question has of its own: Chinese/Japanese characters of its residual, plus two for
    each English word that is not an auxiliary."""
    own = _own_part(question)
    words = [w for w in _LATIN_RUN.findall(own) if w.lower() not in _EN_AUXILIARIES]
    return len(_LATIN_RUN.sub("", _PUNCTUATION.sub("", own))) + LATIN_WORD_SIZE * len(words)


def residual(question: str) -> str:
    """The question's own topic: without pointers, country names, question words and punctuation."""
    return _PUNCTUATION.sub("", _own_part(question))


def _own_part(question: str) -> str:
    """The question without pointers, country names and question words (its punctuation and spaces kept)."""
    text = _POINTERS.sub(" ", question)
    for pattern in _COUNTRIES.values():
        text = pattern.sub(" ", text)
    return _QUESTION_WORDS.sub(" ", text)


# Pointing at one thing named earlier (「那個招商經理」, 「它的KPI」, "the Yuli one", 「その事例」), not just moving on (「那…」).
_REFERS = re.compile(
    r"那個|這個|那位|這位|該|它|他們|她們|他|她|其中|那裡|當地|その|それ|そこ|彼ら|この"
    r"|のほう|の方|のやつ|\b(?:it|its|they|them|their|there|that one|this one|the (?:[\w-]+\s){0,4}?one)\b",
    re.IGNORECASE,
)


# Words that only ask for a kind of answer (when, how much): not what the question is about.
_ASKING = re.compile(
    r"什麼時候|何時|多少錢|多少|幾|哪|怎麼|如何|為什麼|嗎|呢|いつ|いくら|どの|どう|なぜ|ですか|ましたか"
    r"|案子|花了|花費|是誰|誰|請問|一下|詳細|介紹|說明|更多|目前|現在"
)
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}|[\u30a1-\u30fa\u30fc]{2,}")
_LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{2,}(?![A-Za-z])")


def own_words(question: str) -> list[str]:
    """The runs of Chinese characters (and Latin words) a question is about, without pointers and asking
    words: 「那個招商經理一個月領多少？」 → [招商經理一個月領]; 「那它有訂KPI嗎？」 → [有訂, kpi]."""
    text = _QUESTION_WORDS.sub(" ", _ASKING.sub(" ", _POINTERS.sub(" ", question)))
    return _CJK_RUN.findall(text) + [w.lower() for w in _LATIN_WORD.findall(text)]


def refers_back(question: str) -> bool:
    return bool(_REFERS.search(question))


# A listed case picked by its place in the list: 「第二個」, 「最後一個」, "the first one", 「2番目」, 「最初の」.
_ORDINALS = {"一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_ENGLISH_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_ORDINAL = re.compile(
    r"第\s*([一二三四五1-5])\s*(?:個|案|項|則|家|つ|番)|([1-5])\s*番目|(最初|最後)(?:の|一個|一案|那個)"
    r"|\bthe (first|second|third|fourth|fifth|last)(?: (?:one|case|project|example))?\b(?! (?:time|step|year|phase|stage))",
    re.I,
)


def ordinal_pick(question: str) -> int | None:
    """The place in a list a question picks (1 for the first, -1 for the last), or None."""
    found = _ORDINAL.search(question)
    if not found:
        return None
    digit, number, edge, english = found.groups()
    if digit:
        return _ORDINALS[digit]
    if number:
        return int(number)
    if edge:
        return 1 if edge == "最初" else -1
    return _ENGLISH_ORDINALS[english.lower()]


def without_ordinal(question: str) -> str:
    """The question less the words that pick a listed case by its place (「第二個」, "the last one")."""
    return _ORDINAL.sub(" ", question)


def points_back(question: str) -> bool:
    return bool(_POINTERS.search(question)) or not residual(question)


def country_of(question: str) -> str | None:
    found = [code for code, pattern in _COUNTRIES.items() if pattern.search(question)]
    return found[0] if len(found) == 1 else None


@cache
def _refusals() -> frozenset[str]:
    return frozenset(glossary().frame(lang, "refusal") for lang in glossary().frames)


def _declined(turn: Turn | None) -> bool:
    return turn is not None and turn.role == "assistant" and turn.content.strip() in _refusals()


def answered_questions(request: AskRequest) -> list[str]:
    """The earlier user questions, less those the assistant declined: a declined question (「從機場開車要多久」)
    is no topic to carry into 「那台灣有類似的嗎」."""
    turns = request.history
    return [
        turn.content
        for position, turn in enumerate(turns)
        if turn.role == "user" and not _declined(turns[position + 1] if position + 1 < len(turns) else None)
    ]


def last_exchange(request: AskRequest) -> tuple[Turn | None, str]:
    """The latest answer that was not a refusal, and the question it answered: what a follow-up points into."""
    turns = request.history
    for position in range(len(turns) - 1, -1, -1):
        turn = turns[position]
        if turn.role == "assistant" and not _declined(turn):
            asked = next((t.content for t in reversed(turns[:position]) if t.role == "user"), "")
            return turn, asked
    return None, ""


def without_openers(question: str) -> str:
    """The question without the words that only open a turn (「另外問一下，」, 「換個問題：」, "By the way,")."""
    return _OPENERS.sub("", question).strip() or question


def _follows_up(question: str) -> bool:
    """Points back, or asks nothing but what one asks of a case (「誰在主導？是町公所嗎？」): it leaned on the
    question before it."""
    return points_back(question) or not residual(glossary().without_case_facets(question))


def switches_country(question: str) -> str | None:
    """The country a bare switch asks for (「那日本呢」, 「日本だと？」, "Any Japanese ones like that?"): a country and
    no topic of its own."""
    country = country_of(question)
    return country if country and topic_size(without_openers(question)) <= _OWN_TOPIC_CHARS else None


def plan_query(request: AskRequest) -> QueryPlan:
    """The query for `request.question` given the conversation so far (user turns only)."""
    question = without_openers(request.question)
    earlier = answered_questions(request)
    asks_more = topic_size(question) <= _OWN_TOPIC_CHARS and bool(_ASKS_FOR_CASES.search(question))
    if (
        not earlier or starts_fresh(request.question) or not (points_back(question) or asks_more)
    ):  # 「悪い例はありますか？」 asks more of the same
        return QueryPlan(query=question, judged_on=question)
    # The anchor is the latest earlier question with a topic of its own (「台灣呢？」 has none). When that one was
    # itself a follow-up (「那3.0呢？」), the question it followed comes too: 「這兩個計畫的經費」 needs both.
    carried: list[str] = []
    for earlier_question in reversed(earlier):
        if residual(earlier_question):
            carried.append(earlier_question)
        if len(carried) == MAX_CARRIED or (carried and not _follows_up(earlier_question)):
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
        judged_on=question if topic_size(question) > _OWN_TOPIC_CHARS else query,
        filters=filters,
        follow_up=True,
    )
