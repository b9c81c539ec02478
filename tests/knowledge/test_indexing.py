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


@pytest.fixture
def make_kb(store_settings, corpus: Path):
    """A knowledge base over `corpus`, in the embedded store and in a Chroma server in turn."""

    def make(embedder, **overrides) -> KnowledgeBase:
        return KnowledgeBase(store_settings(corpus_dir=corpus, **overrides), embedder=embedder)

    return make


def test_second_run_embeds_nothing(tmp_path, corpus, hashing_embedder, make_kb) -> None:
    kb = make_kb(hashing_embedder)
    first = kb.ingest()
    assert sorted(first.added) == ["case-a", "case-b", "case-c"]
    embedded = len(hashing_embedder.embedded)
    second = kb.ingest()
    assert second.unchanged == 3 and second.chunks_embedded == 0
    assert len(hashing_embedder.embedded) == embedded


def test_editing_one_file_re_embeds_only_its_chunks(tmp_path, corpus, hashing_embedder, make_kb) -> None:
    kb = make_kb(hashing_embedder)
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


def test_deleted_file_leaves_the_index_and_search(tmp_path, corpus, hashing_embedder, make_kb) -> None:
    kb = make_kb(hashing_embedder)
    kb.ingest()
    assert any(h.doc_id == "case-c" for h in kb.retriever.search("精密工業人才", 3))
    (corpus / "case-c.md").unlink()
    report = kb.ingest()
    assert report.removed == ["case-c"]
    assert "case-c" not in kb.store.doc_states()
    assert all(h.doc_id != "case-c" for h in kb.retriever.search("精密工業人才", 3))


def test_ingesting_one_upload_does_not_drop_the_corpus(tmp_path, corpus, hashing_embedder, make_kb) -> None:
    kb = make_kb(hashing_embedder)
    kb.ingest()
    note = tmp_path / "my-notes.txt"
    note.write_text("我們的老街有四十間空店舖。", encoding="utf-8")
    report = kb.ingest([note])
    assert len(report.added) == 1 and report.added[0].startswith("upload-my-notes")
    assert report.removed == []
    assert {"case-a", "case-b", "case-c"} <= set(kb.store.doc_states())


def test_bad_file_type_is_a_clear_error_and_changes_nothing(
    tmp_path, corpus, hashing_embedder, make_kb
) -> None:
    kb = make_kb(hashing_embedder)
    bad = tmp_path / "slides.pptx"
    bad.write_bytes(b"PK")
    with pytest.raises(DocumentError, match=r"unsupported file type \.pptx"):
        kb.ingest([bad])
    with pytest.raises(DocumentError, match="no such file"):
        kb.ingest([tmp_path / "missing.md"])
    assert kb.store.count() == 0


def test_partially_written_document_is_repaired(tmp_path, corpus, hashing_embedder, make_kb) -> None:
    long_body = "".join(f"第{i}句說明這個案例的做法與成果。" for i in range(60))
    write_case(corpus, "case-long", long_body)
    kb = make_kb(hashing_embedder)
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


def _ingest_slowly(settings: dict, log: str) -> None:
    kb = KnowledgeBase(Settings(**settings), embedder=SlowEmbedder(Path(log)))
    kb.ingest()


def _ingest_in_another_process(settings: dict) -> None:
    from tests.conftest import HashingEmbedder

    KnowledgeBase(Settings(**settings), embedder=HashingEmbedder()).ingest()


def _spawn(target, *args) -> multiprocessing.process.BaseProcess:
    process = multiprocessing.get_context("spawn").Process(target=target, args=args)
    process.start()
    return process


def test_process_killed_mid_run_is_repaired_by_the_next_run(
    tmp_path, corpus, hashing_embedder, store_settings
) -> None:
    for i in range(12):
        write_case(corpus, f"case-extra-{i:02d}", f"第{i}個案例的內容。")
    settings = store_settings(corpus_dir=corpus, embed_batch_size=1)
    log = tmp_path / "embed-calls.log"
    process = _spawn(_ingest_slowly, settings.model_dump(), str(log))
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

    if settings.chroma_host is None:  # copy what the killed process left, as a fresh machine would find it
        shutil.copytree(settings.data_dir, tmp_path / "after-crash")
        settings = settings.model_copy(update={"data_dir": tmp_path / "after-crash"})
    kb = KnowledgeBase(settings, embedder=hashing_embedder)
    before = kb.store.doc_states()
    assert 0 < len(before) < 15
    report = kb.ingest()
    assert report.unchanged + len(report.added) + len(report.repaired) == 15
    states = kb.store.doc_states()
    assert len(states) == 15 and all(s.complete for s in states.values())
    assert kb.ingest().chunks_embedded == 0


