"""POST /api/critique per the contract; the CLI gives the same result."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.kpi.service import CritiqueService
from app.web.app import create_app
from app.web.deps import get_critique
from tests.conftest import REPO, FormClient

PLAN = {
    "title": "老街空店活化計畫",
    "category": "街區營造",
    "description": "鎮公所與老街商圈協會合作，活化老街空店舖，媒合返鄉青年進駐開店並提供經營培訓；結合觀光導覽。",
    "budget": 5000000,
    "kpis": [
        "老街空店舖數由40間減少至28間（2027年）",
        "老街居民生活滿意度提升",
        "全鎮觀光人數成長10%",
        {
            "name": "經諮詢後實際移居人數",
            "level": "outcome",
            "baseline": 8,
            "target": 25,
            "unit": "人",
            "deadline": "2027",
        },
    ],
}


@pytest.fixture(scope="module")
def client(real_settings, real_services):
    with FormClient(create_app(real_settings, services=real_services)) as test_client:
        yield test_client


def test_critique_shape_findings_and_evidence(client) -> None:
    response = client.post("/api/critique", json=PLAN)
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == PLAN["title"]
    first, satisfaction, whole_town, declared = body["kpis"]
    assert first["findings"] == []
    expected = {"baseline": 40, "target": 28, "unit": "間", "deadline": "2027", "direction": "decrease"}
    assert {k: first["parsed"][k] for k in expected} == expected
    codes = {f["code"] for f in satisfaction["findings"]}
    assert {"subjective", "not_quantified", "no_deadline"} <= codes
    finding = next(f for f in satisfaction["findings"] if f["code"] == "subjective")
    # beside objective outcomes a satisfaction measure is a supplementary KPI: a warning, not an error
    assert finding["severity"] == "warning" and finding["suggestion"] and finding["message"]
    assert finding["evidence"] and finding["evidence"][0]["doc_id"].startswith("gl-")
    assert "indirect" in {f["code"] for f in whole_town["findings"]}
    assert declared["level"] == "outcome" and declared["level_source"] == "declared"
    assert declared["findings"] == []
    plan_codes = {f["code"] for f in body["plan_findings"]}
    assert "cost_effectiveness" in plan_codes and "no_output" in plan_codes
    assert body["comparable_cases"] and all(c["kpis"] for c in body["comparable_cases"])
    assert body["comparable_cases"][0]["category"] == "街區營造"


def test_critique_is_deterministic(client) -> None:
    assert client.post("/api/critique", json=PLAN).json() == client.post("/api/critique", json=PLAN).json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "kpis": "銷售額成長"}, "kpis"),
        ({"title": "x", "kpis": [42]}, "kpis.0"),
        ({"title": "x", "kpis": []}, "kpis"),
        ({"title": "x"}, "kpis"),
        ({"title": "x", "kpis": ["  "]}, "kpis"),
        ({"title": "x", "kpis": [{"name": "銷售額", "target": 1e300}]}, "target"),
        ({"title": "x", "kpis": [{"name": "銷售額", "level": "impact"}]}, "level"),
        ({"title": "x", "kpis": ["a"], "budget": -5}, "budget"),
        ({"title": "x", "kpis": ["a"], "category": "旅遊"}, "category"),
        ({"title": "x", "kpis": ["銷售額"] * 10_000}, "kpis"),
    ],
)
def test_bad_plans_get_4xx_naming_the_field(client, body, field) -> None:
    response = client.post("/api/critique", json=body)
    assert response.status_code in (413, 422)
    if response.status_code == 422:
        assert field in response.json()["error"]


def test_huge_body_is_413(client) -> None:
    body = {"title": "x", "kpis": ["地方創生" * 100] * 2000}
    assert client.post("/api/critique", json=body).status_code == 413


def test_cli_gives_the_same_result_as_the_api(client, real_settings, tmp_path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(PLAN, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "SOSEI_DATA_DIR": str(real_settings.data_dir), "HF_HUB_OFFLINE": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "critique", "--json", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == client.post("/api/critique", json=PLAN).json()
    stdin = subprocess.run(
        [sys.executable, "-m", "app.cli.main", "critique", "--json", "-"],
        input=json.dumps(PLAN),
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    assert json.loads(stdin.stdout) == json.loads(run.stdout)


def test_explain_adds_llm_wording_without_changing_findings(client, real_services) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    plain = client.post("/api/critique", json=PLAN).json()
    fake = FakeListChatModel(responses=['{"k1-0": "滿意度是感受，無法客觀驗證。"}'])
    explaining = CritiqueService(real_services.knowledge, real_services.cases, chat_model=fake)
    client.app.dependency_overrides[get_critique] = lambda: explaining
    try:
        explained = client.post("/api/critique?explain=true", json=PLAN).json()
    finally:
        client.app.dependency_overrides.clear()
    assert explained["kpis"][1]["findings"][0]["explanation"] == "滿意度是感受，無法客觀驗證。"
    explained["kpis"][1]["findings"][0]["explanation"] = None
    assert explained == plain
    # without an LLM, explain=true returns the rule result as it is
    assert client.post("/api/critique?explain=true", json=PLAN).json() == plain


def test_bad_text_and_nesting_are_clear_422s_never_500s(client) -> None:
    """Found by the load and fault test (issue 13): a lone surrogate inside a text KPI, and a plan nested
    thousands deep, gave 500s."""
    raw = client.post(
        "/api/critique",
        content='{"kpis": ["\\udbff 人數由1增加至2"]}',
        headers={"content-type": "application/json"},
    )
    assert raw.status_code == 422 and "KPI 1" in raw.json()["error"]
    nested = client.post("/review", data={"title": "x", "plan_json": "[" * 5000 + "]" * 5000})
    assert nested.status_code == 422 and "巢狀層次過深" in nested.text
    surrogate = client.post("/review", data={"title": "x", "plan_json": '{"kpis": ["\\udbff x"]}'})
    assert surrogate.status_code == 422 and "第 1 個 KPI含有無效的字元" in surrogate.text
    deep_yaml = client.post(
        "/review?lang=en",
        files={"file": ("p.yaml", b"[" * 3000 + b"]" * 3000, "text/yaml")},
        data={"title": "x"},
    )
    assert deep_yaml.status_code == 422 and "nested too deeply" in deep_yaml.text


def test_a_chunked_body_is_refused_on_the_bytes_read(client) -> None:
    """With no Content-Length the limit holds on what is actually read (issue 13: a 300 MiB chunked body was read
    whole): JSON routes and the review upload both answer 413 once the first megabyte has passed."""

    def chunks(prefix: bytes, total: int):
        yield prefix
        for _ in range(total // 65536):
            yield b"a" * 65536

    sent = client.post(
        "/api/critique",
        content=chunks(b'{"kpis": ["', 3_000_000),
        headers={"content-type": "application/json"},
    )
    assert sent.status_code == 413 and "request body over" in sent.json()["error"]
    boundary = "sosei-test"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.yaml"\r\n\r\n'.encode()
    upload = client.post(
        "/review",
        content=chunks(head, 3_000_000),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert upload.status_code == 413
    small = client.post(
        "/api/critique",
        content=iter([b'{"kpis": ["', "人數由1增加至2".encode(), b'"]}']),
        headers={"content-type": "application/json"},
    )
    assert small.status_code == 200
