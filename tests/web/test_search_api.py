"""The search API per the contract, on the real model and the real corpus."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.web.app import create_app


@pytest.fixture(scope="module")
def client(real_settings, real_services):
    with TestClient(create_app(real_settings, services=real_services)) as test_client:
        yield test_client


def test_healthz_reports_ok_once_the_index_is_loaded(client) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["chunks"] > 100


def test_search_returns_the_contract_shape_and_finds_the_case(client) -> None:
    response = client.post("/api/search", json={"query": "益子燒的銷售額目標與海外通路", "k": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "益子燒的銷售額目標與海外通路"
    assert 1 <= len(body["hits"]) <= 5
    hit = body["hits"][0]
    assert set(hit) >= {"chunk_id", "doc_id", "title", "kind", "text", "score", "metadata"}
    assert hit["kind"] in {"case", "guideline", "article", "upload"}
    assert "jp-mashiko-ware" in [h["doc_id"] for h in body["hits"]]
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_category_filter_restricts_hits(client) -> None:
    body = client.post("/api/search", json={"query": "觀光", "k": 10, "category": "觀光振興"}).json()
    assert body["hits"] and all(h["metadata"]["category"] == "觀光振興" for h in body["hits"])


def test_japanese_and_english_queries_work(client) -> None:
    ja = client.post("/api/search", json={"query": "障害者が農業で働く取り組み", "k": 5}).json()
    assert "jp-suzuka-agri-welfare" in [h["doc_id"] for h in ja["hits"]]
    en = client.post("/api/search", json={"query": "small rocket project to train engineers", "k": 5}).json()
    assert "jp-suwa-small-rocket" in [h["doc_id"] for h in en["hits"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"query": ""}, "query"),
        ({"query": "   "}, "query"),
        ({"query": "地方創生" * 50_000}, "query"),
        ({"query": "KPI", "k": 0}, "k"),
        ({"query": "KPI", "k": -3}, "k"),
        ({"query": "KPI", "k": 10_000}, "k"),
        ({"query": "KPI", "category": "不存在的分類"}, "category"),
        ({"query": "KPI", "colour": "red"}, "colour"),
        ({"k": 3}, "query"),
        ({"query": 42}, "query"),
    ],
)
def test_bad_input_gets_a_4xx_naming_the_field(client, body, field) -> None:
    response = client.post("/api/search", json=body)
    assert response.status_code in (413, 422)
    if response.status_code == 422:
        assert field in response.json()["error"]


def test_body_that_is_not_json_is_refused_cleanly(client) -> None:
    response = client.post("/api/search", content=b"not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_openapi_docs_are_served(client) -> None:
    assert client.get("/docs").status_code == 200
    assert "/api/search" in client.get("/openapi.json").json()["paths"]
