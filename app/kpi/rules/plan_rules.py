"""Per-plan rules: the KPI set as a whole, and the six driving factors (先駆性要素) judged from the
plan's description."""

from __future__ import annotations

import re

from app.i18n import catalog
from app.knowledge.documents import FACTORS
from app.kpi import lexicon as lx
from app.kpi.context import PlanContext
from app.kpi.rules import Verdict, plan_rule
from app.kpi.suggestions import BY_CATEGORY, DEFAULT_MEASURE

MAX_KPIS_PER_PROJECT = 4  # 推進交付金: up to 4 KPIs can be registered per project


def _factor_titles(factor: str) -> tuple[str, str]:
    """A driving-factor rule is titled by the factor's name in each language."""
    return f"要素：{FACTORS[factor]}", f"Factor: {catalog('en').factors[factor]}"


@plan_rule(
    "no_outcome",
    "error",
    title=("有成果指標", "Has an outcome KPI"),
    evidence="計畫outcome 直接效果 先設定成果指標 再設定產出",
)
def no_outcome(plan: PlanContext) -> Verdict | None:
    if any(k.level == "outcome" for k in plan.kpis):
        return None
    measure = BY_CATEGORY.get(plan.category or "", DEFAULT_MEASURE)
    return Verdict(
        "沒有任何計畫成果（outcome）指標：目前的 KPI 只描述活動量或地區總量，看不出計畫本身帶來的效果。",
        f"至少加一個直接成果指標，例如「{measure}由X提升至Y（20XX年）」。",
    )


@plan_rule(
    "no_output",
    "info",
    title=("有產出指標", "Has an output KPI"),
    evidence="計畫output 活動量 評價與改善 管理",
)
def no_output(plan: PlanContext) -> Verdict | None:
    if any(k.level == "output" for k in plan.kpis):
        return None
    return Verdict(
        "沒有產出（output）指標，執行中難以掌握進度、在 PDCA 中找出哪個環節需要改善。",
        "為主要活動加一個 output 指標（例如輔導家數、開發商品數），作為成果指標的管理輔助。",
    )


@plan_rule("too_many_kpis", "warning", title=("KPI ≤ 4", "KPIs ≤ 4"), evidence="每個事業 KPI 最多 4 個")
def too_many_kpis(plan: PlanContext) -> Verdict | None:
    if len(plan.kpis) <= MAX_KPIS_PER_PROJECT:
        return None
    return Verdict(
        f"共 {len(plan.kpis)} 個 KPI；日本推進交付金每個事業最多登錄 {MAX_KPIS_PER_PROJECT} 個，太多會稀釋焦點。",
        "保留因果最直接的 1–2 個成果指標與 1–2 個產出指標，其餘改列為內部管理數據。",
    )


@plan_rule(
    "cost_effectiveness",
    "warning",
    title=("費用對效果", "Cost-effectiveness"),
    evidence="費用對效果 投資報酬 消費額 金額 成果",
)
def cost_effectiveness(plan: PlanContext) -> Verdict | None:
    if plan.budget is None:
        return None
    for kpi in plan.kpis:
        text = lx.norm(kpi.text) + " " + lx.norm(kpi.parsed.unit or "")
        if lx.contains_any(text, lx.MONEY) or lx.contains_any(text, lx.COST_PER_RESULT):
            return None
    return Verdict(
        f"計畫有預算（{plan.budget:,.0f} {plan.budget_unit}），但沒有任何 KPI 以金額衡量成果或與投入比較，"
        "無法檢視費用對效果。",
        "加一個金額型成果（銷售額、觀光消費額、所得增加額），或寫出每單位成果的成本（例如每位移居者的投入經費）。",
    )


@plan_rule(
    "no_data_source",
    "info",
    title=("資料來源", "Data source"),
    evidence="KPI 資料來源 統計 客觀 數值 檢證 實績",
    extension=True,
)
def no_data_source(plan: PlanContext) -> Verdict | None:
    if not plan.description.strip():
        return None
    texts = [lx.norm(plan.description), *(k.normalised for k in plan.kpis)]
    if any(lx.contains_any(t, lx.DATA_SOURCES) for t in texts):
        return None
    return Verdict(
        "計畫沒有說明 KPI 的數字從哪裡來；年度檢證時無法確認實績值的可信度。",
        "為每個 KPI 寫明資料來源與統計時點，例如「依戶政資料每年12月底統計」「依合作社出貨帳冊」。",
    )


