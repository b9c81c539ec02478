"""Per-KPI rules of the Cabinet Office guideline (視点1 objective outcome, 視点2 directness, 視点3 an
ambitious level) plus the research's practical checks. Each rule: one function, its code, its evidence."""

from __future__ import annotations

import re

from app.kpi import lexicon as lx
from app.kpi import pace
from app.kpi.context import KpiContext
from app.kpi.messages import localized
from app.kpi.parsing import target_text
from app.kpi.rules import Verdict, kpi_rule
from app.kpi.suggestions import better_measure, example_kpi


@kpi_rule(
    "subjective",
    "error",
    title=("客觀", "Objective"),
    evidence="KPI 客觀 成果 滿意度 主觀 問卷 不宜作為成果指標",
)
def subjective(kpi: KpiContext) -> Verdict | None:
    term = lx.contains_any(kpi.normalised, lx.SUBJECTIVE)
    if not term or lx.OBJECTIVE_COUNT.search(kpi.normalised):
        return None  # 「表達移居意願之諮詢者中，實際遷入設籍之人數」 counts people who moved
    measure = better_measure(kpi)
    others = [k for k in kpi.plan.kpis if k is not kpi and k.level == "outcome"]
    beside_outcomes = any(not lx.contains_any(k.normalised, lx.SUBJECTIVE) for k in others)
    if beside_outcomes:  # the guideline forbids it as the only outcome, not as a supplementary KPI
        return Verdict("subjective_supplementary", {"term": term}, severity="warning")
    return Verdict("subjective", {"term": term, "example": example_kpi(measure, kpi)})


@kpi_rule(
    "not_quantified", "error", title=("量化", "Quantified"), evidence="KPI 以數值 量化 客觀 衡量 目標值"
)
def not_quantified(kpi: KpiContext) -> Verdict | None:
    if kpi.has_numeric_target:
        return None
    verb = lx.contains_any(kpi.normalised, lx.VAGUE_VERBS)
    example = example_kpi(better_measure(kpi), kpi, keep_numbers=True)
    if verb:
        return Verdict("not_quantified_verb", {"term": verb, "example": example})
    return Verdict("not_quantified", {"example": example})


@kpi_rule(
    "indirect",
    "error",
    title=("直接性", "Direct"),
    evidence="直接性 因果關係 全體 觀光人數 定居人口 計畫 直接 效果",
)
def indirect(kpi: KpiContext) -> Verdict | None:
    if kpi.declared_level in ("overall", "output"):
        return None  # declared context or activity: not a claim about the project's own effect
    t = kpi.normalised
    if lx.contains_any(t, lx.PROJECT_QUALIFIERS) or lx.OVERALL_LABEL.search(t):
        return None  # the project's own beneficiaries, or the plan's word that this is its overall goal
    whole = lx.WHOLE_AREA.search(t)
    scope = lx.contains_any(t, lx.AREA_SCOPE)
    measure = lx.contains_any(t, lx.AREA_MEASURES)
    bare = lx.contains_any(t, lx.BARE_OVERALL)
    if not (whole or (scope and measure) or bare):
        return None
    total = kpi.name if whole else f"{scope}{measure}" if scope and measure else bare
    return Verdict("indirect", {"term": total or "", "example": example_kpi(better_measure(kpi), kpi)})


@kpi_rule(
    "output_as_outcome",
    "error",
    title=("成果/產出", "Outcome ≠ output"),
    evidence="outcome output 活動量 區分 計畫成果 諮詢件數 移居人數",
)
def output_as_outcome(kpi: KpiContext) -> Verdict | None:
    if kpi.declared_level == "output" or (kpi.level != "output" and kpi.declared_level != "outcome"):
        return None  # declared an output: that is what it is
    plan_has_outcome = kpi.plan.has_result
    if lx.ACHIEVEMENT_RATE.search(kpi.normalised) or (
        _means(kpi) and (lx.DELIVERABLE.search(kpi.normalised) or not plan_has_outcome)
    ):
        return None  # an execution rate, a deliverable (規劃書1份) or a plan's only means has its own finding
    activity = kpi.inferred
    if activity is None or activity.level != "output":
        return None
    declared = kpi.declared_level == "outcome"
    if not declared and plan_has_outcome:
        return None  # a legitimate management output beside real outcomes
    key = "output_as_outcome" if declared else "output_as_outcome_only"
    return Verdict(key, {"reason": activity.reason, "example": example_kpi(better_measure(kpi), kpi)})


@kpi_rule(
    "no_baseline",
    "warning",
    title=("基準值", "Baseline"),
    evidence="基準值 現況值 過去實績 中間目標 最終目標",
)
def no_baseline(kpi: KpiContext) -> Verdict | None:
    p = kpi.parsed
    if (
        p.baseline is not None
        or p.baseline_year
        or p.direction == "maintain"
        or p.reference_change is not None
    ):
        return None  # a stated reference year or past trend counts (較2023年成長一成, 過去每年成長8%)
    if p.target is None and p.relative_change is None and p.change is None:
        return None  # no numeric target at all: not_quantified says so
    return Verdict("no_baseline", {"example": example_kpi(kpi.name, kpi, keep_numbers=True)})


def _improves(kpi: KpiContext) -> bool | None:
    """Whether the target beats the baseline in the KPI's good direction; None when unknown."""
    p = kpi.parsed
    if p.direction == "maintain":
        return False
    if p.relative_change is not None and p.reference_change is not None:  # below the past trend
        good = -1 if kpi.lower_is_better else 1
        return good * p.relative_change > good * p.reference_change
    change = p.relative_change
    if change is None and p.baseline is not None and p.target is not None:
        change = p.target - p.baseline
    if change is None:
        return None
    return change < 0 if kpi.lower_is_better else change > 0


