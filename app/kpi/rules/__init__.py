"""The rule registry. A rule is one small function decorated with its code, severity and the guideline
evidence it rests on; adding a rule means adding one function (and its tests), nothing else.

Per-KPI rules live in kpi_rules.py, per-plan rules in plan_rules.py; importing this package registers both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.kpi.context import KpiContext, PlanContext
from app.kpi.schemas import Severity

Subject = TypeVar("Subject", KpiContext, PlanContext)


@dataclass(frozen=True)
class Verdict:
    """What a rule returns when it fires: the message names the problem, the suggestion a rewrite."""

    message: str
    suggestion: str


@dataclass(frozen=True)
class Rule(Generic[Subject]):
    code: str
    severity: Severity
    evidence_query: str  # what to retrieve from the guideline documents tagged with this code
    check: Callable[[Subject], Verdict | None]

    @property
    def name(self) -> str:
        return self.check.__name__


KPI_RULES: list[Rule[KpiContext]] = []
PLAN_RULES: list[Rule[PlanContext]] = []


def kpi_rule(code: str, severity: Severity, evidence: str):
    def register(check: Callable[[KpiContext], Verdict | None]) -> Callable[[KpiContext], Verdict | None]:
        KPI_RULES.append(Rule(code, severity, evidence, check))
        return check

    return register


def plan_rule(code: str, severity: Severity, evidence: str):
    def register(check: Callable[[PlanContext], Verdict | None]) -> Callable[[PlanContext], Verdict | None]:
        PLAN_RULES.append(Rule(code, severity, evidence, check))
        return check

    return register


from app.kpi.rules import kpi_rules, plan_rules  # noqa: E402,F401 - registers the rules
