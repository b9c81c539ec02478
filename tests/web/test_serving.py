"""Serving a county office: rate limits, request ids, metrics, readiness, read timeouts, 405s that say what is
allowed, and several workers that follow an ingest run by another process without a restart."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.web.app import create_app
from app.web.deps import get_knowledge
from app.web.errors import BodySizeLimit
from tests.conftest import CORPUS, FormClient, free_port

OFF_TOPIC = {"question": "明天台北會下雨嗎？"}


@pytest.fixture(scope="module")
def limited_app(real_settings, real_services):
    settings = real_settings.model_copy(
        update={
            "rate_limits_enabled": True,
            "rate_limit_answers": "2/minute",
            "rate_limit_critique": "1/minute",
            "rate_limit_feedback": "1/minute",
        }
    )
    return create_app(settings, services=real_services)


@pytest.fixture
def limited(limited_app):
    with FormClient(limited_app) as client:  # each test starts with fresh counts (the limiter is reset below)
        from app.web import ratelimit

        ratelimit.limiter.reset()
        yield client


def test_answers_are_rate_limited_per_client(limited_app, limited) -> None:
    assert [limited.post("/api/ask", json=OFF_TOPIC).status_code for _ in range(2)] == [200, 200]
    refused = limited.post("/api/chat", json=OFF_TOPIC)  # ask and chat share the answers limit
    assert refused.status_code == 429
    assert "too many requests" in refused.json()["error"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    with TestClient(limited_app, client=("192.0.2.7", 40000)) as other:  # another address is not affected
        assert other.post("/api/ask", json=OFF_TOPIC).status_code == 200
    assert limited.post("/api/search", json={"query": "老街"}).status_code == 200  # search is not limited


def test_feedback_and_critique_have_their_own_limits(limited) -> None:
    rating = {"question": "問題", "answer": "回答", "rating": "up"}
    assert limited.post("/api/feedback", json=rating).status_code == 200
    assert limited.post("/api/feedback", json=rating).status_code == 429
    plan = {"kpis": ["觀光客人數增加10%"]}
    assert limited.post("/api/critique", json=plan).status_code == 200
    assert limited.post("/api/critique", json=plan).status_code == 429


def test_a_limited_form_gets_the_error_page_in_its_language(limited) -> None:
    form = {"title": "計畫", "kpis": "觀光客人數增加10%"}
    assert limited.post("/review", data=form).status_code == 200
    page = limited.post("/review?lang=en", data=form)
    assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
    assert "Too many requests" in page.text and "Retry-After" in page.headers
    assert "請求太頻繁" in limited.post("/review?lang=zh-TW", data=form).text


def test_a_bad_rate_limit_setting_stops_the_app_at_start(real_settings, real_services) -> None:
    with pytest.raises(ValueError):
        create_app(real_settings.model_copy(update={"rate_limit_answers": "often"}), services=real_services)


@pytest.fixture(scope="module")
def client(real_settings, real_services):
    with FormClient(create_app(real_settings, services=real_services)) as test_client:
        yield test_client


def test_every_response_carries_a_request_id(client) -> None:
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) >= 32
    given = "0f6d5c1e9a8b4c3d2e1f0a9b8c7d6e5f"
    assert client.get("/", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given


def test_metrics_count_requests_retrievals_refusals_and_feedback(client) -> None:
    def value(text: str, name: str, **labels: str) -> float:
        for line in text.splitlines():
            if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    before = client.get("/metrics").text
    client.post("/api/ask", json=OFF_TOPIC)
    client.post("/api/feedback", json={"question": "q", "answer": "a", "rating": "down"})
    after = client.get("/metrics").text
    assert "http_request_duration_seconds" in after
    assert value(after, "sosei_answers_total", route="ask", outcome="refused") == (
        value(before, "sosei_answers_total", route="ask", outcome="refused") + 1
    )
    assert (
        value(after, "sosei_feedback_total", rating="down")
        == value(before, "sosei_feedback_total", rating="down") + 1
    )
    assert value(after, "sosei_retrieval_seconds_count", mode="hybrid") > value(
        before, "sosei_retrieval_seconds_count", mode="hybrid"
    )
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_readiness_says_ready_and_health_reports_the_generation(client, real_kb) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert client.get("/healthz").json()["generation"] == real_kb.generation != ""


def test_an_unreachable_store_is_not_ready(client) -> None:
    class DownStore:
        def count(self) -> int:
            raise ConnectionError("Could not connect to a Chroma server")

    class DownKnowledge:
        store = DownStore()

    client.app.dependency_overrides[get_knowledge] = lambda: DownKnowledge()
    try:
        response = client.get("/readyz")
    finally:
        client.app.dependency_overrides.clear()
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def test_a_wrong_method_is_a_405_naming_the_allowed_ones(client) -> None:
    for method in ("TRACE", "PUT", "DELETE"):
        response = client.request(method, "/api/ask")
        assert response.status_code == 405 and response.headers["Allow"] == "POST", method
    assert client.request("PATCH", "/api/admin/documents").headers["Allow"] == "GET, POST"


def test_a_stalled_body_gets_408_and_frees_the_worker() -> None:
    async def route(scope, receive, send) -> None:
        await receive()  # never returns: the client stopped sending
        raise AssertionError("unreachable")

    sent: list[dict] = []

    async def stalled_receive() -> dict:
        await asyncio.sleep(3600)
        return {}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/ask", "headers": [], "query_string": b""}
    started = time.monotonic()
    asyncio.run(BodySizeLimit(route, read_timeout=0.2)(scope, stalled_receive, send))
    assert time.monotonic() - started < 5
    assert sent[0]["status"] == 408 and b"stalled" in sent[1]["body"]


# --- several workers, one index, an ingest from another process ---------------------------------------------


def log_entries(folder: Path) -> list[dict]:
    """The server's JSON log lines (anything else it printed is skipped)."""
    entries = []
    for line in (folder / "server.log").read_text().splitlines():
        with contextlib.suppress(ValueError):
            entries.append(json.loads(line))
    return [e for e in entries if isinstance(e, dict) and "message" in e]


