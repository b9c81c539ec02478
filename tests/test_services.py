"""The composition root wires every service once, around one knowledge base and one corpus."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings
from app.knowledge.service import KnowledgeBase
from app.services import build_services
from tests.conftest import CORPUS


def test_services_share_one_knowledge_base_and_one_corpus(tmp_path: Path, hashing_embedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS)
    services = build_services(settings, knowledge=KnowledgeBase(settings, embedder=hashing_embedder))
    assert services.cases.kb is services.knowledge
    assert services.critique.kb is services.knowledge and services.critique.cases is services.cases
    assert services.answers.kb is services.knowledge
    assert services.cases.corpus is services.corpus
    assert services.chat_model is None  # no LLM configured
    assert not (tmp_path / "data" / "feedback.sqlite3").exists(), "the feedback database is made on first use"


def test_ensure_index_indexes_an_empty_store_once(tmp_path: Path, hashing_embedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS)
    services = build_services(settings, knowledge=KnowledgeBase(settings, embedder=hashing_embedder))
    first = services.ensure_index(show_progress=False)
    assert first is not None and first.total_documents == len(services.corpus.documents)
    embedded = len(hashing_embedder.embedded)
    assert services.ensure_index(show_progress=False) is None
    assert len(hashing_embedder.embedded) == embedded
