"""The corpus as loaded documents: read from disk once, shared by the case library and the pages."""

from __future__ import annotations

import threading
from pathlib import Path

from app.knowledge.documents import Document, load_corpus


class Corpus:
    """Every document of the corpus folder by id, read on first use and kept."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self._documents: dict[str, Document] | None = None
        self._lock = threading.Lock()

    @property
    def documents(self) -> dict[str, Document]:
        with self._lock:
            if self._documents is None:
                self._documents = {doc.id: doc for doc in load_corpus(self.corpus_dir)}
            return self._documents

    def get(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def of_kind(self, kind: str) -> dict[str, Document]:
        return {doc_id: doc for doc_id, doc in self.documents.items() if doc.kind == kind}