def _sosei(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("sosei")), *args]


def test_workers_share_one_index_and_follow_an_ingest_without_a_restart(
    tmp_path, real_settings, real_kb
) -> None:
    """Two workers on a copy of the session's index; `sosei ingest` of a new file from another process reaches
    both within seconds, and they log JSON lines with request ids."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(real_settings.data_dir, data, ignore=shutil.ignore_patterns("feedback*", "metrics"))
    port = free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "SOSEI_DATA_DIR": str(data),
        "SOSEI_CORPUS_DIR": str(CORPUS),
        "SOSEI_INDEX_CHECK_SECONDS": "0.5",
        "SOSEI_LOG_FORMAT": "json",
    }
    env.pop("SOSEI_CHROMA_HOST", None)
    if real_settings.chroma_host:  # the server-store run: the workers share the session's Chroma server
        env |= {
            "SOSEI_CHROMA_HOST": real_settings.chroma_host,
            "SOSEI_CHROMA_PORT": str(real_settings.chroma_port),
            "SOSEI_COLLECTION": real_settings.collection,
        }
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        _sosei("serve", "--port", str(port), "--workers", "2"), env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        pids: set[int] = set()
        while len(pids) < 2:  # both workers up: readiness answered from two processes
            try:
                if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                    pids = {
                        entry["process"] for entry in log_entries(tmp_path) if "/readyz" in entry["message"]
                    }
            except httpx.TransportError:
                pass
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "two workers did not come up"
            time.sleep(0.5)
        before = httpx.get(f"{base}/healthz").json()["generation"]

        note = tmp_path / "county-notes.md"
        note.write_text("# 縣府筆記\n\n鹿野鄉的紅烏龍茶園在2025年接待了3,200名體驗遊客。\n", encoding="utf-8")
        subprocess.run(_sosei("ingest", str(note)), env=env, check=True, capture_output=True, timeout=300)

        deadline = time.monotonic() + 30
        while True:  # every worker answers with the new generation and finds the new document
            seen = [httpx.get(f"{base}/healthz").json()["generation"] for _ in range(8)]
            if before not in seen:
                break
            assert time.monotonic() < deadline, f"workers still on {before}: {seen}"
            time.sleep(0.5)
        for _ in range(4):
            hits = httpx.post(f"{base}/api/search", json={"query": "紅烏龍茶園體驗遊客", "k": 3}).json()[
                "hits"
            ]
            assert hits[0]["doc_id"].startswith("upload-county-notes")
        searches = [entry for entry in log_entries(tmp_path) if "/api/search" in entry["message"]]
        assert searches and all(len(entry["request_id"]) >= 32 for entry in searches)
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
