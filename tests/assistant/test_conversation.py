"""Follow-ups without an LLM: what points back, what carries over, and what starts afresh."""

from __future__ import annotations

import pytest

from app.assistant.conversation import plan_query, points_back, residual
from app.assistant.schemas import AskRequest, Turn

OLD_STREET = "有沒有老街空屋活化的案例？"


def ask(question: str, *earlier: str) -> AskRequest:
    history: list[Turn] = []
    for text in earlier:
        history += [Turn(role="user", content=text), Turn(role="assistant", content="……[1]")]
    return AskRequest(question=question, history=history)


@pytest.mark.parametrize(
    "question",
    ["那台灣有類似的嗎？", "台灣呢？", "其中哪些有公開KPI？", "它的KPI有哪些？", "還有嗎", "What about Taiwan?",
     "Taiwan?", "それはどこですか", "似たような台湾の事例は？"],
)  # fmt: skip
def test_pointing_back(question: str) -> None:
    assert points_back(question)


@pytest.mark.parametrize(
    "question",
    ["明天台北會下雨嗎？", "官民協働是什麼意思？", "移居計畫的KPI該怎麼訂？", "PDCA の外部検証は誰がしますか",
     "How should a relocation project set KPIs?"],
)  # fmt: skip
def test_self_contained(question: str) -> None:
    assert not points_back(question)


def test_a_follow_up_carries_the_topic_and_the_country_as_a_filter() -> None:
    plan = plan_query(ask("那台灣有類似的嗎？", OLD_STREET))
    assert plan.follow_up and OLD_STREET in plan.query
    assert plan.filters is not None and plan.filters.country == "TW"
    assert plan.judged_on == plan.query  # nothing of its own to judge


def test_a_self_contained_question_starts_afresh() -> None:
    for question in ("官民協働是什麼意思？", "明天台北會下雨嗎？"):
        plan = plan_query(ask(question, OLD_STREET))
        assert plan.query == question and plan.judged_on == question and plan.filters is None


def test_an_off_topic_follow_up_is_judged_on_its_own_words() -> None:
    plan = plan_query(ask("那明天台北會下雨嗎？", OLD_STREET))
    assert plan.judged_on == "那明天台北會下雨嗎？"


def test_the_anchor_is_the_last_self_contained_question() -> None:
    plan = plan_query(ask("還有嗎？", OLD_STREET, "那台灣有類似的嗎？"))
    assert plan.query.startswith(OLD_STREET)
    assert residual("那台灣有類似的嗎？") == ""


def test_a_follow_up_on_a_follow_up_carries_both_questions() -> None:
    plan = plan_query(ask("這兩個計畫的經費各是多少？", "地方創生2.0是什麼時候開始的？", "那3.0呢？"))
    assert plan.follow_up
    assert "2.0" in plan.query and "3.0" in plan.query
