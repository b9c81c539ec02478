"""The briefing themes file (`themes.yaml`) and how a trainer's request is understood as a theme."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import cast

import yaml
from pydantic import BaseModel, ConfigDict, Field

from app.briefings.schemas import BriefingRequest
from app.i18n import Lang
from app.i18n.glossary import glossary
from app.knowledge.documents import CATEGORIES, FACTORS, Category, Factor
from app.kpi.rules import rule_titles


class Localised(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)
    zh: list[str] = Field(alias="zh-TW")
    en: list[str]

    def of(self, lang: Lang) -> list[str]:
        return self.zh if lang == "zh-TW" else self.en


class ThemeNotes(BaseModel):
    """What the pack says for one category or factor (or in general)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rules: list[str]
    weak: Localised | None = None
    questions: Localised


class PdcaText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    heading: str
    text: str


class PdcaStageNotes(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)
    key: str
    zh: PdcaText = Field(alias="zh-TW")
    en: PdcaText

    def of(self, lang: Lang) -> PdcaText:
        return self.zh if lang == "zh-TW" else self.en


class PdcaNotes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    source: str
    centre: dict[str, str]
    stages: list[PdcaStageNotes]


class ChainNotes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    inputs: Localised


class Themes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    categories: dict[str, ThemeNotes]
    factors: dict[str, ThemeNotes]
    general: ThemeNotes
    rules: dict[str, Localised] = Field(default_factory=dict)
    pdca: PdcaNotes
    chain: ChainNotes


@lru_cache
def themes() -> Themes:
    text = (files("app.briefings") / "themes.yaml").read_text(encoding="utf-8")
    return Themes.model_validate(yaml.safe_load(text))


class UnknownTheme(ValueError):
    """A request names a rule code or a case that does not exist."""


@dataclass(frozen=True)
class Theme:
    """A request as understood: at most one category, factor and rule, plus what else it says."""

    text: str
    category: Category | None
    factor: Factor | None
    rule: str | None

    @property
    def notes(self) -> ThemeNotes:
        if self.category:
            return themes().categories[self.category]
        if self.factor:
            return themes().factors[self.factor]
        return themes().general

    def rule_codes(self) -> list[str]:
        """The rules the pack explains: the theme's own rule first, then the category's or factor's."""
        codes = [self.rule] if self.rule else []
        if self.factor and self.category:  # both named: the factor's own rule joins the category's
            codes.append(f"factor:{self.factor}")
        return list(dict.fromkeys([*codes, *self.notes.rules]))

    def label(self, lang: Lang) -> str:
        terms = glossary()
        parts = []
        if self.category:
            parts.append(terms.categories[self.category].name(lang, self.category))
        if self.factor:
            parts.append(terms.factors[self.factor].name(lang, self.factor))
        if self.rule and self.rule != f"factor:{self.factor}":  # a factor's rule is named by the factor
            rule = terms.rules.get(self.rule)
            parts.append(rule.name(lang, self.rule) if rule else rule_titles(lang).get(self.rule, self.rule))
        if not parts or (self.text and not self._text_is_named()):
            parts.append(self.text)
        return " · ".join(p for p in parts if p)

    def _text_is_named(self) -> bool:
        """Whether the free text says nothing beyond the category, factor or rule it names."""
        rest = glossary().without_terms(self.text, ("categories", "factors", "rules"))
        return not rest.strip(" 　,，、·的與和及")


def understand(request: BriefingRequest, kind_categories: dict[str, str] | None = None) -> Theme:
    """Fields the trainer picked win; otherwise the theme text is read by the glossary's names for a rule, a
    factor and a category, or a kind of project, which has one: 「主觀指標」 → subjective, 「觀光」 → 觀光振興,
    "public-private" → public_private."""
    terms = glossary()
    text = request.theme
    rule = request.rule
    if rule is not None and rule not in rule_titles("zh-TW"):
        raise UnknownTheme(f"unknown rule code: {rule}")
    if rule is None and text in rule_titles("zh-TW"):
        rule = text
    rule = rule or next(iter(terms.named("rules", text)), None)
    factor = request.factor or as_factor(next(iter(terms.named("factors", text)), None))
    # A kind of project names its category best: 「青年返鄉創業」 is start-up support (地方創業), although 返鄉
    # alone would say migration; `kind_categories` maps the example table's project kinds to their category.
    kinds = [(kind_categories or {}).get(kind) for kind in terms.named("project_kinds", text)]
    named = next((k for k in kinds if k), None) or next(iter(terms.named("categories", text)), None)
    category = request.category or as_category(named)
    if rule and rule.startswith("factor:") and factor is None:
        factor = as_factor(rule.removeprefix("factor:"))
    return Theme(text=text, category=category, factor=factor, rule=rule)


def as_category(value: str | None) -> Category | None:
    return cast(Category, value) if value in CATEGORIES else None


def as_factor(value: str | None) -> Factor | None:
    return cast(Factor, value) if value in FACTORS else None
