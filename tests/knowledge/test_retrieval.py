"""Hybrid retrieval's own parts: the one reading of search filters, weighted reciprocal rank fusion, and the
query vector passed in rather than recomputed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.config import Settings
from app.knowledge.retrieval import HybridRetriever
from app.knowledge.schemas import SearchFilters
from app.knowledge.store import StoredChunk


def chunk(chunk_id: str, doc_id: str, kind: str = "case", **meta: str | bool) -> StoredChunk:
    return StoredChunk(
        chunk_id, f"text of {chunk_id}", {"doc_id": doc_id, "kind": kind, "title": doc_id, **meta}
    )


class FakeStore:
    """Just what the retriever reads: the chunks, and a query that returns a fixed ranking."""

    def __init__(self, chunks: list[StoredChunk]) -> None:
        self.chunks = chunks
        self.wheres: list[dict | None] = []

    def all_chunks(self) -> list[StoredChunk]:
        return self.chunks

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        self.wheres.append(where)
        kept = [
            c
            for c in self.chunks
            if not where or "doc_id" not in where or c.metadata["doc_id"] == where["doc_id"]
        ]
        return [(c.chunk_id, 0.9 - 0.1 * i) for i, c in enumerate(kept)][:n]


@pytest.fixture
def retriever(tmp_path: Path, hashing_embedder) -> HybridRetriever:
    chunks = [
        chunk("a1", "doc-a"), chunk("a2", "doc-a"), chunk("a3", "doc-a"),
        chunk("b1", "doc-b"), chunk("art1", "article-seed", kind="article"),
    ]  # fmt: skip
    settings = Settings(
        data_dir=tmp_path, fusion_rrf_k=10, fusion_dense_weight=1.0, fusion_lexical_weight=0.6
    )
    return HybridRetriever(settings, FakeStore(chunks), hashing_embedder)  # type: ignore[arg-type]


def test_filters_are_one_set_of_conditions_for_chroma_and_for_bm25() -> None:
    filters = SearchFilters(kind="case", category="觀光振興", factor="talent")
    assert filters.conditions() == {"kind": "case", "category": "觀光振興", "f_talent": True}
    assert filters.chroma_where() == {
        "$and": [{"kind": "case"}, {"category": "觀光振興"}, {"f_talent": True}]
    }
    assert SearchFilters(country="TW").chroma_where() == {"country": "TW"}
    assert SearchFilters().chroma_where() is None and SearchFilters().is_empty()
    meta = {"kind": "case", "category": "觀光振興", "f_talent": True, "country": "JP"}
    assert filters.matches(meta)
    assert not filters.matches({**meta, "f_talent": False})
    assert not filters.matches({**meta, "category": "農林水產"})


def test_fusion_adds_weighted_reciprocal_ranks(retriever: HybridRetriever) -> None:
    position = retriever.position
    dense = [(position["b1"], 0.9), (position["a1"], 0.8)]
    lexical = [(position["a1"], 7.0)]
    hits = retriever.fuse(dense, lexical, k=5)
    # a1: 1/12 + 0.6/11 = 0.1379; b1: 1/11 = 0.0909 — the chunk both retrievers found comes first
    assert [h.chunk_id for h in hits] == ["a1", "b1"]
    best = (1.0 + 0.6) / 11
    assert hits[0].score == pytest.approx(round((1 / 12 + 0.6 / 11) / best, 4))
    assert hits[0].dense_score == 0.8 and hits[0].lexical_score == 7.0
    assert hits[1].lexical_score is None


def test_fusion_caps_passages_per_document_and_discounts_the_article(retriever: HybridRetriever) -> None:
    position = retriever.position
    ranking = [(position[c], 1.0) for c in ("art1", "a1", "a2", "a3", "b1")]
    hits = retriever.fuse(ranking, [], k=5, max_per_doc=2, article_weight=0.5)
    assert [h.chunk_id for h in hits] == ["a1", "a2", "b1", "art1"]  # a3 over the cap; the article sinks
    unweighted = retriever.fuse(ranking, [], k=5, max_per_doc=2, article_weight=1.0)
    assert unweighted[0].chunk_id == "art1"


def test_lexical_only_fusion_ignores_the_dense_weight(retriever: HybridRetriever) -> None:
    position = retriever.position
    hits = retriever.fuse([], [(position["b1"], 3.0)], k=3)
    assert [h.chunk_id for h in hits] == ["b1"] and hits[0].score == 1.0


def test_a_given_query_vector_is_used_as_is(retriever: HybridRetriever, hashing_embedder) -> None:
    calls: list[list[str]] = []
    original = hashing_embedder.embed_queries

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return original(texts)

    hashing_embedder.embed_queries = counting
    vector = retriever.embed_query("觀光")
    assert len(calls) == 1
    retriever.search("觀光", k=3, query_vector=vector, filters=SearchFilters(kind="case"))
    assert len(calls) == 1, "the query was embedded again although its vector was given"
    assert retriever.store.wheres[-1] == {"kind": "case"}  # type: ignore[attr-defined]
    retriever.search("觀光", k=3)
    assert len(calls) == 2


def test_one_document_asked_for_gives_all_its_passages(retriever: HybridRetriever) -> None:
    """The cap on passages per document keeps a list diverse; for one document's passages it only hides them."""
    assert retriever.settings.max_chunks_per_doc < 3
    hits = retriever.search("text", k=5, filters=SearchFilters(doc_id="doc-a"))
    assert sorted(h.chunk_id for h in hits) == ["a1", "a2", "a3"]
