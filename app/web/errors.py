"""Error handling: bad input answers 4xx naming the field; an unknown page gets the HTML 404 page; nothing
ever leaks a traceback."""

from __future__ import annotations

import contextlib
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
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
        return JSONResponse(
            status_code=exc.status_code, content={"error": str(exc.detail), "detail": exc.detail}
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s", request.url.path)
        return JSONResponse(status_code=500, content={"error": "internal error; see the server log"})


class BodyTooLarge(Exception):
    """A request body ran past the limit while it was being read."""


class BodySizeLimit:
    """Refuse request bodies over MAX_BODY_BYTES with 413: at once when Content-Length says so, and otherwise
    (a chunked body, or a Content-Length that lies) as soon as the bytes actually read pass the limit, so no
    route ever holds or spools more than that."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        read = 0
        exceeded = started = False

        async def counted_receive() -> Message:
            nonlocal read, exceeded
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # what a route answers to a body it never got whole (FastAPI says 400) becomes the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counted_receive, tracked_send)
        if exceeded and not started:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            status_code=413, content={"error": f"request body over {self.max_bytes // 1000} kB"}
        )
        await response(scope, receive, send)
