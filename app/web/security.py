"""Security headers (the `secure` library) and allowed hosts (Starlette's TrustedHostMiddleware), set once for
every response. The CSP needs no 'unsafe-inline': pages load scripts and styles from /static only, charts come
as SVG images (data: URIs), diagrams use presentation attributes."""

from __future__ import annotations

import secure
from fastapi import FastAPI
from secure.middleware import SecureASGIMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from app.config import Settings

CSP = (
    secure.ContentSecurityPolicy()
    .default_src("'self'")
    .script_src("'self'")
    .style_src("'self'")
    .img_src("'self'", "data:")
    .font_src("'self'", "data:")  # reveal.js's theme embeds its fonts
    .connect_src("'self'")
    .object_src("'none'")
    .base_uri("'self'")
    .form_action("'self'")
    .frame_ancestors("'none'")
)
HEADERS = secure.Secure(
    csp=CSP,
    xcto=secure.XContentTypeOptions(),
    xfo=secure.XFrameOptions().deny(),
    referrer=secure.ReferrerPolicy().same_origin(),
)


def install_security(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(SecureASGIMiddleware, secure=HEADERS)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
