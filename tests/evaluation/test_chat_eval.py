"""The chat suite's judgement of one turn: declined when it must be, cites what it should, keeps to the
country asked for."""

from __future__ import annotations

from app.assistant.schemas import AskResponse, Citation
from app.evaluation.chat import _turn_holds, _within
from app.knowledge.corpus import Corpus
from tests.conftest import CORPUS

CORPUS_DOCS = Corpus(CORPUS)


def response(*doc_ids: str, refused: bool = False) -> AskResponse:
    citations = [
        Citation(n=i, chunk_id=f"{d}#0", doc_id=d, title=d, text="…") for i, d in enumerate(doc_ids, 1)
    ]
    return AskResponse(question="q", answer="a", refused=refused, mode="extractive", citations=citations)


def test_a_turn_that_must_be_declined_holds_only_when_declined() -> None:
    assert _turn_holds(response(refused=True), {"answered": False}, CORPUS_DOCS)
    assert not _turn_holds(response("gl-pdca"), {"answered": False}, CORPUS_DOCS)
    assert not _turn_holds(response(refused=True), {"answered": True}, CORPUS_DOCS)


def test_a_turn_must_cite_one_of_its_documents_and_keep_to_the_country() -> None:
    expect = {
        "answered": True,
        "country": "TW",
        "any_of": ["tw-yilan-old-houses-nanao", "tw-zhushan-smilingtown"],
    }
    assert _turn_holds(response("tw-zhushan-smilingtown", "gl-pdca"), expect, CORPUS_DOCS)
    assert not _turn_holds(response("gl-pdca"), expect, CORPUS_DOCS)  # none of its documents
    assert not _turn_holds(response("tw-zhushan-smilingtown", "jp-joetsu-takada"), expect, CORPUS_DOCS)


def test_guidelines_never_break_a_country_filter() -> None:
    assert _within(response("gl-factor-talent", "tw-taomi-eco-village"), CORPUS_DOCS, {"country": "TW"})
    assert not _within(response("jp-ama-island"), CORPUS_DOCS, {"country": "TW"})
    assert _within(response("jp-ama-island"), CORPUS_DOCS, {})


def test_an_off_topic_question_the_corpus_came_to_answer_counts_as_answerable(tmp_path) -> None:
    from app.evaluation.chat import refusal_items

    (tmp_path / "answerable_learn.yaml").write_text(
        "- {id: a1, lang: zh-TW, question: 什麼是PDCA, expected: [gl-pdca]}\n"
    )
    (tmp_path / "offtopic_learn.yaml").write_text(
        "- {id: o1, lang: zh-TW, question: 今天天氣如何}\n"
        "- {id: o2, lang: zh-TW, question: 新埤鄉發禮金後人口有增加嗎, covered_by: [tw-pingtung-xinpi-registration-gift]}\n"
    )
    answerable, off_topic = refusal_items(tmp_path, "learn")
    assert [i["id"] for i in answerable] == ["a1", "o2"]
    assert answerable[1]["expected"] == ["tw-pingtung-xinpi-registration-gift"]
    assert [i["id"] for i in off_topic] == ["o1"]
