"""Hybrid retrieval: dense vectors (Chroma) + BM25, fused by weighted reciprocal rank fusion."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from app.config import Settings
from app.knowledge.embeddings import Embedder
from app.knowledge.lexical import BM25Index, tokenize
from app.knowledge.schemas import SearchFilters, SearchHit, SearchMode
from app.knowledge.store import ChunkStore, StoredChunk


def indexed_text(chunk: StoredChunk) -> str:
    """Title and section heading in front of the passage, as at embedding time (see Chunk.indexed_text)."""
    title = str(chunk.metadata.get("title", ""))
    heading = str(chunk.metadata.get("heading", ""))
    head = f"{title}｜{heading}" if heading and heading != title else title
    return f"{head}\n{chunk.text}" if head else chunk.text


def chroma_where(filters: SearchFilters | None) -> dict | None:
    if filters is None or filters.is_empty():
        return None
    clauses: list[dict] = [
        {name: value}
        for name, value in (
            ("kind", filters.kind),
            ("category", filters.category),
            ("country", filters.country),
        )
        if value
    ]
    if filters.factor:
        clauses.append({f"f_{filters.factor}": True})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _matches(meta: dict, filters: SearchFilters) -> bool:
    if filters.kind and meta.get("kind") != filters.kind:
        return False
    if filters.category and meta.get("category") != filters.category:
        return False
    if filters.country and meta.get("country") != filters.country:
        return False
    return not (filters.factor and not meta.get(f"f_{filters.factor}"))


class HybridRetriever:
    """Owns the in-memory BM25 index over the store's chunks; `refresh()` after ingesting."""

    def __init__(
        self, settings: Settings, store: ChunkStore, embedder: Embedder | Callable[[], Embedder]
    ) -> None:
        self.settings = settings
        self.store = store
        # A provider defers loading the model until a dense search needs it (lexical-only users never do).
        self._embedder = embedder
        self._last_query: tuple[str, np.ndarray] | None = None
        self.refresh()

    @property
    def embedder(self) -> Embedder:
        if callable(self._embedder) and not hasattr(self._embedder, "embed_queries"):
            self._embedder = self._embedder()
        return self._embedder  # type: ignore[return-value]

    def refresh(self) -> None:
        self.chunks = self.store.all_chunks()
        self.position = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        mode = self.settings.lexical_tokenizer
        self.bm25 = BM25Index([tokenize(indexed_text(c), mode) for c in self.chunks])

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding; the last one is kept, since answering embeds the same query again."""
        last = self._last_query  # one read: another request thread may replace it meanwhile
        if last is None or last[0] != query:
            last = (query, self.embedder.embed_queries([query])[0])
            self._last_query = last
        return last[1]

    def _dense(self, query: str, n: int, filters: SearchFilters | None) -> list[tuple[int, float]]:
        vector = self.query_vector(query)
        found = self.store.query(vector, n, chroma_where(filters))
        return [(self.position[cid], score) for cid, score in found if cid in self.position]

    def _lexical(self, query: str, n: int, filters: SearchFilters | None) -> list[tuple[int, float]]:
        allowed = None
        if filters is not None and not filters.is_empty():
            allowed = np.array([_matches(c.metadata, filters) for c in self.chunks], dtype=bool)
        return self.bm25.top(tokenize(query, self.settings.lexical_tokenizer), n, allowed)

    def candidates(
        self, query: str, k: int, filters: SearchFilters | None = None, mode: SearchMode = "hybrid"
    ) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """Ranked (chunk position, score) lists from the dense and the lexical retriever."""
        pool = max(self.settings.candidate_pool, k * 3)
        dense = self._dense(query, pool, filters) if mode in ("hybrid", "dense") else []
        lexical = self._lexical(query, pool, filters) if mode in ("hybrid", "lexical") else []
        return dense, lexical

    def fuse(
        self,
        dense: list[tuple[int, float]],
        lexical: list[tuple[int, float]],
        k: int,
        *,
        rrf_k: int | None = None,
        dense_weight: float | None = None,
        lexical_weight: float | None = None,
        article_weight: float | None = None,
        max_per_doc: int | None = None,
    ) -> list[SearchHit]:
        """Weighted reciprocal rank fusion; parameters default to the settings (eval passes others)."""
        s = self.settings
        rrf_k = s.fusion_rrf_k if rrf_k is None else rrf_k
        w_dense = (s.fusion_dense_weight if dense_weight is None else dense_weight) if dense else 0.0
        w_lexical = (
            (s.fusion_lexical_weight if lexical_weight is None else lexical_weight) if lexical else 0.0
        )
        article_weight = s.article_weight if article_weight is None else article_weight
        max_per_doc = s.max_chunks_per_doc if max_per_doc is None else max_per_doc

        fused: dict[int, float] = defaultdict(float)
        for weight, ranking in ((w_dense, dense), (w_lexical, lexical)):
            for rank, (i, _) in enumerate(ranking):
                fused[i] += weight / (rrf_k + rank + 1)
        for i in fused:
            # The seed article repeats what the curated case and guideline files say; those come first.
            if self.chunks[i].metadata.get("kind") == "article":
                fused[i] *= article_weight
        best = (w_dense + w_lexical) / (rrf_k + 1)  # both lists ranking a chunk first
        dense_score, lexical_score = dict(dense), dict(lexical)

        hits: list[SearchHit] = []
        per_doc: dict[str, int] = defaultdict(int)
        for i, score in sorted(fused.items(), key=lambda item: -item[1]):
            chunk = self.chunks[i]
            if per_doc[chunk.doc_id] >= max_per_doc:
                continue  # keep the list diverse: a few passages per document
            per_doc[chunk.doc_id] += 1
            meta = dict(chunk.metadata)
            hits.append(
                SearchHit(
                    chunk_id=chunk.chunk_id,
                    doc_id=chunk.doc_id,
                    title=str(meta.get("title", "")),
                    kind=str(meta.get("kind", "")),
                    text=chunk.text,
                    score=round(score / best, 4) if best else 0.0,
                    metadata={key: v for key, v in meta.items() if not key.startswith("f_")},
                    dense_score=round(dense_score[i], 4) if i in dense_score else None,
                    lexical_score=round(lexical_score[i], 4) if i in lexical_score else None,
                )
            )
            if len(hits) == k:
                break
        return hits

    def search(
        self, query: str, k: int = 5, filters: SearchFilters | None = None, mode: SearchMode = "hybrid"
    ) -> list[SearchHit]:
        if not self.chunks:
            return []
        dense, lexical = self.candidates(query, k, filters, mode)
        return self.fuse(dense, lexical, k)


class SoseiRetriever(BaseRetriever):
    """LangChain face of the hybrid retriever, so chains and agents can compose it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    hybrid: HybridRetriever
    k: int = 5
    filters: SearchFilters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        return [
            LCDocument(
                page_content=hit.text,
                id=hit.chunk_id,
                metadata={**hit.metadata, "chunk_id": hit.chunk_id, "score": hit.score},
            )
            for hit in self.hybrid.search(query, self.k, self.filters)
        ]
