"""FastAPI application factory. Routers are thin; the services are wired once (app/services.py) and reach
the routes through typed dependencies (app/web/deps.py)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.config import Settings, get_settings
from app.services import Services, build_services
from app.web.errors import BodySizeLimit, install_error_handlers
from app.web.routes import assistant, briefings, critique, health, pages, search
from app.web.security import install_security
from app.web.templating import build_templates

logger = logging.getLogger("sosei.web")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """`services` replaces the ones built from `settings` (tests share one index across apps)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        wired = services or build_services(settings)
        if wired.ensure_index(show_progress=False):
            logger.info("the index was empty: indexed %s", settings.corpus_dir)
        wired.warm()
        app.state.services = wired
        yield

    app = FastAPI(
        title="sosei",
        description="地方創生 knowledge base: search, answers, comparable cases and KPI critique",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.templates = build_templates()
    app.add_middleware(BodySizeLimit)
    install_security(app, settings)
    install_error_handlers(app)
    for router in (health.router, search.router, critique.router, assistant.router, briefings.api):
        app.include_router(router)
    for router in (pages.router, briefings.router):
        app.include_router(router)
    if settings.reveal_dir.is_dir():  # browser slides; without it (no npm), slides show as one long page
        app.mount("/static/reveal", StaticFiles(directory=settings.reveal_dir), name="reveal")
    app.mount("/static", StaticFiles(packages=[("app.web", "static")]), name="static")
    return app
