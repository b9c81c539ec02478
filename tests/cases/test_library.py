"""The case library on the real corpus files, with a hashing embedder: listing, filters, detail and
comparable cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cases.library import CaseLibrary
from app.config import Settings
from app.knowledge.corpus import Corpus
from app.knowledge.service import KnowledgeBase
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> CaseLibrary:
    from tests.conftest import HashingEmbedder

    settings = Settings(data_dir=tmp_path_factory.mktemp("cases") / "data", corpus_dir=CORPUS)
    kb = KnowledgeBase(settings, embedder=HashingEmbedder())
    kb.ingest(show_progress=False)
    return CaseLibrary(kb, Corpus(CORPUS))


def test_list_filters_combine(library: CaseLibrary) -> None:
    everything = library.list()
    assert everything.total == len(library.cases) and everything.total >= 40
    assert [c.case_id for c in everything.cases] == sorted(c.case_id for c in everything.cases)
    tw_tourism = library.list(category="觀光振興", country="TW")
    assert tw_tourism.cases and all(c.category == "觀光振興" and c.country == "TW" for c in tw_tourism.cases)
    assert library.list(q="益子").cases[0].case_id == "jp-mashiko-ware"
    # Nothing holds these words: at most a few cases closest in meaning, each marked as such.
    unrelated = library.list(q="no such place anywhere")
    assert unrelated.total <= 5 and all(c.match == "meaning" for c in unrelated.cases)


def test_detail_carries_the_body_and_sources(library: CaseLibrary) -> None:
    case = library.get("jp-mashiko-ware")
    assert case is not None and case.body and case.sources and case.kpis
    assert library.get("no-such-case") is None


def test_similar_keeps_to_the_category_and_explains_why(library: CaseLibrary) -> None:
    found = library.similar("老街空店舖活化，吸引青年進駐開店", k=3, category="街區營造", mode="lexical")
    assert len(found) == 3
    assert all(case.category == "街區營造" and "同屬「街區營造」" in case.why for case in found)
    with_kpis = library.similar(
        "觀光列車 流域", k=5, mode="lexical", require_kpis=True, exclude="jp-nagaragawa-tourism"
    )
    assert with_kpis and all(case.kpis for case in with_kpis)
    assert "jp-nagaragawa-tourism" not in {case.case_id for case in with_kpis}
    assert library.similar("   ", k=3) == []


def test_the_corpus_is_read_once(library: CaseLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = Corpus(CORPUS)
    first = corpus.documents
    monkeypatch.setattr("app.knowledge.corpus.load_corpus", lambda _: pytest.fail("read twice"))
    assert corpus.documents is first and corpus.get("gl-pdca") is not None
    assert set(corpus.of_kind("case")) == set(library.cases)
    assert isinstance(corpus.corpus_dir, Path)
