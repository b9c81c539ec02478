"""FastAPI application factory. Routers are thin; the services live in the capability packages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.assistant.answers import AnswerService
from app.assistant.cases import CaseLibrary
from app.assistant.feedback import FeedbackStore
from app.assistant.llm import build_chat_model
from app.config import Settings, get_settings
from app.knowledge.service import KnowledgeBase
from app.kpi.service import CritiqueService
from app.web.errors import BodySizeLimit, install_error_handlers
from app.web.routes import assistant, critique, health, pages, search
from app.web.views import STATIC_DIR, not_found

logger = logging.getLogger("sosei.web")


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        knowledge = kb or KnowledgeBase(settings)
        if knowledge.is_empty():
            logger.info("index is empty: indexing %s first", settings.corpus_dir)
            knowledge.ingest(show_progress=False)
        knowledge.retriever.embedder  # noqa: B018 - load the model and BM25 before the first request
        chat_model = build_chat_model(settings)
        app.state.kb = knowledge
        app.state.cases = CaseLibrary(knowledge)
        app.state.critique = CritiqueService(knowledge, cases=app.state.cases, chat_model=chat_model)
        app.state.answers = AnswerService(knowledge, chat_model=chat_model)
        app.state.feedback = FeedbackStore(settings.data_dir / "feedback.sqlite3")
        yield

    app = FastAPI(
        title="sosei",
        description="地方創生 knowledge base: search, answers, comparable cases and KPI critique",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(critique.router)
    app.include_router(assistant.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        """An unknown page gets the HTML 404 page; the API keeps its JSON errors."""
        path = request.url.path
        if exc.status_code == 404 and not path.startswith(("/api/", "/static/")):
            return not_found(request)
        return JSONResponse(status_code=exc.status_code, content={"error": str(exc.detail), "detail": exc.detail})

    return app
