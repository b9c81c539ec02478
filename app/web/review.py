"""The KPI review form: its fields or an uploaded YAML/JSON plan → a CritiqueRequest, or a message."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from app.i18n import DEFAULT_LANG, Lang
from app.knowledge.documents import CATEGORIES
from app.kpi.numbers import format_number
from app.kpi.plan_input import PlanInputError, describe, example_plan, format_for, parse_plan
from app.kpi.schemas import CritiqueRequest, KpiInput

MAX_FILE_BYTES = 500_000
_BUDGET_NOISE = re.compile(r"[\s,，元NTD$]", re.I)


@dataclass
class ReviewForm:
    """What the form shows; `plan_json` carries a plan read from a file, for the Markdown download."""

    title: str = ""
    category: str = ""
    description: str = ""
    budget: str = ""
    kpis: str = ""
    file_name: str = ""
    plan_json: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def kpi_line(kpi: KpiInput | str) -> str:
    """A KPI as one line of the textarea; a structured KPI is written so the parser reads it back."""
    if isinstance(kpi, str):
        return kpi
    unit = kpi.unit or ""
    line = kpi.name
    if kpi.baseline is not None:
        line += f"由{format_number(kpi.baseline)}{unit}"
    if kpi.target is not None:
        verb = (
            "減少"
            if kpi.direction == "decrease" or (kpi.baseline is not None and kpi.target < kpi.baseline)
            else "增加"
        )
        line += (
            f"{verb}至{format_number(kpi.target)}{unit}"
            if kpi.baseline is not None
            else f"達{format_number(kpi.target)}{unit}"
        )
    if kpi.deadline:
        line += f"（{kpi.deadline}{'年' if kpi.deadline.isdigit() else ''}）"
    return line


def form_from_plan(plan: CritiqueRequest, file_name: str = "") -> ReviewForm:
    return ReviewForm(
        title=plan.title,
        category=plan.category or "",
        description=plan.description,
        budget=format_number(plan.budget).replace(",", "") if plan.budget is not None else "",
        kpis="\n".join(kpi_line(k) for k in plan.kpis),
        file_name=file_name,
        plan_json=plan.model_dump_json(exclude_none=True) if file_name else "",
    )


def example_form() -> ReviewForm:
    return form_from_plan(example_plan())


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


async def _from_upload(
    upload: UploadFile, messages: dict[str, str], lang: Lang
) -> tuple[ReviewForm, CritiqueRequest]:
    name = upload.filename or ""
    try:
        fmt = format_for(name)
    except PlanInputError as exc:
        raise PlanInputError(messages["err_file"].format(msg=exc)) from exc
    raw = await upload.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise PlanInputError(messages["err_file"].format(msg=f"{name}: over {MAX_FILE_BYTES // 1000} kB"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanInputError(messages["err_file"].format(msg=f"{name}: not UTF-8 text")) from exc
    try:
        plan = parse_plan(text, fmt, lang)
    except PlanInputError as exc:
        raise PlanInputError(messages["err_file"].format(msg=f"{name}: {exc}")) from exc
    return form_from_plan(plan, file_name=name), plan


async def read_review_form(
    form: FormData, messages: dict[str, str], lang: Lang = DEFAULT_LANG
) -> tuple[ReviewForm, CritiqueRequest | None, str | None]:
    """(what to show in the form, the plan or None, an error message or None). Never raises on bad input."""
    fields = ReviewForm(
        **{name: _text(form, name) for name in ("title", "category", "description", "budget")}
    )
    kpis_value = form.get("kpis")
    fields.kpis = kpis_value.strip("\n") if isinstance(kpis_value, str) else ""
    upload = form.get("file")
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            shown, plan = await _from_upload(upload, messages, lang)
            return shown, plan, None
        plan_json = _text(form, "plan_json")
        if plan_json:  # a plan read from a file earlier (the download form)
            plan = parse_plan(plan_json, "json", lang)
            return form_from_plan(plan, file_name=_text(form, "file_name") or "plan.json"), plan, None
    except PlanInputError as exc:
        return fields, None, str(exc)
    return fields, *_plan_from_fields(fields, messages, lang)


def _plan_from_fields(
    fields: ReviewForm, messages: dict[str, str], lang: Lang
) -> tuple[CritiqueRequest | None, str | None]:
    kpis = [line.strip() for line in fields.kpis.splitlines() if line.strip()]
    if not kpis:
        return None, messages["err_no_kpis"]
    data: dict[str, object] = {"kpis": kpis, "description": fields.description}
    if fields.title:
        data["title"] = fields.title
    if fields.category:
        data["category"] = fields.category if fields.category in CATEGORIES else fields.category[:40]
    if fields.budget:
        try:
            data["budget"] = float(_BUDGET_NOISE.sub("", fields.budget))
        except ValueError:
            return None, messages["err_budget"]
    try:
        return CritiqueRequest.model_validate(data), None
    except ValidationError as exc:
        return None, describe(exc, lang)
