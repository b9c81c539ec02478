"""Boundary models of the case library: case summaries and details, and the contract's `similar` shape."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.knowledge.documents import Category, Fact, KpiEntry, Level, Source
from app.knowledge.schemas import NOT_BLANK, WholeNumber


class CaseSummary(BaseModel):
    case_id: str
    title: str
    place: str
    country: str
    category: str
    factors: list[str]
    project: str | None = None
    kpi_published: str = "yes"
    kpis: list[KpiEntry] = Field(default_factory=list)
    match: Literal["words", "meaning"] | None = Field(
        None, description="in a search: found by the query's (or related) words, or only by meaning"
    )


class CaseDetail(CaseSummary):
    actors: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    funding: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    body: str = Field(description="Markdown")


class CaseList(BaseModel):
    total: int
    cases: list[CaseSummary]


class CaseKpi(BaseModel):
    name: str
    level: Level


class ComparableCase(BaseModel):
    case_id: str
    title: str
    place: str = ""
    country: str = ""
    category: str = ""
    factors: list[str] = Field(default_factory=list)
    kpis: list[CaseKpi] = Field(default_factory=list)
    score: float = 0.0
    why: str = ""


class SimilarRequest(BaseModel):
    """Body of POST /api/similar and the arguments of `sosei similar`."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20_000, json_schema_extra=NOT_BLANK)
    k: WholeNumber = Field(5, ge=1, le=20)
    category: Category | None = None

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty")
        return value.strip()


class SimilarResponse(BaseModel):
    query: str
    cases: list[ComparableCase]