@kpi_rule(
    "unambitious",
    "warning",
    title=("有水準", "Ambitious"),
    evidence="高於過去實績 有水準 目標 可預期 費用對效果",
)
def unambitious(kpi: KpiContext) -> Verdict | None:
    if _improves(kpi) is not False and not pace.behind_past_pace(kpi):
        return None
    good = localized("good_decrease" if kpi.lower_is_better else "good_increase")
    return Verdict("unambitious", {"good": good, "example": example_kpi(kpi.name, kpi)})


@kpi_rule(
    "no_deadline", "warning", title=("期限", "Deadline"), evidence="目標年度 期限 中間目標 最終目標 每年 檢證"
)
def no_deadline(kpi: KpiContext) -> Verdict | None:
    if kpi.parsed.deadline:
        return None
    return Verdict("no_deadline", {"example": example_kpi(kpi.name, kpi, keep_numbers=True)})


# The labelled past value in a table row: 「基準値 約18万人（H28年度）｜目標値 18万人」.
_REFERENCE_PART = re.compile(r"(?:基準值|基準値|現況值|現況|現狀|baseline)[^｜|/／;；]*")


def _means(kpi: KpiContext) -> re.Match[str] | None:
    found = lx.MEANS_AS_GOAL.search(kpi.normalised)
    if found and (_AFTER_MEANS.match(kpi.normalised, found.end()) or _DONE_AFTER.search(kpi.normalised)):
        return None  # 「修復老屋完成後開業營運店家」 counts what opened after the repair: a result
    return found


_AFTER_MEANS = re.compile(r"\s*(?:後|后|以後|之後|した後|after\b)")
_DONE_AFTER = re.compile(r"(?:完成|修復|修繕|整修|改修|建置|設置|整備)(?:後|后|以後|之後)")


@kpi_rule(
    "means_as_goal",
    "warning",
    title=("手段≠目標", "Means ≠ goal"),
    evidence="手段 目標 設施 完善的設施數量 收入提高 政策只是手段",
    extension=True,
)
def means_as_goal(kpi: KpiContext) -> Verdict | None:
    match = _means(kpi)
    if not match or kpi.declared_level == "output" or lx.contains_any(kpi.normalised, lx.SUBJECTIVE):
        return None  # 「駅前広場整備の満足度」 measures a perception of the means: the subjective finding says so
    plan_has_outcome = kpi.plan.has_result
    if kpi.declared_level == "outcome" and plan_has_outcome and not lx.DELIVERABLE.search(kpi.normalised):
        return None  # 「完成 X 處」 declared an outcome: the contract's output_as_outcome says so
    # Undeclared or declared a result, a facility, repair or plan completed is a means counted as a goal; the
    # guideline's table puts 完善的設施數量 among the outputs, so the fix is to declare it one beside an outcome.
    return Verdict("means_as_goal", {"term": match.group(0)})


@kpi_rule(
    "vague_wording",
    "info",
    title=("明確用語", "Clear wording"),
    evidence="客觀 數值 明確 目標 檢證",
    extension=True,
)
def vague_wording(kpi: KpiContext) -> Verdict | None:
    # Only what states the target is read: a hedge on a past value (「（113年約80萬元）」, a 基準値 cell or label,
    # 「，113年以前每年成長約15%」) leaves the target exact.
    target_part = lx.norm(target_text(kpi.reading or kpi.text))
    found = lx.HEDGES.search(_REFERENCE_PART.sub(" ", lx.BRACKETED.sub(" ", target_part)))
    if not found:
        return None
    hedge = found.group(0).strip()
    return Verdict("vague_wording", {"term": hedge})


@kpi_rule(
    "achievement_rate",
    "warning",
    title=("達成率≠成果", "Rate ≠ result"),
    evidence="達成率 執行率 實際數 計畫數 成果 效果 活動量",
    extension=True,
)
def achievement_rate(kpi: KpiContext) -> Verdict | None:
    match = lx.ACHIEVEMENT_RATE.search(kpi.normalised)
    if not match:
        return None
    example = example_kpi(better_measure(kpi), kpi)
    return Verdict("achievement_rate", {"term": match.group(0), "example": example})


@kpi_rule(
    "undefined_count",
    "info",
    title=("計算定義", "Counting rule"),
    evidence="KPI 定義 計算方式 資料來源 移居 設籍 統計",
    extension=True,
)
def undefined_count(kpi: KpiContext) -> Verdict | None:
    group = lx.DEFINED_GROUPS.search(kpi.normalised)
    if not group or lx.COUNTING_RULE.search(kpi.normalised):
        return None
    if kpi.inferred is not None and kpi.inferred.level == "output":
        return None  # 「返鄉青年實習媒合件數」 counts matches made: the activity is the measure, not who is in the group
    if lx.contains_any(kpi.normalised, lx.SUBJECTIVE):
        return None  # 「住み続けたい」と答えた移住者の割合: what they say is the fault, not who counts
    money = lx.rightmost(kpi.normalised, lx.MONEY)
    if money is not None and group.end() <= money[0]:
        return None  # 「新創店家營業額」 sums money: who counts as a 新創店家 barely moves it
    return Verdict("undefined_count", {"term": group.group(0)})
