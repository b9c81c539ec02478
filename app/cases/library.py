"""The case library: case documents with their KPI sets, and comparable-case search over them."""

from __future__ import annotations

import builtins
import math
import re
from functools import cached_property

from app.cases.schemas import CaseDetail, CaseKpi, CaseList, CaseSummary, ComparableCase
from app.i18n.glossary import HAN, KANA, glossary
from app.knowledge.corpus import Corpus
from app.knowledge.documents import FACTORS, Category, Document
from app.knowledge.lexical import fold, to_traditional, tokenize
from app.knowledge.schemas import SearchFilters, SearchMode
from app.knowledge.service import KnowledgeBase

# Case search: cases that hold every part of the query (or a related word for it) come first, those that hold it in
# their title, place or project before those that hold it only in their text; then the few closest in meaning.
# Cosine scores of this model crowd into 0.77–0.90 for relevant and unrelated cases alike (measured on the
# trainers' learn set, eval/cases/search_learn.yaml), so meaning ranks cases but no threshold decides them.
MEANING_ONLY = 5
SHORT_PHRASE = 3  # a Chinese query part this short is one word
MIN_COVERAGE = 0.5  # a case holding words of less than half the query's weight is left to meaning
MEANING_HITS = 60
HEAD_MATCH_BONUS = 0.5
BODY_MATCH_BONUS = 0.2


def summary(case: Document) -> CaseSummary:
    return CaseSummary(
        case_id=case.id,
        title=case.title,
        place=case.place or "",
        country=case.country or "",
        category=case.category or "",
        factors=list(case.factors),
        project=case.project,
        kpi_published=case.kpi_published,
        kpis=list(case.kpis),
    )


def detail(case: Document) -> CaseDetail:
    return CaseDetail(
        **summary(case).model_dump(),
        actors=case.actors,
        sectors=list(case.sectors),
        funding=case.funding,
        context=list(case.context),
        facts=case.facts,
        sources=case.sources,
        body=case.body,
    )


