"""Human-readable critique reports: Markdown (readable on its own) and standalone HTML.

Labels come from the language catalogs (app/i18n), rule titles from the rule registry; the HTML report and
the review page share the template `templates/_critique.html` and its context, `critique_context`.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from app.i18n import DEFAULT_LANG, Lang, catalog
from app.kpi.diagrams import drawings
from app.kpi.numbers import format_number
from app.kpi.rules import KPI_RULES, PLAN_RULES, rule_titles
from app.kpi.schemas import CritiqueResponse, Evidence, Finding

# The critique's templates, for pages that include `_critique.html` (the web app adds this loader to its own).
TEMPLATE_LOADER = PackageLoader("app.kpi", "templates")


# Guideline passages are Markdown (tables included); raw HTML in them is shown as text.
_EVIDENCE_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def evidence_html(text: str) -> Markup:
    """A guideline passage as HTML: its tables as tables, never as pipes."""
    return Markup(_EVIDENCE_MARKDOWN.render(text))


def evidence_by_rule(result: CritiqueResponse) -> dict[str, list[Evidence]]:
    """Each fired rule's guideline evidence, once, in the order rules first fire (a rule that fires for five
    KPIs quotes its guideline once, not five times)."""
    found: dict[str, list[Evidence]] = {}
    findings = [f for k in result.kpis for f in k.findings] + list(result.plan_findings)
    for finding in findings:
        if finding.evidence and finding.code not in found:
            found[finding.code] = list(finding.evidence)
    return found


def critique_context(result: CritiqueResponse | None, lang: Lang) -> dict[str, Any]:
    """What `_critique.html` needs besides `result`: labels in `lang`, rule codes and titles."""
    labels = catalog(lang)
    return {
        "result": result,
        "evidence_by_rule": evidence_by_rule(result) if result is not None else {},
        "evidence_html": evidence_html,
        "kpi_codes": [rule.code for rule in KPI_RULES],
        "plan_codes": [rule.code for rule in PLAN_RULES],
        "rule_titles": rule_titles(lang),
        "severity_labels": labels.severity,
        "level_labels": labels.levels,
        "ui": labels.critique,
        "format_number": format_number,
        "drawings": drawings(result, lang),
    }


def _cell(text: str) -> str:
    """Markdown table cells cannot hold pipes or line breaks."""
    return text.replace("|", "｜").replace("\n", " ")


def _finding_md(finding: Finding, lang: Lang) -> list[str]:
    r = catalog(lang).report
    title = rule_titles(lang).get(finding.code, "")
    lines = [
        f"- **{catalog(lang).severity[finding.severity]} `{finding.code}`**{r['open_paren']}{title}"
        f"{r['close_paren']}{r['label_separator']}{finding.message}",
        f"  - {r['suggestion']}{finding.suggestion}",
    ]
    if finding.evidence:  # quoted once per rule, in the evidence section
        lines.append(f"  - {r['evidence']}{r['see_evidence'].format(code=finding.code)}")
    if finding.explanation:
        lines.append(f"  - {r['explanation']}{finding.explanation}")
    return lines


def to_markdown(result: CritiqueResponse, lang: Lang = DEFAULT_LANG) -> str:
    labels = catalog(lang)
    r, level_labels = labels.report, labels.levels
    titles = rule_titles(lang)
    s = result.summary
    levels = r["list_separator"].join(f"{level_labels[k]} {v}" for k, v in sorted(s.levels.items()))
    out = [
        f"# {r['title'].format(title=result.title)}",
        "",
        f"- {r['category'].format(category=result.category or r['no_category'])}",
        f"- {r['kpi_count'].format(n=len(result.kpis), levels=levels)}",
        f"- {r['findings'].format(errors=s.errors, warnings=s.warnings, infos=s.infos)}",
        "",
        f"## {r['overview']}",
        "",
    ]
    codes = [rule.code for rule in KPI_RULES]
    out.append(f"| # | KPI | {r['level']} | " + " | ".join(titles.get(c, c) for c in codes) + " |")
    out.append("|---|---|---|" + "---|" * len(codes))
    for kpi in result.kpis:
        marks = " | ".join("✓" if kpi.checks.get(c, True) else "✗" for c in codes)
        out.append(f"| {kpi.index + 1} | {_cell(kpi.text)} | {level_labels[kpi.level]} | {marks} |")
    out += ["", f"## {r['details']}", ""]
    for kpi in result.kpis:
        p = kpi.parsed
        parsed = r["field_separator"].join(
            f"{r[label]}{r['label_separator']}{value}"
            for label, value in (
                ("baseline", format_number(p.baseline) or None),
                ("target", format_number(p.target) or None),
                ("unit", p.unit),
                ("deadline", p.deadline),
                ("direction", labels.directions.get(p.direction or "")),
                ("relative_change", f"{p.relative_change:+.0%}" if p.relative_change is not None else None),
                ("change", f"{p.change:+,g}" if p.change is not None else None),
                ("baseline_year", p.baseline_year),
            )
            if value is not None
        )
        out.append(f"### {kpi.index + 1}. {kpi.text}")
        out.append("")
        source = (
            kpi.level_reason
            if kpi.level_source == "declared"
            else f"{labels.critique['inferred']}{kpi.level_reason}"
        )
        out.append(
            r["level_line"].format(
                level=level_labels[kpi.level], source=source, parsed=parsed or r["nothing_parsed"]
            )
        )
        out.append("")
        out += [line for f in kpi.findings for line in _finding_md(f, lang)] or [f"- {r['no_issue']}"]
        out.append("")
    out += [f"## {r['plan']}", ""]
    fired = {f.code for f in result.plan_findings}
    out.append(
        r["list_separator"].join(
            f"{'✗' if rule.code in fired else '✓'} {titles[rule.code]}" for rule in PLAN_RULES
        )
    )
    out.append("")
    out += [line for f in result.plan_findings for line in _finding_md(f, lang)] or [f"- {r['no_issue']}"]
    evidence = evidence_by_rule(result)
    if evidence:
        out += ["", f"## {r['evidence_section']}", ""]
        for code, quotes in evidence.items():
            out += [f"### `{code}`{r['open_paren']}{titles.get(code, '')}{r['close_paren']}", ""]
            for quote in quotes:
                out += [f"《{quote.title}》（`{quote.doc_id}`）", "", quote.text.strip(), ""]
    out += ["", f"## {r['cases']}", ""]
    for case in result.comparable_cases:
        out.append(f"### {case.title}{r['open_paren']}{case.place}，`{case.case_id}`{r['close_paren']}")
        out.append(f"{case.why}")
        out.append("")
        for k in case.kpis:
            out.append(f"- {k.name}{r['open_paren']}{level_labels[k.level]}{r['close_paren']}")
        out.append("")
    if not result.comparable_cases:
        out.append(r["no_cases"])
    return "\n".join(out).rstrip() + "\n"


def to_html(result: CritiqueResponse, lang: Lang = DEFAULT_LANG) -> str:
    env = Environment(
        loader=TEMPLATE_LOADER, autoescape=select_autoescape(["html"]), undefined=StrictUndefined
    )
    context = critique_context(result, lang)
    return env.get_template("critique_report.html").render(**context, lang=lang, report=catalog(lang).report)