def test_a_reader_sees_another_processs_ingest_without_a_restart(corpus, hashing_embedder, make_kb) -> None:
    reader = make_kb(hashing_embedder, index_check_seconds=0)
    reader.ingest()
    first = reader.generation
    assert first and not any(h.doc_id == "case-new" for h in reader.retriever.search("溫泉旅館再生", 3))

    write_case(corpus, "case-new", "丁町把歇業的溫泉旅館再生為共享工作空間。")
    (corpus / "case-a.md").unlink()
    process = _spawn(_ingest_in_another_process, reader.settings.model_dump())
    process.join(120)
    assert process.exitcode == 0

    assert reader.store.generation() not in ("", first)
    for mode in ("lexical", "dense"):  # BM25 and the vectors both follow
        hits = reader.retriever.search("溫泉旅館再生", 3, mode=mode)
        assert hits and hits[0].doc_id == "case-new", mode
        assert all(h.doc_id != "case-a" for h in reader.retriever.search("六次產業化", 5, mode=mode))
    assert reader.generation == reader.store.generation()


def test_a_reader_checks_for_changes_no_more_often_than_configured(corpus, hashing_embedder, make_kb) -> None:
    reader = make_kb(hashing_embedder, index_check_seconds=3600)
    reader.ingest()
    assert reader.retriever.chunks  # loaded now, before the other process writes
    write_case(corpus, "case-new", "丁町把歇業的溫泉旅館再生為共享工作空間。")
    process = _spawn(_ingest_in_another_process, reader.settings.model_dump())
    process.join(120)
    assert process.exitcode == 0
    assert all(h.doc_id != "case-new" for h in reader.retriever.search("溫泉旅館再生", 3, mode="lexical"))
    assert reader.reload_if_changed()  # what an explicit check (or the next interval) does
    assert reader.retriever.search("溫泉旅館再生", 3, mode="lexical")[0].doc_id == "case-new"
    assert not reader.reload_if_changed()


def test_an_ingest_that_changes_nothing_keeps_the_generation(hashing_embedder, make_kb) -> None:
    kb = make_kb(hashing_embedder)
    first = kb.ingest().generation
    assert first and kb.ingest().generation == first == kb.store.generation()


def test_hybrid_search_filters_in_both_retrievers(hashing_embedder, make_kb, corpus) -> None:
    from app.knowledge.schemas import SearchFilters

    kb = make_kb(hashing_embedder)
    note = corpus.parent / "notes.txt"
    note.write_text("甲町的六次產業化商品在老街販售。", encoding="utf-8")
    kb.ingest()
    kb.ingest([note])
    only_uploads = SearchFilters(kind="upload")
    for mode in ("hybrid", "dense", "lexical"):
        hits = kb.retriever.search("六次產業化", 5, only_uploads, mode=mode)
        assert [h.doc_id for h in hits] and all(h.doc_id.startswith("upload-notes") for h in hits), mode
    assert {h.doc_id for h in kb.retriever.search("六次產業化", 5)} >= {"case-a"}


def test_a_document_half_written_is_not_searchable_until_repaired(corpus, hashing_embedder, make_kb) -> None:
    """What a crash mid-write leaves (some chunks of a document) never reaches an answer."""
    long_body = "".join(f"第{i}句說明溫泉旅館再生的做法與成果。" for i in range(60))
    write_case(corpus, "case-long", long_body)
    kb = make_kb(hashing_embedder, index_check_seconds=0)
    kb.ingest()
    chunk_ids = [c.chunk_id for c in kb.store.all_chunks() if c.doc_id == "case-long"]
    kb.store.collection.delete(ids=chunk_ids[1:])
    kb.store.bump_generation()  # as the interrupted writer would have left it for readers to reload
    for mode in ("lexical", "dense", "hybrid"):
        assert all(h.doc_id != "case-long" for h in kb.retriever.search("溫泉旅館再生", 5, mode=mode)), mode
    assert {h.doc_id for h in kb.retriever.search("六次產業化", 5)} >= {"case-a"}  # the rest still answers
    kb.ingest()
    assert kb.retriever.search("溫泉旅館再生", 3, mode="lexical")[0].doc_id == "case-long"


def test_the_whole_collection_is_read_a_page_at_a_time(
    corpus, hashing_embedder, make_kb, monkeypatch
) -> None:
    """One `get` of 100k chunks fails on a Chroma server (eval/load/scale.py found it); reads are paged."""
    import app.knowledge.store as store_module

    for i in range(5):
        write_case(corpus, f"case-more-{i}", f"第{i}個案例。")
    kb = make_kb(hashing_embedder)
    kb.ingest()
    whole = {c.chunk_id for c in kb.store.all_chunks()}
    monkeypatch.setattr(store_module, "_PAGE", 3)
    assert {c.chunk_id for c in kb.store.all_chunks()} == whole and len(whole) == kb.store.count() == 8
    assert len(kb.store.doc_states()) == 8 and all(s.complete for s in kb.store.doc_states().values())
