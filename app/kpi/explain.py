"""Optional LLM wording for critique findings. The rule result is never changed: the model may only fill
`explanation` for findings that exist, and any failure leaves the result exactly as the rules made it."""

from __future__ import annotations

import json
import logging
import re

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from app.kpi.schemas import CritiqueResponse, Finding
from app.llm import load_prompt

logger = logging.getLogger("sosei.kpi")
MAX_EXPLANATION_CHARS = 400
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def _findings(result: CritiqueResponse) -> dict[str, tuple[str, Finding]]:
    """Stable ids for every finding, with the KPI text it is about."""
    found = {f"k{k.index}-{i}": (k.text, f) for k in result.kpis for i, f in enumerate(k.findings)}
    found.update({f"p-{i}": ("（整體計畫）", f) for i, f in enumerate(result.plan_findings)})
    return found


def explain_findings(result: CritiqueResponse, model: BaseChatModel) -> CritiqueResponse:
    explained = result.model_copy(deep=True)
    findings = _findings(explained)
    if not findings:
        return explained
    payload = {
        "plan": explained.title,
        "findings": [
            {"id": fid, "kpi": text, "code": f.code, "message": f.message, "suggestion": f.suggestion}
            for fid, (text, f) in findings.items()
        ],
    }
    try:
        reply = model.invoke(
            [
                SystemMessage(load_prompt("critique_explain")),
                HumanMessage(json.dumps(payload, ensure_ascii=False)),
            ]
        )
        content = reply.content if isinstance(reply.content, str) else str(reply.content)
        match = _JSON_OBJECT.search(content)
        notes = json.loads(match.group(0)) if match else {}
    except Exception as exc:  # any LLM or parsing failure: the rule result stands as it is
        logger.warning("LLM explanation skipped: %s", exc)
        return result.model_copy(deep=True)
    if not isinstance(notes, dict):
        return result.model_copy(deep=True)
    for fid, note in notes.items():
        if fid in findings and isinstance(note, str) and note.strip():
            findings[fid][1].explanation = note.strip()[:MAX_EXPLANATION_CHARS]
    return explained
