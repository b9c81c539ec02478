from fastapi import APIRouter, Request

from app.knowledge.schemas import SearchRequest, SearchResponse

router = APIRouter(prefix="/api", tags=["knowledge"])


@router.post("/search", response_model=SearchResponse)
def search(body: SearchRequest, request: Request) -> SearchResponse:
    """Hybrid retrieval over the corpus (dense + BM25), with optional filters."""
    return request.app.state.kb.search(body)
