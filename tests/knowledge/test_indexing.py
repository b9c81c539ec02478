"""Incremental indexing: unchanged documents are not re-embedded, edits replace, deletions leave,
and a run killed part-way is repaired by the next one."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from app.config import Settings
from app.knowledge.documents import DocumentError
from app.knowledge.service import KnowledgeBase

CASE = """---
id: {id}
kind: case
title: {title}
country: JP
place: 某町
category: 農林水產
factors: [talent]
sources: [{{title: 測試來源}}]
kpis: [{{name: 銷售額, level: outcome}}]
---
## 概要
{body}
"""


def write_case(folder: Path, doc_id: str, body: str, title: str = "測試案例") -> Path:
    path = folder / f"{doc_id}.md"
    path.write_text(CASE.format(id=doc_id, title=title, body=body), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_case(folder, "case-a", "甲町推動六次產業化，開發新商品。")
    write_case(folder, "case-b", "乙村成立農林業公社，協助農家行銷。")
    write_case(folder, "case-c", "丙市與大學合作培育精密工業人才。")
    return folder


def make_kb(tmp_path: Path, corpus: Path, embedder) -> KnowledgeBase:
    return KnowledgeBase(Settings(data_dir=tmp_path / "data", corpus_dir=corpus), embedder=embedder)


def test_second_run_embeds_nothing(tmp_path, corpus, hashing_embedder) -> None:
    kb = make_kb(tmp_path, corpus, hashing_embedder)
    first = kb.ingest()
    assert sorted(first.added) == ["case-a", "case-b", "case-c"]
    embedded = len(hashing_embedder.embedded)
    second = kb.ingest()
    assert second.unchanged == 3 and second.chunks_embedded == 0
    assert len(hashing_embedder.embedded) == embedded


def test_editing_one_file_re_embeds_only_its_chunks(tmp_path, corpus, hashing_embedder) -> None:
    kb = make_kb(tmp_path, corpus, hashing_embedder)
    kb.ingest()
    hashing_embedder.embedded.clear()
    write_case(corpus, "case-b", "乙村改由青年回鄉團隊經營品牌，銷售額成長兩成。")
    report = kb.ingest()
    assert report.updated == ["case-b"] and report.unchanged == 2
    assert hashing_embedder.embedded and all(
        "乙村" in text or "測試案例" in text for text in hashing_embedder.embedded
    )
    texts = [c.text for c in kb.store.all_chunks() if c.doc_id == "case-b"]
    assert texts == ["乙村改由青年回鄉團隊經營品牌，銷售額成長兩成。"]


def test_deleted_file_leaves_the_index_and_search(tmp_path, corpus, hashing_embedder) -> None:
    kb = make_kb(tmp_path, corpus, hashing_embedder)
    kb.ingest()
    assert any(h.doc_id == "case-c" for h in kb.retriever.search("精密工業人才", 3))
    (corpus / "case-c.md").unlink()
    report = kb.ingest()
    assert report.removed == ["case-c"]
    assert "case-c" not in kb.store.doc_states()
    assert all(h.doc_id != "case-c" for h in kb.retriever.search("精密工業人才", 3))


def test_ingesting_one_upload_does_not_drop_the_corpus(tmp_path, corpus, hashing_embedder) -> None:
    kb = make_kb(tmp_path, corpus, hashing_embedder)
    kb.ingest()
    note = tmp_path / "my-notes.txt"
    note.write_text("我們的老街有四十間空店舖。", encoding="utf-8")
    report = kb.ingest([note])
    assert len(report.added) == 1 and report.added[0].startswith("upload-my-notes")
    assert report.removed == []
    assert {"case-a", "case-b", "case-c"} <= set(kb.store.doc_states())


def test_bad_file_type_is_a_clear_error_and_changes_nothing(tmp_path, corpus, hashing_embedder) -> None:
    kb = make_kb(tmp_path, corpus, hashing_embedder)
    bad = tmp_path / "slides.pptx"
    bad.write_bytes(b"PK")
    with pytest.raises(DocumentError, match=r"unsupported file type \.pptx"):
        kb.ingest([bad])
    with pytest.raises(DocumentError, match="no such file"):
        kb.ingest([tmp_path / "missing.md"])
    assert kb.store.count() == 0


def test_partially_written_document_is_repaired(tmp_path, corpus, hashing_embedder) -> None:
    long_body = "".join(f"第{i}句說明這個案例的做法與成果。" for i in range(60))
    write_case(corpus, "case-long", long_body)
    kb = make_kb(tmp_path, corpus, hashing_embedder)
    kb.ingest()
    chunk_ids = [c.chunk_id for c in kb.store.all_chunks() if c.doc_id == "case-long"]
    assert len(chunk_ids) > 2
    kb.store.collection.delete(ids=chunk_ids[1:])  # what a crash between two writes leaves behind
    report = kb.ingest()
    assert report.repaired == ["case-long"]
    assert len([c for c in kb.store.all_chunks() if c.doc_id == "case-long"]) == len(chunk_ids)


class SlowEmbedder:
    """Sleeps per call and logs each call to a file, so the parent can kill the run half-way."""

    name = "test-hashing"

    def __init__(self, log: Path) -> None:
        from tests.conftest import HashingEmbedder

        self.inner = HashingEmbedder()
        self.log = log

    def embed_passages(self, texts):
        with self.log.open("a") as handle:
            handle.write("call\n")
        time.sleep(0.4)
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts):
        return self.inner.embed_queries(texts)


def _ingest_slowly(data_dir: str, corpus_dir: str, log: str) -> None:
    settings = Settings(data_dir=Path(data_dir), corpus_dir=Path(corpus_dir), embed_batch_size=1)
    kb = KnowledgeBase(settings, embedder=SlowEmbedder(Path(log)))
    kb.ingest()


def test_process_killed_mid_run_is_repaired_by_the_next_run(tmp_path, corpus, hashing_embedder) -> None:
    for i in range(12):
        write_case(corpus, f"case-extra-{i:02d}", f"第{i}個案例的內容。")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    log = tmp_path / "embed-calls.log"
    process = multiprocessing.get_context("spawn").Process(
        target=_ingest_slowly, args=(str(settings.data_dir), str(corpus), str(log))
    )
    process.start()
    deadline = time.time() + 120
    # Each encode call covers two one-chunk documents; after the third call began, at least four
    # documents are written and most are still to come.
    while time.time() < deadline and process.is_alive():
        time.sleep(0.1)
        if log.exists() and len(log.read_text().splitlines()) >= 3:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.join()
    assert process.exitcode == -signal.SIGKILL

    # Copy what the killed process left, as a fresh machine would find it, and run again.
    shutil.copytree(settings.data_dir, tmp_path / "after-crash")
    kb = KnowledgeBase(
        Settings(data_dir=tmp_path / "after-crash", corpus_dir=corpus), embedder=hashing_embedder
    )
    before = kb.store.doc_states()
    assert 0 < len(before) < 15
    report = kb.ingest()
    assert report.unchanged + len(report.added) + len(report.repaired) == 15
    states = kb.store.doc_states()
    assert len(states) == 15 and all(s.complete for s in states.values())
    assert kb.ingest().chunks_embedded == 0
