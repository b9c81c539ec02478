"""Incremental ingest: only new or changed documents are embedded; deleted ones leave the index.

A document's index hash covers its content, the embedding model and the chunk size, so changing any of
them re-embeds it. Work is committed document by document, so a killed run loses at most the document
in flight, and the next run finds it incomplete (see ChunkStore) and rebuilds it.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from app.config import Settings
from app.knowledge.chunking import Chunk, chunk_document
from app.knowledge.documents import Document, discover_files, ensure_unique_ids, load_path
from app.knowledge.embeddings import Embedder
from app.knowledge.schemas import IngestReport
from app.knowledge.store import ChunkStore, DocumentWrite

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

ProgressCallback = Callable[[int, int], None]

# Bump when chunking or chunk metadata changes, so existing indexes are rebuilt on the next ingest.
INDEX_VERSION = 2


def index_hash(doc: Document, model: str, chunk_max_chars: int) -> str:
    key = f"{INDEX_VERSION}|{doc.content_hash}|{model}|{chunk_max_chars}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _under(path: str, roots: Sequence[Path]) -> bool:
    resolved = Path(path)
    return any(resolved == root or root in resolved.parents for root in roots)


def load_documents(paths: Sequence[Path], corpus_dir: Path) -> list[Document]:
    """Read and validate everything first, so a bad file stops the run before the index changes."""
    return ensure_unique_ids(
        [load_path(path.resolve(), corpus_dir) for path in discover_files(paths, corpus_dir)]
    )


def _batches(
    pending: list[tuple[Document, str, list[Chunk]]], target: int
) -> list[list[tuple[Document, str, list[Chunk]]]]:
    """Group whole documents until a group holds about `target` chunks."""
    groups: list[list[tuple[Document, str, list[Chunk]]]] = []
    size = target
    for item in pending:
        if size >= target:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += len(item[2])
    return groups


class _Progress:
    """A rich progress bar on a terminal; silent otherwise (CI logs, pipes, tests)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.enabled = enabled and total > 0
        self.total = total
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._bar = Progress(
                TextColumn("embedding"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("chunks"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("embed", total=self.total)
        return self

    def advance(self, n: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, n)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)


class Indexer:
    def __init__(
        self, settings: Settings, store: ChunkStore, embedder_factory: Callable[[], Embedder]
    ) -> None:
        self.settings = settings
        self.store = store
        self._embedder_factory = embedder_factory
        self._embedder: Embedder | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:  # loading the model costs seconds: only when something must be embedded
            self._embedder = self._embedder_factory()
        return self._embedder

    def ingest(
        self,
        paths: Sequence[Path] | None = None,
        show_progress: bool | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """`on_progress(done, total)` hears of every document written (chunks embedded so far, of all)."""
        started = time.perf_counter()
        corpus_dir = self.settings.corpus_dir.resolve()
        targets = [Path(p).resolve() for p in (paths or [corpus_dir])]
        docs = load_documents(targets, corpus_dir)
        with self.store.writing():
            report = self._apply(docs, targets, show_progress, on_progress)
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _apply(
        self,
        docs: list[Document],
        targets: list[Path],
        show_progress: bool | None,
        on_progress: ProgressCallback | None,
    ) -> IngestReport:
        """Bring the store in line with `docs`; the caller holds the write lock."""
        model = self.settings.embed_model
        report = IngestReport()

        if self.store.embed_models() - {model}:
            self.store.reset()  # another model's vectors cannot be mixed with this one's
            report.reset = True

        states = self.store.doc_states()
        pending: list[tuple[Document, str, list[Chunk]]] = []
        for doc in docs:
            wanted = index_hash(doc, model, self.settings.chunk_max_chars)
            state = states.get(doc.id)
            if state is not None and state.complete and state.doc_hash == wanted:
                report.unchanged += 1
                continue
            if state is None:
                report.added.append(doc.id)
            elif state.doc_hash == wanted:
                report.repaired.append(doc.id)  # same content but chunks missing: an interrupted run
            else:
                report.updated.append(doc.id)
            pending.append((doc, wanted, chunk_document(doc, self.settings.chunk_max_chars)))

        # Deletions only within folders this run covers, so `ingest my.pdf` never drops the corpus.
        present = {doc.id for doc in docs}
        folders = [t for t in targets if t.is_dir()]
        report.removed = sorted(
            doc_id
            for doc_id, state in states.items()
            if doc_id not in present and _under(state.source_path, folders)
        )
        self.store.delete_documents(report.removed)

        total = sum(len(chunks) for _, _, chunks in pending)
        if on_progress is not None:
            on_progress(0, total)
        enabled = sys.stderr.isatty() if show_progress is None else show_progress
        progress: AbstractContextManager = _Progress(total, enabled) if total else nullcontext()
        with progress as bar:
            for group in _batches(pending, self.settings.embed_batch_size * 2):
                # One encode call and one write for several documents keeps the model and the store busy; a
                # crash loses at most the documents of this group (a partly written one is never searchable).
                texts = [c.indexed_text for _, _, chunks in group for c in chunks]
                vectors = self.embedder.embed_passages(texts) if texts else None
                offset = 0
                writes: list[DocumentWrite] = []
                for doc, wanted, chunks in group:
                    if not chunks:
                        self.store.delete_documents([doc.id])
                        continue
                    assert vectors is not None
                    # a new document has no old chunks to delete first
                    writes.append(
                        DocumentWrite(
                            doc.id, chunks, vectors[offset : offset + len(chunks)], wanted, doc.id in states
                        )
                    )
                    offset += len(chunks)
                self.store.write_documents(writes, model)
                written = sum(len(w.chunks) for w in writes)
                report.chunks_embedded += written
                bar.advance(written)
                if on_progress is not None:
                    on_progress(report.chunks_embedded, total)

        stored = self.store.generation()
        report.generation = self.store.bump_generation() if report.changed or not stored else stored
        report.total_chunks = self.store.count()
        report.total_documents = len(self.store.doc_states())
        return report
