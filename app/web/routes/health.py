from fastapi import APIRouter, Request

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(request: Request) -> dict:
    kb = request.app.state.kb
    return {
        "status": "ok",
        "chunks": len(kb.retriever.chunks),
        "embed_model": kb.settings.embed_model,
    }
