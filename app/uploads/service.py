"""Staff uploads: documents a county office adds to the knowledge base (md, txt, pdf, docx).

Accepting is quick and durable: the file is checked (type, size, that text can be read from it), written
under a temporary name, flushed to disk and renamed into `data/uploads/`, and a job is recorded; only then does
the request answer. Indexing runs in a background thread of the server and always does the same idempotent
thing: bring the index in line with the uploads folder (new and changed files embedded, removed ones dropped).
So a server killed at any point loses nothing it accepted: the next start re-queues the job and the same step
finishes it, and meanwhile a half-written document is never searchable (the retriever shows whole documents
only).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from app.config import Settings
from app.knowledge.documents import UPLOAD_SUFFIXES, Document, DocumentError, load_upload, upload_id
from app.knowledge.service import KnowledgeBase
from app.uploads.jobs import JobStore
from app.uploads.schemas import DocumentList, Job, JobAction, UploadedDocument

logger = logging.getLogger("sosei.uploads")
_SIGNATURES = {".pdf": (b"%PDF",), ".docx": (b"PK\x03\x04",)}


class UploadError(Exception):
    """Input the uploader can fix; `status` is the HTTP status that says what kind."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def safe_file_name(name: str) -> str:
    """The name a file is kept under: its own name without any folder, odd characters made `-`."""
    base = Path(name.replace("\\", "/")).name.strip()
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise UploadError(415, f"{base or 'the file'}: sosei reads {', '.join(UPLOAD_SUFFIXES)} files")
    stem = re.sub(r"[^\w\-. ]+", "-", stem, flags=re.UNICODE).strip(" .-")[:80] or "document"
    return f"{stem}{suffix}"


