"""Rendering helpers for the HTML pages: templates, language, the corpus, and small view models."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.assistant.cases import CaseSummary
from app.knowledge.documents import CATEGORIES, FACTORS, Document, KpiEntry, load_corpus
from app.kpi.report import number
from app.web import i18n
from app.web.markdown import render_markdown, section_id, split_at_table

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
ASSET_VERSION = "1"
LEVELS = ("overall", "outcome", "output")
TOPICS = ("kpi_rule", "kpi_examples", "factor", "pdca", "background", "programme")
# Reading order within a topic: the overview first, worked failures last; other documents by id in between.
FIRST = ("gl-kpi-three-viewpoints", "gl-kpi-levels", "gl-kpi-objective-outcome", "gl-kpi-directness", "gl-pdca")
LAST = ("gl-failure-patterns",)

templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
templates.env.globals.update(
    render_markdown=render_markdown,
    section_id=section_id,
    split_at_table=split_at_table,
    number=number,
    asset_version=ASSET_VERSION,
    CATEGORIES=CATEGORIES,
    FACTOR_KEYS=tuple(FACTORS),
    LEVELS=LEVELS,
)


def switch_url(request: Request, lang: str) -> str:
    """The current page in the other language (a GET of the same path and query)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return f"{request.url.path}?{urlencode([*params, ('lang', lang)])}"


def render(
    request: Request, template: str, page: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """A page in the request's language; `?lang=` also remembers the choice in the `lang` cookie."""
    lang = i18n.get_lang(request)
    other = "en" if lang == "zh-TW" else "zh-TW"
    base = {
        "request": request,
        "page": page,
        "lang": lang,
        "t": i18n.STRINGS[lang],
        "category_labels": i18n.CATEGORY_LABELS[lang],
        "factor_labels": i18n.FACTOR_LABELS[lang],
        "level_labels": i18n.LEVEL_LABELS[lang],
        "switch_url": switch_url(request, other),
        "switch_lang": other,
    }
    response = templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
    if i18n.query_lang(request):
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def not_found(request: Request) -> HTMLResponse:
    return render(request, "404.html", "404", status_code=404)


# --- corpus ---------------------------------------------------------------------------------------------------
def corpus(request: Request) -> dict[str, Document]:
    """Every corpus document by id, read once per app (the case library reads its own copy the same way)."""
    docs = getattr(request.app.state, "corpus_docs", None)
    if docs is None:
        docs = {d.id: d for d in load_corpus(request.app.state.kb.settings.corpus_dir)}
        request.app.state.corpus_docs = docs
    return docs


def guidelines_by_topic(docs: Iterable[Document]) -> list[tuple[str, list[Document]]]:
    grouped: dict[str, list[Document]] = {topic: [] for topic in TOPICS}
    for doc in docs:
        if doc.kind == "guideline" and doc.topic:
            grouped.setdefault(doc.topic, []).append(doc)
    def order(doc: Document) -> tuple[int, int, str]:
        if doc.id in FIRST:
            return (0, FIRST.index(doc.id), doc.id)
        return (2 if doc.id in LAST else 1, 0, doc.id)

    return [(topic, sorted(items, key=order)) for topic, items in grouped.items() if items]


# --- cases ----------------------------------------------------------------------------------------------------
def kpis_by_level(kpis: Iterable[KpiEntry]) -> list[tuple[str, list[KpiEntry]]]:
    grouped: dict[str, list[KpiEntry]] = {level: [] for level in LEVELS}
    for kpi in kpis:
        grouped[kpi.level].append(kpi)
    return [(level, items) for level, items in grouped.items() if items]


def value(item: float | int | str | None) -> str:
    """A figure as people read it: 29470000.0 → 29,470,000; text stays as it is."""
    if item is None:
        return ""
    if isinstance(item, int | float) and not isinstance(item, bool):
        return number(float(item))
    return str(item)


templates.env.globals["value"] = value


def facet_counts(request: Request, filters: dict[str, str | None]) -> dict[str, dict[str, int]]:
    """For each filter, how many cases each of its options leaves given the other filters."""
    library = request.app.state.cases
    options = {"category": CATEGORIES, "factor": tuple(FACTORS), "country": ("JP", "TW")}
    counts: dict[str, dict[str, int]] = {}
    for name, values in options.items():
        others = {k: v for k, v in filters.items() if k != name}
        found: list[CaseSummary] = library.list(**others).cases
        counts[name] = {
            option: sum(
                1
                for c in found
                if (c.category == option if name == "category" else
                    option in c.factors if name == "factor" else c.country == option)
            )
            for option in values
        }
    return counts
