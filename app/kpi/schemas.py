"""Boundary models of the KPI critique: the contract's critique input and output shapes."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, WithJsonSchema, field_validator, model_validator
from pydantic_core import PydanticCustomError

from app.cases.schemas import ComparableCase
from app.knowledge.documents import Category, Level
from app.knowledge.schemas import NOT_BLANK

MAX_KPIS = 100
MAX_KPI_CHARS = 500
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_ABS_VALUE = 1e15  # larger than any budget or count a plan could mean
Severity = Literal["error", "warning", "info"]
Direction = Literal["increase", "decrease", "maintain"]


def _finite(value: float | None, field: str) -> float | None:
    if value is not None and (not math.isfinite(value) or abs(value) > MAX_ABS_VALUE):
        raise ValueError(f"{field} must be a finite number within ±{MAX_ABS_VALUE:.0e}")
    return value


YEAR_NUMBER_LIMIT = 10**9
# A year or a date as text; plan files often write a bare number (2027), which is taken as its text.
YearText = Annotated[
    str,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": 40},
                {"type": "integer", "minimum": -YEAR_NUMBER_LIMIT, "maximum": YEAR_NUMBER_LIMIT},
            ]
        }
    ),
    Field(max_length=40),
]
# A JSON number (a plan file's unquoted figure): never true or "30", which plain float would take.
JsonNumber = Annotated[float, Strict()]
WITHIN_RANGE: dict[str, Any] = {"minimum": -MAX_ABS_VALUE, "maximum": MAX_ABS_VALUE}


class KpiInput(BaseModel):
    """A KPI given as an object; its fields override what is parsed from `name`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_KPI_CHARS, json_schema_extra=NOT_BLANK)
    level: Level | None = None
    baseline: JsonNumber | None = Field(None, json_schema_extra=WITHIN_RANGE)
    target: JsonNumber | None = Field(None, json_schema_extra=WITHIN_RANGE)
    unit: str | None = Field(None, max_length=40)
    deadline: YearText | None = Field(None, description="e.g. 2027 or 2027年底")
    baseline_year: YearText | None = Field(None, description="the year the baseline dates from")
    direction: Direction | None = None

    @field_validator("deadline", "baseline_year", mode="before")
    @classmethod
    def _deadline_as_text(cls, value: object) -> object:
        if isinstance(value, float) and value.is_integer():  # JSON's 2027.0 is the integer 2027
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > YEAR_NUMBER_LIMIT:
                raise ValueError(f"a year given as a number must be within ±{YEAR_NUMBER_LIMIT:.0e}")
            return str(value)
        return value

    @field_validator("baseline", "target")
    @classmethod
    def _reasonable(cls, value: float | None, info) -> float | None:  # type: ignore[no-untyped-def]
        return _finite(value, info.field_name)

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("KPI name is empty")
        return value.strip()


# A KPI as one line of text. The rules are checked by `_strings_not_blank` below (its messages name the KPI);
# this only states them in the schema, so generated clients and schemathesis know a blank line is refused.
KpiText = Annotated[
    str, WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_KPI_CHARS, "pattern": r"\S"})
]


