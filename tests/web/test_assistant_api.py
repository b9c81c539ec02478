"""Assistant API: ask, chat (SSE event order), similar, cases, feedback — on the real index."""

from __future__ import annotations

import json
import sqlite3

import pytest
from fastapi.testclient import TestClient

from app.web.app import create_app
from tests.conftest import sse_events


@pytest.fixture(scope="module")
def client(real_settings, real_services):
    with TestClient(create_app(real_settings, services=real_services)) as test_client:
        yield test_client


def test_ask_answers_with_citations_that_exist(client) -> None:
    body = client.post("/api/ask", json={"question": "為什麼不能用居民滿意度當作計畫的KPI？"}).json()
    assert body["refused"] is False and body["mode"] == "extractive"
    assert body["citations"] and "[1]" in body["answer"]
    numbers = {c["n"] for c in body["citations"]}
    cited = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", body["answer"])}
    assert cited == numbers
    assert {"n", "chunk_id", "doc_id", "title", "text"} <= set(body["citations"][0])


def test_off_topic_question_is_declined_politely(client) -> None:
    body = client.post("/api/ask", json={"question": "紅燒牛肉麵要燉多久才會軟？"}).json()
    assert body["refused"] is True and body["citations"] == []
    assert "地方創生" in body["answer"]
    en = client.post("/api/ask", json={"question": "Who won the NBA finals last year?", "lang": "en"}).json()
    assert en["refused"] is True and "covers" in en["answer"]


def test_chat_streams_events_in_order(client) -> None:
    response = client.post("/api/chat", json={"question": "日本益子燒怎麼做PDCA？"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["citations", "done"]
    assert set(names[1:-2]) == {"token"}
    streamed = "".join(data for name, data in events if name == "token")
    done = events[-1][1]
    assert streamed == done["answer"] and done["citations"] == events[-2][1]


def test_follow_up_uses_the_conversation(client) -> None:
    history = [
        {"role": "user", "content": "長野縣的NAGANO WINE計畫是誰在主導？"},
        {"role": "assistant", "content": "由地方關鍵人物協調。[1]"},
    ]
    body = client.post("/api/ask", json={"question": "它的KPI有哪些？", "history": history}).json()
    assert "NAGANO WINE" in body["search_query"]
    assert any(c["doc_id"] == "jp-nagano-wine" for c in body["citations"])


def test_similar_returns_cases_with_kpis(client) -> None:
    body = client.post(
        "/api/similar", json={"text": "身心障礙者投入農業生產並在市府販售農產品", "k": 3}
    ).json()
    assert len(body["cases"]) == 3
    assert body["cases"][0]["case_id"] == "jp-suzuka-agri-welfare"
    assert body["cases"][0]["kpis"], "the best match publishes KPIs"
    for case in body["cases"]:
        assert case["why"] and case["title"] and case["category"]
        assert all(kpi["name"] and kpi["level"] in ("overall", "outcome", "output") for kpi in case["kpis"])


def test_case_list_filters_and_detail(client) -> None:
    everything = client.get("/api/cases").json()
    assert everything["total"] >= 18
    tourism = client.get("/api/cases", params={"category": "觀光振興"}).json()
    assert tourism["cases"] and all(c["category"] == "觀光振興" for c in tourism["cases"])
    talent = client.get("/api/cases", params={"factor": "talent", "country": "JP"}).json()
    assert talent["cases"] and talent["total"] < everything["total"]
    assert all("talent" in c["factors"] and c["country"] == "JP" for c in talent["cases"])
    case = client.get("/api/cases/jp-mashiko-ware").json()
    assert case["title"] and case["body"] and case["sources"] and case["kpis"]
    assert client.get("/api/cases/no-such-case").status_code == 404
    assert client.get("/api/cases", params={"category": "旅遊"}).status_code == 422


def test_feedback_is_stored_with_question_answer_and_citations(client, real_settings) -> None:
    asked = client.post("/api/ask", json={"question": "移居計畫的KPI該怎麼訂？"}).json()
    response = client.post(
        "/api/feedback",
        json={
            "question": asked["question"],
            "answer": asked["answer"],
            "rating": "down",
            "citations": asked["citations"],
            "mode": asked["mode"],
            "comment": "<script>x</script>",
        },
    )
    assert response.status_code == 200
    row_id = response.json()["id"]
    with sqlite3.connect(real_settings.data_dir / "feedback.sqlite3") as db:
        row = db.execute(
            "SELECT question, answer, rating, citations, comment FROM feedback WHERE id=?", (row_id,)
        ).fetchone()
    assert row[0] == asked["question"] and row[1] == asked["answer"] and row[2] == "down"
    assert json.loads(row[3])[0]["chunk_id"] == asked["citations"][0]["chunk_id"]
    assert row[4] == "<script>x</script>"  # stored as given; pages escape it


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/ask", {"question": ""}, "question"),
        ("/api/ask", {"question": "地" * 5000}, "question"),
        ("/api/ask", {"question": "KPI", "history": "x"}, "history"),
        ("/api/ask", {"question": "KPI", "history": [{"role": "system", "content": "x"}]}, "role"),
        ("/api/chat", {"question": "  "}, "question"),
        ("/api/similar", {"text": "老街", "k": 0}, "k"),
        ("/api/feedback", {"question": "q", "answer": "a", "rating": "meh"}, "rating"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, path, body, field) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert field in response.json()["error"]
