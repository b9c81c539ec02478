"""Reading a draft plan from JSON or YAML text (CLI files, stdin, web uploads) into a CritiqueRequest."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Literal

import yaml
from pydantic import ValidationError

from app.kpi.schemas import CritiqueRequest

EXAMPLE_PLAN = "old-street.yaml"


class PlanInputError(ValueError):
    """The plan cannot be read; the message says where and why, in one line."""


def describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:6]:
        loc = ".".join(str(p) for p in err["loc"] if p not in ("KpiInput", "str")) or "plan"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(dict.fromkeys(parts))


def parse_plan(text: str, fmt: Literal["json", "yaml"]) -> CritiqueRequest:
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise PlanInputError(f"not valid {fmt.upper()}{where}: {str(exc).splitlines()[0]}") from exc
    if not isinstance(data, dict):
        raise PlanInputError("the plan must be an object with at least `kpis` (a list)")
    try:
        return CritiqueRequest(**{str(k): v for k, v in data.items()})
    except ValidationError as exc:
        raise PlanInputError(describe(exc)) from exc


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
