"""Chroma-backed chunk store (embedded PersistentClient by default, a Chroma server when configured).

Each chunk's metadata carries its document's index hash and chunk count, so the store itself is the
manifest: a document is complete only when all its chunks with the current hash are present. A run killed
half-way leaves an incomplete document, which the next ingest detects and rebuilds.

The collection's metadata carries the index *generation*, a fresh token written after every change. Another
process (a second server worker, a server next to `sosei ingest`) compares it with the one it loaded and
reopens the store when it differs: that is how BM25 and the vectors stay in step across processes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

import numpy as np

from app.config import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI, Collection
    from chromadb.api.types import GetResult, Where
    from filelock import BaseFileLock
from app.knowledge.chunking import Chunk
from app.knowledge.documents import FACTORS

_ADD_BATCH = 256
_PAGE = 5000  # chunks per read of the whole collection


@dataclass
class DocState:
    doc_hash: str
    expected_chunks: int
    present_chunks: int = 0
    source_path: str = ""
    kind: str = ""
    hashes: set[str] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return len(self.hashes) == 1 and self.present_chunks == self.expected_chunks


@dataclass(frozen=True)
class DocumentWrite:
    """One document's chunks and vectors, ready to store; `existing`: it may have chunks to replace."""

    doc_id: str
    chunks: Sequence[Chunk]
    embeddings: np.ndarray
    doc_hash: str
    existing: bool = True


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    text: str
    metadata: dict[str, str | int | float | bool]

    @property
    def doc_id(self) -> str:
        return str(self.metadata.get("doc_id", ""))


def _chunk_metadata(chunk: Chunk, doc_hash: str, n_chunks: int, model: str) -> dict[str, str | int | bool]:
    meta: dict[str, str | int | bool] = dict(chunk.metadata)
    meta.update(
        heading=chunk.heading,
        chunk_index=chunk.index,
        doc_hash=doc_hash,
        n_chunks=n_chunks,
        embed_model=model,
    )
    # Chroma metadata holds scalars only: one boolean per driving factor makes them filterable.
    factors = set(filter(None, str(chunk.metadata.get("factors", "")).split(",")))
    for key in FACTORS:
        meta[f"f_{key}"] = key in factors
    return meta


def _scalars(meta: Mapping[str, object]) -> dict[str, str | int | float | bool]:
    """Chunk metadata as written: scalars only (Chroma's types also allow vectors, which sosei never stores)."""
    return {key: value for key, value in meta.items() if isinstance(value, str | int | float | bool)}


def _embedded_client(path: Path, settings: object) -> ClientAPI:
    """A PersistentClient that reads the files as they are now. Chroma shares one system per path within a
    process, and that system keeps the vector index it loaded: writes by another process reach its SQLite
    log but never its queries. Dropping the shared entry (not stopping it: queries in flight still use it)
    makes the new client load the index afresh; the old system is freed with its last client."""
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = str(path)
    SharedSystemClient._identifier_to_system.pop(identifier, None)
    SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    return chromadb.PersistentClient(path=identifier, settings=settings)  # type: ignore[arg-type]


