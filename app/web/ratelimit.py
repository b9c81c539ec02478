"""Per-client rate limits (slowapi, counting with the `limits` library) on the routes that cost the most:
answers (ask, chat), critique (API and review page) and feedback.

slowapi binds limits to route functions at import time, so there is one limiter; the limits themselves are
read per request from what `configure` (called by create_app) took from the settings. A client is its
address: uvicorn puts the real one there from X-Forwarded-For when the proxy is trusted
(`SOSEI_FORWARDED_ALLOW_IPS`). Counts live in each worker's memory (no shared store is needed to run sosei),
so with N workers a client may get up to N times the limit.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from limits import parse
from slowapi import Limiter
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from app.config import Settings


@dataclass
class _Limits:
    answers: str = "30/minute"
    critique: str = "60/minute"
    feedback: str = "20/minute"
    login: str = "10/minute"


_limits = _Limits()
limiter = Limiter(key_func=get_remote_address, headers_enabled=False, storage_uri="memory://")


def answers_limit() -> str:
    return _limits.answers


def critique_limit() -> str:
    return _limits.critique


def feedback_limit() -> str:
    return _limits.feedback


def login_limit() -> str:
    return _limits.login


def configure(settings: Settings) -> None:
    """Take the limits from `settings`; counts start afresh (each app starts with a clean slate)."""
    limits = (
        settings.rate_limit_answers, settings.rate_limit_critique, settings.rate_limit_feedback,
        settings.rate_limit_login,
    )  # fmt: skip
    for value in limits:
        parse(value)  # a typo in a limit stops the app at start, not on the first request
    _limits.answers = settings.rate_limit_answers
    _limits.critique = settings.rate_limit_critique
    _limits.feedback = settings.rate_limit_feedback
    _limits.login = settings.rate_limit_login
    limiter.enabled = settings.rate_limits_enabled
    limiter.reset()


def retry_after(exc: RateLimitExceeded, request: Request) -> int:
    """Seconds until the client's window lets a request through again."""
    current = getattr(request.state, "view_rate_limit", None)
    if current is None:
        return 60
    item, args = current
    reset_at, _ = limiter.limiter.get_window_stats(item, *args)
    return max(1, math.ceil(reset_at - time.time()))


def too_many_requests(request: Request, exc: RateLimitExceeded, page_response: Response | None) -> Response:
    """429 with Retry-After: JSON for the API, the error page (`page_response`) for a form."""
    seconds = retry_after(exc, request)
    headers = {"Retry-After": str(seconds)}
    if page_response is not None:
        page_response.headers.update(headers)
        return page_response
    return JSONResponse(
        status_code=429,
        content={"error": f"too many requests: at most {exc.detail}; try again in {seconds} s"},
        headers=headers,
    )
