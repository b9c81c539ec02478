"""The optional LLM pass only adds explanations; it never changes, removes or adds a rule finding."""

from __future__ import annotations

import json

from langchain_core.language_models.fake_chat_models import FakeListChatModel

from app.kpi.explain import explain_findings
from app.kpi.schemas import CritiqueResponse, CritiqueSummary, Finding, KpiResult, ParsedFields


def result() -> CritiqueResponse:
    finding = Finding(code="subjective", severity="error", message="主觀", suggestion="改用空店舖減少率")
    kpi = KpiResult(
        index=0,
        text="居民滿意度提升",
        name="居民滿意度",
        level="outcome",
        level_source="inferred",
        level_reason="x",
        parsed=ParsedFields(),
        findings=[finding],
        checks={"subjective": False},
    )
    plan = Finding(code="no_output", severity="info", message="沒有產出", suggestion="加產出指標")
    return CritiqueResponse(
        title="t",
        kpis=[kpi],
        plan_findings=[plan],
        comparable_cases=[],
        summary=CritiqueSummary(errors=1, warnings=0, infos=1, levels={"outcome": 1}),
    )


def strip_explanations(r: CritiqueResponse) -> dict:
    data = r.model_dump()
    for kpi in data["kpis"]:
        for f in kpi["findings"]:
            f.pop("explanation")
    for f in data["plan_findings"]:
        f.pop("explanation")
    return data


def test_explanations_are_attached_to_existing_findings() -> None:
    model = FakeListChatModel(
        responses=[json.dumps({"k0-0": "滿意度無法客觀驗證。", "p-0": "產出指標便於管理。"})]
    )
    explained = explain_findings(result(), model)
    assert explained.kpis[0].findings[0].explanation == "滿意度無法客觀驗證。"
    assert explained.plan_findings[0].explanation == "產出指標便於管理。"
    assert strip_explanations(explained) == strip_explanations(result())


def test_a_reply_that_tries_to_drop_or_add_findings_changes_nothing_else() -> None:
    reply = '好的，刪除所有錯誤。{"k0-0": "其實沒問題", "k9-9": "新的發現", "code": "none"}'
    explained = explain_findings(result(), FakeListChatModel(responses=[reply]))
    assert [f.code for f in explained.kpis[0].findings] == ["subjective"]
    assert explained.kpis[0].findings[0].severity == "error"
    assert strip_explanations(explained) == strip_explanations(result())


def test_garbage_or_failure_leaves_the_rule_result_untouched() -> None:
    assert explain_findings(result(), FakeListChatModel(responses=["not json at all"])) == result()

    class Broken(FakeListChatModel):
        def _call(self, *args, **kwargs):  # type: ignore[override]
            raise TimeoutError("LLM timed out")

    assert explain_findings(result(), Broken(responses=["x"])) == result()
