"""Error handling: bad input answers 4xx naming the field; an unknown page gets the HTML 404 page; nothing
ever leaks a traceback."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.templating import Page

logger = logging.getLogger("sosei.web")
MAX_BODY_BYTES = 1_000_000


def describe_validation_errors(errors: list[dict[str, object]]) -> str:
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) or ()]  # type: ignore[attr-defined]
        if loc and loc[0] in ("body", "query", "path"):  # where the field came from, not its name
            loc = loc[1:]
        parts.append(f"{'.'.join(loc) or 'body'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app takes on this request's path (asked of the router itself, so
    included routers count too)."""
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in err.items() if k in ("loc", "msg", "type")} for err in exc.errors()]
        return JSONResponse(
            status_code=422, content={"error": describe_validation_errors(errors), "detail": errors}
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and not request.url.path.startswith(("/api/", "/static/")):
            return Page(request, request.app.state.templates).not_found()
        headers = exc.headers
        if (
            exc.status_code == 405
        ):  # Starlette names only the first route on the path; a path may have several
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
        return JSONResponse(
            status_code=exc.status_code,
            content={"error": str(exc.detail), "detail": exc.detail},
            headers=headers,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s", request.url.path)
        return JSONResponse(status_code=500, content={"error": "internal error; see the server log"})


class BodyTooLarge(Exception):
    """A request body ran past the limit while it was being read."""


class BodyStalled(Exception):
    """A client stopped sending its request body."""


class BodySizeLimit:
    """Refuse request bodies over MAX_BODY_BYTES with 413: at once when Content-Length says so, and otherwise
    (a chunked body, or a Content-Length that lies) as soon as the bytes actually read pass the limit, so no
    route ever holds or spools more than that. A body that stalls for `read_timeout` seconds between two
    reads gets 408 and frees the worker (uvicorn has no read timeout of its own)."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = MAX_BODY_BYTES,
        read_timeout: float = 15.0,
        larger: dict[str, int] | None = None,
    ) -> None:
        """`larger`: path prefixes (uploads) that may send more than `max_bytes`, with their own limit."""
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout
        self.larger = larger or {}

    def limit_for(self, path: str) -> int:
        return next(
            (limit for prefix, limit in self.larger.items() if path.startswith(prefix)), self.max_bytes
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._refuse(scope, receive, send, 413, limit)
            return
        read = 0
        failed: int | None = None  # the status a failed read answers with
        started = body_done = False

        async def counted_receive() -> Message:
            nonlocal read, failed, body_done
            if body_done:
                return await receive()  # after the body only a disconnect comes, whenever it comes
            try:
                message = await asyncio.wait_for(receive(), self.read_timeout)
            except TimeoutError:
                failed = 408
                raise BodyStalled from None
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
                if read > limit:
                    failed = 413
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if failed and not started:
                return  # what a route answers to a body it never got whole (FastAPI says 400) becomes ours
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(BodyTooLarge, BodyStalled):
            await self.app(scope, counted_receive, tracked_send)
        if failed and not started:
            await self._refuse(scope, receive, send, failed, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int, limit: int) -> None:
        error = (
            f"request body over {limit // 1000} kB"
            if status == 413
            else f"request body stalled for {self.read_timeout:g} s"
        )
        headers = {"Connection": "close"} if status == 408 else None
        await JSONResponse(status_code=status, content={"error": error}, headers=headers)(
            scope, receive, send
        )
