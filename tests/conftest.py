"""Shared fixtures. Unit tests use a fast hashing embedder; API/CLI/integration tests use the real
bundled model once per session (rebuilt into a temporary data directory, never ./data)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.knowledge.lexical import tokenize

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parent.parent  # the checkout: corpus/, eval/, docs/
CORPUS = REPO / "corpus"
# The finding codes the interface contract fixes (docs/contract.md): tests check the rule registry against them.
CONTRACT_KPI_CODES = (
    "subjective", "not_quantified", "indirect", "output_as_outcome", "no_baseline", "unambitious", "no_deadline",
)  # fmt: skip
CONTRACT_FACTORS = ("self_reliance", "public_private", "cross_region", "cross_policy", "lead_body", "talent")
CONTRACT_PLAN_CODES = (
    "no_outcome", "no_output", "too_many_kpis", "cost_effectiveness", *(f"factor:{f}" for f in CONTRACT_FACTORS),
)  # fmt: skip


def free_port() -> int:
    """A loopback port nobody listens on, for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sse_events(body: str) -> list[tuple[str, object]]:
    """A Server-Sent Events body as (event, JSON data) pairs."""
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


class HashingEmbedder:
    """Deterministic bag-of-bigrams vectors; counts what it embeds so tests can assert incrementality."""

    name = "test-hashing"

    def __init__(self, dim: int = 128) -> None:
        self.dim = dim
        self.embedded: list[str] = []

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for token in tokenize(text):
            v[int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dim] += 1.0
        norm = np.linalg.norm(v)
        return v / norm if norm else v + 1 / np.sqrt(self.dim)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def tmp_settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    store = os.environ.get("SOSEI_TEST_STORE", "embedded")
    return Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, **store_overrides(store, request))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Chroma server (`chroma run`, shipped with chromadb) on loopback for the session."""
    import httpx

    port = free_port()
    folder = tmp_path_factory.mktemp("chroma-server")
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("chroma")), "run", "--path", str(folder / "db"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.time() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            pytest.fail(f"chroma run did not start: {(folder / 'server.log').read_text()[-2000:]}")
        time.sleep(0.2)
    yield "127.0.0.1", port
    process.terminate()
    process.wait(timeout=30)
    log.close()


STORES = ("embedded", "server")


def store_overrides(store: str, request: pytest.FixtureRequest) -> dict[str, object]:
    """Settings that put an index in the embedded store or, with its own collection, in the session's Chroma
    server."""
    if store == "embedded":
        return {}
    host, port = request.getfixturevalue("chroma_server")
    return {"chroma_host": host, "chroma_port": port, "collection": f"t-{uuid.uuid4().hex}"}


@pytest.fixture(params=STORES)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., Settings]:
    """Builds Settings for one index, in each store in turn: the store, ingest and retrieval tests run against
    the embedded store and a real Chroma server."""
    fixed = {"data_dir": tmp_path / "data", "corpus_dir": CORPUS, **store_overrides(request.param, request)}

    def make(**overrides: object) -> Settings:
        return Settings(**{**fixed, **overrides})  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Settings:
    """A data directory for the session, with the real bundled model and the full corpus indexed. With
    SOSEI_TEST_STORE=server the index lives in a Chroma server instead (`make test-server` runs the whole
    suite that way)."""
    store = os.environ.get("SOSEI_TEST_STORE", "embedded")
    return Settings(
        data_dir=tmp_path_factory.mktemp("sosei-data"),
        corpus_dir=CORPUS,
        eval_dir=REPO / "eval",
        rate_limits_enabled=False,  # the suite asks far more often than a person; tests/web/test_serving.py checks them
        cookie_secure=False,  # test clients speak plain HTTP; tests/web/test_admin.py checks Secure cookies
        **store_overrides(store, request),  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def real_kb(real_settings: Settings):
    from app.knowledge.service import KnowledgeBase

    kb = KnowledgeBase(real_settings)
    kb.ingest(show_progress=False)
    return kb


@pytest.fixture(scope="session")
def real_services(real_settings: Settings, real_kb):
    """Every service wired as the app wires them, on the session's real index (no LLM)."""
    from app.services import build_services

    return build_services(real_settings.model_copy(update={"llm": "none"}), knowledge=real_kb)


class FormClient(TestClient):
    """A test client that posts forms as a browser does after loading the page: with the page's CSRF token
    (every POST form needs one; tests/web/test_admin.py checks that forms without it are refused)."""

    def post(self, url, *args, data=None, files=None, **kwargs):  # type: ignore[no-untyped-def, override]
        if (data is not None or files is not None) and "csrftoken" not in (data or {}):
            data = {**(data or {}), "csrftoken": self.csrf_token()}
        return super().post(url, *args, data=data, files=files, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/login")
        return re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
