"""Case search as a trainer uses it, on the real index: related words across languages, simplified
characters, category filters, and word matches before matches by meaning."""

from __future__ import annotations

import pytest

from app.i18n.glossary import glossary
from app.knowledge.documents import Document

TOURISM = "觀光振興"


@pytest.fixture(scope="module")
def library(real_services):
    return real_services.cases


def text_of(case: Document) -> str:
    return " ".join([case.title, case.place or "", case.project or "", *case.aliases, case.body])


def test_old_houses_finds_cases_that_only_say_vacant_house(library) -> None:
    only_vacant = sorted(
        case_id
        for case_id, case in library.cases.items()
        if ("空き家" in text_of(case) or "空屋" in text_of(case)) and "老屋" not in text_of(case)
    )
    assert only_vacant, "the corpus has a case that says 空き家 or 空屋 and never 老屋"
    found = {c.case_id: c.match for c in library.search("老屋").cases}
    for case_id in only_vacant:
        assert found.get(case_id) == "words", (case_id, found.get(case_id))


def test_english_tourism_finds_tourism_cases_first(library) -> None:
    found = library.search("tourism").cases
    assert len(found) >= 5
    assert found[0].category == TOURISM
    top = [c.category for c in found[:5]]
    assert top.count(TOURISM) >= 4, top


def test_simplified_characters_find_what_traditional_ones_find(library) -> None:
    simplified = library.search("渔村").cases
    traditional = library.search("漁村").cases
    assert simplified and traditional
    assert simplified[0].case_id == traditional[0].case_id
    assert [c.case_id for c in simplified] == [c.case_id for c in traditional]


@pytest.mark.parametrize("query", ["漁村", "老屋", "tourism", "青年返鄉創業"])
def test_word_matches_come_before_meaning_matches(library, query) -> None:
    matches = [c.match for c in library.search(query).cases]
    assert matches and set(matches) <= {"words", "meaning"}
    assert matches == sorted(matches, key=lambda m: m != "words"), matches


def test_a_query_with_both_kinds_marks_them(library) -> None:
    matches = [c.match for c in library.search("漁村").cases]
    assert "words" in matches and "meaning" in matches


def test_word_matches_hold_the_word_or_a_related_word(library) -> None:
    words = glossary().related_words("漁村")
    assert "漁村" in words
    for case in library.search("漁村").cases:
        if case.match == "words":
            text = text_of(library.cases[case.case_id]).lower()
            assert any(word.lower() in text for word in words), case.case_id


def test_category_filter_is_respected(library) -> None:
    found = library.search("老屋", category="街區營造").cases
    assert found and all(c.category == "街區營造" for c in found)
    everywhere = {c.category for c in library.search("老屋").cases}
    assert len(everywhere) > 1  # the filter, not the query, keeps the results to one category


def test_limit_keeps_the_best(library) -> None:
    everything = library.search("tourism")
    three = library.search("tourism", k=3)
    assert three.total == 3 and [c.case_id for c in three.cases] == [c.case_id for c in everything.cases[:3]]


@pytest.mark.parametrize("query", ["", "   ", "\u3000"])
def test_an_empty_query_finds_nothing(library, query) -> None:
    result = library.search(query)
    assert result.total == 0 and result.cases == []
