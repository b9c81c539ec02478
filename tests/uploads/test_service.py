"""Staff uploads as a service: accepted files are durable before the answer, indexing is resumable, and a
server killed while indexing leaves nothing half-searchable and loses nothing it accepted."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from app.config import Settings
from app.knowledge.service import KnowledgeBase
from app.uploads.service import UploadError, UploadService, safe_file_name
from tests.conftest import HashingEmbedder

PHRASE = "溫泉旅館再生為共享工作空間"


@pytest.fixture
def settings(store_settings, tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"  # an empty corpus: only uploads in this index
    corpus.mkdir()
    return store_settings(corpus_dir=corpus, index_check_seconds=0)


def long_text(sentences: int = 40) -> bytes:
    return "".join(f"第{i}段：{PHRASE}的第{i}個做法與成果。\n\n" for i in range(sentences)).encode()


def test_file_names_are_kept_safe() -> None:
    assert safe_file_name("../../etc/報告 2025.PDF") == "報告 2025.pdf"
    assert safe_file_name("C:\\Users\\x\\會議紀錄.docx") == "會議紀錄.docx"
    assert safe_file_name("<script>.md") == "script.md"
    with pytest.raises(UploadError, match="sosei reads"):
        safe_file_name("slides.pptx")


def test_an_accepted_file_is_on_disk_with_its_job_before_any_indexing(settings) -> None:
    service = UploadService(settings, KnowledgeBase(settings, embedder=HashingEmbedder()))
    job = service.add("notes.md", "# 筆記\n\n老街有41間空店鋪。".encode())
    assert job.status == "queued" and (settings.uploads_dir / "notes.md").read_text(
        encoding="utf-8"
    ).startswith("# 筆記")
    assert not list((settings.data_dir / "incoming").iterdir())  # no temporary file left behind
    assert service.listing().documents[0].indexed is False
    assert service.run_pending() and not service.run_pending()
    document = service.listing().documents[0]
    assert document.indexed and document.title == "筆記" and service.job(job.id).status == "done"


class SlowEmbedder(HashingEmbedder):
    """Slow enough that the parent can kill the indexing process half-way; logs each call."""

    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log = log

    def embed_passages(self, texts):
        with self.log.open("a") as handle:
            handle.write("call\n")
        time.sleep(0.3)
        return super().embed_passages(texts)


def _serve_uploads(settings: dict, log: str) -> None:
    settings = Settings(**settings)
    service = UploadService(settings, KnowledgeBase(settings, embedder=SlowEmbedder(Path(log))))
    service.start()
    time.sleep(600)  # the parent kills this process


def test_a_server_killed_while_indexing_loses_nothing_and_shows_no_half_document(settings, tmp_path) -> None:
    settings = settings.model_copy(update={"embed_batch_size": 1})  # one encode call per document
    reader = KnowledgeBase(settings, embedder=HashingEmbedder())
    accepting = UploadService(settings, reader)
    jobs = [accepting.add(f"旅館{i}.md", long_text(40 + i)) for i in range(8)]  # accepted: answered now

    log = tmp_path / "calls.log"
    server = multiprocessing.get_context("spawn").Process(
        target=_serve_uploads, args=(settings.model_dump(), str(log))
    )
    server.start()
    deadline = time.time() + 120
    while not (log.exists() and len(log.read_text().splitlines()) >= 4):
        assert server.is_alive() and time.time() < deadline
        time.sleep(0.05)
    os.kill(server.pid, signal.SIGKILL)  # mid-indexing: some documents written, the rest not yet
    server.join()

    states = reader.store.doc_states()
    assert 0 < sum(s.complete for s in states.values()) < len(jobs)
    assert {accepting.job(job.id).status for job in jobs} == {"running"}  # as the dead process left them
    searchable = {h.doc_id for h in reader.retriever.search(PHRASE, 20, mode="lexical")}
    assert searchable == {doc_id for doc_id, state in states.items() if state.complete}  # only whole ones

    restarted = UploadService(settings, KnowledgeBase(settings, embedder=HashingEmbedder()))
    restarted.start()  # re-queues the dead process's jobs and indexes again
    try:
        deadline = time.time() + 120
        while {restarted.job(job.id).status for job in jobs} != {"done"}:
            assert "failed" not in {restarted.job(job.id).status for job in jobs} and time.time() < deadline
            time.sleep(0.1)
    finally:
        restarted.stop()
    states = reader.store.doc_states()
    assert {job.doc_id for job in jobs} <= {d for d, s in states.items() if s.complete}
    assert {h.doc_id for h in reader.retriever.search(PHRASE, 20, mode="lexical")} == {
        job.doc_id for job in jobs
    }
    for i in range(8):
        assert (settings.uploads_dir / f"旅館{i}.md").read_bytes() == long_text(40 + i)
