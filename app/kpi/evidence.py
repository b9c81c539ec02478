"""Guideline evidence for a finding, retrieved from the index at run time.

Each rule names a query; the passage is taken from guideline documents whose front matter lists the rule's
code (`rules:`), ranked by BM25 so that critique stays deterministic and never needs the embedding model.
Results are cached per code: the evidence for a rule does not depend on the KPI.
"""

from __future__ import annotations

from app.knowledge.schemas import SearchFilters
from app.knowledge.service import KnowledgeBase
from app.kpi.schemas import Evidence

EVIDENCE_PASSAGES = 1


class EvidenceFinder:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._cache: dict[str, list[Evidence]] = {}

    def docs_for(self, code: str) -> set[str]:
        return {
            chunk.doc_id
            for chunk in self.kb.retriever.chunks
            if code in str(chunk.metadata.get("rules", "")).split(",")
        }

    def for_rule(self, code: str, query: str) -> list[Evidence]:
        if code not in self._cache:
            docs = self.docs_for(code)
            hits = self.kb.retriever.search(
                query, k=30, filters=SearchFilters(kind="guideline"), mode="lexical"
            )
            chosen = [h for h in hits if h.doc_id in docs] or [h for h in hits if not docs][:1]
            self._cache[code] = [
                Evidence(doc_id=h.doc_id, title=h.title, text=h.text, chunk_id=h.chunk_id)
                for h in chosen[:EVIDENCE_PASSAGES]
            ]
        return [e.model_copy() for e in self._cache[code]]

    def clear(self) -> None:
        self._cache.clear()
