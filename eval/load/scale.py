"""Scale figures: a synthetic index of 1k, 10k and 100k chunks in a Chroma server, through sosei's own store and
retriever code. For each size: write rate, BM25 build time, dense / lexical / hybrid search p50 and p95, and the
memory of the Chroma server and of the sosei process holding the BM25 index.

    .venv/bin/python eval/load/scale.py --sizes 1000 10000 100000 > eval/load/scale.json

Texts are real corpus passages recombined (so BM25 sees the corpus's vocabulary and lengths); vectors are
random unit vectors of the bundled model's size (384), so the figures isolate storage and search from the
model. Encoding cost is measured apart (`sosei eval --suite retrieval`: chunks/s; one query ≈ 10–20 ms).
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import psutil

from app.config import Settings
from app.knowledge.chunking import Chunk, chunk_document
from app.knowledge.documents import load_corpus
from app.knowledge.retrieval import HybridRetriever
from app.knowledge.store import ChunkStore, DocumentWrite

ROOT = Path(__file__).resolve().parents[2]
DIM = 384
CHUNKS_PER_DOC = 10
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RandomEmbedder:
    name = "random"

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)

    def _unit(self, n: int) -> np.ndarray:
        v = self.rng.standard_normal((n, DIM)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._unit(len(texts))

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._unit(len(texts))


def synthetic_chunks(size: int, seed: int = 0) -> list[tuple[str, list[Chunk]]]:
    """`size` chunks in documents of CHUNKS_PER_DOC, each text a recombination of corpus sentences."""
    rng = random.Random(seed)
    real = [c for doc in load_corpus(ROOT / "corpus") for c in chunk_document(doc, 360)]
    sentences = [s for c in real for s in c.text.replace("。", "。\n").splitlines() if len(s) > 8]
    docs = []
    for d in range(size // CHUNKS_PER_DOC):
        template = real[d % len(real)]
        doc_id = f"syn-{d:06d}"
        chunks = []
        for i in range(CHUNKS_PER_DOC):
            text = "".join(rng.sample(sentences, 4))[:360]
            meta = {**template.metadata, "doc_id": doc_id, "title": f"合成文件 {d}", "kind": "upload"}
            chunks.append(
                Chunk(chunk_id=f"{doc_id}:{i}", doc_id=doc_id, index=i, text=text, heading="", metadata=meta)
            )
        docs.append((doc_id, chunks))
    return docs


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
    }


def measure(
    size: int, host: str, port: int, server: psutil.Process, queries: list[str], new_documents: bool = True
) -> dict[str, object]:
    """`new_documents`: write as the indexer writes documents it has not seen (no delete first); False writes
    each as a replacement (a delete by metadata, then the add), as every write was before issue 13."""
    settings = Settings(
        chroma_host=host, chroma_port=port, collection=f"scale-{size}", data_dir=Path(tempfile.mkdtemp())
    )
    store = ChunkStore(settings)
    store.reset()
    embedder = RandomEmbedder()
    docs = synthetic_chunks(size)
    started = time.perf_counter()
    # As the indexer writes: groups of whole documents of about 64 chunks (2 × the encode batch), one write each.
    per_group = max(1, 64 // CHUNKS_PER_DOC)
    for first in range(0, len(docs), per_group):
        writes = [
            DocumentWrite(
                doc_id, chunks, embedder.embed_passages([c.text for c in chunks]), "h", not new_documents
            )
            for doc_id, chunks in docs[first : first + per_group]
        ]
        store.write_documents(writes, "random")
    write_s = time.perf_counter() - started

    me = psutil.Process()
    before = me.memory_info().rss
    started = time.perf_counter()
    retriever = HybridRetriever(settings, store, embedder)  # fetches every chunk and builds BM25
    build_s = time.perf_counter() - started
    bm25_mib = (me.memory_info().rss - before) / MIB

    timings: dict[str, list[float]] = {"dense": [], "lexical": [], "hybrid": []}
    for query in queries:
        for mode in timings:
            started = time.perf_counter()
            retriever.search(query, 5, mode=mode)  # type: ignore[arg-type]
            timings[mode].append(time.perf_counter() - started)
    return {
        "chunks": store.count(),
        "write_chunks_per_s": round(size / write_s),
        "bm25_build_s": round(build_s, 2),
        "search": {mode: percentiles(samples) for mode, samples in timings.items()},
        "memory_mib": {
            "chroma_server": round(server.memory_info().rss / MIB),
            "sosei_bm25_and_chunks": round(bm25_mib),
        },
        "chroma_disk_mib": None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument(
        "--as-replacements", action="store_true", help="delete each document before writing it (the old path)"
    )
    args = parser.parse_args()

    import yaml

    dev = yaml.safe_load((ROOT / "eval" / "retrieval_dev.yaml").read_text(encoding="utf-8"))
    queries = [item["question"] for item in dev][: args.queries]
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        chroma = subprocess.Popen(
            [str(Path(sys.executable).with_name("chroma")), "run", "--path", folder, "--host", "127.0.0.1",
             "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            deadline = time.time() + 60
            while True:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).raise_for_status()
                    break
                except httpx.HTTPError:
                    if time.time() > deadline:
                        raise SystemExit("chroma run did not start") from None
                    time.sleep(0.3)
            results = []
            for size in args.sizes:
                figures = measure(
                    size, "127.0.0.1", port, psutil.Process(chroma.pid), queries, not args.as_replacements
                )
                figures["chroma_disk_mib"] = round(
                    sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()) / MIB
                )
                results.append(figures)
                print(json.dumps(figures, ensure_ascii=False), file=sys.stderr)
        finally:
            chroma.terminate()
            chroma.wait(timeout=60)
    json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
