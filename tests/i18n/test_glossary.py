"""The glossary: every domain code named in all three answer languages, aliases that find what they name."""

from __future__ import annotations

from typing import get_args

import pytest

from app.i18n import catalog
from app.i18n.glossary import ANSWER_LANGS, TERM_SECTIONS, answer_lang, glossary
from app.knowledge.documents import CONTEXTS, Category, Factor


def test_every_code_has_a_name_in_every_answer_language() -> None:
    terms = glossary()
    assert set(terms.factors) == set(get_args(Factor))
    assert set(terms.categories) == set(get_args(Category))
    assert set(terms.contexts) == set(CONTEXTS)
    assert set(terms.levels) == {"overall", "outcome", "output"}
    for section in ("factors", "categories", "contexts", "levels", "project_kinds", "principles"):
        for lang in ANSWER_LANGS:
            names = terms.names(section, lang)
            assert all(names.values()), (section, lang)


def test_every_frame_exists_in_every_language() -> None:
    frames = glossary().frames
    assert set(frames) == set(ANSWER_LANGS)
    assert set(frames["en"]) == set(frames["zh-TW"]) == set(frames["ja"])


def test_ui_catalogs_take_their_domain_names_from_the_glossary() -> None:
    assert catalog("zh-TW").factors["cross_policy"] == glossary().factors["cross_policy"].name("zh-TW")
    assert catalog("en").categories["觀光振興"] == "Tourism"


def test_project_kinds_are_the_example_table_rows(real_services) -> None:
    table = real_services.corpus.get("gl-kpi-example-table")
    assert {row["plan"] for row in table.rows} == set(glossary().project_kinds)


def test_principles_point_at_existing_guidelines(real_services) -> None:
    for code, term in glossary().principles.items():
        assert term.doc and real_services.corpus.get(term.doc) is not None, code


@pytest.mark.parametrize(
    ("text", "section", "expected"),
    [
        ("有哪些觀光振興的案例？", "categories", ["觀光振興"]),
        ("Any Japanese cases on agriculture?", "categories", ["農林水產"]),
        ("観光振興の事例を教えてください", "categories", ["觀光振興"]),
        ("台灣有沒有漁村的例子", "contexts", ["漁村"]),
        ("什麼是官民協作", "factors", ["public_private"]),
        ("觀光行銷活動的KPI", "project_kinds", ["觀光行銷"]),  # the longer alias wins over 「觀光」
        ("How should we set KPIs for a vacant-house project?", "project_kinds", ["街區再生"]),
        ("apppp", "factors", []),  # a Latin alias only as a whole word
    ],
)
def test_aliases_name_what_a_question_means(text: str, section: str, expected: list[str]) -> None:
    assert glossary().named(section, text) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("六大驅動要素是什麼", "zh-TW"),
        ("What is PDCA?", "en"),
        ("PDCAとは何ですか", "ja"),
        ("KPI 怎麼訂", "zh-TW"),
    ],
)
def test_answer_language_follows_the_question(text: str, lang: str) -> None:
    assert answer_lang(text) == lang


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("德島縣上勝町的葉子生意是怎麼做起來的？", ["德島", "上勝"]),
        ("新竹尖石鄉的地方創生計畫經費多少？", ["尖石"]),
        ("夕張市の財政再建はその後どうなった？", ["夕張"]),
        ("日本有哪些跨地區合作的案例", []),  # 地區 is a word, not a place
        ("我們鄉要做移居諮詢，KPI要怎麼訂比較好？", []),
        ("我們每年辦市集都用這個", []),
        ("一個靠海的客家小村", []),
        ("宮田村街區博物館來館者", ["宮田"]),  # 村 closes 宮田; 村街 before 區 names nothing
    ],
)
def test_places_named_before_an_administrative_suffix(text: str, names: list[str]) -> None:
    assert glossary().place_names.named(text) == names


def test_the_glossary_holds_at_least_120_terms_each_named_in_three_languages() -> None:
    terms = glossary().terms()
    assert len(terms) + len(glossary().countries) + len(glossary().principles) >= 120
    for section, code, term in terms:
        assert term.name("zh-TW", code) and term.en and term.ja, (section, code)


def test_every_critique_rule_has_a_glossary_name() -> None:
    from app.kpi.rules import rule_titles

    codes = {code for code in rule_titles("zh-TW") if not code.startswith("factor:")}
    assert codes <= set(glossary().rules), codes - set(glossary().rules)


def test_glossary_documents_exist_and_every_concept_note_is_in_the_glossary(real_services) -> None:
    corpus = real_services.corpus
    for section, code, term in glossary().terms():
        assert term.doc is None or corpus.get(term.doc) is not None, (section, code, term.doc)
    concept_docs = {term.doc for term in glossary().concepts.values()}
    for note in corpus.documents.values():
        if note.kind == "guideline" and note.topic == "concept":
            # a note is a concept's document, or defines a term whose document it points to (青培站)
            assert note.id in concept_docs or concept_docs & set(note.related), note.id


def test_case_vocabulary_is_in_the_glossary(real_services) -> None:
    """Every funding scheme a case names (「民間投資（茶籽堂）」, 「先行型交付金」) names a glossary term, so answers
    can name it in English and Japanese and search finds it under its other names."""
    terms = glossary()
    for doc in real_services.corpus.documents.values():
        for scheme in doc.funding:
            assert any(terms.named(section, scheme) for section in TERM_SECTIONS), (doc.id, scheme)


@pytest.mark.parametrize(
    ("question", "synonym"),
    [
        ("What is the PDCA cycle?", "PDCA 循環"),
        ("関係人口とは何ですか", "關係人口"),
        ("What does sixth-sector industrialisation mean?", "六次產業化"),
    ],
)
def test_search_synonyms_name_the_term_in_the_knowledge_bases_language(question: str, synonym: str) -> None:
    assert synonym in glossary().synonyms(question)
