"""Human-readable critique reports: Markdown (readable on its own) and standalone HTML."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.knowledge.documents import FACTORS
from app.kpi.rules import KPI_RULES, PLAN_RULES
from app.kpi.schemas import CritiqueResponse, Finding

LEVEL_LABELS = {"overall": "綜合成果 overall", "outcome": "計畫成果 outcome", "output": "計畫產出 output"}
SEVERITY_LABELS = {"error": "🔴 錯誤", "warning": "🟠 警告", "info": "🔵 提示"}
RULE_TITLES = {
    "subjective": "客觀",
    "not_quantified": "量化",
    "indirect": "直接性",
    "output_as_outcome": "成果/產出",
    "no_baseline": "基準值",
    "unambitious": "有水準",
    "no_deadline": "期限",
    "means_as_goal": "手段≠目標",
    "vague_wording": "明確用語",
    "no_outcome": "有成果指標",
    "no_output": "有產出指標",
    "too_many_kpis": "KPI ≤ 4",
    "cost_effectiveness": "費用對效果",
    **{f"factor:{key}": f"要素：{label}" for key, label in FACTORS.items()},
}
_TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"


DIRECTION_LABELS = {"increase": "增加", "decrease": "減少", "maintain": "維持"}


def number(value: float | None) -> str:
    """40.0 → 40, 3520000000.0 → 3,520,000,000, 0.1 → 0.1."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def _cell(text: str) -> str:
    """Markdown table cells cannot hold pipes or line breaks."""
    return text.replace("|", "｜").replace("\n", " ")


def _finding_md(finding: Finding) -> list[str]:
    lines = [
        f"- **{SEVERITY_LABELS[finding.severity]} `{finding.code}`**（{RULE_TITLES.get(finding.code, '')}）："
        f"{finding.message}",
        f"  - 建議：{finding.suggestion}",
    ]
    for evidence in finding.evidence:
        quote = " ".join(evidence.text.split())
        lines.append(f"  - 依據：《{evidence.title}》（`{evidence.doc_id}`）— {quote}")
    if finding.explanation:
        lines.append(f"  - 補充說明（LLM）：{finding.explanation}")
    return lines


def to_markdown(result: CritiqueResponse) -> str:
    s = result.summary
    levels = "、".join(f"{LEVEL_LABELS[k]} {v}" for k, v in sorted(s.levels.items()))
    out = [
        f"# KPI 審查報告：{result.title}",
        "",
        f"- 類別：{result.category or '未指定'}",
        f"- KPI 數：{len(result.kpis)}（{levels}）",
        f"- 發現：錯誤 {s.errors}、警告 {s.warnings}、提示 {s.infos}",
        "",
        "## KPI 一覽",
        "",
    ]
    codes = [rule.code for rule in KPI_RULES]
    out.append("| # | KPI | 層級 | " + " | ".join(RULE_TITLES.get(c, c) for c in codes) + " |")
    out.append("|---|---|---|" + "---|" * len(codes))
    for kpi in result.kpis:
        marks = " | ".join("✓" if kpi.checks.get(c, True) else "✗" for c in codes)
        out.append(f"| {kpi.index + 1} | {_cell(kpi.text)} | {LEVEL_LABELS[kpi.level]} | {marks} |")
    out += ["", "## 逐項檢視", ""]
    for kpi in result.kpis:
        p = kpi.parsed
        parsed = "；".join(
            f"{label}：{value}"
            for label, value in (
                ("基準", number(p.baseline) or None),
                ("目標", number(p.target) or None),
                ("單位", p.unit),
                ("期限", p.deadline),
                ("方向", DIRECTION_LABELS.get(p.direction or "")),
                ("相對變化", f"{p.relative_change:+.0%}" if p.relative_change is not None else None),
                ("基準年", p.baseline_year),
            )
            if value is not None
        )
        out.append(f"### {kpi.index + 1}. {kpi.text}")
        out.append("")
        source = kpi.level_reason if kpi.level_source == "declared" else f"推定：{kpi.level_reason}"
        out.append(f"層級：{LEVEL_LABELS[kpi.level]}（{source}）。解析：{parsed or '沒有可解析的數值'}。")
        out.append("")
        out += [line for f in kpi.findings for line in _finding_md(f)] or ["- ✓ 沒有發現問題。"]
        out.append("")
    out += ["## 計畫層級", ""]
    plan_codes = [rule.code for rule in PLAN_RULES]
    fired = {f.code for f in result.plan_findings}
    out.append("、".join(f"{'✗' if c in fired else '✓'} {RULE_TITLES.get(c, c)}" for c in plan_codes))
    out.append("")
    out += [line for f in result.plan_findings for line in _finding_md(f)] or ["- ✓ 沒有發現問題。"]
    out += ["", "## 可參考的案例", ""]
    for case in result.comparable_cases:
        out.append(f"### {case.title}（{case.place}，`{case.case_id}`）")
        out.append(f"{case.why}")
        out.append("")
        for k in case.kpis:
            out.append(f"- {k.name}（{LEVEL_LABELS[k.level]}）")
        out.append("")
    if not result.comparable_cases:
        out.append("（沒有找到同類案例）")
    return "\n".join(out).rstrip() + "\n"


def to_html(result: CritiqueResponse, lang: str = "zh-TW") -> str:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"]))
    template = env.get_template("critique_report.html")
    return template.render(
        result=result,
        kpi_codes=[rule.code for rule in KPI_RULES],
        plan_codes=[rule.code for rule in PLAN_RULES],
        rule_titles=RULE_TITLES,
        number=number,
        level_labels=LEVEL_LABELS,
        severity_labels=SEVERITY_LABELS,
        lang=lang,
    )
