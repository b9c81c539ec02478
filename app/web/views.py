"""View models of the HTML pages: guidelines grouped by topic, a case's KPIs by level, filter counts, the glossary."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from app.cases.library import CaseLibrary
from app.graphics.charts import chart_image
from app.graphics.models import BarChartSpec, BarSeries
from app.i18n import Lang, catalog
from app.i18n.glossary import Term, glossary
from app.knowledge.documents import CATEGORIES, FACTORS, Document, KpiEntry
from app.web.templating import LEVELS

TOPICS = ("kpi_rule", "kpi_examples", "factor", "pdca", "concept", "background", "programme")
# Reading order within a topic: the overview first, worked failures last; other documents by id in between.
FIRST = (
    "gl-kpi-three-viewpoints",
    "gl-kpi-levels",
    "gl-kpi-objective-outcome",
    "gl-kpi-directness",
    "gl-pdca",
)
LAST = ("gl-failure-patterns",)
COUNTRIES = ("JP", "TW")


def guidelines_by_topic(docs: Iterable[Document]) -> list[tuple[str, list[Document]]]:
    grouped: dict[str, list[Document]] = {topic: [] for topic in TOPICS}
    for doc in docs:
        if doc.kind == "guideline" and doc.topic:
            grouped.setdefault(doc.topic, []).append(doc)

    def order(doc: Document) -> tuple[int, int, str]:
        if doc.id in FIRST:
            return (0, FIRST.index(doc.id), doc.id)
        return (2 if doc.id in LAST else 1, 0, doc.id)

    return [(topic, sorted(items, key=order)) for topic, items in grouped.items() if items]


def kpis_by_level(kpis: Iterable[KpiEntry]) -> list[tuple[str, list[KpiEntry]]]:
    grouped: dict[str, list[KpiEntry]] = {level: [] for level in LEVELS}
    for kpi in kpis:
        grouped[kpi.level].append(kpi)
    return [(level, items) for level, items in grouped.items() if items]


def facet_counts(library: CaseLibrary, filters: dict[str, str | None]) -> dict[str, dict[str, int]]:
    """For each filter, how many cases each of its options leaves given the other filters."""
    options = {"category": CATEGORIES, "factor": tuple(FACTORS), "country": COUNTRIES}
    counts: dict[str, dict[str, int]] = {}
    for name, values in options.items():
        others = {k: v for k, v in filters.items() if k != name}
        found = library.list(**others).cases
        counts[name] = {
            option: sum(
                1
                for c in found
                if (
                    c.category == option
                    if name == "category"
                    else option in c.factors
                    if name == "factor"
                    else c.country == option
                )
            )
            for option in values
        }
    return counts


# The glossary page's sections, in reading order: the guideline's vocabulary first, then the corpus's.
GLOSSARY_SECTIONS = (
    "factors",
    "levels",
    "principles",
    "rules",
    "kpi_terms",
    "categories",
    "project_kinds",
    "contexts",
    "concepts",
    "programmes",
    "actors",
    "countries",
)


def glossary_sections() -> list[tuple[str, list[tuple[str, Term]]]]:
    """The glossary's terms by section, for the glossary page."""
    terms = glossary()
    return [
        (section, list(getattr(terms, section).items()))
        for section in GLOSSARY_SECTIONS
        if getattr(terms, section)
    ]


def level_mix_chart(library: CaseLibrary, lang: Lang) -> Markup:
    """How many of the corpus's case KPIs sit at each level, per category (stacked bars)."""
    labels = catalog(lang)
    counts = {c: {level: 0 for level in LEVELS} for c in CATEGORIES}
    for case in library.cases.values():
        for kpi in case.kpis:
            if case.category in counts:
                counts[case.category][kpi.level] += 1
    spec = BarChartSpec(
        title=labels.briefing["chart_levels"],
        categories=[labels.category(c) for c in CATEGORIES],
        series=[
            BarSeries(
                label=labels.levels[level], values=[float(counts[c][level]) or None for c in CATEGORIES]
            )
            for level in LEVELS
        ],
        stacked=True,
    )
    return Markup(chart_image(spec))


def target_actual_chart(kpis: Iterable[KpiEntry], lang: Lang) -> Markup | None:
    """Each KPI that publishes both a target and an actual, as a share of its target (the target is 100 %), with
    the baseline where there is one: units differ between KPIs, shares of the target do not."""
    labels = catalog(lang)
    shown = [(k, k.target) for k in kpis if isinstance(k.target, int | float) and k.target]
    shown = [(k, target) for k, target in shown if isinstance(k.actual, int | float)]
    if not shown:
        return None

    def share(value: object, target: float) -> float | None:
        return round(value / target * 100, 1) if isinstance(value, int | float) else None

    names = [k.name if len(k.name) <= 24 else k.name[:23] + "…" for k, _ in shown]
    spec = BarChartSpec(
        title=labels.briefing["chart_target_actual"],
        categories=names,
        series=[
            BarSeries(
                label=labels.briefing[figure],
                values=[share(getattr(k, figure), float(target)) for k, target in shown],
            )
            for figure in ("baseline", "target", "actual")
        ],
        horizontal=True,
        value_suffix="%",
    )
    return Markup(chart_image(spec))
