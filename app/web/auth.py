"""Who may do what: roles from access tokens, login sessions in signed cookies, CSRF on every form.

- Tokens are long random strings handed to staff; settings keep only their SHA-256 (`sosei token` makes one),
  so a leaked settings file gives no one access. Roles: `admin` (uploads, feedback) and `reader` (the pages,
  when `public_access` is off).
- The API takes a token as `Authorization: Bearer …`. Pages take it once at /admin/login and then carry a
  session cookie signed with itsdangerous (HttpOnly, SameSite=Strict, Secure by default), which holds the role
  and expires after `session_hours`.
- Every POST form carries a CSRF token (fastapi-csrf-protect, double-submit cookie); the JSON API is exempt,
  since it never authenticates by cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response
from fastapi_csrf_protect import CsrfProtect
from fastapi_csrf_protect.exceptions import CsrfProtectError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.config import Settings

Role = Literal["admin", "reader"]
SESSION_COOKIE = "sosei_session"
_RANK = {"reader": 1, "admin": 2}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def role_of(settings: Settings, token: str) -> Role | None:
    """The role a token grants, compared in constant time against every stored hash."""
    if not token:
        return None
    given = hash_token(token)
    found: Role | None = None
    for stored, role in settings.tokens.items():
        if hmac.compare_digest(given, stored.strip().lower()):
            found = role
    return found


def secret_key(settings: Settings) -> str:
    """The signing key: the setting, else one kept in the data directory (made once, shared by all workers)."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path: Path = settings.data_dir / "secret.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


class Sessions:
    """Login sessions as signed, expiring cookie values."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._signer = URLSafeTimedSerializer(secret_key(settings), salt="sosei-session")

    def issue(self, role: Role) -> str:
        return self._signer.dumps({"role": role})

    def role(self, cookie: str | None) -> Role | None:
        if not cookie:
            return None
        try:
            data = self._signer.loads(cookie, max_age=int(self.settings.session_hours * 3600))
        except BadSignature:  # also an expired one (SignatureExpired is a BadSignature)
            return None
        role = data.get("role") if isinstance(data, dict) else None
        return role if role in _RANK else None

    def set_cookie(self, response: object, role: Role) -> None:
        response.set_cookie(  # type: ignore[attr-defined]
            SESSION_COOKIE,
            self.issue(role),
            max_age=int(self.settings.session_hours * 3600),
            httponly=True,
            samesite="strict",
            secure=self.settings.cookie_secure,
            path="/",
        )


class LoginRequired(Exception):
    """A page needs a login: the handler sends the browser to /login, or answers 403 when the visitor is
    logged in with a role too low for it (`forbidden`)."""

    def __init__(self, role: Role, next_url: str, forbidden: bool = False) -> None:
        self.role = role
        self.next_url = next_url
        self.forbidden = forbidden


def _bearer(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header; None without one."""
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def _token_needed() -> HTTPException:
    return HTTPException(401, "an access token is needed: Authorization: Bearer <token>",
                         headers={"WWW-Authenticate": "Bearer"})  # fmt: skip


def _here(request: Request) -> str:
    """This request's path and query, where a login sends the browser back to."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def request_role(request: Request) -> Role | None:
    """The role of whoever sent this request: a bearer token, else a session cookie."""
    token = _bearer(request)
    if token is not None:
        return role_of(request.app.state.settings, token)
    sessions: Sessions = request.app.state.sessions
    return sessions.role(request.cookies.get(SESSION_COOKIE))


def _allowed(role: Role | None, needed: Role) -> bool:
    return role is not None and _RANK[role] >= _RANK[needed]


def api_role(needed: Role):  # type: ignore[no-untyped-def]
    """A dependency: the API caller's token grants `needed` (401 without one, 403 with too little)."""

    def check(request: Request) -> Role:
        token = _bearer(request)
        role = role_of(request.app.state.settings, token) if token is not None else None
        if role is None:
            raise _token_needed()
        if not _allowed(role, needed):
            raise HTTPException(403, f"this needs the {needed} role")
        return role

    return check


def page_role(needed: Role):  # type: ignore[no-untyped-def]
    """A dependency: the page's visitor is logged in with `needed` (else off to the login page)."""

    def check(request: Request) -> Role:
        role = request_role(request)
        if not _allowed(role, needed):
            raise LoginRequired(needed, _here(request), forbidden=role is not None)
        assert role is not None
        return role

    return check


def reader_unless_public(request: Request) -> None:
    """Pages and the question API: open to all when `public_access`, else to readers and admins."""
    settings: Settings = request.app.state.settings
    if settings.public_access:
        return
    role = request_role(request)
    if _allowed(role, "reader"):
        return
    if request.url.path.startswith("/api/"):
        raise _token_needed()
    raise LoginRequired("reader", _here(request))


AdminApi = Annotated[Role, Depends(api_role("admin"))]
AdminPage = Annotated[Role, Depends(page_role("admin"))]


class Csrf:
    """CSRF protection for every POST form (fastapi-csrf-protect: a double-submit token, signed with the app's
    key). The page puts the token in a hidden `csrftoken` field, the cookie `sosei_csrf` holds its signed twin,
    and `check` compares them before a form is handled. The JSON API needs none: it never authenticates by
    cookie, and browsers cannot send JSON across sites without asking first."""

    COOKIE = "sosei_csrf"
    FIELD = "csrftoken"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.secret = secret_key(settings)
        # load_config writes class attributes: a subclass per app keeps apps with other settings apart
        self.protect: CsrfProtect = type("AppCsrfProtect", (CsrfProtect,), {})()
        options = [
            ("secret_key", self.secret),
            ("cookie_key", self.COOKIE),
            ("token_location", "body"),
            ("token_key", self.FIELD),
            ("cookie_samesite", "strict"),
            ("cookie_secure", settings.cookie_secure),
            ("max_age", int(settings.session_hours * 3600)),
        ]
        self.protect.load_config(lambda: options)

    def token_for(self, request: Request) -> tuple[str, str | None]:
        """The token for a form on this page, and the signed cookie to set (None: the visitor's is valid)."""
        signed = request.cookies.get(self.COOKIE)
        if signed:
            try:
                token = URLSafeTimedSerializer(self.secret, salt="fastapi-csrf-token").loads(
                    signed, max_age=int(self.settings.session_hours * 3600)
                )
                return str(token), None
            except BadSignature:
                pass
        token, signed = self.protect.generate_csrf_tokens()
        return token, signed

    def set_cookie(self, response: Response, signed: str) -> None:
        self.protect.set_csrf_cookie(signed, response)

    async def check(self, request: Request) -> None:
        await request.form()  # parsed once and kept: the route reads the same form
        try:
            await self.protect.validate_csrf(request)
        except CsrfProtectError as exc:
            raise CsrfFailed(str(exc)) from None


class CsrfFailed(Exception):
    """A form came without its CSRF token, or with another one: answered 403 with the error page."""


async def csrf_checked(request: Request) -> None:
    """A dependency for every route that handles a POST form."""
    csrf: Csrf = request.app.state.csrf
    await csrf.check(request)


CsrfChecked = Depends(csrf_checked)
