"""Shared fixtures. Unit tests use a fast hashing embedder; API/CLI/integration tests use the real
bundled model once per session (rebuilt into a temporary data directory, never ./data)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path

import numpy as np
import pytest

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
def tmp_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A data directory for the session, with the real bundled model and the full corpus indexed."""
    return Settings(data_dir=tmp_path_factory.mktemp("sosei-data"), corpus_dir=CORPUS, eval_dir=REPO / "eval")


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
