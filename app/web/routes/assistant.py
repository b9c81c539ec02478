"""Assistant API: answers (JSON and streamed), comparable cases, the case library, feedback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.assistant.cases import CaseDetail, CaseList
from app.assistant.schemas import (
    AskRequest,
    AskResponse,
    FeedbackRequest,
    FeedbackResponse,
    SimilarRequest,
    SimilarResponse,
)
from app.knowledge.documents import Category, Factor

router = APIRouter(prefix="/api", tags=["assistant"])


@router.post("/ask", response_model=AskResponse)
def ask(body: AskRequest, request: Request) -> AskResponse:
    """One answer with citations; `refused` when the knowledge base holds nothing that supports one."""
    return request.app.state.answers.ask(body)


def _sse(events: Iterator[tuple[str, object]]) -> Iterator[str]:
    for event, data in events:
        payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
        yield f"event: {event}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"


@router.post("/chat")
def chat(body: AskRequest, request: Request) -> StreamingResponse:
    """Server-Sent Events: `meta`, then `token` events (sentences in extractive mode), optional `notice`,
    then one `citations` event, then `done` with the full `ask` shape."""
    events = request.app.state.answers.stream(body)
    return StreamingResponse(
        _sse(events), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


@router.post("/similar", response_model=SimilarResponse)
def similar(body: SimilarRequest, request: Request) -> SimilarResponse:
    """Comparable cases for free text (a plan description or a question)."""
    cases = request.app.state.cases.similar(body.text, body.k, category=body.category)
    return SimilarResponse(query=body.text, cases=cases)


@router.get("/cases", response_model=CaseList)
def list_cases(
    request: Request,
    category: Category | None = None,
    factor: Factor | None = None,
    country: Annotated[str | None, Query(pattern="^(JP|TW)$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> CaseList:
    """The case library, filtered by category, driving factor, country and text."""
    return request.app.state.cases.list(category=category, factor=factor, country=country, q=q)


@router.get("/cases/{case_id}", response_model=CaseDetail)
def get_case(case_id: str, request: Request) -> CaseDetail:
    case = request.app.state.cases.get(case_id)
    if case is None:
        raise HTTPException(status_code=404, detail=f"no case {case_id!r}")
    return case


@router.post("/feedback", response_model=FeedbackResponse)
def feedback(body: FeedbackRequest, request: Request) -> FeedbackResponse:
    """Store a 👍/👎 with the question, answer and citations (SQLite in the data directory)."""
    return FeedbackResponse(id=request.app.state.feedback.add(body))
