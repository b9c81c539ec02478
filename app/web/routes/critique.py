from fastapi import APIRouter, Request

from app.kpi.schemas import CritiqueRequest, CritiqueResponse

router = APIRouter(prefix="/api", tags=["kpi"])


@router.post("/critique", response_model=CritiqueResponse)
def critique(body: CritiqueRequest, request: Request) -> CritiqueResponse:
    """KPI-by-KPI critique of a draft plan against the guideline rules, with evidence and rewrites."""
    return request.app.state.critique.critique(body)
