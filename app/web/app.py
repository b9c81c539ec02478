"""FastAPI application factory. Routers are thin; the services are wired once (app/services.py) and reach
the routes through typed dependencies (app/web/deps.py)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_fastapi_instrumentator import Instrumentator
from slowapi.errors import RateLimitExceeded

from app.config import Settings, get_settings
from app.services import Services, build_services
from app.web import ratelimit
from app.web.auth import Csrf, CsrfFailed, LoginRequired, Sessions, reader_unless_public
from app.web.errors import BodySizeLimit, install_error_handlers
from app.web.responses import BODY_ERRORS
from app.web.routes import admin, assistant, briefings, critique, health, pages, search
from app.web.security import install_security
from app.web.templating import Page, build_templates

logger = logging.getLogger("sosei.web")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """`services` replaces the ones built from `settings` (tests share one index across apps)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        wired = services or build_services(settings)
        if wired.ensure_index(show_progress=False):  # several workers start at once: one indexes
            logger.info("the index was empty: indexed %s", settings.corpus_dir)
        wired.warm()
        app.state.services = wired
        wired.uploads.start()  # indexes staff uploads in the background; resumes what a crash left
        yield
        wired.uploads.stop()

    app = FastAPI(
        title="sosei",
        description="地方創生 knowledge base: search, answers, comparable cases and KPI critique",
        version="0.1.0",
        lifespan=lifespan,
        responses=BODY_ERRORS,
    )
    app.state.templates = build_templates()
    app.state.settings = settings
    app.state.sessions = Sessions(settings)
    ratelimit.configure(settings)
    app.state.limiter = ratelimit.limiter
    # Outermost last: request ids wrap everything, so even a refused body is logged with one.
    app.state.csrf = Csrf(settings)
    upload_limit = settings.upload_max_mb * 1_000_000 + 100_000  # the file and its multipart framing
    app.add_middleware(
        BodySizeLimit,
        read_timeout=settings.read_timeout_seconds,
        larger={"/admin/documents": upload_limit, "/api/admin/documents": upload_limit},
    )
    install_security(app, settings)
    app.add_middleware(CorrelationIdMiddleware)
    install_error_handlers(app)

    @app.exception_handler(RateLimitExceeded)
    async def _too_many(request: Request, exc: RateLimitExceeded) -> Response:
        page = None
        if not request.url.path.startswith("/api/"):
            page = Page(request, request.app.state.templates).error(429)
        return ratelimit.too_many_requests(request, exc, page)

    Instrumentator(excluded_handlers=["/metrics", "/static/.*", "/healthz", "/readyz"]).instrument(
        app
    ).expose(app, include_in_schema=False)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        page = Page(request, request.app.state.templates)
        return page.error(403, body=page.strings["csrf_failed"])

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if exc.forbidden:
            return Page(request, request.app.state.templates).error(403)
        return RedirectResponse(f"/login?{urlencode({'next': exc.next_url})}", status_code=303)

    # Open to all, or to logged-in readers when `public_access` is off:
    guarded = [Depends(reader_unless_public)]
    for router in (
        search.router,
        critique.router,
        assistant.router,
        briefings.api,
        pages.router,
        briefings.router,
    ):
        app.include_router(router, dependencies=guarded)
    # Always open (health checks, login) or guarded by their own role checks (admin):
    for router in (health.router, admin.pages, admin.api):
        app.include_router(router)
    if settings.reveal_dir.is_dir():  # browser slides; without it (no npm), slides show as one long page
        app.mount("/static/reveal", StaticFiles(directory=settings.reveal_dir), name="reveal")
    app.mount("/static", StaticFiles(packages=[("app.web", "static")]), name="static")
    return app
