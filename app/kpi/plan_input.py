"""Reading a draft plan from JSON or YAML text (CLI files, stdin, web uploads) into a CritiqueRequest."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Literal

import yaml
from pydantic import ValidationError

from app.i18n import Lang, catalog
from app.kpi.schemas import CritiqueRequest

EXAMPLE_PLAN = "old-street.yaml"


class PlanInputError(ValueError):
    """The plan cannot be read; the message says where and why, in one line."""


def describe(exc: ValidationError, lang: Lang = "en") -> str:
    """Validation errors in `lang`, naming the field as a reader counts: 「第 2 個 KPI 超過 500 字」, "KPI 2 is
    longer than 500 characters" (KPIs from 1, not the list index)."""
    words = catalog(lang).validation
    parts = []
    for err in exc.errors()[:6]:
        loc = [p for p in err["loc"] if p not in ("KpiInput", "str")]
        where = _where(loc, words)
        context = err.get("ctx") or {}
        kind = err["type"]
        if kind in ("kpi_empty", "kpi_too_long"):  # one KPI in the list, counted from 1
            where = words["kpi"].format(n=context["n"])
            key = "too_short" if kind == "kpi_empty" else "too_long"
            parts.append(words[key].format(where=where, limit=context.get("limit", "")))
        elif kind in ("string_too_long", "too_long") and "max_length" in context:
            key = "too_long" if kind == "string_too_long" else "too_many"
            parts.append(words[key].format(where=where, limit=context["max_length"]))
        elif kind in ("string_too_short", "too_short"):
            parts.append(words["too_short"].format(where=where))
        elif kind == "text_invalid":  # a lone surrogate, in a field or in KPI n
            where = (
                words["kpi"].format(n=context["n"])
                if context.get("n")
                else words.get(context["field"], where)
            )
            parts.append(words["not_text"].format(where=where))
        elif kind == "missing":
            parts.append(words["missing"].format(where=where))
        elif kind in ("float_parsing", "float_type", "int_parsing", "finite_number"):
            parts.append(words["number"].format(where=where))
        elif kind in ("literal_error", "enum"):
            parts.append(words["choice"].format(where=where, expected=context.get("expected", "")))
        elif kind == "extra_forbidden":
            parts.append(words["unknown"].format(where=where))
        elif kind == "value_error":
            parts.append(f"{where}: {context.get('error', err['msg'])}")
        else:
            parts.append(words["invalid"].format(where=where))
    return "; ".join(dict.fromkeys(parts))


def _where(loc: list[int | str], words: dict[str, str]) -> str:
    if len(loc) >= 2 and loc[0] == "kpis" and isinstance(loc[1], int):
        if len(loc) == 2:
            return words["kpi"].format(n=loc[1] + 1)
        return words["kpi_field"].format(n=loc[1] + 1, field=loc[2])
    if loc and str(loc[0]) in words:
        return words[str(loc[0])]
    return ".".join(str(p) for p in loc) or words["plan"]


def parse_plan(text: str, fmt: Literal["json", "yaml"], lang: Lang = "en") -> CritiqueRequest:
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise PlanInputError(f"not valid {fmt.upper()}{where}: {str(exc).splitlines()[0]}") from exc
    except RecursionError as exc:  # thousands of nested brackets: no plan is written so
        raise PlanInputError(catalog(lang).validation["too_deep"].format(fmt=fmt.upper())) from exc
    if not isinstance(data, dict):
        raise PlanInputError("the plan must be an object with at least `kpis` (a list)")
    try:
        return CritiqueRequest(**{str(k): v for k, v in data.items()})
    except ValidationError as exc:
        raise PlanInputError(describe(exc, lang)) from exc


def format_for(name: str) -> Literal["json", "yaml"]:
    lowered = name.lower()
    if lowered.endswith(".json") or name == "-":
        return "json"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    raise PlanInputError(f"{name}: unsupported plan file; use .json, .yaml/.yml, or - for JSON on stdin")


def example_plan() -> CritiqueRequest:
    """The sample plan shipped in examples/ (the review page's 載入範例計畫, the README's CLI example)."""
    return parse_plan((files("app.kpi") / "examples" / EXAMPLE_PLAN).read_text(encoding="utf-8"), "yaml")
