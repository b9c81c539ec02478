"""Per-plan rules: the KPI set as a whole, and the six driving factors (先駆性要素) judged from the
plan's description."""

from __future__ import annotations

import re

from app.i18n import catalog
from app.knowledge.documents import FACTORS
from app.kpi import lexicon as lx
from app.kpi.context import PlanContext
from app.kpi.messages import Localized, localized
from app.kpi.rules import Verdict, plan_rule
from app.kpi.suggestions import BY_CATEGORY, DEFAULT_MEASURE, MEASURES_EN

MAX_KPIS_PER_PROJECT = 4  # 推進交付金: up to 4 KPIs can be registered per project


def factor_name(factor: str) -> Localized:
    return {"zh-TW": FACTORS[factor], "en": catalog("en").factors[factor]}


def localized_measure(measure: str) -> Localized:
    return {"zh-TW": measure, "en": MEASURES_EN.get(measure, measure)}


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
    # An activity declared an outcome is not one (the output_as_outcome finding says so): its wording decides.
    if plan.has_result:
        return None
    measure = BY_CATEGORY.get(plan.category or "", DEFAULT_MEASURE)
    return Verdict("no_outcome", {"measure": localized_measure(measure)})


@plan_rule(
    "no_output",
    "info",
    title=("有產出指標", "Has an output KPI"),
    evidence="計畫output 活動量 評價與改善 管理",
)
def no_output(plan: PlanContext) -> Verdict | None:
    if any(k.level == "output" or k.reads_as_output for k in plan.kpis):
        return None
    return Verdict("no_output")


@plan_rule("too_many_kpis", "warning", title=("KPI ≤ 4", "KPIs ≤ 4"), evidence="每個事業 KPI 最多 4 個")
def too_many_kpis(plan: PlanContext) -> Verdict | None:
    if len(plan.kpis) <= MAX_KPIS_PER_PROJECT:
        return None
    return Verdict("too_many_kpis", {"n": len(plan.kpis), "max": MAX_KPIS_PER_PROJECT})


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
    return Verdict("cost_effectiveness", {"budget": f"{plan.budget:,.0f} {plan.budget_unit}"})


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
    # A satisfaction KPI's own 問卷 or 調查 is its measure, not a source named for the plan's figures.
    kpi_texts = [k.normalised for k in plan.kpis if not lx.contains_any(k.normalised, lx.SUBJECTIVE)]
    if any(lx.contains_any(t, lx.DATA_SOURCES) for t in [lx.norm(plan.description), *kpi_texts]):
        return None
    return Verdict("no_data_source")


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
    return Verdict("no_verification")


def _factor_missing(plan: PlanContext, factor: str) -> Verdict | None:
    if not plan.description.strip():
        return None  # factors are read from the description: with none there is nothing to judge
    text = lx.norm(plan.description)
    unless_after = lx.CONTRACTED if factor == "public_private" else None
    found = lx.contains_any(text, lx.FACTOR_SIGNALS[factor], negatable=True, unless_after=unless_after)
    if not found and factor == "cross_region":
        found = _partner_town(plan, text)
    return None if found else _missing(factor)


def _partner_town(plan: PlanContext, text: str) -> str | None:
    """A township named as a partner that is not the plan's own (its title names the plan's own town)."""
    own = lx.norm(plan.title)
    return next((m.group(0) for m in lx.JOINT_PLACE.finditer(text) if m.group("place") not in own), None)


def _missing(factor: str) -> Verdict:
    return Verdict("factor_missing", {"factor": factor_name(factor), "advice": localized(f"advice_{factor}")})


@plan_rule(
    "factor:self_reliance",
    "info",
    title=_factor_titles("self_reliance"),
    evidence="自立性 不依賴補助 能賺錢 營收",
)
def factor_self_reliance(plan: PlanContext) -> Verdict | None:
    return _factor_missing(plan, "self_reliance")


@plan_rule(
    "factor:public_private",
    "info",
    title=_factor_titles("public_private"),
    evidence="官民協働 民間 投資 合作 企業",
)
def factor_public_private(plan: PlanContext) -> Verdict | None:
    return _factor_missing(plan, "public_private")


@plan_rule(
    "factor:cross_region",
    "info",
    title=_factor_titles("cross_region"),
    evidence="地域間連携 跨地區合作 鄰近 自治體",
)
def factor_cross_region(plan: PlanContext) -> Verdict | None:
    return _factor_missing(plan, "cross_region")


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
    # Culture, jobs, commerce and going online come with most projects' own theme: they count only when the
    # plan says it joins them with a policy field proper (結合客家文化與農產加工). Two fields proper (tourism with
    # welfare), or joining another department's policy, show the factor.
    proper = [name for name in fields if name not in lx.THEME_FIELDS]
    link = lx.POLICY_LINK.search(text)
    joins = [m.group(0) for m in re.finditer(r"結合[^，。；,.;]{0,20}", text)]  # what each 「結合…」 joins
    named_link = link is not None and not link.group(0).startswith("結合")  # 政策連結, と連動, "links … with"
    joins_a_policy = named_link or any(lx.POLICY_OBJECT.search(joined) for joined in joins)
    # 「結合文化觀光與長照據點」 joins a policy field proper that is not the plan's own (觀光 for a tourism plan)
    own = lx.CATEGORY_FIELDS.get(plan.category or "", frozenset())
    joins_a_field = any(
        lx.contains_any(joined, words)
        for joined in joins
        for name, words in lx.POLICY_FIELDS.items()
        if name not in lx.THEME_FIELDS and name not in own
    )
    themed_link = joins_a_field and len(proper) >= 1 and len(fields) >= 2  # 「結合客家文化與農產加工」
    if lx.AGENCY_JOIN.search(text) or joins_a_policy or themed_link:
        return None
    if len(fields) == 1:
        field = localized(f"field_{fields[0]}")
        return Verdict("factor_cross_policy_one", {"field": field, "factor": factor_name("cross_policy")})
    return Verdict("factor_cross_policy_none", {"factor": factor_name("cross_policy")})


@plan_rule(
    "factor:lead_body", "info", title=_factor_titles("lead_body"), evidence="推動主體 明確 領導 協議會 公社"
)
def factor_lead_body(plan: PlanContext) -> Verdict | None:
    # The guideline looks for a named body that answers for the project (協議會, 公社, 支援中心, 地方商社, 法人);
    # 「由公所統籌、各單位配合」 alone is too weak a sign, and so are bodies that run it together with none as lead.
    text = lx.norm(plan.description)
    if text.strip() and lx.NO_LEAD.search(text):
        return _missing("lead_body")  # the plan says so itself
    if text.strip() and lx.EXPLICIT_LEAD.search(text):
        return None  # 「鄉公所負責計畫管理」, "acts as secretariat": a lead named in so many words
    if text.strip() and lx.CO_LEAD.search(text):  # 「由A與B共同辦理」: everyone's project, nobody's
        return _missing("lead_body")
    return _factor_missing(plan, "lead_body")


@plan_rule(
    "factor:talent", "info", title=_factor_titles("talent"), evidence="人才 確保 培育 定居 創業 好循環"
)
def factor_talent(plan: PlanContext) -> Verdict | None:
    return _factor_missing(plan, "talent")
