"""The Jinja environment of the pages, built once per app, and `Page`: one request's renderer.

Templates come from this package, app/kpi (the critique partial) and app/briefings (the pack's sections);
undefined names are errors (StrictUndefined), so a missing string or context variable fails in tests, not silently on a page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from app.briefings.export import TEMPLATE_LOADER as BRIEFING_TEMPLATES
from app.i18n import Lang, catalog
from app.knowledge.documents import CATEGORIES, FACTORS
from app.kpi.numbers import figure_text, format_number
from app.kpi.report import TEMPLATE_LOADER as CRITIQUE_TEMPLATES
from app.web import i18n
from app.web.markdown import render_markdown, section_id, split_at_table

ASSET_VERSION = "3"
LEVELS = ("overall", "outcome", "output")


def build_templates() -> Jinja2Templates:
    env = Environment(
        loader=ChoiceLoader([PackageLoader("app.web", "templates"), CRITIQUE_TEMPLATES, BRIEFING_TEMPLATES]),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
    )
    env.globals.update(
        render_markdown=render_markdown,
        section_id=section_id,
        split_at_table=split_at_table,
        format_number=format_number,
        value=figure_text,
        asset_version=ASSET_VERSION,
        CATEGORIES=CATEGORIES,
        FACTOR_KEYS=tuple(FACTORS),
        LEVELS=LEVELS,
    )
    return Jinja2Templates(env=env)


def switch_url(request: Request, lang: str) -> str:
    """The current page in the other language (a GET of the same path and query)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return f"{request.url.path}?{urlencode([*params, ('lang', lang)])}"


class Page:
    """Renders pages for one request in its language; `?lang=` also remembers the choice in a cookie."""

    def __init__(self, request: Request, templates: Jinja2Templates) -> None:
        self.request = request
        self.templates = templates
        self.lang: Lang = i18n.get_lang(request)
        self._csrf_cookie: str | None = None

    @property
    def strings(self) -> dict[str, str]:
        return catalog(self.lang).ui

    def render(self, template: str, page: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        labels = catalog(self.lang)
        other = "en" if self.lang == "zh-TW" else "zh-TW"
        base = {
            "page": page,
            "lang": self.lang,
            "t": labels.ui,
            "category_labels": labels.category_labels(CATEGORIES),
            "factor_labels": labels.factors,
            "level_labels": labels.levels,
            "switch_url": switch_url(self.request, other),
            "switch_lang": other,
            "csrf_input": self.csrf_input,
        }
        response = self.templates.TemplateResponse(
            self.request, template, {**base, **context}, status_code=status_code
        )
        if self._csrf_cookie is not None:  # a form on the page needed a token the visitor had no cookie for
            self.request.app.state.csrf.set_cookie(response, self._csrf_cookie)
        if i18n.query_lang(self.request):
            response.set_cookie(
                i18n.COOKIE, self.lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True
            )
        return response

    def csrf_input(self) -> Markup:
        """The hidden CSRF field of a POST form; the response then carries the matching cookie if needed."""
        csrf = getattr(self.request.app.state, "csrf", None)
        if csrf is None:
            return Markup("")
        token, self._csrf_cookie = csrf.token_for(self.request)
        return Markup('<input type="hidden" name="{}" value="{}">').format(csrf.FIELD, token)

    def error(self, code: int, body: str | None = None) -> HTMLResponse:
        """The error page for `code`: the catalog's `err_<code>_*` strings, or `body` as its text."""
        return self.render("error.html", str(code), status_code=code, code=code, body=body)

    def not_found(self) -> HTMLResponse:
        return self.error(404)
