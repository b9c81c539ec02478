"""Assistant API: answers (JSON and streamed), comparable cases, the case library, feedback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.assistant.schemas import AskRequest, AskResponse, FeedbackRequest, FeedbackResponse
from app.cases.schemas import CaseDetail, CaseList, SimilarRequest, SimilarResponse
from app.knowledge.documents import Category, Factor
from app.metrics import ANSWERS, FEEDBACK
from app.web.deps import AnswersDep, CasesDep, FeedbackDep
from app.web.ratelimit import answers_limit, feedback_limit, limiter
from app.web.responses import NOT_FOUND, TOO_MANY

router = APIRouter(prefix="/api", tags=["assistant"])


@router.post("/ask", response_model=AskResponse, responses=TOO_MANY)
@limiter.shared_limit(answers_limit, scope="answers")
def ask(request: Request, body: AskRequest, answers: AnswersDep) -> AskResponse:
    """One answer with citations; `refused` when the knowledge base holds nothing that supports one."""
    answer = answers.ask(body)
    ANSWERS.labels("ask", "refused" if answer.refused else "answered").inc()
    return answer


# One event of the stream, as the schema describes it (each `data` is a JSON document).
SSE_EVENT = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["meta", "token", "notice", "reset", "citations", "done"]},
        "data": {"type": "string", "contentMediaType": "application/json"},
    },
}


def _sse(events: Iterator[tuple[str, object]]) -> Iterator[str]:
    """Each (event, data) pair as one Server-Sent Event with a JSON payload."""
    for event, data in events:
        payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
        if event == "meta" and isinstance(payload, dict):
            ANSWERS.labels("chat", "refused" if payload.get("refused") else "answered").inc()
        yield f"event: {event}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"


@router.post(
    "/chat",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {"schema": SSE_EVENT}}, "description": "Server-Sent Events"},
        **TOO_MANY,
    },
)
@limiter.shared_limit(answers_limit, scope="answers")
def chat(request: Request, body: AskRequest, answers: AnswersDep) -> StreamingResponse:
    """Server-Sent Events: `meta`, then `token` events (sentences in extractive mode), optional `notice`,
    then one `citations` event, then `done` with the full `ask` shape."""
    events = answers.stream(body)
    return StreamingResponse(
        _sse(events),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/similar", response_model=SimilarResponse)
def similar(body: SimilarRequest, library: CasesDep) -> SimilarResponse:
    """Comparable cases for free text (a plan description or a question)."""
    return SimilarResponse(query=body.text, cases=library.similar(body.text, body.k, category=body.category))


@router.get("/cases", response_model=CaseList)
def list_cases(
    library: CasesDep,
    category: Category | None = None,
    factor: Factor | None = None,
    country: Annotated[str | None, Query(pattern="^(JP|TW)$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> CaseList:
    """The case library, filtered by category, driving factor, country and text."""
    return library.list(category=category, factor=factor, country=country, q=q)


@router.get("/cases/{case_id}", response_model=CaseDetail, responses=NOT_FOUND)
def get_case(case_id: str, library: CasesDep) -> CaseDetail:
    case = library.get(case_id)
    if case is None:
        raise HTTPException(status_code=404, detail=f"no case {case_id!r}")
    return case


@router.post("/feedback", response_model=FeedbackResponse, responses=TOO_MANY)
@limiter.limit(feedback_limit)
def feedback(request: Request, body: FeedbackRequest, store: FeedbackDep) -> FeedbackResponse:
    """Store a 👍/👎 with the question, answer and citations (SQLite in the data directory)."""
    stored = FeedbackResponse(id=store.add(body))
    FEEDBACK.labels(body.rating).inc()
    return stored