class CaseLibrary:
    def __init__(self, kb: KnowledgeBase, corpus: Corpus) -> None:
        self.kb = kb
        self.corpus = corpus

    @cached_property
    def cases(self) -> dict[str, Document]:
        return self.corpus.of_kind("case")

    @cached_property
    def _folded(self) -> dict[str, tuple[str, str]]:
        """Each case's (title, place, project and aliases; body), folded once for word search rather than on
        every query."""
        return {
            case_id: (
                fold(f"{case.title} {case.place} {case.project or ''} {' '.join(case.aliases)}"),
                fold(case.body),
            )
            for case_id, case in self.cases.items()
        }

    def as_comparable(self, case: Document, score: float = 0.0, why: str = "") -> ComparableCase:
        shared = summary(case).model_dump(
            include={"case_id", "title", "place", "country", "category", "factors"}
        )
        return ComparableCase(
            **shared,
            kpis=[CaseKpi(name=k.name, level=k.level) for k in case.kpis],
            score=round(score, 4),
            why=why,
        )

    def similar(
        self,
        text: str,
        k: int = 5,
        category: Category | None = None,
        mode: SearchMode = "hybrid",
        exclude: str | None = None,
        require_kpis: bool = False,
    ) -> list[ComparableCase]:
        """Cases ranked by their best passage's match to `text`; `category` keeps to one category;
        `require_kpis` keeps to cases that publish KPIs (a critique shows what good KPIs looked like)."""
        filters = SearchFilters(kind="case", category=category)
        hits = self.kb.retriever.search(text, k=50, filters=filters, mode=mode) if text.strip() else []
        best: dict[str, float] = {}
        passage: dict[str, str] = {}

        def eligible(case_id: str) -> bool:
            return (
                case_id in self.cases
                and case_id != exclude
                and (not require_kpis or bool(self.cases[case_id].kpis))
            )

        for hit in hits:
            if eligible(hit.doc_id) and hit.doc_id not in best:
                best[hit.doc_id] = hit.score
                passage[hit.doc_id] = hit.metadata.get("heading", "")
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if category and len(ranked) < k:  # same-category cases are comparable even without shared words
            ranked += [
                (cid, 0.0)
                for cid, c in sorted(self.cases.items())
                if c.category == category and cid not in best and eligible(cid)
            ]
        results = []
        for case_id, score in ranked[:k]:
            case = self.cases[case_id]
            results.append(self.as_comparable(case, score, self._why(case, category, passage.get(case_id))))
        return results

    @staticmethod
    def _why(case: Document, category: str | None, heading: str | None) -> str:
        reasons = []
        if category and case.category == category:
            reasons.append(f"同屬「{category}」")
        if heading:
            reasons.append(f"內容相近（{heading}）")
        factors = "、".join(FACTORS[f] for f in case.factors)
        reasons.append(f"驅動要素：{factors}")
        return "；".join(reasons)

    def list(
        self,
        category: str | None = None,
        factor: str | None = None,
        country: str | None = None,
        q: str | None = None,
    ) -> CaseList:
        """Cases filtered by category, driving factor and country, sorted by id; with `q`, the cases that
        search finds for it, best first."""
        if q and q.strip():
            return self.search(q, category=category, factor=factor, country=country)
        found = [summary(c) for c in self._filtered(category, factor, country)]
        return CaseList(total=len(found), cases=found)

    def _filtered(
        self, category: str | None, factor: str | None, country: str | None
    ) -> builtins.list[Document]:
        return [
            c
            for _, c in sorted(self.cases.items())
            if (not category or c.category == category)
            and (not factor or factor in c.factors)
            and (not country or c.country == country)
        ]

    def search(
        self,
        q: str,
        category: str | None = None,
        factor: str | None = None,
        country: str | None = None,
        k: int | None = None,
    ) -> CaseList:
        """Cases for what a trainer means, best first: the query's words and their related words in any of the
        three languages (老屋 finds 空き家 and "vacant houses"), and the meaning of the text by the embeddings."""
        pool = {c.id: c for c in self._filtered(category, factor, country)}
        query = to_traditional(q.strip())
        if not query or not pool:
            return CaseList(total=0, cases=[])
        stopwords = {fold(w) for w in glossary().search_stopwords}
        pieces = [w for p in _QUERY_PARTS.split(query) if p.strip() for w in _pieces(p)]
        parts = [_words_for(p) for p in pieces if fold(p) not in stopwords]
        scores: dict[str, float] = {}
        filters = SearchFilters(kind="case", category=category)
        for hit in self.kb.retriever.search(query, k=MEANING_HITS, filters=filters, mode="hybrid"):
            if hit.doc_id in pool and hit.doc_id not in scores:
                scores[hit.doc_id] = hit.score
        texts = {case_id: self._folded[case_id] for case_id in pool}
        # A part weighs by how rare it is among the cases (「臺東」 says more than 「地方創生」); a case is ranked by
        # the share of the query's weight it holds, then by where it holds it, then by retrieval.
        holders = [
            {c for c, (head, body) in texts.items() if _has_any(head, w) or _has_any(body, w)} for w in parts
        ]
        weights = [math.log(1 + len(pool) / len(found)) if found else 0.0 for found in holders]
        total = sum(weights) or 1.0
        by_words: dict[str, float] = {}
        for case_id, (head, _body) in texts.items():
            held = sum(w for w, found in zip(weights, holders, strict=True) if case_id in found)
            if held and held / total >= MIN_COVERAGE:
                in_head = any(_has_any(head, words) for words in parts)
                bonus = HEAD_MATCH_BONUS if in_head else BODY_MATCH_BONUS
                by_words[case_id] = held / total + bonus + scores.get(case_id, 0.0)
        ordered = sorted(by_words, key=lambda case_id: (-by_words[case_id], case_id))
        # Then the closest in meaning, marked as such: a trainer's words need not be the corpus's.
        by_meaning = [c for c in sorted(scores, key=lambda c: (-scores[c], c)) if c not in by_words]
        matches = [(c, "words") for c in ordered] + [(c, "meaning") for c in by_meaning[:MEANING_ONLY]]
        found = [summary(pool[c]).model_copy(update={"match": how}) for c, how in matches][:k]
        return CaseList(total=len(found), cases=found)

    def get(self, case_id: str) -> CaseDetail | None:
        case = self.cases.get(case_id)
        return detail(case) if case else None


_QUERY_PARTS = re.compile(r"[\s,，、;；/／]+")


def _pieces(part: str) -> list[str]:
    """A Chinese phrase as its words (「客家村落發展產業」 → 客家, 村落, 發展, 產業) unless the glossary names it whole;
    anything else as it is."""
    if (
        len(part) <= SHORT_PHRASE
        or not HAN.search(part)
        or KANA.search(part)
        or glossary().related_words(part)
    ):
        return [part]
    words = [w for w in tokenize(part, "jieba") if len(w) >= 2]
    return words or [part]


def _words_for(part: str) -> list[str]:
    """A part of a query and every related word, folded: 「老屋」 → 老屋, 空屋, 空き家, vacant house …"""
    return [w for w in dict.fromkeys([fold(part), *(fold(w) for w in glossary().related_words(part))]) if w]


def _has_any(text: str, words: list[str]) -> bool:
    """Whether `text` holds one of `words`; a Latin word only whole ("tea" is not in "team")."""
    for word in words:
        if word.isascii():
            if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text):
                return True
        elif word in text:
            return True
    return False
