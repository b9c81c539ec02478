"""👍/👎 feedback, stored in SQLite in the data directory with the question, answer and citations."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from app.assistant.schemas import FeedbackRequest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    citations TEXT NOT NULL,
    comment TEXT,
    mode TEXT
)
"""


class FeedbackStore:
    """The database is created on first use, so commands that never store feedback leave no file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(self.path, timeout=10) as db:
                db.execute("PRAGMA journal_mode=WAL")  # a crash never loses a committed row
                db.execute(_SCHEMA)
            self._ready = True
        return sqlite3.connect(self.path, timeout=10)

    def add(self, item: FeedbackRequest) -> int:
        citations = json.dumps([c.model_dump() for c in item.citations], ensure_ascii=False)
        with self._lock, self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created_at, question, answer, rating, citations, comment, mode) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    datetime.now(UTC).isoformat(),
                    item.question,
                    item.answer,
                    item.rating,
                    citations,
                    item.comment,
                    item.mode,
                ),
            )
            return int(cursor.lastrowid or 0)

    def all(self) -> list[dict]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        return [dict(row) | {"citations": json.loads(row["citations"])} for row in rows]

    def recent(self, limit: int = 200) -> list[dict]:
        """The newest ratings first (an empty list before the first one)."""
        if not self.path.exists():
            return []
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(row) | {"citations": json.loads(row["citations"])} for row in rows]

    def to_csv(self) -> str:
        """Every rating as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese right)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["id", "created_at", "rating", "question", "answer", "cited_documents", "comment", "mode"]
        )
        for row in self.all() if self.path.exists() else []:
            cited = " ".join(dict.fromkeys(str(c.get("doc_id", "")) for c in row["citations"]))
            cells = [row["question"], row["answer"], cited, row["comment"] or "", row["mode"] or ""]
            writer.writerow([row["id"], row["created_at"], row["rating"], *map(_inert, cells)])
        return "\ufeff" + out.getvalue()


def _inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: anyone can type a question starting with `=`, which Excel would run
    as a formula (CSV injection); a leading apostrophe keeps it text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
