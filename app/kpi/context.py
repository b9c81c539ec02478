"""What the rules look at: each KPI with its parsed fields (structured fields win) and its level."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.knowledge.documents import Level
from app.kpi import lexicon as lx
from app.kpi.messages import Localized, localized
from app.kpi.parsing import ParsedKpi, parse_kpi, states_decrease, table_row_reading
from app.kpi.schemas import CritiqueRequest, KpiInput, ParsedFields


@dataclass(frozen=True)
class LevelJudgement:
    level: Level
    reason: Localized


def classify_level(text: str, unit: str | None = None) -> LevelJudgement:
    """Level from wording, following the guideline's example table: whole-area totals are overall,
    effects on the project's beneficiaries are outcomes, activity volumes are outputs."""
    t = lx.norm(text)
    if lx.OVERALL_LABEL.search(t):
        return LevelJudgement("overall", localized("reason_overall_label"))
    achieved = lx.ACHIEVEMENT_RATE.search(t)
    if achieved:  # 實際場次/計畫場次×100%: the plan's own work done as planned
        return LevelJudgement("output", localized("reason_activity", term=achieved.group(0)))
    qualifier = lx.contains_any(t, lx.PROJECT_QUALIFIERS)
    scope = lx.contains_any(t, lx.AREA_SCOPE)
    if not qualifier:
        whole = lx.WHOLE_AREA.search(t)
        if whole:
            return LevelJudgement("overall", localized("reason_area_total", term=whole.group(0)))
        if scope and lx.contains_any(t, lx.AREA_MEASURES):
            return LevelJudgement("overall", localized("reason_area_total", term=scope))
        bare = lx.contains_any(t, lx.BARE_OVERALL)
        if bare:
            return LevelJudgement("overall", localized("reason_area_total", term=bare))
    subjective = lx.contains_any(t, lx.SUBJECTIVE)
    if _mostly_latin(t):  # English puts the head noun first: "room-nights booked by walk participants"
        outcome, activity = lx.leftmost(t, lx.OUTCOME), lx.leftmost(t, lx.ACTIVITY)
        outcome_first = bool(outcome) and (not activity or outcome[0] <= activity[0])  # type: ignore[index]
    else:  # Chinese and Japanese put it last: 空店媒合說明會場次 counts sessions
        outcome, activity = lx.rightmost(t, lx.OUTCOME), lx.rightmost(t, lx.ACTIVITY)
        outcome_first = bool(outcome) and (not activity or outcome[0] >= activity[0])  # type: ignore[index]
    if outcome and outcome_first:
        return LevelJudgement("outcome", localized("reason_result", term=outcome[1]))
    if subjective:  # 「對輔導課程的滿意度」 claims an effect of the course, it does not count courses
        return LevelJudgement("outcome", localized("reason_effect", term=subjective))
    if activity:
        return LevelJudgement("output", localized("reason_activity", term=activity[1]))
    unit = unit if unit is not None else parse_kpi(text).unit
    if unit and lx.norm(unit) in lx.ACTIVITY_UNITS:
        return LevelJudgement("output", localized("reason_activity_unit", term=unit))
    if subjective:
        return LevelJudgement("outcome", localized("reason_effect", term=subjective))
    return LevelJudgement("outcome", localized("reason_default"))


def _mostly_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isascii() for ch in letters) > len(letters) / 2


@dataclass
class KpiContext:
    index: int
    text: str
    name: str
    declared_level: Level | None
    level: Level
    level_reason: Localized
    parsed: ParsedFields
    plan: PlanContext = field(repr=False)
    inferred: LevelJudgement | None = None  # the level its wording suggests, whatever the plan declares
    reading: str = ""  # the text as the rules read it: a pasted table row becomes its sentence

    @property
    def normalised(self) -> str:
        return lx.norm(self.reading or self.text)

    @property
    def reads_as_output(self) -> bool:
        """Declared an outcome, but its wording is an activity volume (「培訓課程辦理場次」)."""
        return (
            self.declared_level == "outcome" and self.inferred is not None and self.inferred.level == "output"
        )

    @property
    def measures_a_result(self) -> bool:
        """A project outcome, and not an activity merely declared one: what the plan's activities are for. An
        area-wide total (overall) is the context, not the project's own result."""
        return self.level == "outcome" and not self.reads_as_output

    @property
    def has_numeric_target(self) -> bool:
        p = self.parsed
        return p.target is not None or p.relative_change is not None or p.change is not None

    @property
    def lower_is_better(self) -> bool:
        """空店舖數 falls when things improve; 空店舖減少率 and 新開業店家數 rise: the head word decides."""
        t = self.normalised
        if lx.COSTS_COVERED.search(t):
            return False
        if _mostly_latin(t):  # English puts the head first: "fees covering 60% of operating costs" rise
            lower_first = lx.leftmost(t, lx.LOWER_IS_BETTER)
            higher_first = lx.leftmost(t, lx.OUTCOME + lx.ACTIVITY)
            return lower_first is not None and (higher_first is None or lower_first[0] <= higher_first[0])
        lower = lx.rightmost(t, lx.LOWER_IS_BETTER)
        higher = lx.rightmost(t, lx.OUTCOME + lx.ACTIVITY)
        if lower is None and higher is None:
            # A measure the lexicon does not know (灌溉用水量): the plan's own stated direction is its good one.
            return states_decrease(self.text)
        return lower is not None and (higher is None or lower[0] >= higher[0])


@dataclass
class PlanContext:
    title: str
    category: str | None
    description: str
    budget: float | None
    budget_unit: str
    kpis: list[KpiContext] = field(default_factory=list)

    @property
    def has_result(self) -> bool:
        """Whether any KPI measures a project result (an activity merely declared an outcome does not)."""
        return any(k.measures_a_result for k in self.kpis)


def _merge(parsed: ParsedKpi, given: KpiInput | None) -> ParsedFields:
    fields = ParsedFields(**parsed.model_dump(exclude={"name"}))
    if given is None:
        return fields
    overrides = {
        key: value
        for key in ("baseline", "target", "unit", "deadline", "baseline_year", "direction")
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
        reading = table_row_reading(text) or text  # a pasted table row is read as the sentence it stands for
        parsed = parse_kpi(reading)
        judgement = classify_level(reading, parsed.unit or "")
        level: Level = given.level if given and given.level else judgement.level
        reason = localized("reason_declared") if given and given.level else judgement.reason
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
                inferred=judgement,
                reading=reading,
            )
        )
    return plan
