"""The rule registry. A rule is one small function decorated with everything known about it: its code,
severity, short titles in each language, the guideline evidence it rests on, and whether its code is one of
the interface contract's or an extension. Adding a rule means adding one function (and its tests); the
report, the review page and the evaluation read the registry.

Per-KPI rules live in kpi_rules.py, per-plan rules in plan_rules.py; importing this package registers both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from app.i18n import Lang
from app.kpi.context import KpiContext, PlanContext
from app.kpi.messages import Param, text
from app.kpi.schemas import Severity

Subject = TypeVar("Subject", KpiContext, PlanContext)


@dataclass(frozen=True)
class Verdict:
    """What a rule returns when it fires: the key of its message and suggestion in app/kpi/messages.yaml, and
    the values to fill them with (a value may differ by language: an example KPI, a measure)."""

    key: str
    params: dict[str, Param] = field(default_factory=dict)
    # Set when this case is milder than the rule's own severity (satisfaction beside objective outcomes).
    severity: Severity | None = None

    def message(self, lang: Lang) -> str:
        return text(self.key, lang, "message", **self.params)

    def suggestion(self, lang: Lang) -> str:
        return text(self.key, lang, "suggestion", **self.params)


@dataclass(frozen=True)
class Rule(Generic[Subject]):
    code: str
    severity: Severity
    titles: dict[Lang, str]  # short name for table headers and finding titles, per language
    evidence_query: str  # what to retrieve from the guideline documents tagged with this code
    check: Callable[[Subject], Verdict | None]
    extension: bool = False  # a code beyond the interface contract's (documented in docs/extensions.md)

    @property
    def name(self) -> str:
        return self.check.__name__


KPI_RULES: list[Rule[KpiContext]] = []
PLAN_RULES: list[Rule[PlanContext]] = []


def kpi_rule(
    code: str, severity: Severity, *, title: tuple[str, str], evidence: str, extension: bool = False
) -> Callable[[Callable[[KpiContext], Verdict | None]], Callable[[KpiContext], Verdict | None]]:
    """Register a per-KPI rule; `title` is its short name in (zh-TW, English)."""

    def register(check: Callable[[KpiContext], Verdict | None]) -> Callable[[KpiContext], Verdict | None]:
        KPI_RULES.append(
            Rule(code, severity, {"zh-TW": title[0], "en": title[1]}, evidence, check, extension)
        )
        return check

    return register


def plan_rule(
    code: str, severity: Severity, *, title: tuple[str, str], evidence: str, extension: bool = False
) -> Callable[[Callable[[PlanContext], Verdict | None]], Callable[[PlanContext], Verdict | None]]:
    """Register a per-plan rule; `title` is its short name in (zh-TW, English)."""

    def register(check: Callable[[PlanContext], Verdict | None]) -> Callable[[PlanContext], Verdict | None]:
        PLAN_RULES.append(
            Rule(code, severity, {"zh-TW": title[0], "en": title[1]}, evidence, check, extension)
        )
        return check

    return register


def rule_titles(lang: Lang) -> dict[str, str]:
    """Every rule's short title in `lang`, by code."""
    titles = {rule.code: rule.titles[lang] for rule in KPI_RULES}
    titles.update({rule.code: rule.titles[lang] for rule in PLAN_RULES})
    return titles


def contract_codes(rules: list[Rule[KpiContext]] | list[Rule[PlanContext]]) -> tuple[str, ...]:
    """The codes of `rules` that the interface contract fixes (what the labelled eval sets label)."""
    return tuple(rule.code for rule in rules if not rule.extension)


from app.kpi.rules import kpi_rules, plan_rules  # noqa: E402,F401 - registers the rules
