from fastapi import APIRouter, Query, Request

from app.kpi.schemas import CritiqueRequest, CritiqueResponse

router = APIRouter(prefix="/api", tags=["kpi"])


@router.post("/critique", response_model=CritiqueResponse)
def critique(
    body: CritiqueRequest,
    request: Request,
    explain: bool = Query(False, description="Add LLM explanations (when an LLM is configured)"),
) -> CritiqueResponse:
    """KPI-by-KPI critique of a draft plan against the guideline rules, with evidence and rewrites.

    Findings are deterministic; `explain=true` only fills each finding's `explanation`."""
    service = request.app.state.critique
    return service.critique_explained(body) if explain else service.critique(body)