class CritiqueRequest(BaseModel):
    """A draft plan: POST /api/critique body, or the file `sosei critique` reads."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field("（未命名計畫）", min_length=1, max_length=200)
    category: Category | None = None
    description: str = Field("", max_length=20_000)
    budget: JsonNumber | None = Field(None, ge=0, le=MAX_ABS_VALUE)
    budget_unit: str = Field("元", max_length=10)
    kpis: list[KpiInput | KpiText] = Field(min_length=1, max_length=MAX_KPIS)
    lang: Literal["zh-TW", "en"] = Field(
        "zh-TW", description="the language of the findings' messages and suggestions (an extension)"
    )

    @field_validator("budget")
    @classmethod
    def _reasonable_budget(cls, value: float | None) -> float | None:
        return _finite(value, "budget")

    @model_validator(mode="after")
    def _valid_text(self) -> CritiqueRequest:
        """Text a JSON escape or a plan file can carry but no page or response can hold: a lone surrogate."""
        texts: list[tuple[str, int, str | None]] = [
            ("title", 0, self.title),
            ("description", 0, self.description),
        ]
        for i, kpi in enumerate(self.kpis):
            names = [kpi] if isinstance(kpi, str) else [kpi.name, kpi.unit, kpi.deadline, kpi.baseline_year]
            texts += [("kpis", i + 1, name) for name in names]
        for field, n, text in texts:
            if text and _SURROGATE.search(text):
                where = f"KPI {n}" if n else field
                raise PydanticCustomError(
                    "text_invalid",
                    "{where} is not valid text (it holds a lone surrogate)",
                    {"where": where, "field": field, "n": n},
                )
        return self

    @field_validator("kpis")
    @classmethod
    def _strings_not_blank(cls, kpis: list[KpiInput | KpiText]) -> list[KpiInput | KpiText]:
        for i, kpi in enumerate(kpis):
            if isinstance(kpi, str):
                if not kpi.strip():  # KPIs are counted from 1, as a reader counts them
                    raise PydanticCustomError("kpi_empty", "KPI {n} is empty", {"n": i + 1})
                if len(kpi) > MAX_KPI_CHARS:
                    raise PydanticCustomError(
                        "kpi_too_long",
                        "KPI {n} is longer than {limit} characters",
                        {"n": i + 1, "limit": MAX_KPI_CHARS},
                    )
        return [k.strip() if isinstance(k, str) else k for k in kpis]


class Evidence(BaseModel):
    doc_id: str
    title: str
    text: str
    chunk_id: str | None = None


class Finding(BaseModel):
    code: str
    severity: Severity
    message: str
    suggestion: str
    evidence: list[Evidence] = Field(default_factory=list)
    explanation: str | None = Field(None, description="Optional LLM wording; never changes the finding")


class ParsedFields(BaseModel):
    """What a KPI's text says, field by field (structured KPI fields override these in the critique)."""

    baseline: float | None = None
    target: float | None = None
    unit: str | None = Field(
        None, description="間, 人, 元, 日圓, %, …; money is normalised to the currency word"
    )
    deadline: str | None = Field(None, description='AD year "2026", or "2026-12" when a month is given')
    direction: Direction | None = None
    baseline_year: str | None = Field(None, description='AD year, e.g. "2023"')
    relative_change: float | None = Field(
        None, description="+0.10 for 成長一成 / 增加10% / +10%; negative for 減少兩成"
    )
    change: float | None = Field(
        None,
        description="an absolute change stated with no baseline to apply it to (增加300萬元 → +300, in `unit`)",
    )
    per: str | None = Field(None, description='"年" for 每年 / 年間 / per year')
    target_high: float | None = Field(
        None, description="the upper end of a target range (10～12萬元): `target` holds the lower end"
    )
    reference_change: float | None = Field(
        None,
        description="a past trend stated beside the target (過去每年成長8% → +0.08), for the ambition check",
    )
    unparsed: list[str] = Field(
        default_factory=list, description="number- or date-like fragments not understood"
    )


class KpiResult(BaseModel):
    index: int
    text: str
    name: str
    level: Level
    level_source: Literal["declared", "inferred"]
    level_reason: str
    parsed: ParsedFields
    findings: list[Finding]
    checks: dict[str, bool] = Field(description="Per-KPI rule code → passed")


class CritiqueSummary(BaseModel):
    errors: int
    warnings: int
    infos: int
    levels: dict[str, int]


class CritiqueResponse(BaseModel):
    title: str
    category: str | None = None
    kpis: list[KpiResult]
    plan_findings: list[Finding]
    comparable_cases: list[ComparableCase]
    summary: CritiqueSummary