class UploadService:
    def __init__(self, settings: Settings, knowledge: KnowledgeBase) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self.folder = settings.uploads_dir
        self.incoming = settings.data_dir / "incoming"
        self.jobs = JobStore(settings.data_dir / "uploads.sqlite3")
        self.max_bytes = settings.upload_max_mb * 1_000_000
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._users = 0

    # --- what the admin page and API call ---------------------------------------------------------------------

    def listing(self) -> DocumentList:
        # What is searchable is what the retriever holds (whole documents only): no read of the whole store on
        # a page that refreshes itself every 2 s while indexing runs.
        titles: dict[str, str] = {}
        chunks: Counter[str] = Counter()
        for chunk in self.knowledge.retriever.chunks:
            if chunk.metadata.get("kind") == "upload":
                titles[chunk.doc_id] = str(chunk.metadata.get("title", ""))
                chunks[chunk.doc_id] += 1
        documents = []
        for path in self._files():
            doc_id = upload_id(path)
            stat = path.stat()
            documents.append(
                UploadedDocument(
                    doc_id=doc_id,
                    file_name=path.name,
                    title=titles.get(doc_id) or path.stem,
                    size_bytes=stat.st_size,
                    modified_at=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds"),
                    chunks=chunks[doc_id],
                    indexed=doc_id in chunks,
                )
            )
        return DocumentList(documents=documents, jobs=self.jobs.recent())

    def add(self, file_name: str, data: bytes) -> Job:
        name = safe_file_name(file_name)
        target = self.folder / name
        if target.exists():
            raise UploadError(409, f"{name} is already uploaded; replace it instead")
        self._accept(data, target)
        return self._enqueue("add", name, upload_id(target))

    def replace(self, doc_id: str, file_name: str, data: bytes) -> Job:
        old = self._path_of(doc_id)
        name = safe_file_name(file_name)
        target = self.folder / name
        if target != old and target.exists():
            raise UploadError(409, f"{name} is another uploaded document; delete or replace that one")
        self._accept(data, target)
        if target != old:
            old.unlink(missing_ok=True)
        return self._enqueue("replace", name, upload_id(target))

    def delete(self, doc_id: str) -> Job:
        path = self._path_of(doc_id)
        path.unlink(missing_ok=True)
        _sync_folder(self.folder)
        return self._enqueue("delete", path.name, doc_id)

    def document(self, doc_id: str) -> Document | None:
        """An uploaded document as the index reads it (for its page); None when there is no such upload."""
        try:
            return load_upload(self._path_of(doc_id))
        except (UploadError, DocumentError):
            return None

    def job(self, job_id: int) -> Job | None:
        return self.jobs.get(job_id)

    # --- the background indexer ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Re-queue what a dead process left running, check the folder once, and start indexing in the
        background (one thread per server process; jobs are claimed so no two processes run one job)."""
        self._users += 1
        if self._worker is not None:
            return
        if self.jobs.requeue_orphans():
            logger.info("re-queued indexing jobs left by a process that stopped")
        self._clear_stale_incoming()
        if self._files() and not self.jobs.pending():
            self._enqueue("check", "")
        self._stop.clear()
        self._worker = threading.Thread(target=self._run, name="sosei-uploads", daemon=True)
        self._worker.start()

    def stop(self) -> None:
        """Stop the background indexer once every app that started it has stopped (tests share one service)."""
        self._users = max(0, self._users - 1)
        if self._users:
            return
        self._stop.set()
        self._wake.set()
        if self._worker is not None:
            self._worker.join(timeout=30)
            self._worker = None

    def run_pending(self) -> bool:
        """Index once for every queued job; False when nothing was waiting."""
        ids = self.jobs.claim()
        if not ids:
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            report = self.knowledge.ingest(
                [self.folder],
                show_progress=False,
                on_progress=lambda done, total: self.jobs.progress(ids, done, total),
            )
        except Exception as exc:
            logger.exception("indexing uploads failed")
            self.jobs.finish(ids, error=str(exc) or type(exc).__name__)
        else:
            logger.info(
                "uploads indexed: %d added, %d updated, %d removed", len(report.added), len(report.updated),
                len(report.removed),
            )  # fmt: skip
            self.jobs.finish(ids)
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                while self.run_pending() and not self._stop.is_set():
                    pass
            except Exception:
                logger.exception("upload worker round failed")
            self._wake.wait(timeout=2.0)  # jobs queued by another worker process are seen within 2 s
            self._wake.clear()

    # --- files ----------------------------------------------------------------------------------------------

    def _clear_stale_incoming(self, older_than_s: float = 3600) -> None:
        """Half-received files of requests cut off by a crash (never accepted, so nothing is lost)."""
        if not self.incoming.is_dir():
            return
        cutoff = time.time() - older_than_s
        for path in self.incoming.iterdir():
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.iterdir() if p.is_file() and p.suffix.lower() in UPLOAD_SUFFIXES)

    def _path_of(self, doc_id: str) -> Path:
        for path in self._files():
            if upload_id(path) == doc_id:
                return path
        raise UploadError(404, f"no uploaded document {doc_id!r}")

    def _accept(self, data: bytes, target: Path) -> None:
        """Check the file, then put it in place durably: written whole and flushed before it has its name."""
        if not data:
            raise UploadError(400, f"{target.name} is empty")
        if len(data) > self.max_bytes:
            raise UploadError(413, f"{target.name} is over {self.settings.upload_max_mb} MB")
        suffix = target.suffix.lower()
        if suffix in _SIGNATURES and not data.startswith(_SIGNATURES[suffix]):
            raise UploadError(415, f"{target.name} is not a {suffix[1:].upper()} file")
        if suffix in (".md", ".txt"):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise UploadError(415, f"{target.name} is not UTF-8 text") from None
        self.incoming.mkdir(parents=True, exist_ok=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.incoming / f"{uuid.uuid4().hex}{suffix}"
        try:
            with temporary.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                load_upload(temporary)  # text must come out of it, or indexing would fail later
            except DocumentError as exc:
                raise UploadError(422, f"{target.name}: {str(exc).split(': ', 1)[-1]}") from None
            os.replace(temporary, target)
            _sync_folder(self.folder)
        finally:
            temporary.unlink(missing_ok=True)

    def _enqueue(self, action: JobAction, file_name: str, doc_id: str = "") -> Job:
        job = self.jobs.add(action, file_name, doc_id)
        self._wake.set()
        return job


def _sync_folder(folder: Path) -> None:
    """Make a rename or removal in `folder` durable (POSIX: fsync the directory)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