class ChunkStore:
    def __init__(self, settings: Settings, fresh: bool = False) -> None:
        """`fresh` reopens an embedded store from disk, to see what another process wrote."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        self.remote = bool(settings.chroma_host)
        self.lock_path = settings.data_dir / "index.lock"
        self._write_lock: BaseFileLock | None = None
        if settings.chroma_host:
            self.client = chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        else:
            settings.chroma_dir.mkdir(parents=True, exist_ok=True)
            if fresh:
                self.client = _embedded_client(settings.chroma_dir, chroma_settings)
            else:
                self.client = chromadb.PersistentClient(
                    path=str(settings.chroma_dir), settings=chroma_settings
                )
        self.collection_name = settings.collection
        self.collection = self._open()

    def _open(self) -> Collection:
        return self.client.get_or_create_collection(
            self.collection_name,
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,  # embeddings are always passed in: Chroma's default downloads a model
        )

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the index's write lock: one writer at a time across processes on this machine (the embedded
        store is not safe for concurrent writers; with a server it keeps two ingests from interleaving)."""
        from filelock import FileLock

        if self._write_lock is None:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            self._write_lock = FileLock(self.lock_path)  # one instance: re-entrant within this process
        with self._write_lock:
            yield

    def generation(self) -> str:
        """The index generation as stored now, read afresh (cheap: one metadata lookup)."""
        try:
            collection = self.client.get_collection(self.collection_name)
        except Exception:
            return ""
        return str((collection.metadata or {}).get("generation", ""))

    def bump_generation(self) -> str:
        """Mark the index as changed, so readers in other processes reload it."""
        token = uuid.uuid4().hex
        self.collection.modify(metadata={"generation": token})
        return token

    def reset(self) -> None:
        """Drop everything, e.g. when the embedding model changed and vector sizes no longer match."""
        self.client.delete_collection(self.collection_name)
        self.collection = self._open()

    def count(self) -> int:
        return self.collection.count()

    def _pages(self, include: list[str]) -> Iterator[GetResult]:
        """Everything in the collection, a page at a time: one `get` of a large collection fails on a Chroma
        server ("too many SQL variables" at 100k chunks)."""
        offset = 0
        while True:
            page = self.collection.get(include=include, limit=_PAGE, offset=offset)  # type: ignore[arg-type]
            yield page
            if len(page["ids"]) < _PAGE:
                return
            offset += _PAGE

    def _metadatas(self) -> Iterator[Mapping[str, object]]:
        for page in self._pages(["metadatas"]):
            yield from page["metadatas"] or []

    def embed_models(self) -> set[str]:
        return {str(m.get("embed_model", "")) for m in self._metadatas()}

    def doc_states(self) -> dict[str, DocState]:
        states: dict[str, DocState] = {}
        for meta in self._metadatas():
            doc_id = str(meta["doc_id"])
            state = states.setdefault(
                doc_id,
                DocState(
                    doc_hash=str(meta.get("doc_hash", "")),
                    expected_chunks=int(str(meta.get("n_chunks", 0))),
                    source_path=str(meta.get("source_path", "")),
                    kind=str(meta.get("kind", "")),
                ),
            )
            state.present_chunks += 1
            state.hashes.add(str(meta.get("doc_hash", "")))
        return states

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        ids: list[str | int | float | bool] = list(doc_ids)
        if ids:
            self.collection.delete(where=cast("Where", {"doc_id": {"$in": ids}}))

    def write_documents(self, documents: Sequence[DocumentWrite], model: str) -> None:
        """Write whole documents: one delete for those that had chunks before (a delete by metadata costs a scan
        of the collection, so documents known to be new skip it), then their chunks in a few large adds (each
        call costs the server about as much for 10 chunks as for 256). The hash in each chunk marks a document
        complete only once all its chunks are in."""
        self.delete_documents([d.doc_id for d in documents if d.existing])
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[dict[str, str | int | bool]] = []
        vectors: list[np.ndarray] = []
        for document in documents:
            for chunk in document.chunks:
                ids.append(chunk.chunk_id)
                texts.append(chunk.text)
                metadatas.append(_chunk_metadata(chunk, document.doc_hash, len(document.chunks), model))
            vectors.append(document.embeddings)
        if not ids:
            return
        embeddings = np.concatenate(vectors)
        for start in range(0, len(ids), _ADD_BATCH):
            self.collection.add(
                ids=ids[start : start + _ADD_BATCH],
                documents=texts[start : start + _ADD_BATCH],
                embeddings=embeddings[start : start + _ADD_BATCH],
                metadatas=metadatas[start : start + _ADD_BATCH],  # type: ignore[arg-type]
            )

    def all_chunks(self) -> list[StoredChunk]:
        return [
            StoredChunk(chunk_id, text or "", _scalars(meta or {}))
            for got in self._pages(["documents", "metadatas"])
            for chunk_id, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            )
        ]

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first."""
        total = self.count()
        if total == 0:
            return []
        result = self.collection.query(
            query_embeddings=[vector.tolist()],
            n_results=min(n, total),
            where=where or None,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [(chunk_id, 1.0 - float(d)) for chunk_id, d in zip(ids, distances, strict=True)]
