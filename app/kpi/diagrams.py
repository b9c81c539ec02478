"""A reviewed plan drawn: its own logic chain (its KPIs placed at their level, gaps marked) and its findings by
rule and severity. The drawing is app/graphics's; this module only decides what goes where."""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup

from app.graphics.charts import chart_image
from app.graphics.diagrams import logic_chain_svg
from app.graphics.models import BarChartSpec, BarSeries, ChainColumn, ChainItem, LogicChainSpec
from app.i18n import Lang, catalog
from app.kpi.rules import rule_titles
from app.kpi.schemas import CritiqueResponse, KpiResult

LEVELS = ("output", "outcome", "overall")
MAX_ITEM_CHARS = 40
# The findings worth marking on the chain itself, first one wins: each says the KPI sits wrongly in it.
FLAGGED = ("indirect", "output_as_outcome", "means_as_goal", "subjective", "achievement_rate")
SEVERITIES = ("error", "warning", "info")
SEVERITY_COLORS = ("#d32f2f", "#f9a825", "#1e88e5")  # as the review page's severity badges


def plan_chain(result: CritiqueResponse, lang: Lang) -> LogicChainSpec:
    """Activity → output → project outcome → overall outcome, with the plan's KPIs where the critique placed
    them. A level with no KPI is a gap; outputs with no outcome to feed are flagged as feeding nothing."""
    ui = catalog(lang).critique
    titles = rule_titles(lang)
    by_level = {level: [k for k in result.kpis if k.level == level] for level in LEVELS}
    feeds_nothing = bool(by_level["output"]) and not by_level["outcome"]

    def item(kpi: KpiResult) -> ChainItem:
        codes = {f.code for f in kpi.findings}
        if kpi.level == "output":  # already drawn as an output: the chain shows what it feeds instead
            codes.discard("output_as_outcome")
        flag = next((titles.get(c, c) for c in FLAGGED if c in codes), None)
        if flag is None and kpi.level == "output" and feeds_nothing:
            flag = ui["chain_feeds_nothing"]
        text = kpi.text if len(kpi.text) <= MAX_ITEM_CHARS else kpi.text[: MAX_ITEM_CHARS - 1] + "…"
        return ChainItem(text=f"{kpi.index + 1}. {text}", flag=flag)

    missing = {"output": ui["chain_missing_output"], "outcome": ui["chain_missing_outcome"]}
    columns = [
        ChainColumn(key="activity", heading=ui["chain_activity"], items=[ChainItem(text=result.title)])
    ]
    columns += [
        ChainColumn(
            key=level,
            heading=catalog(lang).levels[level],
            items=[item(k) for k in by_level[level]],
            missing=missing.get(level) if not by_level[level] else None,
        )
        for level in LEVELS
    ]
    return LogicChainSpec(title=ui["chain_heading"], columns=columns)


def findings_chart(result: CritiqueResponse, lang: Lang) -> BarChartSpec | None:
    """How many findings each rule raised, by severity (None when there is none)."""
    findings = [f for k in result.kpis for f in k.findings] + list(result.plan_findings)
    if not findings:
        return None
    titles = rule_titles(lang)
    counts: Counter[tuple[str, str]] = Counter((f.code, str(f.severity)) for f in findings)
    codes = sorted(
        {f.code for f in findings}, key=lambda c: -sum(n for (code, _), n in counts.items() if code == c)
    )
    labels = catalog(lang).severity
    return BarChartSpec(
        title=catalog(lang).critique["findings_chart"],
        categories=[titles.get(c, c) for c in codes],
        series=[
            BarSeries(label=labels[s], values=[float(counts[(c, s)]) or None for c in codes])
            for s in SEVERITIES
        ],
        stacked=True,
        horizontal=True,
        colors=SEVERITY_COLORS,
    )


def drawings(result: CritiqueResponse | None, lang: Lang) -> dict[str, Markup]:
    """The review's chain and chart as inline SVG, for the critique partial."""
    if result is None:
        return {}
    chart = findings_chart(result, lang)
    return {
        "chain": Markup(logic_chain_svg(plan_chain(result, lang))),
        "findings": Markup(chart_image(chart)) if chart else Markup(""),
    }
