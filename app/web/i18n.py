"""The request's language: `?lang=` (which also sets the `lang` cookie), else the cookie, else zh-TW.
The strings themselves are the catalogs in app/i18n."""

from __future__ import annotations

from fastapi import Request

from app.i18n import DEFAULT_LANG, Lang, as_lang, catalog

COOKIE = "lang"

# What chat.js needs; everything else is rendered on the server.
JS_KEYS = (
    "chat_you", "chat_sosei", "chat_thinking", "chat_sources", "chat_copy", "chat_copied", "chat_helpful",
    "chat_not_helpful", "chat_thanks", "chat_feedback_failed", "chat_error", "chat_refused",
    "chat_mode_extractive", "chat_mode_llm", "chat_open_citation", "panel_section", "chat_basket_add",
    "chat_basket_added", "doc_kind_upload",
)  # fmt: skip


def query_lang(request: Request) -> Lang | None:
    """The language asked for in the query string, if it is one we have."""
    return as_lang(request.query_params.get("lang"))


def get_lang(request: Request) -> Lang:
    return query_lang(request) or as_lang(request.cookies.get(COOKIE)) or DEFAULT_LANG


def js_strings(lang: Lang) -> dict[str, str]:
    ui = catalog(lang).ui
    return {key: ui[key] for key in JS_KEYS}
