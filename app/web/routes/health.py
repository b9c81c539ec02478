"""Liveness and readiness, for a load balancer or an orchestrator in front of several workers."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.web.deps import KnowledgeDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(knowledge: KnowledgeDep) -> dict[str, Any]:
    """The process is up and serving an index (it may be an empty one: see /readyz)."""
    return {
        "status": "ok",
        "chunks": len(knowledge.retriever.chunks),
        "embed_model": knowledge.settings.embed_model,
        "generation": knowledge.generation,
    }


@router.get(
    "/readyz",
    responses={503: {"description": "Not ready: the store is unreachable or the index is empty"}},
)
def readyz(knowledge: KnowledgeDep) -> JSONResponse:
    """Ready for traffic: the store answers, the index holds passages and the embedding model is loaded."""
    try:
        stored = knowledge.store.count()
    except Exception as exc:
        return JSONResponse(status_code=503, content={"status": "unavailable", "error": str(exc)[:200]})
    chunks = len(knowledge.retriever.chunks)
    ready = stored > 0 and chunks > 0 and knowledge.model_loaded
    body = {"status": "ready" if ready else "starting", "chunks": chunks, "generation": knowledge.generation}
    return JSONResponse(status_code=200 if ready else 503, content=body)
