"""Briefing packs: the builder page (/briefings), its exports (/briefings/export) and the JSON API. Thin: the
briefing service builds the pack, app/briefings/export.py renders each format."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError

from app.briefings import export
from app.briefings.schemas import FORMATS, SECTION_KINDS, Briefing, BriefingRequest, Format
from app.briefings.themes import UnknownTheme
from app.i18n import Lang, catalog
from app.kpi.rules import rule_titles
from app.web.deps import BriefingsDep, PageDep, ServicesDep
from app.web.responses import error

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["briefings"])
UNKNOWN_THEME = error(404, "Unknown rule code or case id")
FIELDS = ("theme", "category", "factor", "rule", "title", "intro")


def read_request(request: Request, lang: Lang) -> tuple[BriefingRequest | None, str | None]:
    """The pack the query string asks for, or None with the reason in the page's language ("" when nothing
    was asked yet)."""
    params = request.query_params
    values: dict[str, object] = {f: v for f in FIELDS if (v := params.get(f, "").strip())}
    values["case_ids"] = [c for c in params.getlist("case") if c.strip()]
    values["sections"] = params.getlist("section")
    if not any(values.get(f) for f in ("theme", "category", "factor", "rule", "case_ids")):
        return None, catalog(lang).briefing["error_theme"] if "build" in params else ""
    try:
        return BriefingRequest.model_validate({**values, "lang": lang}), None
    except ValidationError:
        return None, catalog(lang).briefing["error_theme"]


def _query(request: Request, **extra: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("format", *extra)]
    return urlencode([*params, *extra.items()])


@router.get("/briefings", response_class=HTMLResponse)
def briefing_page(request: Request, page: PageDep, briefings: BriefingsDep) -> HTMLResponse:
    asked, error = read_request(request, page.lang)
    pack: Briefing | None = None
    if asked is not None:
        try:
            pack = briefings.build(asked)
        except UnknownTheme:
            error = catalog(page.lang).briefing["error_unknown"]
    chosen = asked.sections if asked and asked.sections else list(SECTION_KINDS)
    order = chosen + [k for k in SECTION_KINDS if k not in chosen]
    return page.render(
        "briefings.html",
        "briefings",
        status_code=422 if error else 200,
        s=catalog(page.lang).briefing,
        asked=asked,
        pack=pack,
        error=error,
        order=order,
        chosen=set(chosen),
        rules=rule_titles(page.lang),
        svg=export.diagrams(pack) if pack else {},
        link=lambda url: url,
        export_query={fmt: _query(request, format=fmt) for fmt in FORMATS},
    )


@router.get("/briefings/export", response_model=None)
def briefing_export(
    request: Request,
    page: PageDep,
    briefings: BriefingsDep,
    services: ServicesDep,
    format: Annotated[str, Query(max_length=10)] = "html",
) -> Response:
    asked, _reason = read_request(request, page.lang)
    if format not in FORMATS or asked is None:
        return briefing_page(request, page, briefings)
    try:
        pack = briefings.build(asked)
    except UnknownTheme:
        return briefing_page(request, page, briefings)
    back = f"/briefings?{_query(request)}"
    return file_response(pack, format, services.settings.public_url or str(request.base_url), back)


@router.get("/briefings/print.css", response_class=Response)
def print_stylesheet() -> Response:
    return Response(export.print_css(), media_type="text/css; charset=utf-8")


def file_response(pack: Briefing, fmt: Format, base_url: str, back: str = "") -> Response:
    if fmt == "html":
        toolbar = export.Toolbar(
            back=back,
            back_label=catalog(pack.lang).briefing["page_title"],
            script="/static/print.js",
            css="/briefings/print.css",
        )
        return HTMLResponse(
            export.to_html(pack, base_url="" if back else base_url, toolbar=toolbar if back else None)
        )
    if fmt == "slides":
        return HTMLResponse(
            export.to_slides(pack, reveal_url="/static/reveal", base_url="" if back else base_url, back=back)
        )
    body: bytes | str
    if fmt == "md":
        body = export.to_markdown(pack, base_url)
    elif fmt == "pdf":
        body = export.to_pdf(pack, base_url)
    else:
        body = export.to_pptx(pack, base_url)
    suffix = export.SUFFIXES[fmt]
    disposition = (
        f"attachment; filename=\"briefing.{suffix}\"; filename*=UTF-8''{quote(f'{pack.title}.{suffix}')}"
    )
    return Response(body, media_type=export.MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})


@api.post("/briefings", response_model=Briefing, responses=UNKNOWN_THEME)
def build_briefing(body: BriefingRequest, briefings: BriefingsDep) -> Briefing | JSONResponse:
    """A briefing pack for a theme (free text, category, factor, rule code or picked cases), as JSON."""
    try:
        return briefings.build(body)
    except UnknownTheme as exc:
        return JSONResponse(status_code=404, content={"error": str(exc)})


@api.post(
    "/briefings/export",
    response_class=Response,
    responses={
        200: {
            "content": {t: {} for t in sorted(set(export.MEDIA_TYPES.values()))},
            "description": "the pack file",
        },
        **UNKNOWN_THEME,
    },
)
def export_briefing(
    body: BriefingRequest,
    briefings: BriefingsDep,
    services: ServicesDep,
    format: Annotated[Format, Query(description="html | slides | pptx | pdf | md")] = "pdf",
) -> Response:
    """The pack as a file: a print page, browser slides, a .pptx deck, a PDF or Markdown."""
    try:
        pack = briefings.build(body)
    except UnknownTheme as exc:
        return JSONResponse(status_code=404, content={"error": str(exc)})
    return file_response(pack, format, services.settings.public_url)
