"""Boundary models of a briefing pack: what a trainer asks for and what the pack holds."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.graphics.models import LogicChainSpec, PdcaSpec
from app.i18n import Lang
from app.knowledge.documents import Category, Factor, KpiEntry

SectionKind = Literal["rules", "cases", "logic_chain", "pdca", "exercise", "questions", "answers", "sources"]
SECTION_KINDS: tuple[SectionKind, ...] = (
    "rules",
    "cases",
    "logic_chain",
    "pdca",
    "exercise",
    "questions",
    "answers",
    "sources",
)
Format = Literal["html", "slides", "pptx", "pdf", "md"]
FORMATS: tuple[Format, ...] = ("html", "slides", "pptx", "pdf", "md")
MAX_CASES = 6
MIN_CASES = 3


class BriefingRequest(BaseModel):
    """What the trainer starts from. Any mix of a free-text theme, a category, a factor, a rule code and
    hand-picked cases; `sections` orders and selects what the pack holds (all, in the default order, when
    empty); `title` and `intro` replace the generated ones."""

    model_config = ConfigDict(extra="forbid")

    theme: str = Field("", max_length=200)
    category: Category | None = None
    factor: Factor | None = None
    rule: str | None = Field(None, max_length=40, description="a KPI rule code, e.g. subjective")
    case_ids: list[str] = Field(default_factory=list, max_length=MAX_CASES)
    sections: list[SectionKind] = Field(default_factory=list, max_length=len(SECTION_KINDS))
    title: str | None = Field(None, max_length=120)
    intro: str | None = Field(None, max_length=2_000)
    lang: Lang = "zh-TW"

    @field_validator("theme")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("sections")
    @classmethod
    def _unique(cls, value: list[SectionKind]) -> list[SectionKind]:
        return list(dict.fromkeys(value))

    @field_validator("case_ids")
    @classmethod
    def _unique_cases(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))


class Link(BaseModel):
    title: str
    url: str


class RuleBrief(BaseModel):
    """A guideline rule in brief: what it says, why it matters for the theme, where it is stated."""

    code: str
    title: str
    statement: str
    why: str = ""
    source: Link


class CaseBrief(BaseModel):
    case_id: str
    title: str
    place: str
    country: str
    category: str
    did: str = Field(description="one line on what they did")
    kpis: dict[str, list[KpiEntry]] = Field(description="level → KPIs, levels in chain order")
    facts: list[str] = Field(default_factory=list, description="reported figures, for a case with no KPIs")
    lesson: str = Field("", description="the case file's lesson for Taiwan")
    url: str
    sources: list[Link] = Field(default_factory=list)


class ExerciseItem(BaseModel):
    """A weak KPI as a draft plan would write it, and (on the answers page) what is wrong and a better KPI."""

    weak: str
    problems: list[str] = Field(default_factory=list, description="rule titles the critique raised")
    explanation: str = ""
    better: str = ""


class Briefing(BaseModel):
    title: str
    intro: str
    theme: str = Field(description="what the pack is about, as understood")
    lang: Lang
    category: str | None = None
    factor: str | None = None
    rule: str | None = None
    sections: list[SectionKind]
    rules: list[RuleBrief] = Field(default_factory=list)
    cases: list[CaseBrief] = Field(default_factory=list)
    logic_chain: LogicChainSpec | None = None
    chain_note: str = ""
    pdca: PdcaSpec | None = None
    pdca_example: list[str] = Field(default_factory=list)
    pdca_source: Link | None = None
    exercise: list[ExerciseItem] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    sources: list[Link] = Field(default_factory=list)
