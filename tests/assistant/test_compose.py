"""Answers composed for the question's intent, on the real corpus: structured, cited, in the asker's language."""

from __future__ import annotations

import re

import pytest

from app.assistant.schemas import AskRequest, AskResponse, Turn
from app.evaluation.chat import unreadable
from app.i18n.glossary import glossary


@pytest.fixture(scope="module")
def ask(real_services):
    def run(question: str, history: list[str] | None = None, assistant: str = "") -> AskResponse:
        turns = []
        for q in history or []:
            turns += [Turn(role="user", content=q), Turn(role="assistant", content=assistant or "…")]
        return real_services.answers.ask(AskRequest(question=question, history=turns))

    return run


def _cited_cases(response: AskResponse, real_services) -> list:
    docs = [real_services.corpus.get(c.doc_id) for c in response.citations]
    return [d for d in docs if d is not None and d.kind == "case"]


def _bullets(answer: str) -> list[str]:
    return [line for line in answer.splitlines() if line.startswith("- ")]


def test_the_six_factors_are_listed_complete_each_cited(ask) -> None:
    response = ask("六大驅動要素是什麼？")
    bullets = _bullets(response.answer)
    assert len(bullets) == 6
    for name in glossary().names("factors", "zh-TW").values():
        assert name in response.answer
    assert all(re.search(r"\[\d+\]", bullet) for bullet in bullets)
    assert {c.doc_id for c in response.citations} >= {"gl-factor-self-reliance", "gl-factor-talent"}
    assert unreadable(response.answer) is None


def test_case_list_keeps_to_the_category_and_country_asked(ask, real_services) -> None:
    response = ask("台灣有哪些觀光振興的案例？")
    cases = _cited_cases(response, real_services)
    assert len(cases) >= 3
    assert all(c.country == "TW" and c.category == "觀光振興" for c in cases)
    assert response.answer.splitlines()[0].startswith("資料庫中有")
    assert unreadable(response.answer) is None


def test_taiwan_follow_up_lists_taiwanese_cases_of_the_earlier_topic(ask, real_services) -> None:
    response = ask("那台灣有類似的嗎？", history=["有沒有老街空屋活化的案例？"])
    cases = _cited_cases(response, real_services)
    assert cases and all(c.country == "TW" for c in cases)


def test_anything_else_shows_cases_not_shown_before(ask, real_services) -> None:
    first = ask("有哪些觀光振興的案例？")
    more = ask("還有嗎？", history=["有哪些觀光振興的案例？"], assistant=first.answer)
    before = {c.doc_id for c in first.citations}
    after = {c.doc_id for c in more.citations}
    assert after and not after & before


def test_kpi_advice_gives_the_example_table_row_rules_and_cases(ask) -> None:
    response = ask("青年返鄉創業KPI該怎麼設定？")
    text = response.answer
    assert "創業支援" in text and "地方創業人數" in text  # the row's overall outcome
    for level in glossary().names("levels", "zh-TW").values():
        assert level in text
    cited = [c.doc_id for c in response.citations]
    assert cited[0] == "gl-kpi-example-table"
    assert "gl-kpi-levels" in cited and "gl-kpi-directness" in cited
    assert any(doc.startswith(("jp-", "tw-")) for doc in cited)  # comparable cases' KPIs
    assert "常見錯誤" in text


def test_english_and_japanese_questions_get_their_own_frame(ask) -> None:
    english = ask("What are the six driving factors?")
    assert english.answer.startswith("The six driving factors")
    assert "Public–private collaboration" in english.answer
    assert "(in Chinese)" in english.answer  # quoted definitions are marked as Chinese
    assert "（" not in english.answer.replace("（中", "")  # English asides use English brackets
    japanese = ask("台湾の観光振興の事例を教えてください")
    assert japanese.answer.startswith("ナレッジベースには事例が")
    assert "（中国語の原文）" in japanese.answer


def test_levels_are_explained_from_the_guideline_table_without_pipes(ask) -> None:
    response = ask("KPI的三個層次是什麼")
    assert len(_bullets(response.answer)) == 3
    assert "|" not in response.answer
    assert [c.doc_id for c in response.citations] == ["gl-kpi-levels"]
