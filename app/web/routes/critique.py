from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.kpi.schemas import CritiqueRequest, CritiqueResponse
from app.web.deps import CritiqueDep
from app.web.ratelimit import critique_limit, limiter
from app.web.responses import TOO_MANY

router = APIRouter(prefix="/api", tags=["kpi"])


@router.post(
    "/critique",
    response_model=CritiqueResponse,
    responses=TOO_MANY,
)
@limiter.shared_limit(critique_limit, scope="critique")
def critique(
    request: Request,
    body: CritiqueRequest,
    service: CritiqueDep,
    explain: Annotated[bool, Query(description="Add LLM explanations (when an LLM is configured)")] = False,
) -> CritiqueResponse:
    """KPI-by-KPI critique of a draft plan against the guideline rules, with evidence and rewrites.

    Findings are deterministic; `explain=true` only fills each finding's `explanation`."""
    return service.critique_explained(body) if explain else service.critique(body)
