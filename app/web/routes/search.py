from fastapi import APIRouter

from app.knowledge.schemas import SearchRequest, SearchResponse
from app.web.deps import KnowledgeDep

router = APIRouter(prefix="/api", tags=["knowledge"])


@router.post("/search", response_model=SearchResponse)
def search(body: SearchRequest, knowledge: KnowledgeDep) -> SearchResponse:
    """Hybrid retrieval over the corpus (dense + BM25), with optional filters."""
    return knowledge.search(body)
