"""The answering service behind /api/ask, /api/chat, `sosei ask` and the chat page.

Retrieve (hybrid) → decide whether the knowledge base supports an answer → answer:
- without an LLM (default), extractively: the most relevant sentences of the top passages, each followed by
  its citation number;
- with an LLM, generated from the retrieved passages only; citation numbers are validated, and any LLM
  failure falls back to the extractive answer with a visible notice.
Passages are data, never instructions: they reach an LLM only inside a delimited data block.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from app.assistant.cleaning import DOC_REF as _DOC_REF
from app.assistant.cleaning import SEE_REF as _SEE_REF
from app.assistant.cleaning import STILL_ID as _STILL_ID
from app.assistant.compose import AnswerComposer, Composed
from app.assistant.conversation import (
    QueryPlan,
    last_exchange,
    ordinal_pick,
    own_words,
    plan_query,
    points_back,
    refers_back,
    residual,
    starts_fresh,
    switches_country,
    without_ordinal,
)
from app.assistant.guard import MARKUP, DegenerateOutput, guarded
from app.assistant.intents import (
    Understanding,
    asks_for_several,
    asks_live_information,
    asks_the_domain,
    understand,
)
from app.assistant.schemas import AskRequest, AskResponse, Citation
from app.assistant.support import is_supported
from app.cases.names import CaseNames
from app.i18n import catalog
from app.i18n.glossary import HAN, answer_lang, glossary
from app.knowledge.chunking import split_sentences
from app.knowledge.corpus import Corpus
from app.knowledge.lexical import tokenize
from app.knowledge.schemas import SearchFilters, SearchHit
from app.knowledge.service import KnowledgeBase
from app.llm import load_prompt

PASSAGES = 6  # retrieved for an answer
ANSWER_PASSAGES = 4  # the ones sentences are drawn from
MAX_SENTENCES = 4
PREFERRED_BONUS = 1.5  # a named concept's own guideline outweighs the 1.5 table-row penalty
MAX_ANSWER_CHARS = 320
ASKED_FOR_BONUS = 2.0  # the sentence holding the asked-for year or figure leads
# What a one-fact question wants to see in a sentence: a year, or a figure with its unit.
_ASKED_FOR = {
    "when": re.compile(r"(?:19|20)\d\d|民國\s*\d+|\d+\s*年|令和|平成"),
    "origin": re.compile(r"(?:19|20)\d\d\s*年|民國\s*\d+|令和|平成|昭和"),
    "amount": re.compile(r"\d[\d,.]*\s*(?:萬|億|千|元|円|日圓|%|人|件|家|站|個|名)"),
    # Who leads: a sentence saying who formed, leads or runs it, not one that merely names a body.
    "who": re.compile(
        r"主導|主辦|發起|共組|組成|負責|由[^，。]{1,30}(?:經營|營運|推動|執行)|が運営|主体|\bled by\b"
    ),
    "fix": re.compile(r"改用|改為|應改|宜改|建議|應以|宜以|可追溯|\binstead\b"),  # what to do instead
}
# A table row whose label is the asked-for fact (「期間：2021–2025年」 for 「什麼時候開始」) answers it outright.
_ASKED_LABEL = {
    "when": re.compile(
        r"^(?:期間|期程|核定|時間|年份|年度|開始|啟動|上路|實施|施行|期限|計畫期間|Period)[:：]"
    ),
    "origin": re.compile(r"^(?:緣起|起源|由來|開始|成立|背景)[:：]"),
    "who": re.compile(r"^(?:主導|主辦|主責|執行|推動|經營|營運|負責)(?:單位|者|主體)?[:：]"),
    "amount": re.compile(r"^(?:經費|預算|補助|金額|總經費|事業費|交付金|規模|Budget)[^:：]{0,6}[:：]"),
}
# The section that answers how a case did it: every case file says what was done, and by whom, under this heading.
_ASKED_SECTION = {
    "how": re.compile(r"做了什麼|由誰推動"),
    # what to do instead: a case's lesson, a rule's review points and rewrites
    "fix": re.compile(r"啟示|審查要點|改寫|怎麼改"),
}
_NEVER = re.compile(r"(?!)")


def _holds(fact: str, sentence: str, hit: SearchHit) -> bool:
    """Whether `sentence` of `hit` holds the fact asked for: by its words (a year, a figure, who leads, what to do
    instead), or by the section it is in (how a case did it, its lesson)."""
    in_section = _ASKED_SECTION.get(fact, _NEVER).search(str(hit.metadata.get("heading", "")))
    return bool(in_section or _ASKED_FOR.get(fact, _NEVER).search(sentence))


SENTENCE_CACHE = 4000  # chunks whose sentence vectors are kept
MIN_ASKED_BIGRAMS = 1
# Asking for one case's KPIs, not how to set KPIs: 「它的KPI呢」, 「益子燒的KPI有哪些」, "What were its KPIs?"
_KPI_OF_A_CASE = re.compile(r"kpi|ＫＰＩ|績效指標|成果指標|指標は|評価指標", re.I)
# A follow-up asking past the cases shown (「其他的呢」, "which others"), not about one of them.
_OTHER_CASES = re.compile(
    r"其他|類似|相似|哪些|還有|幾個|這兩|那兩|兩案|兩者|這些|那些|ほかに|他に|似た|別の|両方"
    r"|\b(?:similar|other|others|another|which|list|any|both|these|those)\b",
    re.I,
)
# A question about the whole country or programme, not the case in focus (「那全日本的KPI達成率」).
_BEYOND_A_CASE = re.compile(
    r"全日本|全國|全国|全台|全臺|一般來說|平均|\b(?:nationwide|national|overall|in general)\b"
    # a shopper's, a fan's or an account holder's question, not a practitioner's: the model judges it alone
    r"|最便宜|哪裡買|網購|幾歲|結婚|月費|密碼|パスワード|ログイン|股票|股價|株価|\b(?:cheapest|password|login|married|stocks?|shares)\b",
    re.I,
)
# Asking about a case as a whole: 「介紹一下池上的案例」, "Tell me about Taomi eco village", 「神山町について教えて」.
_ABOUT_ITSELF = re.compile(
    r"^(?:請)?(?:介紹|說說|講講)(?:一下)?|^tell me (?:more )?about\b|^describe\b|について(?:教えて|知りたい)"
    # or more of the case in focus: 「其中宜蘭那個詳細一點」, 「多說一點」, 「もっと詳しく」, "tell me more"
    r"|詳細一點|詳細說明|詳細介紹|說詳細|講詳細|多說一點|多講一點|詳しく|\btell me more\b|\bmore details?\b",
    re.I,
)
# Singling out one listed case by what it is: 「那個種櫻桃的」, 「高校生がカフェをやっているのは」, "the one with …".
_PICKS_ONE = re.compile(
    r"那個|這個|那一?案|哪一案|哪個|哪一個|的那|のは|のほう|の方|のやつ|どれ|どこ"
    r"|\bthe (?:[\w-]+\s){0,8}?one\b|\bwhich\b",
    re.I,
)
PICK_MARGIN = 0.02  # cosine lead of the nearest listed case over the next (set on the learn dialogues)
PICK_TEXT_CHARS = 300  # a case is compared by its title, place and opening: what it did
CASE_COVERAGE = 0.4  # share of the question's own bigrams that the named case's text must hold
ENGLISH_OTHER_WORDS = 2  # words besides a case question's own that a pronoun follow-up may carry
JAPANESE_OTHER_CHARS = 3  # kanji or katakana besides a case question's own (a place: 卓渓)
MAX_CONDENSED_CHARS = 300  # a standalone question is short; a longer rewrite is the model rambling
_LIST_LINE = re.compile(r"\s*(?:[-*+]|\d{1,2}[.)、])\s")  # a bulleted or numbered line of an answer
_CITATION = re.compile(r"\[(\d{1,2})\]")
_MARKDOWN_LEAD = re.compile(r"^(?:[-*+]\s+|\d{1,2}[.)、．](?!\d)\s*|>\s*)")


@dataclass
class Draft:
    """An answer before it is wrapped in the response model."""

    text: str
    citations: list[Citation]
    quoted: bool = False  # sentences quoted from the passages as they are (Chinese, whatever was asked)


_URL = re.compile(r"<?https?://[^\s>]+>?")
_LABEL_ONLY = re.compile(r"[:：]$")


def _clean(sentence: str) -> str | None:
    """A sentence fit to quote, or None: no table headers, bare labels or internal document ids."""
    sentence = _MARKDOWN_LEAD.sub("", sentence.strip())
    row = sentence.startswith("|")
    if row:  # a table row: keep its cells as a phrase, drop header rows
        cells = [c.strip() for c in sentence.strip("|").split("|") if c.strip()]
        if len(cells) < 2 or (
            all(len(c) <= 6 for c in cells) and not any(ch.isdigit() for c in cells for ch in c)
        ):
            return None  # a header row (「項目｜內容」), not a short fact (「經費｜4年60億元」)
        sentence = f"{cells[0]}：{'，'.join(cells[1:])}"  # 「補助：每站每年最高300萬元」
    sentence = _URL.sub("", _DOC_REF.sub("", sentence.replace("**", ""))).strip()  # a source list's links
    pointed, sentence = sentence, _SEE_REF.sub("", sentence).strip()
    shortest = 6 if row else 16 if sentence != pointed else 10  # 「經費：4年60億元」 is a whole fact
    if len(sentence) < shortest or _LABEL_ONLY.search(sentence):
        return None  # a bare label, or what is left of a sentence that only pointed elsewhere
    return None if _STILL_ID.search(sentence) else sentence


def _bigrams(text: str) -> set[str]:
    return set(tokenize(text))


@dataclass(frozen=True)
class Focus:
    """The one case a question is about; `assumed` when the question did not single it out (the first case of
    a list, for 「是誰在主導的？」), so that the answer says which case it took."""

    case_id: str
    assumed: bool = False
    picked: bool = False  # by its place in a list, asking nothing else of it (「第二個呢」, "the last one?")
    # singled out of the cases just shown by a word or meaning of its own (「有醫院投資的是哪一案」, 「那個種櫻桃的」):
    # what such a question then asks of a case is about that case, whatever words it adds
    singled_out: bool = False


class AnswerService:
    def __init__(
        self, kb: KnowledgeBase, chat_model: BaseChatModel | None = None, corpus: Corpus | None = None
    ) -> None:
        self.kb = kb
        self.chat_model = chat_model
        corpus = corpus or Corpus(kb.settings.corpus_dir)
        self.composer = AnswerComposer(kb, corpus)
        self.case_names = CaseNames(corpus)
        # Sentence vectors per chunk: popular passages are split and embedded once, not per question.
        # Requests run in a thread pool, so the cache's reads and writes hold a lock (never while embedding).
        self._sentence_cache: OrderedDict[str, tuple[list[tuple[int, str, bool]], np.ndarray]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._title_vectors: dict[str, np.ndarray] = {}  # case id → its embedded title, place and opening

    def _sentences(self, hit: SearchHit) -> tuple[list[tuple[int, str, bool]], np.ndarray]:
        key = f"{hit.chunk_id}:{hash(hit.text)}"  # re-ingested text gets new vectors
        with self._cache_lock:
            cached = self._sentence_cache.get(key)
            if cached is not None:
                self._sentence_cache.move_to_end(key)
                return cached
        found = []
        for position, raw in enumerate(split_sentences(hit.text)):
            sentence = _clean(raw)
            if sentence:
                found.append((position, sentence, raw.lstrip().startswith("|")))
        vectors = (
            self.kb.retriever.embedder.embed_passages([s for _, s, _ in found]) if found else np.zeros((0, 1))
        )
        with self._cache_lock:
            self._sentence_cache[key] = (found, vectors)
            if len(self._sentence_cache) > SENTENCE_CACHE:
                self._sentence_cache.popitem(last=False)
        return found, vectors

    # --- retrieval and support ---------------------------------------------------------------------------
    def plan(self, request: AskRequest) -> QueryPlan:
        """What to search and what to judge support on: the LLM rewrites a follow-up into a standalone
        question when one is configured; otherwise app/assistant/conversation.py decides."""
        if self.chat_model is not None and request.history:
            rewritten = self._condense(request)
            if rewritten:
                return QueryPlan(
                    query=rewritten, judged_on=rewritten, follow_up=rewritten != request.question
                )
        return self._same_kind_elsewhere(request, plan_query(request))

    def _same_kind_elsewhere(self, request: AskRequest, plan: QueryPlan) -> QueryPlan:
        """「那日本呢」 after an answer about one Taiwanese case: cases of the same kind (its category) in the other
        country, listed, whatever detail of the case the last question asked."""
        country = switches_country(request.question)
        answer, _ = last_exchange(request)
        if country is None or answer is None:
            return plan
        # Only after an answer about one case and nothing else: after a list or KPI advice, the earlier
        # question's own topic (「漁村有什麼案例」, 「移居計畫的KPI」) is the anchor, as plan_query has it.
        if len(set(answer.cited)) != 1 or answer.cited[0] not in self.case_names.cases:
            return plan
        case = self.composer.corpus.get(answer.cited[0])
        if case is None or not case.category or case.country == country:
            return plan
        category = case.category
        query = f"{category} {_CASES_WORD} {request.question}"
        filters = SearchFilters(country=country, kind="case", category=category)
        return QueryPlan(query=query, judged_on=query, filters=filters, follow_up=True)

    def _condense(self, request: AskRequest) -> str | None:
        history = "\n".join(f"{t.role}: {t.content[:500]}" for t in request.history[-6:])
        try:
            reply = self.chat_model.invoke(  # type: ignore[union-attr]
                [
                    SystemMessage(load_prompt("condense_question")),
                    HumanMessage(
                        f"<history>\n{history}\n</history>\n<question>{request.question}</question>"
                    ),
                ]
            )
        except Exception:
            return None
        text = str(reply.content).strip().splitlines()[0] if str(reply.content).strip() else ""
        if MARKUP.search(text) or len(text) > MAX_CONDENSED_CHARS:
            return None  # a small model echoing the prompt: decide without it
        return text or None

    def retrieve(
        self, query: str, query_vector: np.ndarray, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        return self.kb.retriever.search(query, PASSAGES, filters=filters, query_vector=query_vector)

    def focus(self, request: AskRequest) -> Focus | None:
        """The one case a question is about:
        - the case it names (「池上的KPI」);
        - one of the cases the previous exchange showed, singled out by a word of its own (「宜蘭那個經費多少」,
          「忍者那個案子」, "the Yuli one");
        - when it points back (「它拿到多少補助」, "who runs it") or asks a bare fact the case's text covers
          (「誰在主導？」), the case the previous answer was about, else the case the latest question named;
        - when it asks only what is asked of a case (「是誰在主導的？」) after a list, the list's first (best) case,
          assumed, so that the answer says which case it took."""
        question = request.question
        if asks_live_information(question):  # 「竹山現在幾度」, 「那門票呢」: no case's text answers it
            return None
        discussed = [
            doc_id for turn in request.history for doc_id in turn.cited if doc_id in self.case_names.cases
        ]
        named = self.case_names.named(question, within=discussed)
        if len(named) > 1:  # 「光復災後的那個計畫」: two 光復 cases, and 災後 is in one title only
            chosen = self.case_names.pick(question, named, places=False)
            return Focus(chosen, singled_out=True) if chosen else None
        if named:
            return Focus(named[0])
        if not request.history or _OTHER_CASES.search(question) or _BEYOND_A_CASE.search(question):
            return None
        if starts_fresh(question):  # "Separate question: what was the old furusato sosei policy …"
            return None
        understood = understand(question)
        if understood.intent == "find_cases":  # 「台灣地方創業的案例呢？」 asks for cases anew
            return None
        answer, asked = last_exchange(request)
        cited = [doc_id for doc_id in (answer.cited if answer else []) if doc_id in self.case_names.cases]
        lines = self.case_names.shown_lines(answer.content) if answer else {}
        shown = list(lines)
        candidates = list(dict.fromkeys(self.case_names.named(asked) + shown + cited))
        place = ordinal_pick(question)
        if place is not None:  # 「第二個是誰在做的」, "the first one": of the latest list shown
            listed = self._latest_list(request, abs(place))
            if not listed:
                return None
            rest = without_ordinal(question)
            only_picks = not residual(rest) or self._asks_only_of_a_case(rest)
            return Focus(listed[place - 1 if place > 0 else place], picked=only_picks)
        pointing = refers_back(question) or points_back(question)
        context = lines if pointing else {}
        picked = self.case_names.pick(question, candidates, places=pointing, context=context)
        if picked is None and pointing:  # a listed case by what it is, in any language (「高校生がカフェを」)
            picked = self._pick_by_meaning(question, candidates)
        if picked is not None and len(candidates) >= 2:
            return Focus(picked, singled_out=True)
        if picked is None and pointing:
            # 「那光復災後的那個計畫」: a case shown earlier in the conversation, named by its place and a word of its
            # title, even when the latest answer was about another case
            earlier = [c for c in dict.fromkeys(reversed(discussed)) if c not in candidates]
            asked_words = self.case_names.words_of(question)
            by_place = [c for c in earlier if self.case_names.place_words(c) & asked_words]
            if by_place:
                chosen = self.case_names.pick(question, list(dict.fromkeys(candidates + by_place)))
                if chosen is not None and chosen in by_place:
                    return Focus(chosen, singled_out=True)
        answered_about = cited[0] if len(set(cited)) == 1 and len(shown) <= 1 else None
        # A case the answer did not show, by a rare title word (「那個木都」); not when a pronoun points at the case
        # just answered about (「他當初跟銀行貸了多少」: 銀行 is in another case's title, 他 is this case's founder).
        if picked is None and pointing and not (answered_about and refers_back(question)):
            picked = self.case_names.pick(question, sorted(self.case_names.cases), places=False)
        if picked is not None:
            return Focus(picked)
        if refers_back(question):
            if answered_about:
                return Focus(answered_about)
            for turn in reversed(request.history):  # the latest earlier question that named a case
                named = self.case_names.named(turn.content) if turn.role == "user" else []
                if named:
                    return Focus(named[0]) if len(named) == 1 else None
            return None
        if answered_about and understood.intent == "other" and not understood.concepts:
            return Focus(answered_about) if self.case_covers(answered_about, question) else None
        if len(shown) >= 2 and self._asks_only_of_a_case(question):
            return Focus(shown[0], assumed=True)  # 「是誰在主導的？」 after a list: the best match, said so
        return None

    def _latest_list(self, request: AskRequest, length: int) -> list[str]:
        """The cases of the latest answer that listed at least `length` (and two) cases, as its bullets show
        them (not the 「其他」 line that only names more)."""
        for turn in reversed(request.history):
            if turn.role != "assistant":
                continue
            lines = self.case_names.shown_lines(turn.content)
            listed = [case_id for case_id, line in lines.items() if _LIST_LINE.match(line)] or list(lines)
            if len(listed) >= max(length, 2):
                return listed
        return []

    def _asks_of_the_case(self, case_id: str, question: str) -> bool:
        """Whether a question that singled a case out asks one of the things asked of a case, beyond the words that
        singled it out: 「有醫院投資的是哪一案？醫院出多少錢？」 asks its money; 「有醫院投資的那個附近有民宿嗎？」 asks
        nothing of it (投資 only named the case)."""
        doc = self.composer.corpus.get(case_id)
        if doc is None:
            return False
        naming = _bigrams(f"{doc.title}{doc.place or ''}")
        kept = [
            ch
            for i, ch in enumerate(question)
            if question[max(i - 1, 0) : i + 1] not in naming and question[i : i + 2] not in naming
        ]
        return glossary().asks_a_case_topic("".join(kept))

    @staticmethod
    def _asks_only_of_a_case(question: str) -> bool:
        """Whether the question asks one of the things asked of a case (who leads it, its money, its results)
        and nothing else: 「是誰在主導的？」, 「經費多少？」, "Who runs it?"; not 「那附近有民宿嗎」."""
        if not glossary().asks_a_case_topic(question) or asks_for_several(question):
            return False
        # Nothing else asked: at most one stray character left (「是誰在主導的」 leaves 在), no other word.
        return all(
            not word.isascii() and len(word) <= 1
            for word in own_words(glossary().without_case_facets(question))
        )

    @staticmethod
    def _about_case_in_another_script(question: str) -> bool:
        """An English or Japanese question about the case in focus cannot be checked against the case's Chinese
        text word by word: it is about the case when it asks what practitioners ask of a case ("who runs it",
        「中央からの補助はいくら？」) and singles the case out, points back, or says little else ("The one with the
        themed trains - who runs it?", 「卓渓のほうは何をするの？」; not "Any good hotels near the Kamiyama one?",
        not 「天空の院子って一泊いくら？」)."""
        lang = answer_lang(question)
        if lang not in ("en", "ja") or not glossary().asks_a_case_topic(question):
            return False
        if _PICKS_ONE.search(question):
            return True
        rest = glossary().without_case_facets(question)
        if lang == "ja":
            return len(re.findall(r"[\u3400-\u9fff\u30a0-\u30ff]", residual(rest))) <= JAPANESE_OTHER_CHARS
        return refers_back(question) and len(re.findall(r"[a-z]{3,}", rest)) <= ENGLISH_OTHER_WORDS

    def _pick_by_meaning(self, question: str, candidates: list[str]) -> str | None:
        """The listed case whose title, place and opening are clearly nearest the question in meaning, when one is
        ("the one along the river with the themed trains")."""
        if len(candidates) < 2 or not _PICKS_ONE.search(question):
            return None
        vectors = self._case_vectors(candidates)
        asked = self.kb.retriever.embed_query(question)
        ranked = sorted(((float(np.dot(asked, vectors[c])), c) for c in candidates), reverse=True)
        (best, case_id), (second, _) = ranked[0], ranked[1]
        return case_id if best - second >= PICK_MARGIN else None

    def _case_vectors(self, case_ids: list[str]) -> dict[str, np.ndarray]:
        with self._cache_lock:
            missing = [c for c in case_ids if c not in self._title_vectors]
        if missing:  # each case's title and place embedded once, outside the lock
            docs = [self.composer.corpus.documents[c] for c in missing]
            embedded = self.kb.retriever.embedder.embed_passages(
                [f"{d.title}（{d.place or ''}）{d.body[:PICK_TEXT_CHARS]}" for d in docs]
            )
            with self._cache_lock:
                self._title_vectors.update(zip(missing, embedded, strict=True))
        with self._cache_lock:
            return {c: self._title_vectors[c] for c in case_ids}

    def case_covers(self, case_id: str, question: str) -> bool:
        """Whether the case's own text covers what the question asks about it (「門諾醫院投資了多少」 of the
        Hualien case: 門諾醫院 and 投資 are in it; 「池上便當哪家好吃」: 便當 is not). Judged on the question's own
        words less the words that name the case (its title, place and id words), so a question about something
        else is not rescued by naming a case town; a question that asks nothing but about the case itself
        (「忍者那個案子花了多少錢」, 「宜蘭那個呢」) is covered."""
        doc = self.composer.corpus.get(case_id)
        if doc is None:
            return False
        if _ABOUT_ITSELF.search(question):  # "Tell me about Taomi eco village.", 「介紹一下池上」
            return True
        words = own_words(self.case_names.without_names(glossary().without_case_facets(question)))
        asked = {gram for word in words for gram in (_bigrams(word) if not word.isascii() else {word})}
        asked -= {gram for word in self.case_names.place_words(case_id) for gram in _bigrams(word) or {word}}
        if len(asked) < MIN_ASKED_BIGRAMS:
            return True
        text = f"{doc.title}{doc.body}".lower()
        tokens = _bigrams(text)  # the same normalisation as the question's bigrams (經理 and 経理 alike)
        return sum(gram in tokens or gram in text for gram in asked) / len(asked) >= CASE_COVERAGE

    def supported(self, query: str, vector: np.ndarray, hits: list[SearchHit]) -> bool:
        """Whether the corpus supports an answer to `query` (app/assistant/support.py decides)."""
        named = len(self.case_names.named(query))
        return is_supported(query, vector, hits, self.kb.retriever.bm25, self.kb.settings, named)

    # --- extractive ---------------------------------------------------------------------------------------
    def extractive(
        self,
        question: str,
        hits: list[SearchHit],
        question_vector: np.ndarray,
        preferred: frozenset[str] = frozenset(),
        asks: tuple[str, ...] = (),
        passages: int = ANSWER_PASSAGES,
    ) -> Draft:
        """The most relevant sentences across the top passages, deduplicated, in reading order, cited.

        A sentence scores by its meaning (cosine to the question, which also works across languages) and
        its shared rare words (BM25 idf of shared bigrams); passage rank and early position break ties.
        Sentences of the `preferred` documents (the guideline of a concept the question names) come first
        unless another passage is clearly better; a question asking when (or how much) prefers sentences that
        hold a year (or a figure)."""
        idf = self.kb.retriever.bm25.idf
        query = _bigrams(question)
        found: list[tuple[int, int, str, bool, float]] = []
        for rank, hit in enumerate(hits[:passages]):
            sentences, vectors = self._sentences(hit)
            for (position, sentence, table_row), vector in zip(sentences, vectors, strict=True):
                found.append((rank, position, sentence, table_row, float(vector @ question_vector)))
        if not found:
            return Draft("", [])
        candidates: list[tuple[float, int, int, str]] = []
        for rank, position, sentence, table_row, cosine in found:
            if not table_row and _FRAGMENT.fullmatch(sentence.strip()):
                continue  # a list item naming a measure (「苦茶契作面積與契作農戶收入」) says nothing by itself
            tokens = _bigrams(sentence)
            overlap = sum(idf.get(t, 0.0) for t in query & tokens) / math.sqrt(max(len(tokens), 4))
            score = 20 * (cosine - 0.75) + overlap + 0.3 / (rank + 1) - 0.02 * position
            # A table row reads poorly as prose: only when clearly best, unless one fact is asked for (a
            # programme's 「期間」 or 「經費」 row is the answer to 「什麼時候」, 「多少」).
            score -= 1.5 if table_row and not asks else 0.0
            score += PREFERRED_BONUS if hits[rank].doc_id in preferred else 0.0
            if any(_holds(fact, sentence, hits[rank]) for fact in asks):
                labelled = table_row and any(_ASKED_LABEL.get(fact, _NEVER).search(sentence) for fact in asks)
                score += ASKED_FOR_BONUS * (2 if labelled else 1)
            candidates.append((score, rank, position, sentence))
        chosen: list[tuple[int, int, str]] = []
        seen: list[set[str]] = []
        size = 0
        for _score, rank, position, sentence in sorted(candidates, key=lambda c: -c[0]):
            tokens = _bigrams(sentence)
            if any(len(tokens & other) / max(min(len(tokens), len(other)), 1) > 0.6 for other in seen):
                continue  # near-duplicate of a sentence already chosen
            if chosen and size + len(sentence) > MAX_ANSWER_CHARS:
                continue
            chosen.append((rank, position, sentence))
            seen.append(tokens)
            size += len(sentence)
            if len(chosen) == MAX_SENTENCES:
                break
        # The best sentence that says something leads (one fact asked for: the sentence that holds it); the rest
        # follow in reading order, and a sentence on what a source leaves out (「能查到的只有…」) comes last.
        saying = [c for c in chosen if not _CAVEAT.search(c[2])]
        holding = [c for c in saying if asks and _holds(asks[0], c[2], hits[c[0]])]
        if asks and asks[0] == "how":  # what a case did reads in its own order, its section first
            holding.sort()
        lead = next(iter(holding or saying), chosen[0])
        rest = sorted(c for c in chosen if c is not lead)
        rest = [c for c in rest if c in holding] + [c for c in rest if c not in holding]
        chosen = [
            lead,
            *(c for c in rest if not _CAVEAT.search(c[2])),
            *(c for c in rest if _CAVEAT.search(c[2])),
        ]
        numbers: dict[int, int] = {}
        parts = []
        for rank, _, sentence in chosen:
            n = numbers.setdefault(rank, len(numbers) + 1)
            parts.append(f"{sentence}[{n}]")
        citations = [self._citation(n, hits[rank]) for rank, n in numbers.items()]
        if len(parts) >= 3:  # a lead sentence, then the rest as bullets
            return Draft("\n".join([parts[0], "", *(f"- {p}" for p in parts[1:])]), citations, quoted=True)
        return Draft("".join(parts), citations, quoted=True)

    @staticmethod
    def _citation(n: int, hit: SearchHit) -> Citation:
        return Citation(
            n=n,
            chunk_id=hit.chunk_id,
            doc_id=hit.doc_id,
            title=hit.title,
            text=hit.text,
            kind=hit.kind,
            heading=str(hit.metadata.get("heading", "")),
        )

    def understand(self, request: AskRequest, plan: QueryPlan) -> Understanding:
        understood = understand(request.question, plan.query if plan.follow_up else None)
        if plan.filters and plan.filters.category:  # the kind of the cases in focus (`_same_kind_elsewhere`)
            understood = replace(understood, categories=(plan.filters.category,), category_given=True)
        return understood

    def composed(
        self,
        request: AskRequest,
        plan: QueryPlan,
        hits: list[SearchHit],
        query_vector: np.ndarray,
        focus: Focus | None = None,
    ) -> Draft:
        """The answer without an LLM: composed for the question's intent where the corpus has structured
        facts for it (app/assistant/compose.py), else the extractive answer. `focus` is the one case the
        question is about (`focus`), found once per request."""
        understood = self.understand(request, plan)
        draft = None
        if focus is not None and not asks_for_several(request.question):
            draft = self._about_one_case(request, plan, understood, hits, query_vector, focus.case_id)
            if draft is not None and focus.assumed:  # the officer may have meant another of the listed cases
                title = self.composer.corpus.documents[focus.case_id].title
                lead = glossary().frame(understood.lang, "assumed_case", title=title)
                draft = replace(draft, text=f"{lead}\n\n{draft.text}")
        if draft is None:
            draft = self._for_intent(request, plan, understood, hits, query_vector)
        if (
            draft.quoted and understood.lang != "zh-TW" and HAN.search(draft.text)
        ):  # quoted Chinese, said once
            draft = replace(
                draft, text=f"{glossary().frame(understood.lang, 'quoted_passages')}\n\n{draft.text}"
            )
        return draft

    def _about_one_case(
        self,
        request: AskRequest,
        plan: QueryPlan,
        understood: Understanding,
        hits: list[SearchHit],
        query_vector: np.ndarray,
        case_id: str,
    ) -> Draft | None:
        """The answer from one case: its KPI table when its KPIs are asked for, else its own passages."""
        if _KPI_OF_A_CASE.search(request.question):
            kpis = self.composer.case_kpis(case_id, understood.lang)  # 「它的KPI呢？」, "What were its KPIs?"
            if kpis is not None and kpis.citations:
                return Draft(kpis.text, kpis.citations)
        if understood.intent in ("other", "kpi_advice", "find_cases"):
            # 「その中で池上の事例を詳しく」, 「益子燒的KPI是怎麼訂的」, 「那個招商經理一個月領多少」: that case's passages
            own = self.retrieve(plan.query, query_vector, SearchFilters(doc_id=case_id))
            # A case is short: all its retrieved passages are read (who leads it is often in its opening).
            return self.extractive(
                plan.query, own or hits, query_vector, asks=understood.facts, passages=PASSAGES
            )
        return None

    def _for_intent(
        self,
        request: AskRequest,
        plan: QueryPlan,
        understood: Understanding,
        hits: list[SearchHit],
        query_vector: np.ndarray,
    ) -> Draft:
        """The answer composed for the question's intent, else the extractive answer."""
        concept_docs = self.composer.terms.concept_docs(understood.concepts)
        if concept_docs:  # a named concept's own guideline first (「青培站的補助上限」)
            # One fact asked for may sit in any part of the guideline (its 「期間」 row opens it): all of it.
            per_doc = None if understood.asks else 2
            own = [
                hit
                for doc_id in concept_docs
                for hit in self.retrieve(plan.query, query_vector, SearchFilters(doc_id=doc_id))[:per_doc]
            ]
            taken = {hit.chunk_id for hit in own}
            hits = own + [hit for hit in hits if hit.chunk_id not in taken]
        shown = next((t.content for t in reversed(request.history) if t.role == "assistant"), "")
        result: Composed | None = self.composer.compose(understood, plan.query, query_vector, shown)
        named_concept = understood.intent == "concept" and understood.concepts
        if result is None and (understood.intent in ("process", "programme") or named_concept):
            result = self.composer.list_passage(
                hits,
                understood.lang,
                numbered=understood.intent == "process",
                concepts=understood.concepts,
                explain=understood.intent == "concept" and not understood.a_set,
                question=plan.query,
            )
        if result is not None and result.citations:
            return Draft(result.text, result.citations)
        # A follow-up's own concept (「那3.0呢？」) is preferred over the one carried from the earlier question.
        own_concepts = tuple(self.composer.terms.named("concepts", request.question))
        preferred = frozenset(self.composer.terms.concept_docs(own_concepts) or concept_docs)
        return self.extractive(plan.query, hits, query_vector, preferred=preferred, asks=understood.facts)

    # --- LLM ----------------------------------------------------------------------------------------------
    def llm_messages(self, request: AskRequest, hits: list[SearchHit]) -> list[BaseMessage]:
        passages = "\n".join(
            f'<passage n="{n}" title="{_attr(h.title)}">\n{_data(h.text)}\n</passage>'
            for n, h in enumerate(hits, 1)
        )
        history: list[BaseMessage] = [
            HumanMessage(t.content) if t.role == "user" else AIMessage(t.content)
            for t in request.history[-6:]
        ]
        language = "Traditional Chinese (zh-TW)" if request.lang == "zh-TW" else "English"
        return [
            SystemMessage(load_prompt("answer_system").replace("{language}", language)),
            *history,
            HumanMessage(
                f"<passages>\n{passages}\n</passages>\n\n<question>{_data(request.question)}</question>"
            ),
        ]

    @staticmethod
    def validate_citations(text: str, hits: list[SearchHit]) -> tuple[str, list[Citation]]:
        """Drop [n] that match no passage; list the passages actually cited, in their order."""
        valid = set(range(1, len(hits) + 1))
        cleaned = _CITATION.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "", text)
        used = sorted({int(n) for n in _CITATION.findall(cleaned)})
        return cleaned.strip(), [AnswerService._citation(n, hits[n - 1]) for n in used]

    # --- the public operations ----------------------------------------------------------------------------
    def ask(self, request: AskRequest) -> AskResponse:
        """One complete answer (the streaming path produces the same events in pieces)."""
        final: AskResponse | None = None
        for event, data in self.stream(request):
            if event == "done":
                final = data  # type: ignore[assignment]
        assert final is not None
        return final

    def stream(self, request: AskRequest) -> Iterator[tuple[str, object]]:
        """Events: ("meta", {...}), ("token", text)…, ("citations", [...]), ("done", AskResponse)."""
        messages = catalog(request.lang).answers
        plan = self.plan(request)
        query = plan.query
        query_vector = self.kb.retriever.embed_query(query)  # retrieval and sentence scoring share it
        hits = self.retrieve(query, query_vector, plan.filters)
        mode = "llm" if self.chat_model is not None else "extractive"
        judged, judged_vector = hits, query_vector
        if plan.judged_on != query or plan.filters:  # judged on its own words, over the whole corpus
            if plan.judged_on != query:
                judged_vector = self.kb.retriever.embed_query(plan.judged_on)
            judged = self.retrieve(plan.judged_on, judged_vector)
        # The domain's own lists (the six driving factors, the three KPI levels) and a question that names a
        # domain term and nothing else (「PDCA怎麼做」) are answered whatever the fitted model says: no
        # off-topic question is made of them.
        judged_understood = understand(plan.judged_on)
        names_the_domain = (
            judged_understood.only_terms
            or (
                judged_understood.intent == "concept"
                and (judged_understood.all_factors or judged_understood.levels)
            )
            or asks_the_domain(plan.judged_on, judged_understood)
        )
        focus = self.focus(request)
        about_a_case = focus is not None and (
            focus.assumed
            or focus.picked
            or (focus.singled_out and self._asks_of_the_case(focus.case_id, request.question))
            or self.case_covers(focus.case_id, request.question)
            or self._about_case_in_another_script(request.question)
        )
        if not (names_the_domain or about_a_case) and not self.supported(
            plan.judged_on, judged_vector, judged
        ):
            response = AskResponse(
                question=request.question,
                answer=glossary().frame(
                    answer_lang(request.question), "refusal"
                ),  # in the question's language
                refused=True,
                mode=mode,
                citations=[],
                search_query=query,
            )
            yield "meta", {"mode": mode, "refused": True, "search_query": query}
            yield "token", response.answer
            yield "citations", []
            yield "done", response
            return
        yield "meta", {"mode": mode, "refused": False, "search_query": query}
        notice = None
        if self.chat_model is not None:
            streamed: list[str] = []
            try:
                chunks = self.chat_model.stream(self.llm_messages(request, hits))
                pieces = (c.content for c in chunks if isinstance(c.content, str) and c.content)
                for piece in guarded(pieces, self.kb.settings.llm_timeout):
                    streamed.append(piece)
                    yield "token", piece
                text, citations = self.validate_citations("".join(streamed), hits)
                if not text or not citations:
                    raise DegenerateOutput("no answer with a valid citation")
                response = AskResponse(
                    question=request.question,
                    answer=text,
                    refused=False,
                    mode="llm",
                    citations=citations,
                    search_query=query,
                )
                yield "citations", [c.model_dump() for c in citations]
                yield "done", response
                return
            except Exception as exc:  # an error, the deadline, or output nobody should read
                notice = messages["llm_unusable" if isinstance(exc, DegenerateOutput) else "fallback"]
                yield "notice", notice
                if streamed:
                    yield "reset", ""  # the client discards the partial LLM text
        draft = self.composed(request, plan, hits, query_vector, focus)
        for line in draft.text.splitlines(keepends=True) or [draft.text]:  # streamed a line at a time
            yield "token", line
        response = AskResponse(
            question=request.question,
            answer=draft.text,
            refused=False,
            mode="extractive",
            citations=draft.citations,
            notice=notice,
            search_query=query,
        )
        yield "citations", [c.model_dump() for c in draft.citations]
        yield "done", response


def _data(text: str) -> str:
    """Passage text is data: neutralise anything that could close or open the delimiting tags."""
    return text.replace("<", "‹").replace(">", "›")


# What a source leaves out, said of a case (「能查到的只有事件與年份」, 「報導沒有公開就業人數」): true, but never a lead.
_CAVEAT = re.compile(
    r"^(?:能|可)?查到的|^只有(?:經費|事件|人口)|^報導(?:沒有|未)|^(?:本案)?沒有公開|^資料中(?:沒有|只有)"
)
# A list item that only names something (no sentence end, no label): 「經平台媒合並完成簽約的老屋數（每年）」.
_FRAGMENT = re.compile(r"[^。！？!?.:：；;]{1,60}")
# Joined to a carried query, it asks for cases (the word intents.py reads as a request for cases).
_CASES_WORD = "案例"


def _attr(text: str) -> str:
    return _data(text).replace('"', "'")
