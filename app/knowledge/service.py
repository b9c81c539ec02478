"""The knowledge base as one service: what the CLI and the web app call. Heavy parts load lazily."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from app.config import Settings
from app.knowledge.embeddings import Embedder, load_embedder
from app.knowledge.indexing import Indexer
from app.knowledge.retrieval import HybridRetriever
from app.knowledge.schemas import IngestReport, SearchRequest, SearchResponse
from app.knowledge.store import ChunkStore


class KnowledgeBase:
    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.store = ChunkStore(settings)
        self._embedder = embedder
        self._retriever: HybridRetriever | None = None
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = load_embedder(self.settings)
            return self._embedder

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            self._retriever = HybridRetriever(self.settings, self.store, lambda: self.embedder)
        return self._retriever

    @property
    def model_loaded(self) -> bool:
        return self._embedder is not None

    def is_empty(self) -> bool:
        return self.store.count() == 0

    def ingest(self, paths: Sequence[Path] | None = None, show_progress: bool | None = None) -> IngestReport:
        report = Indexer(self.settings, self.store, lambda: self.embedder).ingest(paths, show_progress)
        if self._retriever is not None:
            self._retriever.refresh()
        return report

    def search(self, request: SearchRequest) -> SearchResponse:
        hits = self.retriever.search(request.query, request.k, request.filters, request.mode)
        return SearchResponse(query=request.query, hits=hits)
