"""The knowledge base as one service: what the CLI and the web app call. Heavy parts load lazily.

Several processes may share one index (server workers, `sosei ingest` next to a running server). Each
ingest writes a new index generation into the store; a reader looks at it at most every
`index_check_seconds` and, when it changed, builds a fresh store handle and BM25 index beside the ones in
use and swaps them in, so requests never see a half-built index and nobody restarts anything.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from app.config import Settings
from app.knowledge.embeddings import Embedder, load_embedder
from app.knowledge.indexing import Indexer, ProgressCallback
from app.knowledge.retrieval import HybridRetriever
from app.knowledge.schemas import IngestReport, SearchRequest, SearchResponse
from app.knowledge.store import ChunkStore
from app.metrics import INDEX_RELOADS

logger = logging.getLogger("sosei.knowledge")


class KnowledgeBase:
    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.store = ChunkStore(settings)
        self._embedder = embedder
        self._retriever: HybridRetriever | None = None
        self._lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self.generation = self.store.generation()
        self._checked_at = time.monotonic()

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = load_embedder(self.settings)
            return self._embedder

    @property
    def retriever(self) -> HybridRetriever:
        self._follow_other_writers()
        if self._retriever is None:
            with self._reload_lock:
                if self._retriever is None:
                    self._retriever = HybridRetriever(self.settings, self.store, lambda: self.embedder)
        return self._retriever

    def _follow_other_writers(self) -> None:
        """Reload when another process changed the index since we loaded it (checked at most every
        `index_check_seconds`; a request arriving meanwhile keeps the current index)."""
        now = time.monotonic()
        if now - self._checked_at < self.settings.index_check_seconds:
            return
        if not self._reload_lock.acquire(blocking=False):
            return  # another thread is checking or reloading
        try:
            self._checked_at = now
            stored = self.store.generation()
            if stored == self.generation:
                return
            started = time.perf_counter()
            store = ChunkStore(self.settings, fresh=True)
            retriever = HybridRetriever(self.settings, store, lambda: self.embedder)
            self.store, self._retriever, self.generation = store, retriever, stored
            INDEX_RELOADS.inc()
            logger.info(
                "index generation %s loaded in %.2fs: %d chunks",
                stored or "(none)",
                time.perf_counter() - started,
                len(retriever.chunks),
            )
        finally:
            self._reload_lock.release()

    def reload_if_changed(self) -> bool:
        """Check for another process's changes now; True when a new generation was loaded."""
        before = self.generation
        self._checked_at = float("-inf")
        self._follow_other_writers()
        return self.generation != before

    @property
    def model_loaded(self) -> bool:
        return self._embedder is not None

    def is_empty(self) -> bool:
        return self.store.count() == 0

    def ingest(
        self,
        paths: Sequence[Path] | None = None,
        show_progress: bool | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> IngestReport:
        report = Indexer(self.settings, self.store, lambda: self.embedder).ingest(
            paths, show_progress, on_progress
        )
        with self._reload_lock:
            if self._retriever is not None and report.generation != self.generation:
                self._retriever.refresh()
            self.generation = report.generation
        return report

    def search(self, request: SearchRequest) -> SearchResponse:
        hits = self.retriever.search(request.query, request.k, request.filters, request.mode)
        return SearchResponse(query=request.query, hits=hits)
