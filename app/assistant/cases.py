"""The case library: case documents with their KPI sets, and comparable-case search over them."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from app.knowledge.documents import FACTORS, Document, load_corpus
from app.knowledge.schemas import SearchFilters, SearchMode
from app.knowledge.service import KnowledgeBase
from app.kpi.schemas import CaseKpi, ComparableCase


class CaseLibrary:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    @cached_property
    def cases(self) -> dict[str, Document]:
        docs = load_corpus(self.kb.settings.corpus_dir)
        return {d.id: d for d in docs if d.kind == "case"}

    def as_comparable(self, case: Document, score: float = 0.0, why: str = "") -> ComparableCase:
        return ComparableCase(
            case_id=case.id,
            title=case.title,
            place=case.place or "",
            country=case.country or "",
            category=case.category or "",
            factors=list(case.factors),
            kpis=[CaseKpi(name=k.name, level=k.level) for k in case.kpis],
            score=round(score, 4),
            why=why,
        )

    def similar(
        self,
        text: str,
        k: int = 5,
        category: str | None = None,
        mode: SearchMode = "hybrid",
        exclude: str | None = None,
    ) -> list[ComparableCase]:
        """Cases ranked by their best passage's match to `text`; `category` keeps to one category."""
        filters = SearchFilters(kind="case", category=category)  # type: ignore[arg-type]
        hits = self.kb.retriever.search(text, k=50, filters=filters, mode=mode) if text.strip() else []
        best: dict[str, float] = {}
        passage: dict[str, str] = {}
        for hit in hits:
            if hit.doc_id in self.cases and hit.doc_id != exclude and hit.doc_id not in best:
                best[hit.doc_id] = hit.score
                passage[hit.doc_id] = hit.metadata.get("heading", "")
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if category and len(ranked) < k:  # same-category cases are comparable even without shared words
            ranked += [
                (cid, 0.0)
                for cid, c in sorted(self.cases.items())
                if c.category == category and cid not in best and cid != exclude
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

    def by_category(self) -> dict[str, list[Document]]:
        grouped: dict[str, list[Document]] = defaultdict(list)
        for case in self.cases.values():
            grouped[case.category or ""].append(case)
        return grouped
