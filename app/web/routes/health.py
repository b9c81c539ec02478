from typing import Any

from fastapi import APIRouter

from app.web.deps import KnowledgeDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(knowledge: KnowledgeDep) -> dict[str, Any]:
    return {
        "status": "ok",
        "chunks": len(knowledge.retriever.chunks),
        "embed_model": knowledge.settings.embed_model,
    }
