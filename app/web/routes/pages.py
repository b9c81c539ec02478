"""HTML pages: chat, cases, similar cases, KPI review, guidelines and documents. Thin: the services do
the work; app/web/views.py renders, app/web/review.py reads the review form."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.knowledge.documents import CATEGORIES, FACTORS
from app.kpi.report import RULE_TITLES, to_markdown
from app.kpi.rules import KPI_RULES, PLAN_RULES
from app.kpi.schemas import CritiqueRequest, CritiqueResponse
from app.web import i18n
from app.web.review import ReviewForm, example_form, read_review_form
from app.web.views import corpus, facet_counts, guidelines_by_topic, kpis_by_level, not_found, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=200)]


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    lang = i18n.get_lang(request)
    starters = [i18n.STRINGS[lang][f"starter_{n}"] for n in range(1, 7)]
    return render(request, "chat.html", "chat", starters=starters, js_strings=i18n.js_strings(lang))


# --- cases ----------------------------------------------------------------------------------------------------
@router.get("/cases", response_class=HTMLResponse)
def cases_page(
    request: Request, category: Text = None, factor: Text = None, country: Text = None, q: Text = None
) -> HTMLResponse:
    filters = {
        "category": category if category in CATEGORIES else None,
        "factor": factor if factor in FACTORS else None,
        "country": country if country in ("JP", "TW") else None,
        "q": (q or "").strip() or None,
    }
    found = request.app.state.cases.list(**filters)
    return render(
        request, "cases.html", "cases", found=found, filters=filters, counts=facet_counts(request, filters)
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str) -> HTMLResponse:
    library = request.app.state.cases
    case = library.get(case_id)
    if case is None:
        return not_found(request)
    similar = library.similar(f"{case.title}\n{case.body}", k=4, exclude=case.case_id)
    return render(
        request, "case.html", "cases", case=case, kpi_groups=kpis_by_level(case.kpis), similar=similar
    )


@router.api_route("/similar", methods=["GET", "POST"], response_class=HTMLResponse)
async def similar_page(request: Request) -> HTMLResponse:
    text = request.query_params.get("text", "")
    if request.method == "POST":
        value = (await request.form()).get("text")
        text = value if isinstance(value, str) else ""
    text = text.strip()[:20_000]
    asked = "text" in request.query_params or request.method == "POST"
    results = request.app.state.cases.similar(text, k=6) if text else []
    return render(request, "similar.html", "cases", text=text, asked=asked, results=results)


# --- KPI review -----------------------------------------------------------------------------------------------
def _critique_context(lang: i18n.Lang, result: CritiqueResponse | None) -> dict[str, object]:
    return {
        "result": result,
        "kpi_codes": [rule.code for rule in KPI_RULES],
        "plan_codes": [rule.code for rule in PLAN_RULES],
        "rule_titles": i18n.rule_titles(lang, RULE_TITLES),
        "severity_labels": i18n.SEVERITY_LABELS[lang],
        "ui": i18n.CRITIQUE_UI[lang],
    }


def _review(
    request: Request,
    form: ReviewForm,
    result: CritiqueResponse | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    lang = i18n.get_lang(request)
    return render(
        request, "review.html", "review", status_code=status_code, form=form, error=error,
        **_critique_context(lang, result),
    )


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, example: bool = False) -> HTMLResponse:
    return _review(request, example_form() if example else ReviewForm())


async def _read(request: Request) -> tuple[ReviewForm, CritiqueRequest | None, str | None]:
    messages = i18n.STRINGS[i18n.get_lang(request)]
    return await read_review_form(await request.form(), messages)


@router.post("/review", response_class=HTMLResponse)
async def review_submit(request: Request) -> HTMLResponse:
    form, plan, error = await _read(request)
    if plan is None:
        return _review(request, form, error=error, status_code=422)
    return _review(request, form, result=request.app.state.critique.critique(plan))


@router.post("/review/report.md", response_model=None)
async def review_markdown(request: Request) -> Response:
    form, plan, error = await _read(request)
    if plan is None:
        return _review(request, form, error=error, status_code=422)
    report = to_markdown(request.app.state.critique.critique(plan))
    name = f"kpi-review-{plan.title}.md"
    return Response(
        report,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=\"kpi-review.md\"; filename*=UTF-8''{quote(name)}"},
    )


# --- guidelines and documents ---------------------------------------------------------------------------------
@router.get("/guidelines", response_class=HTMLResponse)
def guidelines_page(request: Request) -> HTMLResponse:
    return render(request, "guidelines.html", "guidelines", groups=guidelines_by_topic(corpus(request).values()))


@router.get("/documents/{doc_id}", response_model=None)
def document_page(request: Request, doc_id: str) -> Response:
    doc = corpus(request).get(doc_id)
    if doc is None:
        return not_found(request)
    if doc.kind == "case":
        return RedirectResponse(f"/cases/{quote(doc.id)}", status_code=307)
    return render(request, "document.html", "guidelines" if doc.kind == "guideline" else "document", doc=doc)
