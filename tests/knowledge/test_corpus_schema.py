from pathlib import Path

import pytest

from app.knowledge.documents import (
    CATEGORIES,
    FACTORS,
    Document,
    DocumentError,
    load_corpus,
    load_corpus_file,
)
from tests.conftest import REPO

CORPUS = REPO / "corpus"
SEED_CASES = {
    "jp-nagaragawa-tourism",
    "jp-nishitosa-furusatoichi",
    "jp-shizukuishi-ccrc",
    "jp-sabae-medical-eyewear",
    "jp-takanabe-design",
    "jp-sagae-asahi-cherry",
    "jp-iizuna-takayama-smart-agri",
    "jp-saga-tourism",
    "jp-joetsu-takada",
    "jp-tsuru-silver-talent",
    "jp-suzuka-agri-welfare",
    "jp-nagano-wine",
    "jp-soni-agriforestry",
    "jp-tsuyama-industry-support",
    "jp-suwa-small-rocket",
    "jp-nishiawakura-local-venture",
    "jp-minamioguni-aso-grassland",
    "jp-mashiko-ware",
}


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    return load_corpus(CORPUS)


def test_every_corpus_file_is_valid_and_ids_are_unique(corpus: list[Document]) -> None:
    ids = [d.id for d in corpus]
    assert len(ids) == len(set(ids))
    assert len(corpus) == len([p for p in CORPUS.rglob("*.md") if p.name != "README.md"])


def test_every_seed_case_is_present(corpus: list[Document]) -> None:
    cases = {d.id for d in corpus if d.kind == "case"}
    assert cases >= SEED_CASES


def test_cases_use_fixed_lists_and_name_sources(corpus: list[Document]) -> None:
    for doc in corpus:
        assert doc.sources, doc.id
        assert doc.body.strip(), doc.id
        if doc.kind == "case":
            assert doc.category in CATEGORIES
            assert doc.factors and set(doc.factors) <= set(FACTORS)
            assert doc.kpis or doc.kpi_published == "no", doc.id


def test_guidelines_cover_rules_factors_pdca_and_example_table(corpus: list[Document]) -> None:
    guidelines = [d for d in corpus if d.kind == "guideline"]
    factor_docs = {f for d in guidelines if d.topic == "factor" for f in d.factors}
    assert factor_docs == set(FACTORS)
    codes = {code for d in guidelines for code in d.rules}
    for code in ("subjective", "indirect", "unambitious", "output_as_outcome", "no_baseline", "no_deadline"):
        assert code in codes, code
    assert any(d.topic == "pdca" for d in guidelines)
    table = next(d for d in guidelines if d.topic == "kpi_examples")
    assert len(table.rows) >= 10
    assert {row["category"] for row in table.rows} <= set(CATEGORIES)


def test_seed_article_is_indexed_as_article(corpus: list[Document]) -> None:
    assert any(d.kind == "article" for d in corpus)


def _write(tmp_path: Path, name: str, front: str, body: str = "內容。") -> Path:
    path = tmp_path / f"{name}.md"
    path.write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")
    return path


def test_unknown_category_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "x",
        "id: x\nkind: case\ntitle: t\ncountry: JP\nplace: p\ncategory: 旅遊\nfactors: [talent]\n"
        "sources: [{title: s}]",
    )
    with pytest.raises(DocumentError, match="category"):
        load_corpus_file(path)


def test_unknown_factor_and_missing_sources_are_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "y",
        "id: y\nkind: case\ntitle: t\ncountry: JP\nplace: p\ncategory: 農林水產\nfactors: [luck]",
    )
    with pytest.raises(DocumentError, match="factors"):
        load_corpus_file(path)
    path = _write(
        tmp_path,
        "z",
        "id: z\nkind: case\ntitle: t\ncountry: JP\nplace: p\ncategory: 農林水產\nfactors: [talent]",
    )
    with pytest.raises(DocumentError, match="sources"):
        load_corpus_file(path)


def test_id_must_match_file_name_and_duplicates_fail(tmp_path: Path) -> None:
    front = "id: {id}\nkind: guideline\ntitle: t\ncountry: JP\ntopic: pdca\nsources: [{{title: s}}]"
    _write(tmp_path, "a", front.format(id="a"))
    bad = _write(tmp_path, "b", front.format(id="a"))
    with pytest.raises(DocumentError, match="does not match"):
        load_corpus_file(bad)
    sub = tmp_path / "sub"
    sub.mkdir()
    _write(sub, "a", front.format(id="a"))
    bad.unlink()
    with pytest.raises(DocumentError, match="duplicate id"):
        load_corpus(tmp_path)


