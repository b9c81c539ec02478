"""View models of the HTML pages: guidelines grouped by topic, a case's KPIs by level, filter counts, the glossary."""

from __future__ import annotations

from collections.abc import Iterable

from app.cases.library import CaseLibrary
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
