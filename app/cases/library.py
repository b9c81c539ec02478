"""The case library: case documents with their KPI sets, and comparable-case search over them."""

from __future__ import annotations

from functools import cached_property

from app.cases.schemas import CaseDetail, CaseKpi, CaseList, CaseSummary, ComparableCase
from app.knowledge.corpus import Corpus
from app.knowledge.documents import FACTORS, Category, Document
from app.knowledge.schemas import SearchFilters, SearchMode
from app.knowledge.service import KnowledgeBase


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
        """Cases filtered by category, driving factor, country and a plain-text substring, sorted by id."""
        needle = (q or "").strip().lower()
        found = [
            summary(c)
            for _, c in sorted(self.cases.items())
            if (not category or c.category == category)
            and (not factor or factor in c.factors)
            and (not country or c.country == country)
            and (not needle or needle in f"{c.title} {c.place} {c.project or ''} {c.body}".lower())
        ]
        return CaseList(total=len(found), cases=found)

    def get(self, case_id: str) -> CaseDetail | None:
        case = self.cases.get(case_id)
        return detail(case) if case else None
