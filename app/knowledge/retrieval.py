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
from app.i18n.glossary import answer_lang, glossary
from app.knowledge.chunking import passage_text
from app.knowledge.embeddings import Embedder
from app.knowledge.lexical import BM25Index, tokenize
from app.knowledge.schemas import SearchFilters, SearchHit, SearchMode
from app.knowledge.store import ChunkStore, StoredChunk
from app.metrics import RETRIEVAL_SECONDS


def indexed_text(chunk: StoredChunk) -> str:
    """The chunk as it was embedded (see passage_text)."""
    meta = chunk.metadata
    return passage_text(str(meta.get("title", "")), str(meta.get("heading", "")), chunk.text)


def complete_documents(chunks: list[StoredChunk]) -> list[StoredChunk]:
    """Only the chunks of documents written whole: while an ingest (or one a crash cut short) is writing a
    document, none of it is searchable, so nobody is answered from half a document."""
    present: defaultdict[tuple[str, str], int] = defaultdict(int)
    for chunk in chunks:
        present[chunk.doc_id, str(chunk.metadata.get("doc_hash", ""))] += 1
    versions: defaultdict[str, int] = defaultdict(int)
    for doc_id, _ in present:
        versions[doc_id] += 1

    def complete(chunk: StoredChunk) -> bool:
        expected = chunk.metadata.get("n_chunks")
        if expected is None:  # written without a manifest (never by sosei's store): nothing to check against
            return True
        key = (chunk.doc_id, str(chunk.metadata.get("doc_hash", "")))
        return versions[chunk.doc_id] == 1 and present[key] == int(expected)

    return [chunk for chunk in chunks if complete(chunk)]


class HybridRetriever:
    """Owns the in-memory BM25 index over the store's chunks; `refresh()` after ingesting."""

    def __init__(
        self, settings: Settings, store: ChunkStore, embedder: Embedder | Callable[[], Embedder]
    ) -> None:
        self.settings = settings
        self.store = store
        # A provider defers loading the model until a dense search needs it (lexical-only users never do).
        self._embedder = embedder
        self.refresh()

    @property
    def embedder(self) -> Embedder:
        if callable(self._embedder) and not hasattr(self._embedder, "embed_queries"):
            self._embedder = self._embedder()
        return self._embedder  # type: ignore[return-value]

    def refresh(self) -> None:
        self.chunks = complete_documents(self.store.all_chunks())
        self.position = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        mode = self.settings.lexical_tokenizer
        self.bm25 = BM25Index([tokenize(indexed_text(c), mode) for c in self.chunks])

    def embed_query(self, query: str) -> np.ndarray:
        """The query's embedding; callers that need it twice (answering) compute it once and pass it on."""
        return self.embedder.embed_queries([query])[0]

    def _dense(self, vector: np.ndarray, n: int, filters: SearchFilters | None) -> list[tuple[int, float]]:
        found = self.store.query(vector, n, filters.chroma_where() if filters else None)
        return [(self.position[cid], score) for cid, score in found if cid in self.position]

    def _lexical(self, query: str, n: int, filters: SearchFilters | None) -> list[tuple[int, float]]:
        allowed = None
        if filters is not None and not filters.is_empty():
            allowed = np.array([filters.matches(c.metadata) for c in self.chunks], dtype=bool)
        if self.settings.lexical_synonyms and answer_lang(query) != "zh-TW":
            # An English or Japanese question matches the Chinese text through the terms' other names; a Chinese
            # one already shares its words, and the names would outweigh what it asks of them (補助上限).
            query = " ".join([query, *glossary().synonyms(query)])
        return self.bm25.top(tokenize(query, self.settings.lexical_tokenizer), n, allowed)

    def candidates(
        self,
        query: str,
        k: int,
        filters: SearchFilters | None = None,
        mode: SearchMode = "hybrid",
        query_vector: np.ndarray | None = None,
    ) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """Ranked (chunk position, score) lists from the dense and the lexical retriever; the query is
        embedded here unless its vector is given."""
        pool = max(self.settings.candidate_pool, k * 3)
        dense: list[tuple[int, float]] = []
        with RETRIEVAL_SECONDS.labels(mode).time():
            if mode in ("hybrid", "dense"):
                vector = self.embed_query(query) if query_vector is None else query_vector
                dense = self._dense(vector, pool, filters)
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
        self,
        query: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: SearchMode = "hybrid",
        query_vector: np.ndarray | None = None,
    ) -> list[SearchHit]:
        if not self.chunks:
            return []
        dense, lexical = self.candidates(query, k, filters, mode, query_vector)
        # Passages of one document asked for: keeping the list diverse across documents means nothing here.
        one_document = filters is not None and filters.doc_id is not None
        return self.fuse(dense, lexical, k, max_per_doc=k if one_document else None)


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