@plan_rule(
    "no_verification",
    "info",
    title=("外部檢證", "External review"),
    evidence="外部有識者 議會 檢證 效果 公開 PDCA",
    extension=True,
)
def no_verification(plan: PlanContext) -> Verdict | None:
    if not plan.description.strip():
        return None
    if lx.contains_any(lx.norm(plan.description), lx.VERIFICATION):
        return None
    return Verdict(
        "計畫沒有說明成果由誰檢證、是否公開；交付金要求每年由外部有識者或議會檢證效果並公開結果。",
        "寫明檢證方式：誰檢證（外部委員、代表會）、何時（每年幾月）、依什麼資料、結果公開在哪裡。",
    )


def _factor_missing(plan: PlanContext, factor: str, advice: str) -> Verdict | None:
    if not plan.description.strip():
        return None  # factors are read from the description: with none there is nothing to judge
    text = lx.norm(plan.description)
    unless_after = lx.CONTRACTED if factor == "public_private" else None
    found = lx.contains_any(text, lx.FACTOR_SIGNALS[factor], negatable=True, unless_after=unless_after)
    if found:
        return None
    return Verdict(f"描述中看不到「{FACTORS[factor]}」的跡象。", advice)


@plan_rule(
    "factor:self_reliance",
    "info",
    title=_factor_titles("self_reliance"),
    evidence="自立性 不依賴補助 能賺錢 營收",
)
def factor_self_reliance(plan: PlanContext) -> Verdict | None:
    return _factor_missing(
        plan, "self_reliance", "說明補助結束後靠什麼收入延續（營收模式、自籌款、民間投資、自償率）。"
    )


@plan_rule(
    "factor:public_private",
    "info",
    title=_factor_titles("public_private"),
    evidence="官民協働 民間 投資 合作 企業",
)
def factor_public_private(plan: PlanContext) -> Verdict | None:
    return _factor_missing(
        plan, "public_private", "寫明合作的民間夥伴（企業、金融機構、社團）與其出資或分工。"
    )


@plan_rule(
    "factor:cross_region",
    "info",
    title=_factor_titles("cross_region"),
    evidence="地域間連携 跨地區合作 鄰近 自治體",
)
def factor_cross_region(plan: PlanContext) -> Verdict | None:
    return _factor_missing(plan, "cross_region", "考慮與鄰近或同類型的鄉鎮市合作，並寫明夥伴與分工。")


@plan_rule(
    "factor:cross_policy",
    "info",
    title=_factor_titles("cross_policy"),
    evidence="政策間連携 跨政策 結合 產業 福祉 觀光",
)
def factor_cross_policy(plan: PlanContext) -> Verdict | None:
    # A theme (以媽祖文化為主題的觀光行銷) is the content of one policy, not a second policy field.
    if not plan.description.strip():
        return None
    text = re.sub(r"以[^，。；,.;]{1,12}為主題", "", lx.norm(plan.description))
    fields = [name for name, words in lx.POLICY_FIELDS.items() if lx.contains_any(text, words)]
    if len(fields) >= 2 or lx.POLICY_LINK.search(text):
        return None
    seen = f"描述中只看到一個政策領域（{fields[0]}）" if len(fields) == 1 else "描述中看不到跨政策合作"
    return Verdict(
        f"{seen}；「{FACTORS['cross_policy']}」要結合兩個以上的政策領域。",
        "說明計畫結合了哪些其他政策領域（例如農業＋福祉、觀光＋交通），以及如何共用資源。",
    )


@plan_rule(
    "factor:lead_body", "info", title=_factor_titles("lead_body"), evidence="推動主體 明確 領導 協議會 公社"
)
def factor_lead_body(plan: PlanContext) -> Verdict | None:
    return _factor_missing(plan, "lead_body", "指定負責推動的組織（協議會、公司、協會、合作社）與關鍵人物。")


@plan_rule(
    "factor:talent", "info", title=_factor_titles("talent"), evidence="人才 確保 培育 定居 創業 好循環"
)
def factor_talent(plan: PlanContext) -> Verdict | None:
    return _factor_missing(plan, "talent", "說明如何培育或留住推動計畫的人才（培訓、返鄉青年、在地雇用）。")
