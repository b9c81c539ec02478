"""Follow-ups without an LLM: what points back, what carries over, and what starts afresh."""

from __future__ import annotations

import pytest

from app.assistant.conversation import plan_query, points_back, residual, topic_size, without_openers
from app.assistant.schemas import AskRequest, Turn
from app.i18n.glossary import glossary

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


@pytest.mark.parametrize(
    ("question", "kept"),
    [("另外問一下，KPI 的期中目標要怎麼寫比較好？", "KPI 的期中目標要怎麼寫比較好？"),
     ("好，換個問題：KPI 可以用滿意度嗎？", "KPI 可以用滿意度嗎？"),
     ("By the way, what is PDCA?", "what is PDCA?"),
     ("請問", "請問")],  # nothing but an opener stays as it is
)  # fmt: skip
def test_words_that_only_open_a_turn_are_not_judged(question: str, kept: str) -> None:
    assert without_openers(question) == kept
    assert plan_query(AskRequest(question=question)).judged_on == kept


def test_asking_for_more_of_the_same_kind_is_a_follow_up() -> None:
    plan = plan_query(ask("悪い例はありますか？", "観光のKPIに県全体の観光客数を使ってもいいですか"))
    assert plan.follow_up and plan.judged_on == plan.query


def test_an_english_follow_up_with_one_topic_word_is_judged_with_the_topic() -> None:
    assert topic_size("How should they fix it?") <= 2 < topic_size("How should they fix the visitor KPI?")
    plan = plan_query(
        ask("How should they fix it?", "Is there any Taiwanese case that published a numeric target?")
    )
    assert plan.judged_on == plan.query


def test_a_declined_question_is_no_anchor() -> None:
    history = [
        Turn(role="user", content=OLD_STREET), Turn(role="assistant", content="……[1]"),
        Turn(role="user", content="台北明天會下雨嗎？"),
        Turn(role="assistant", content=glossary().frame("zh-TW", "refusal")),
    ]  # fmt: skip
    plan = plan_query(AskRequest(question="那台灣有類似的嗎？", history=history))
    assert OLD_STREET in plan.query and "下雨" not in plan.query


def test_a_bare_case_question_carries_the_question_it_leaned_on() -> None:
    plan = plan_query(
        ask("那台灣有類似的嗎？", "神山町的衛星辦公室是怎麼做起來的？", "誰在主導？是町公所嗎？")
    )
    assert "神山町" in plan.query and plan.filters is not None and plan.filters.country == "TW"


@pytest.mark.parametrize(
    ("question", "fresh"),
    [
        ("Separate question: what was the old furusato sosei policy?", True),
        ("換個問題，PDCA怎麼做？", True),
        ("別の質問ですが、官民協働とは？", True),
        ("那台灣有類似的嗎？", False),
        ("另外，它的KPI呢？", False),
    ],
)
def test_a_question_that_says_it_starts_afresh(question: str, fresh: bool) -> None:
    from app.assistant.conversation import starts_fresh

    assert starts_fresh(question) is fresh