def test_kpi_level_must_be_known(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "k",
        "id: k\nkind: case\ntitle: t\ncountry: JP\nplace: p\ncategory: 農林水產\nfactors: [talent]\n"
        "sources: [{title: s}]\nkpis: [{name: 銷售額, level: impact}]",
    )
    with pytest.raises(DocumentError, match="level"):
        load_corpus_file(path)


_CASE = "id: {id}\nkind: case\ntitle: t\ncountry: JP\nplace: p\ncategory: 農林水產\nfactors: [talent]\nsources: [{{title: s}}]\n"


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("kpis: [{name: 移居戶數, level: outcome, target: 5}]", "target without target_year"),
        (
            "kpis: [{name: 移居戶數, level: outcome, baseline: 4, baseline_year: 2014, actual: 7}]",
            "actual without",
        ),
        ("kpis: [{name: 移居戶數, level: outcome, target: 5, target_year: R5}]", "not a year"),
        (
            "kpis: [{name: 移居戶數, level: outcome, target: 5, year: 2016}]",
            "year",
        ),  # the old, ambiguous field
        ("facts: [{what: 中央補助, value: 100, unit: 萬元, source: s}]", "year"),
        ("facts: [{what: 中央補助, value: 100, unit: 萬元, year: 2024}]", "source"),
    ],
)
def test_a_figure_needs_its_own_year_and_a_fact_its_source(tmp_path: Path, extra: str, problem: str) -> None:
    path = _write(tmp_path, "f", _CASE.format(id="f") + extra)
    with pytest.raises(DocumentError, match=problem):
        load_corpus_file(path)


def test_each_figure_keeps_its_own_year(tmp_path: Path) -> None:
    extra = (
        "kpis: [{name: 移居戶數, level: outcome, baseline: 4, baseline_year: 2014, target: 5,"
        " target_year: '2016-03', actual: 7, actual_year: 2016}]"
    )
    kpi = load_corpus_file(_write(tmp_path, "g", _CASE.format(id="g") + extra)).kpis[0]
    assert (kpi.baseline_year, kpi.target_year, kpi.actual_year) == (2014, "2016-03", 2016)
    assert kpi.figures == 3


def test_every_figure_in_the_corpus_has_a_year_and_every_fact_a_source(corpus: list[Document]) -> None:
    # The models refuse anything else; this says which file when one slips through a loader change.
    for doc in corpus:
        for kpi in doc.kpis:
            for figure in ("baseline", "target", "actual"):
                if getattr(kpi, figure) is not None:
                    assert getattr(kpi, f"{figure}_year") is not None, (doc.id, kpi.name, figure)
        for fact in doc.facts:
            assert fact.year and fact.source, (doc.id, fact.what)


def test_related_documents_exist(corpus: list[Document]) -> None:
    ids = {d.id for d in corpus}
    for doc in corpus:
        assert set(doc.related) <= ids, (doc.id, set(doc.related) - ids)


def _has_figures(doc: Document) -> bool:
    """A case has figures when one of its KPIs publishes at least two of baseline, target and actual."""
    return any(kpi.figures >= 2 for kpi in doc.kpis)


def test_the_corpus_is_deep_enough(corpus: list[Document]) -> None:
    """Issue 11's targets: 70 cases; 30 with figures, at least 2 in each category and 8 in Taiwan."""
    cases = [d for d in corpus if d.kind == "case"]
    with_figures = [d for d in cases if _has_figures(d)]
    assert len(cases) >= 70
    assert len(with_figures) >= 30
    for category in CATEGORIES:
        assert sum(d.category == category for d in with_figures) >= 2, category
    assert sum(d.country == "TW" for d in with_figures) >= 8


def test_an_alias_is_found_in_the_first_passage(tmp_path: Path) -> None:
    from app.knowledge.chunking import chunk_document

    extra = "aliases: [長良川流域觀光推進協會]"
    doc = load_corpus_file(
        _write(tmp_path, "h", _CASE.format(id="h") + extra, body="## 概要\n長良川流域觀光推進協議會成立。")
    )
    chunks = chunk_document(doc)
    assert "長良川流域觀光推進協會" in chunks[0].text and "協議會成立" in chunks[0].text


def test_no_body_text_names_an_internal_id(corpus: list[Document]) -> None:
    """Answers quote the body; a reader must never see 「（見 gl-kpi-levels）」. Links belong in `related`."""
    import re

    internal = re.compile(r"\b(?:jp|tw|gl|article)-[a-z0-9]+(?:-[a-z0-9]+)+\b")
    for doc in corpus:
        assert not internal.search(doc.body), (doc.id, internal.findall(doc.body))
