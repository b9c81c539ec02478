"""The critique service shared by `sosei critique` and POST /api/critique.

Rule findings are deterministic: the same plan always gives the same JSON. An optional LLM may add an
`explanation` to findings afterwards; it never adds, removes or changes a finding.
"""

from __future__ import annotations

from collections import Counter

from langchain_core.language_models import BaseChatModel

from app.cases.library import CaseLibrary
from app.i18n import Lang
from app.knowledge.service import KnowledgeBase
from app.kpi.context import build_plan
from app.kpi.evidence import EvidenceFinder
from app.kpi.explain import explain_findings
from app.kpi.messages import in_lang
from app.kpi.rules import KPI_RULES, PLAN_RULES, Rule, Verdict
from app.kpi.schemas import CritiqueRequest, CritiqueResponse, CritiqueSummary, Finding, KpiResult

COMPARABLE_CASES = 3


class CritiqueService:
    def __init__(
        self, kb: KnowledgeBase, cases: CaseLibrary, chat_model: BaseChatModel | None = None
    ) -> None:
        self.kb = kb
        self.cases = cases
        self.evidence = EvidenceFinder(kb)
        self.chat_model = chat_model

    def critique_explained(self, request: CritiqueRequest) -> CritiqueResponse:
        """The rule result plus LLM explanations when an LLM is configured; otherwise the rule result."""
        result = self.critique(request)
        return explain_findings(result, self.chat_model) if self.chat_model is not None else result

    def _finding(self, rule: Rule, verdict: Verdict, lang: Lang) -> Finding:
        return Finding(
            code=rule.code,
            severity=verdict.severity or rule.severity,
            message=verdict.message(lang),
            suggestion=verdict.suggestion(lang),
            evidence=self.evidence.for_rule(rule.code, rule.evidence_query),
        )

    def critique(self, request: CritiqueRequest) -> CritiqueResponse:
        plan = build_plan(request)
        results: list[KpiResult] = []
        for kpi in plan.kpis:
            findings: list[Finding] = []
            checks: dict[str, bool] = {}
            for rule in KPI_RULES:
                verdict = rule.check(kpi)
                checks[rule.code] = verdict is None
                if verdict is not None:
                    findings.append(self._finding(rule, verdict, request.lang))
            results.append(
                KpiResult(
                    index=kpi.index,
                    text=kpi.text,
                    name=kpi.name,
                    level=kpi.level,
                    level_source="declared" if kpi.declared_level else "inferred",
                    level_reason=in_lang(kpi.level_reason, request.lang),
                    parsed=kpi.parsed,
                    findings=findings,
                    checks=checks,
                )
            )
        plan_findings = [
            self._finding(rule, verdict, request.lang)
            for rule in PLAN_RULES
            if (verdict := rule.check(plan)) is not None
        ]
        query = " ".join([request.title, request.description, *(k.text for k in plan.kpis)])
        comparable = self.cases.similar(
            query, COMPARABLE_CASES, category=request.category, mode="lexical", require_kpis=True
        )
        severities = Counter(f.severity for r in results for f in r.findings)
        severities.update(f.severity for f in plan_findings)
        return CritiqueResponse(
            title=request.title,
            category=request.category,
            kpis=results,
            plan_findings=plan_findings,
            comparable_cases=comparable,
            summary=CritiqueSummary(
                errors=severities["error"],
                warnings=severities["warning"],
                infos=severities["info"],
                levels=dict(Counter(r.level for r in results)),
            ),
        )
