"""What the rules look at: each KPI with its parsed fields (structured fields win) and its level."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.knowledge.documents import Level
from app.kpi import lexicon as lx
from app.kpi.parsing import ParsedKpi, parse_kpi
from app.kpi.schemas import CritiqueRequest, KpiInput, ParsedFields


@dataclass(frozen=True)
class LevelJudgement:
    level: Level
    reason: str


def classify_level(text: str) -> LevelJudgement:
    """Level from wording, following the guideline's example table: whole-area totals are overall,
    effects on the project's beneficiaries are outcomes, activity volumes are outputs."""
    t = lx.norm(text)
    qualifier = lx.contains_any(t, lx.PROJECT_QUALIFIERS)
    scope = lx.contains_any(t, lx.AREA_SCOPE)
    if not qualifier:
        if scope and lx.contains_any(t, lx.AREA_MEASURES):
            return LevelJudgement("overall", f"whole-area total ({scope})")
        bare = lx.contains_any(t, lx.BARE_OVERALL)
        if bare:
            return LevelJudgement("overall", f"area aggregate ({bare})")
    outcome = lx.contains_any(t, lx.OUTCOME)
    activity = lx.contains_any(t, lx.ACTIVITY)
    subjective = lx.contains_any(t, lx.SUBJECTIVE)
    if outcome and not (activity and activity in ("諮詢件數", "諮詢人數", "參加人數", "開發數", "開發件數")):
        return LevelJudgement("outcome", f"effect on beneficiaries ({outcome})")
    if activity:
        return LevelJudgement("output", f"activity volume ({activity})")
    if subjective:
        return LevelJudgement("outcome", f"claims an effect ({subjective})")
    return LevelJudgement("outcome", "a result measure by default")


@dataclass
class KpiContext:
    index: int
    text: str
    name: str
    declared_level: Level | None
    level: Level
    level_reason: str
    parsed: ParsedFields
    plan: PlanContext = field(repr=False)

    @property
    def normalised(self) -> str:
        return lx.norm(self.text)

    @property
    def has_numeric_target(self) -> bool:
        return self.parsed.target is not None or self.parsed.relative_change is not None

    @property
    def lower_is_better(self) -> bool:
        return lx.contains_any(lx.norm(self.name or self.text), lx.LOWER_IS_BETTER) is not None


@dataclass
class PlanContext:
    title: str
    category: str | None
    description: str
    budget: float | None
    budget_unit: str
    kpis: list[KpiContext] = field(default_factory=list)


def _merge(parsed: ParsedKpi, given: KpiInput | None) -> ParsedFields:
    fields = ParsedFields(**parsed.model_dump(exclude={"name"}))
    if given is None:
        return fields
    overrides = {
        key: value
        for key in ("baseline", "target", "unit", "deadline", "direction")
        if (value := getattr(given, key)) is not None
    }
    merged = fields.model_copy(update=overrides)
    if merged.direction is None and merged.baseline is not None and merged.target is not None:
        if merged.target > merged.baseline:
            merged.direction = "increase"
        elif merged.target < merged.baseline:
            merged.direction = "decrease"
    return merged


def build_plan(request: CritiqueRequest) -> PlanContext:
    plan = PlanContext(
        title=request.title,
        category=request.category,
        description=request.description,
        budget=request.budget,
        budget_unit=request.budget_unit,
    )
    for index, item in enumerate(request.kpis):
        given = item if isinstance(item, KpiInput) else None
        text = item if isinstance(item, str) else item.name
        parsed = parse_kpi(text)
        judgement = classify_level(text)
        level: Level = given.level if given and given.level else judgement.level
        reason = "declared in the plan" if given and given.level else judgement.reason
        plan.kpis.append(
            KpiContext(
                index=index,
                text=text,
                name=parsed.name or text,
                declared_level=given.level if given else None,
                level=level,
                level_reason=reason,
                parsed=_merge(parsed, given),
                plan=plan,
            )
        )
    return plan
