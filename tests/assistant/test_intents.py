"""Intent recognition: what a question asks for and the facets it names, in zh-TW, English and Japanese."""

from __future__ import annotations

import pytest

from app.assistant.intents import understand


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("有哪些觀光振興的案例？", "find_cases"),
        ("可以參考哪些青年返鄉的案例", "find_cases"),
        ("Any Japanese cases on agriculture?", "find_cases"),
        ("観光振興の事例を教えてください", "find_cases"),
        ("青年返鄉創業KPI該怎麼設定？", "kpi_advice"),
        ("How should we set KPIs for a vacant-house project?", "kpi_advice"),
        ("六大驅動要素是什麼？", "concept"),
        ("什麼是政策間連携", "concept"),
        ("KPI的三個層次是什麼", "concept"),
        ("PDCA的步驟是什麼", "process"),
        ("地方創生2.0有哪些新做法？", "programme"),
        ("Tell me about the Aso grassland case", "other"),  # one case asked about, not a list
        ("神山町的衛星辦公室是怎麼做起來的？", "other"),
        ("參加人數算 outcome 還是 output？", "other"),  # a KPI judged, not the levels explained
    ],
)
def test_intent(question: str, intent: str) -> None:
    assert understand(question).intent == intent


def test_facets_and_language() -> None:
    understood = understand("台湾の観光振興の事例は？")
    assert (understood.intent, understood.lang, understood.country) == ("find_cases", "ja", "TW")
    assert understood.categories == ("觀光振興",)
    assert understand("日本有哪些地域間連携的案例").factors == ("cross_region",)
    assert understand("青年返鄉創業 KPI 怎麼訂").project_kind == "創業支援"
    assert understand("六大驅動要素是什麼").all_factors


def test_a_follow_up_reads_its_facets_from_the_carried_topic() -> None:
    understood = understand("台灣呢？", topic="有哪些觀光振興的案例？ 台灣呢？")
    assert understood.intent == "find_cases"
    assert (understood.country, understood.categories) == ("TW", ("觀光振興",))


def test_an_english_follow_up_keeps_asking_for_cases() -> None:
    understood = understand(
        "What about Taiwan?", topic="Any Japanese cases on agriculture? What about Taiwan?"
    )
    assert (understood.intent, understood.country, understood.lang) == ("find_cases", "TW", "en")
