"""HTML pages: chat, cases, similar cases, KPI review, guidelines, the glossary and documents. Thin: the services do
the work; app/web/views.py shapes view models, app/web/review.py reads the review form."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from app.graphics.diagrams import logic_chain_svg, pdca_svg
from app.i18n import catalog
from app.knowledge.documents import CATEGORIES, FACTORS
from app.kpi.report import critique_context, to_markdown
from app.kpi.schemas import CritiqueRequest, CritiqueResponse
from app.web import i18n
from app.web.auth import CsrfChecked, csrf_checked
from app.web.deps import BriefingsDep, CasesDep, CorpusDep, CritiqueDep, PageDep, UploadsDep
from app.web.ratelimit import critique_limit, limiter
from app.web.review import ReviewForm, example_form, read_review_form
from app.web.templating import Page
from app.web.views import (
    COUNTRIES,
    facet_counts,
    glossary_sections,
    guidelines_by_topic,
    kpis_by_level,
    level_mix_chart,
    target_actual_chart,
)

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=200)]
STARTERS = 6


@router.get("/", response_class=HTMLResponse)
def chat_page(page: PageDep) -> HTMLResponse:
    starters = [page.strings[f"starter_{n}"] for n in range(1, STARTERS + 1)]
    return page.render("chat.html", "chat", starters=starters, js_strings=i18n.js_strings(page.lang))


# --- cases ----------------------------------------------------------------------------------------------------
@router.get("/cases", response_class=HTMLResponse)
def cases_page(
    page: PageDep,
    library: CasesDep,
    category: Text = None,
    factor: Text = None,
    country: Text = None,
    q: Text = None,
) -> HTMLResponse:
    filters = {
        "category": category if category in CATEGORIES else None,
        "factor": factor if factor in FACTORS else None,
        "country": country if country in COUNTRIES else None,
        "q": (q or "").strip() or None,
    }
    found = library.list(**filters)
    return page.render(
        "cases.html",
        "cases",
        found=found,
        filters=filters,
        counts=facet_counts(library, filters),
        level_chart=level_mix_chart(library, page.lang),
        level_chart_title=catalog(page.lang).briefing["chart_levels"],
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(page: PageDep, library: CasesDep, briefings: BriefingsDep, case_id: str) -> HTMLResponse:
    case = library.get(case_id)
    if case is None:
        return page.not_found()
    similar = library.similar(f"{case.title}\n{case.body}", k=4, exclude=case.case_id)
    chain = briefings.case_chain(case.case_id, page.lang)
    pdca = briefings.case_pdca(case.case_id, page.lang)
    return page.render(
        "case.html",
        "cases",
        case=case,
        kpi_groups=kpis_by_level(case.kpis),
        similar=similar,
        chain=Markup(logic_chain_svg(chain)) if chain else None,
        pdca=Markup(pdca_svg(pdca)) if pdca else None,
        target_chart=target_actual_chart(library.cases[case.case_id].kpis, page.lang),
        s=catalog(page.lang).briefing,
    )


@router.api_route("/similar", methods=["GET", "POST"], response_class=HTMLResponse)
async def similar_page(request: Request, page: PageDep, library: CasesDep) -> HTMLResponse:
    text = request.query_params.get("text", "")
    if request.method == "POST":
        await csrf_checked(request)
        value = (await request.form()).get("text")
        text = value if isinstance(value, str) else ""
    text = text.strip()[:20_000]
    asked = "text" in request.query_params or request.method == "POST"
    results = library.similar(text, k=6) if text else []
    return page.render("similar.html", "cases", text=text, asked=asked, results=results)


# --- KPI review -----------------------------------------------------------------------------------------------
def _review(
    page: Page,
    form: ReviewForm,
    result: CritiqueResponse | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page.render(
        "review.html", "review", status_code=status_code, form=form, error=error,
        **critique_context(result, page.lang),
    )  # fmt: skip


@router.get("/review", response_class=HTMLResponse)
def review_page(page: PageDep, example: bool = False) -> HTMLResponse:
    return _review(page, example_form() if example else ReviewForm())


async def _read(request: Request, page: Page) -> tuple[ReviewForm, CritiqueRequest | None, str | None]:
    form, plan, error = await read_review_form(await request.form(), page.strings, page.lang)
    # The findings speak the page's language, whatever the plan file says.
    return form, plan.model_copy(update={"lang": page.lang}) if plan is not None else None, error


@router.post("/review", response_class=HTMLResponse, dependencies=[CsrfChecked])
@limiter.shared_limit(critique_limit, scope="critique")
async def review_submit(request: Request, page: PageDep, critique: CritiqueDep) -> HTMLResponse:
    form, plan, error = await _read(request, page)
    if plan is None:
        return _review(page, form, error=error, status_code=422)
    return _review(page, form, result=critique.critique(plan))


@router.post("/review/report.md", response_model=None, dependencies=[CsrfChecked])
@limiter.shared_limit(critique_limit, scope="critique")
async def review_markdown(request: Request, page: PageDep, critique: CritiqueDep) -> Response:
    form, plan, error = await _read(request, page)
    if plan is None:
        return _review(page, form, error=error, status_code=422)
    report = to_markdown(critique.critique(plan), page.lang)
    name = f"kpi-review-{plan.title}.md"
    return Response(
        report,
        media_type="text/markdown; charset=utf-8",
        headers={
            "Content-Disposition": f"attachment; filename=\"kpi-review.md\"; filename*=UTF-8''{quote(name)}"
        },
    )


# --- guidelines and documents ---------------------------------------------------------------------------------
@router.get("/guidelines", response_class=HTMLResponse)
def guidelines_page(page: PageDep, corpus: CorpusDep) -> HTMLResponse:
    return page.render("guidelines.html", "guidelines", groups=guidelines_by_topic(corpus.documents.values()))


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page(page: PageDep, corpus: CorpusDep) -> HTMLResponse:
    sections = glossary_sections()
    count = sum(len(terms) for _section, terms in sections)
    titles = {doc_id: doc.title for doc_id, doc in corpus.documents.items()}
    return page.render("glossary.html", "glossary", sections=sections, count=count, titles=titles)


@router.get("/documents/{doc_id}", response_model=None)
def document_page(page: PageDep, corpus: CorpusDep, uploads: UploadsDep, doc_id: str) -> Response:
    doc = corpus.get(doc_id) or (uploads.document(doc_id) if doc_id.startswith("upload-") else None)
    if doc is None:
        return page.not_found()
    if doc.kind == "case":
        return RedirectResponse(f"/cases/{quote(doc.id)}", status_code=307)
    return page.render("document.html", "guidelines" if doc.kind == "guideline" else "document", doc=doc)
