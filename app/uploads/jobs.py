"""Indexing jobs in SQLite (data/uploads.sqlite3): what was asked, and how far its indexing got.

A job is only a record and a progress report. The work itself is always the same idempotent step, bringing the
index in line with the uploads folder, so a job lost in a crash is redone by simply running that step again:
at start-up, jobs left `running` by a process that no longer exists go back to `queued`.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from app.uploads.schemas import Job, JobAction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL,
    file_name TEXT NOT NULL,
    doc_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'queued',
    owner TEXT NOT NULL DEFAULT '',
    done_chunks INTEGER NOT NULL DEFAULT 0,
    total_chunks INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT ''
)
"""
_COLUMNS = "id, action, file_name, doc_id, status, done_chunks, total_chunks, error, created_at, finished_at"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def owner_id() -> str:
    """This process, as other processes on the machine can check it is alive."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(owner: str) -> bool:
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's process: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class JobStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(self.path, timeout=30) as db:
                db.execute("PRAGMA journal_mode=WAL")  # a committed job survives a crash
                db.execute(_SCHEMA)
            self._ready = True
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                yield db
        finally:
            db.close()

    def add(self, action: JobAction, file_name: str, doc_id: str = "") -> Job:
        with self._lock, self._db() as db:
            cursor = db.execute(
                "INSERT INTO jobs (action, file_name, doc_id, created_at) VALUES (?, ?, ?, ?)",
                (action, file_name, doc_id, _now()),
            )
            job_id = int(cursor.lastrowid or 0)
        job = self.get(job_id)
        assert job is not None
        return job

    def get(self, job_id: int) -> Job | None:
        with self._db() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def recent(self, limit: int = 20) -> list[Job]:
        with self._db() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_job(row) for row in rows]

    def pending(self) -> bool:
        with self._db() as db:
            return (
                db.execute("SELECT 1 FROM jobs WHERE status IN ('queued', 'running') LIMIT 1").fetchone()
                is not None
            )

    def claim(self) -> list[int]:
        """Take every queued job for this process (one sync serves them all); [] when none is waiting."""
        with self._lock, self._db() as db:
            db.execute("BEGIN IMMEDIATE")  # one process claims a job, never two
            ids = [row[0] for row in db.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY id")]
            if ids:
                marks = ",".join("?" * len(ids))
                db.execute(
                    f"UPDATE jobs SET status = 'running', owner = ? WHERE id IN ({marks})", (owner_id(), *ids)
                )
            return ids

    def progress(self, ids: list[int], done: int, total: int) -> None:
        marks = ",".join("?" * len(ids))
        with self._db() as db:
            db.execute(
                f"UPDATE jobs SET done_chunks = ?, total_chunks = ? WHERE id IN ({marks})",
                (done, total, *ids),
            )

    def finish(self, ids: list[int], error: str = "") -> None:
        marks = ",".join("?" * len(ids))
        with self._db() as db:
            db.execute(
                f"UPDATE jobs SET status = ?, error = ?, finished_at = ? WHERE id IN ({marks})",
                ("failed" if error else "done", error[:500], _now(), *ids),
            )

    def requeue_orphans(self) -> int:
        """Jobs left running by a process that died (a crash, a kill -9) go back to the queue."""
        with self._lock, self._db() as db:
            rows = db.execute("SELECT id, owner FROM jobs WHERE status = 'running'").fetchall()
            orphans = [job_id for job_id, owner in rows if not _alive(owner)]
            for job_id in orphans:
                db.execute("UPDATE jobs SET status = 'queued', owner = '' WHERE id = ?", (job_id,))
            return len(orphans)


def _job(row: tuple) -> Job:
    keys = [c.strip() for c in _COLUMNS.split(",")]
    return Job.model_validate(dict(zip(keys, row, strict=True)))
