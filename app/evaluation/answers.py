"""Answer evaluation: share of dev questions answered with a citation from an expected source, refusal
accuracy on the off-topic set, and time to first token / full answer in extractive mode (warm)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from app.assistant.schemas import AskRequest, AskResponse
from app.config import Settings
from app.evaluation.retrieval import load_dev_set
from app.knowledge.service import KnowledgeBase
from app.services import build_services

OFF_TOPIC_SET = "offtopic.yaml"


class AnswerEvalReport(BaseModel):
    questions: int
    answered: float = Field(description="share of dev questions answered (not refused)")
    cited_expected: float = Field(description="share answered with a citation from an expected source")
    by_language: dict[str, float]
    off_topic: int
    refusal_accuracy: float = Field(description="share of off-topic questions declined")
    wrongly_answered: list[str]
    wrongly_refused: list[str]
    first_token_ms_p50: float
    full_answer_ms_p50: float
    full_answer_ms_p95: float


def run_answer_eval(
    settings: Settings, kb: KnowledgeBase | None = None, off_topic: Path | None = None
) -> AnswerEvalReport:
    # Extractive mode (no LLM): the default, and what is measured.
    services = build_services(settings.model_copy(update={"llm": "none"}), knowledge=kb)
    services.knowledge.ingest(show_progress=False)
    service = services.answers
    questions = load_dev_set(settings.eval_dir / "retrieval_dev.yaml")
    off_topic = off_topic or settings.eval_dir / OFF_TOPIC_SET
    service.ask(AskRequest(question=questions[0].question))  # warm
    first_token: list[float] = []
    full: list[float] = []
    cited: dict[str, tuple[str, bool]] = {}
    answered = 0
    refused_ids: list[str] = []
    for q in questions:
        started = time.perf_counter()
        response = None
        for event, data in service.stream(AskRequest(question=q.question)):
            if event == "token" and len(first_token) < len(full) + 1:
                first_token.append((time.perf_counter() - started) * 1000)
            if event == "done":
                response = data
        full.append((time.perf_counter() - started) * 1000)
        assert isinstance(response, AskResponse)
        answered += not response.refused
        if response.refused:
            refused_ids.append(q.id)
        cited[q.id] = (q.lang, any(c.doc_id in q.expected for c in response.citations))
    off = yaml.safe_load(off_topic.read_text(encoding="utf-8"))
    leaked = [o["id"] for o in off if not service.ask(AskRequest(question=o["question"])).refused]
    by_language = {
        lang: sum(ok for lg, ok in cited.values() if lg == lang)
        / sum(1 for lg, _ in cited.values() if lg == lang)
        for lang in sorted({lg for lg, _ in cited.values()})
    }
    full_sorted = sorted(full)
    return AnswerEvalReport(
        questions=len(questions),
        answered=answered / len(questions),
        cited_expected=sum(ok for _, ok in cited.values()) / len(questions),
        by_language=by_language,
        off_topic=len(off),
        refusal_accuracy=(len(off) - len(leaked)) / len(off),
        wrongly_answered=leaked,
        wrongly_refused=refused_ids,
        first_token_ms_p50=round(statistics.median(first_token), 1),
        full_answer_ms_p50=round(statistics.median(full), 1),
        full_answer_ms_p95=round(full_sorted[int(0.95 * (len(full_sorted) - 1))], 1),
    )
