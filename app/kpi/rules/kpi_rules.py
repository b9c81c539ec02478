"""Per-KPI rules of the Cabinet Office guideline (視点1 objective outcome, 視点2 directness, 視点3 an
ambitious level) plus the research's practical checks. Each rule: one function, its code, its evidence."""

from __future__ import annotations

import re

from app.kpi import lexicon as lx
from app.kpi.context import KpiContext
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
        return Verdict(
            f"「{term}」是主觀感受；計畫另有客觀成果指標，它只能當輔助 KPI。",
            "保留為輔助指標時，寫明調查方法、樣本數與調查時點（例如：每年10月對參與者全數問卷，回收至少100份）。",
            severity="warning",
        )
    return Verdict(
        f"「{term}」是主觀感受，不是客觀成果；指南要求以可量化的客觀數值呈現計畫效果，滿意度不能是唯一的成果指標。",
        f"改用客觀成果，例如 {example_kpi(measure, kpi)}；若仍要做問卷，請列為輔助資訊並寫明抽樣方法。",
    )


@kpi_rule(
    "not_quantified", "error", title=("量化", "Quantified"), evidence="KPI 以數值 量化 客觀 衡量 目標值"
)
def not_quantified(kpi: KpiContext) -> Verdict | None:
    if kpi.has_numeric_target:
        return None
    verb = lx.contains_any(kpi.normalised, lx.VAGUE_VERBS)
    what = f"只有「{verb}」這類方向詞" if verb else "沒有目標數值"
    return Verdict(
        f"此 KPI {what}，無法在年度 PDCA 中判斷是否達成。",
        f"寫出目標數值、單位與年度，例如 {example_kpi(better_measure(kpi), kpi, keep_numbers=True)}。",
    )


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
    if lx.contains_any(t, lx.PROJECT_QUALIFIERS):
        return None
    whole = lx.WHOLE_AREA.search(t)
    scope = lx.contains_any(t, lx.AREA_SCOPE)
    measure = lx.contains_any(t, lx.AREA_MEASURES)
    bare = lx.contains_any(t, lx.BARE_OVERALL)
    if not (whole or (scope and measure) or bare):
        return None
    total = kpi.name if whole else f"{scope}{measure}" if scope and measure else bare
    return Verdict(
        f"「{total}」是整個地區的總量，受許多因素影響，無法證明是本計畫造成的（直接性）。",
        f"改測本計畫直接受益對象，例如 {example_kpi(better_measure(kpi), kpi)}；"
        "地區總量可另列為 level: overall 的背景指標。",
    )


@kpi_rule(
    "output_as_outcome",
    "error",
    title=("成果/產出", "Outcome ≠ output"),
    evidence="outcome output 活動量 區分 計畫成果 諮詢件數 移居人數",
)
def output_as_outcome(kpi: KpiContext) -> Verdict | None:
    if kpi.declared_level == "output" or (kpi.level != "output" and kpi.declared_level != "outcome"):
        return None  # declared an output: that is what it is
    if lx.ACHIEVEMENT_RATE.search(kpi.normalised) or (_means(kpi) and lx.DELIVERABLE.search(kpi.normalised)):
        return None  # an execution rate or a deliverable (規劃書1份, 平台1式) has its own finding
    activity = kpi.inferred
    if activity is None or activity.level != "output":
        return None
    declared = kpi.declared_level == "outcome"
    plan_has_outcome = any(k.level == "outcome" for k in kpi.plan.kpis)
    if not declared and plan_has_outcome:
        return None  # a legitimate management output beside real outcomes
    how = "被標為 outcome" if declared else "是本計畫唯一宣稱成果的指標類型"
    return Verdict(
        f"這是{activity.reason}，卻{how}；活動做了多少不等於帶來了什麼改變。",
        f"把它列為 output，另設成果指標，例如 {example_kpi(better_measure(kpi), kpi)}。",
    )


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
    if p.target is None and p.relative_change is None:
        return None  # no numeric target at all: not_quantified says so
    return Verdict(
        "有目標值卻沒有基準值（現況或過去實績），無法判斷目標是否高於過去水準。",
        f"補上基準年與基準值，例如 {example_kpi(kpi.name, kpi, keep_numbers=True)}。",
    )


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
    if _improves(kpi) is not False:
        return None
    good = "減少" if kpi.lower_is_better else "增加"
    return Verdict(
        f"目標沒有朝好的方向（{good}）超越基準，指南要求目標高於過去實績、不可設可預期的結果。",
        f"依過去實績與趨勢設定更高的目標，並分年列中間目標，例如 {example_kpi(kpi.name, kpi)}。",
    )


@kpi_rule(
    "no_deadline", "warning", title=("期限", "Deadline"), evidence="目標年度 期限 中間目標 最終目標 每年 檢證"
)
def no_deadline(kpi: KpiContext) -> Verdict | None:
    if kpi.parsed.deadline:
        return None
    return Verdict(
        "沒有目標年度或期間，年度檢證時無法判斷是否如期達成。",
        f"寫明目標年（可用民國或西元）與統計時點，例如 {example_kpi(kpi.name, kpi, keep_numbers=True)}。",
    )


def _means(kpi: KpiContext) -> re.Match[str] | None:
    return lx.MEANS_AS_GOAL.search(kpi.normalised)


@kpi_rule(
    "means_as_goal",
    "warning",
    title=("手段≠目標", "Means ≠ goal"),
    evidence="手段 目標 設施 完善的設施數量 收入提高 政策只是手段",
    extension=True,
)
def means_as_goal(kpi: KpiContext) -> Verdict | None:
    match = _means(kpi)
    if not match or kpi.declared_level == "output":
        return None
    others_carry_results = any(k is not kpi and k.level == "outcome" and not _means(k) for k in kpi.plan.kpis)
    if kpi.declared_level is None and others_carry_results:
        return None  # 「完成老屋修繕12處」 beside real outcomes: a legitimate output
    return Verdict(
        f"「{match.group(0)}」是手段（蓋好、成立了什麼），不是成果；指南例表把完善的設施數量列為 output。",
        "保留為 output，並加上設施帶來的成果，例如「設施完成後增加的營運收入與使用人次」。",
    )


@kpi_rule(
    "vague_wording",
    "info",
    title=("明確用語", "Clear wording"),
    evidence="客觀 數值 明確 目標 檢證",
    extension=True,
)
def vague_wording(kpi: KpiContext) -> Verdict | None:
    found = lx.HEDGES.search(kpi.normalised)
    if not found:
        return None
    hedge = found.group(0).strip()
    return Verdict(
        f"「{hedge}」讓目標變得可伸縮，檢證時難以判定達成與否。",
        "刪去模糊用語，寫出確定的數值與統計方式（資料來源、統計時點）。",
    )


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
    return Verdict(
        f"「{match.group(0)}」只衡量計畫自己的工作是否照表完成；只要活動辦了就會達標，說不出帶來什麼改變。",
        f"把執行率留作內部管理，另設成果指標，例如 {example_kpi(better_measure(kpi), kpi)}。",
    )


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
    return Verdict(
        f"「{group.group(0)}」要先定義誰算數（例如設籍滿多久、是否完成營業登記），否則每年的數字無法比較。",
        f"在 KPI 中寫明計算規則，例如「{group.group(0)}（設籍滿6個月者）」，並註明資料來源（戶政資料、營業登記）。",
    )
