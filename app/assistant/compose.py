"""Answers composed for the question's intent from the corpus's structured fields (no LLM).

Each composer returns short Markdown — a lead sentence, then bullets — where every statement carries the
number of the passage it comes from, or None when the corpus has nothing structured for the question (the
caller then answers extractively). The words around the facts (lead sentences, labels, names of factors,
levels and categories) come from the glossary in the question's language; Chinese text quoted in an English
or Japanese answer is marked as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from app.assistant.cleaning import without_refs
from app.assistant.intents import Understanding
from app.assistant.schemas import Citation
from app.i18n.glossary import HAN, AnswerLang, Glossary, glossary
from app.knowledge.chunking import split_sentences
from app.knowledge.corpus import Corpus
from app.knowledge.documents import Document, KpiEntry
from app.knowledge.lexical import tokenize
from app.knowledge.schemas import SearchFilters, SearchHit
from app.knowledge.service import KnowledgeBase
from app.knowledge.store import StoredChunk

LISTED_CASES = 5  # described one per bullet
MORE_CASES = 8  # named after them
MAX_SUMMARY_CHARS = 110
LEAD_CHARS = 150  # a list answer's lead: its section's opening sentences up to this length
EXAMPLE_TABLE = "gl-kpi-example-table"
LEVELS_DOC = "gl-kpi-levels"
_SENTENCE_END = re.compile(r"(?<=[。！？])")
_META = re.compile(r"本檔|本庫|本文|這份檔案")
_ATTRIBUTED = re.compile(
    r"(?:根)?據"
)  # 「據木下斉的評論，…經費約 1.25 億日圓」: a figure's source, not what was done
# The place's or the programme's setting, before what was done: 「桃米在埔里西南邊，原本以麻竹筍為主要產業」.
_SETTING = re.compile(r"位於|位在|面臨|一度|原本|過去是|人口由|經歷|日本政府決定")
SETTING_PENALTY = 2
MIN_STATEMENT_CHARS = 12
DONE_SECTION = "做了什麼、由誰推動"
CAUTIONARY_MARK = "【反面教材】"  # a case filed as what not to do
PROBLEM_SECTION = "問題在哪裡"  # every case file says what was done, and by whom, under this heading
_MORE = re.compile(r"還有|其他|另外|更多|ほかに|他に|\bmore\b|\bother\b|\belse\b", re.I)


@dataclass
class Composed:
    """Markdown text with [n] marks and the passages they point to."""

    lines: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, chunk: StoredChunk | None) -> str:
        if chunk is None:
            return ""
        if chunk.chunk_id not in self._numbers:
            n = len(self._numbers) + 1
            self._numbers[chunk.chunk_id] = n
            self.citations.append(
                Citation(
                    n=n,
                    chunk_id=chunk.chunk_id,
                    doc_id=chunk.doc_id,
                    title=str(chunk.metadata.get("title", "")),
                    text=chunk.text,
                    kind=str(chunk.metadata.get("kind", "")),
                    heading=str(chunk.metadata.get("heading", "")),
                )
            )
        return f"[{self._numbers[chunk.chunk_id]}]"

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


class AnswerComposer:
    """Composes answers for the intents app/assistant/intents.py recognises."""

    def __init__(self, kb: KnowledgeBase, corpus: Corpus) -> None:
        self.kb = kb
        self.corpus = corpus
        self.terms: Glossary = glossary()
        self._indexed: list[StoredChunk] | None = None  # the chunk list `_by_doc` was built from
        self._by_doc: dict[str, list[StoredChunk]] = {}

    # --- entry ---------------------------------------------------------------------------------------------
    def compose(
        self, understood: Understanding, query: str, query_vector: np.ndarray, shown_before: str = ""
    ) -> Composed | None:
        if understood.intent == "find_cases":
            return self.find_cases(understood, query, query_vector, shown_before)
        if understood.intent == "kpi_advice":
            return self.kpi_advice(understood, query, query_vector)
        if understood.intent == "concept":
            if understood.all_factors:
                return self.all_factors(understood.lang)
            if understood.levels:
                return self.kpi_levels(understood.lang)
            if len(understood.factors) == 1:
                return self.factor(understood.factors[0], understood.lang)
        return None

    # --- finding cases ---------------------------------------------------------------------------------------
    def find_cases(
        self, understood: Understanding, query: str, query_vector: np.ndarray, shown_before: str = ""
    ) -> Composed | None:
        lang = understood.lang
        cases = [d for d in self.corpus.of_kind("case").values() if _in_country(d, understood.country)]
        if (
            understood.cautionary
        ):  # the cases filed as what not to do: 【反面教材】, with a 「問題在哪裡」 section
            cases = [
                d for d in cases if d.title.startswith(CAUTIONARY_MARK) or section_text(d, PROBLEM_SECTION)
            ] or cases
        # A named facet narrows the list; a category only when two or more cases are left (its aliases are
        # broad: 「返鄉」 names migration, yet a returnee's start-up is filed under entrepreneurship).
        facets: list[tuple[str, tuple[str, ...], Callable[[Document], bool], int]] = [
            ("factors", understood.factors, lambda d: all(f in d.factors for f in understood.factors), 1),
            ("contexts", understood.contexts, lambda d: any(c in d.context for c in understood.contexts), 1),
            (
                "categories",
                understood.categories,
                lambda d: d.category in understood.categories,
                1 if understood.category_given else 2,
            ),
            ("concepts", understood.concepts, lambda d: self._mentions(d, understood.concepts), 2),
        ]
        applied: dict[str, tuple[str, ...]] = {}
        # A region the question names (「花蓮有哪些案子」, 「北海道の事例」) keeps the list to the cases there.
        regions = [name for name in self._regions if name in query]
        in_region = [d for d in cases if any(d.id in self._regions[name] for name in regions)]
        if in_region:
            cases = in_region
        for section, named_terms, matches, at_least in facets:
            kept = [d for d in cases if matches(d)] if named_terms else []
            if len(kept) >= at_least:
                cases, applied[section] = kept, named_terms
        filters = SearchFilters.model_validate({"kind": "case", "country": understood.country})
        hits = self.kb.retriever.search(query, 30, filters=filters, query_vector=query_vector)
        rank: dict[str, int] = {}
        for hit in hits:
            rank.setdefault(hit.doc_id, len(rank))
        if not applied:  # no facet to go by: what the search finds is what matches
            cases = [d for d in cases if d.id in rank]
        if not cases:
            return None
        cases.sort(key=lambda d: (rank.get(d.id, len(rank)), d.id))
        if shown_before and _MORE.search(query):  # 「還有嗎？」: the ones not described yet first
            described = "\n".join(line for line in shown_before.splitlines() if line.startswith("- "))
            cases.sort(key=lambda d: d.title in described)
        out = Composed()
        scope = [self.terms.countries[understood.country].name(lang)] if understood.country else []
        scope += regions[:1] if in_region else []
        scope += [self.terms.frame(lang, "cautionary")] if understood.cautionary else []
        for section, codes in applied.items():
            terms = getattr(self.terms, section)
            scope += [terms[code].name(lang, code) for code in codes[:2]]
        scope_text = self.terms.frame(lang, "scope", terms="・".join(scope)) if scope else ""
        lead = "cases_lead_one" if len(cases) == 1 else "cases_lead"
        out.lines.append(self.terms.frame(lang, lead, n=len(cases), scope=scope_text))
        for case in cases[:LISTED_CASES]:
            out.lines.append(self._case_line(case, lang, out))
        more = cases[LISTED_CASES : LISTED_CASES + MORE_CASES]
        if more:
            titles = self.terms.frame(lang, "list_sep").join(self._quoted(d.title, lang) for d in more)
            out.lines += ["", self.terms.frame(lang, "cases_more", titles=titles)]
        return out

    @cached_property
    def _regions(self) -> dict[str, set[str]]:
        """County, prefecture and city names in the cases' `place` fields (花蓮縣 and 花蓮, 北海道, 嘉義市), each
        with the cases placed there; longest first, so that 嘉義縣 is tried before 嘉義."""
        regions: dict[str, set[str]] = {}
        for case in self.corpus.of_kind("case").values():
            place = case.place or ""
            names = {m.group(0) for m in _REGION.finditer(place) if "全" not in m.group(0)}
            names |= {name[:-1] for name in names if name[-1] in "縣県市"}  # 花蓮 for 花蓮縣, 高雄 for 高雄市
            for name in names:
                regions.setdefault(name, set()).add(case.id)
        return dict(sorted(regions.items(), key=lambda pair: -len(pair[0])))

    def _mentions(self, case: Document, concepts: tuple[str, ...]) -> bool:
        """Whether a case's text names one of the concepts (「有哪些團隊是青培站」: cases that mention one), or the
        concept's note lists it among the cases that use it (its `related`)."""
        text = case.body.lower()
        if any(alias.lower() in text for c in concepts for alias in self.terms.concepts[c].aliases):
            return True
        notes = [self.corpus.get(doc) for c in concepts if (doc := self.terms.concepts[c].doc)]
        return any(note is not None and case.id in note.related for note in notes)

    def _case_line(self, case: Document, lang: AnswerLang, out: Composed) -> str:
        summary = case_summary(case)
        mark = out.cite(self._chunk(case.id, summary[:12]))
        place = self.terms.frame(lang, "aside", text=_short_place(case.place)) if case.place else ""
        colon = self.terms.frame(lang, "colon")
        line = f"- **{case.title}**{place}{colon}{self._marked(summary, lang)}{mark}"
        kpi = key_kpi(case)
        fact = None if kpi else key_fact(case)
        if kpi or fact:  # a published KPI, else a reported figure, each under its own label
            label = self.terms.frame(lang, "case_kpi" if kpi else "case_fact")
            line += f" {label}{colon}{self._marked(kpi or fact or '', lang)}"
        return line

    def case_kpis(self, case_id: str, lang: AnswerLang) -> Composed | None:
        """「它的KPI呢？」 about one case: its published KPIs with their levels and targets, or, when it published
        none, the figures its sources report."""
        case = self.corpus.get(case_id)
        if case is None or case.kind != "case":
            return None
        out = Composed()
        colon = self.terms.frame(lang, "colon")
        levels = self.terms.names("levels", lang)
        if case.kpis:
            out.lines.append(self.terms.frame(lang, "case_kpis_lead", title=self._quoted(case.title, lang)))
            for k in case.kpis:
                figures = self._kpi_figures(k, lang)
                value = f"{colon}{figures}" if figures else ""
                level = self.terms.frame(lang, "aside", text=levels[k.level])
                mark = out.cite(self._chunk(case.id, k.name[:8]))
                out.lines.append(f"- **{k.name}**{level}{value}{mark}")
            return out
        if not case.facts:
            return None
        out.lines.append(self.terms.frame(lang, "case_no_kpis_lead", title=self._quoted(case.title, lang)))
        for f in case.facts[:6]:
            year = f" ({f.year})" if f.year and str(f.year) not in str(f.value) else ""
            mark = out.cite(self._chunk(case.id, f.what[:8]))
            value = f"{_format_value(f.value)}{f.unit or ''}{year}"
            out.lines.append(f"- {self._marked(f.what, lang)}{colon}{value}{mark}")
        return out

    # --- KPI advice --------------------------------------------------------------------------------------------
    def kpi_advice(self, understood: Understanding, query: str, query_vector: np.ndarray) -> Composed | None:
        lang = understood.lang
        table = self.corpus.get(EXAMPLE_TABLE)
        rows = table.rows if table else []
        row = next((r for r in rows if r.get("plan") == understood.project_kind), None)
        if row is None and understood.categories:
            row = next((r for r in rows if r.get("category") in understood.categories), None)
        out = Composed()
        if row is None:
            out.lines.append(self.terms.frame(lang, "kpi_general_lead"))
            for code in ("objective_outcome", "direct_link", "ambition", "levels_apart"):
                out.lines.append(self._principle(code, lang, out))
            return out
        kind = self.terms.project_kinds[row["plan"]].name(lang, row["plan"])
        mark = out.cite(self._chunk(EXAMPLE_TABLE, f"| {row['plan']} |"))
        out.lines.append(self.terms.frame(lang, "kpi_lead", kind=kind) + mark)
        for level in ("overall", "outcome", "output"):
            values = [str(v) for v in row.get(level) or []]
            if values:
                joined = self.terms.frame(lang, "list_sep").join(values)
                name = self.terms.levels[level].name(lang)
                out.lines.append(f"- **{name}**{self.terms.frame(lang, 'colon')}{self._marked(joined, lang)}")
        out.lines += ["", self.terms.frame(lang, "kpi_principles")]
        for code in ("levels_apart", "direct_link", "objective_outcome"):
            out.lines.append(self._principle(code, lang, out))
        examples = self._case_kpis(row["category"], query, query_vector, lang, out)
        if examples:
            out.lines += ["", self.terms.frame(lang, "kpi_cases"), *examples]
        outputs = row.get("output") or []
        if outputs:
            levels_chunk = self._chunk(LEVELS_DOC, "常見錯誤")
            mistake = self.terms.frame(lang, "kpi_mistake", output=outputs[0])
            out.lines += ["", mistake + out.cite(levels_chunk)]
        return out

    def _principle(self, code: str, lang: AnswerLang, out: Composed) -> str:
        term = self.terms.principles[code]
        return f"- {term.name(lang)}{out.cite(self._chunk(term.doc or ''))}"

    def _case_kpis(
        self, category: str, query: str, query_vector: np.ndarray, lang: AnswerLang, out: Composed
    ) -> list[str]:
        filters = SearchFilters.model_validate({"kind": "case", "category": category})
        hits = self.kb.retriever.search(query, 12, filters=filters, query_vector=query_vector)
        lines: list[str] = []
        for doc_id in dict.fromkeys(h.doc_id for h in hits):
            case = self.corpus.get(doc_id)
            kpi = key_kpi(case) if case else None
            if case and kpi:
                mark = out.cite(self._chunk(case.id))
                lines.append(
                    f"- **{case.title}**{self.terms.frame(lang, 'colon')}{self._marked(kpi, lang)}{mark}"
                )
            if len(lines) == 3:
                break
        return lines

    # --- concepts ----------------------------------------------------------------------------------------------
    def all_factors(self, lang: AnswerLang) -> Composed:
        out = Composed()
        out.lines.append(self.terms.frame(lang, "factors_lead"))
        for code, term in self.terms.factors.items():
            doc = self.corpus.get(f"gl-factor-{code.replace('_', '-')}")
            definition = _definition(doc) if doc else ""
            mark = out.cite(self._chunk(doc.id, definition[:12])) if doc else ""
            example = self._example_case(code, doc)
            colon = self.terms.frame(lang, "colon")
            line = f"- **{term.name(lang)}**{colon}{self._marked(definition, lang)}{mark}"
            if example:
                line += self.terms.frame(
                    lang, "aside", text=f"{self.terms.frame(lang, 'examples')}{colon}{example.title}"
                )
            out.lines.append(line)
        return out

    def factor(self, code: str, lang: AnswerLang) -> Composed | None:
        doc = self.corpus.get(f"gl-factor-{code.replace('_', '-')}")
        if doc is None:
            return None
        out = Composed()
        out.lines.append(self.terms.frame(lang, "factor_lead", name=self.terms.factors[code].name(lang)))
        for sentence in _section_sentences(doc, "定義")[:3]:
            out.lines.append(
                f"- {self._marked(sentence, lang)}{out.cite(self._chunk(doc.id, sentence[:12]))}"
            )
        examples = [c for c in self.corpus.of_kind("case").values() if code in c.factors]
        examples.sort(key=lambda c: (_position(doc.body, c.id), c.id))
        if examples:
            named = [f"{c.title}{out.cite(self._chunk(c.id))}" for c in examples[:2]]
            out.lines += [
                "",
                self.terms.frame(lang, "examples")
                + self.terms.frame(lang, "colon")
                + self.terms.frame(lang, "list_sep").join(named),
            ]
        return out

    def kpi_levels(self, lang: AnswerLang) -> Composed | None:
        doc = self.corpus.get(LEVELS_DOC)
        if doc is None:
            return None
        rows = [r for r in _table_rows(section_text(doc, "三個層次")) if len(r) >= 2]
        if not rows:
            return None
        out = Composed()
        out.lines.append(self.terms.frame(lang, "levels_lead"))
        codes = {"綜合": "overall", "計畫outcome": "outcome", "計畫output": "output"}
        for cells in rows:
            code = next((c for key, c in codes.items() if key in cells[0]), None)
            name = self.terms.levels[code].name(lang) if code else cells[0]
            detail = cells[1] + (f"（{cells[2]}）" if len(cells) > 2 else "")
            mark = out.cite(self._chunk(doc.id, f"| {cells[0]} |"))
            out.lines.append(
                f"- **{name}**{self.terms.frame(lang, 'colon')}{self._marked(detail, lang)}{mark}"
            )
        order = next((s for s in _section_sentences(doc, "三個層次") if "順序" in s), None)
        if order:
            order = re.sub(r"^[^。]*?：\s+", "", order)  # the table's lead-in line runs into the sentence
            out.lines += ["", self._marked(order, lang) + out.cite(self._chunk(doc.id, order[:12]))]
        return out

    def _example_case(self, code: str, doc: Document | None) -> Document | None:
        cases = [c for c in self.corpus.of_kind("case").values() if code in c.factors]
        cases.sort(key=lambda c: (_position(doc.body if doc else "", c.id), c.id))
        return cases[0] if cases else None

    # --- structured passages -------------------------------------------------------------------------------------
    def list_passage(
        self,
        hits: list[SearchHit],
        lang: AnswerLang,
        numbered: bool,
        concepts: tuple[str, ...] = (),
        explain: bool = False,
        question: str = "",
    ) -> Composed | None:
        """The best passage as a list: its section's lead sentence, then the items of its section — or of the
        first section of the same document that is a list or a table, under that section's heading (a cycle
        explained, then a worked example of it; the section whose heading shares most words with `question`).
        `explain` (a concept asked about) keeps to the section's own
        sentences instead. A named concept (PDCA, the logic model) is answered from its own guideline first;
        otherwise the first two guideline passages retrieved are tried (a case's KPI list is not a process)."""
        retrieved = [
            (h.doc_id, str(h.metadata.get("heading", "")).split(" › ")[-1]) for h in hits if h.kind != "case"
        ]
        named = [  # the concept's guideline at the section retrieved for the question, else its first one
            (doc_id, next((h for d, h in retrieved if d == doc_id), next(iter(_headings(doc)), "")))
            for doc_id in self.terms.concept_docs(concepts)
            if doc_id and (doc := self.corpus.get(doc_id)) is not None
        ]
        for doc_id, heading in (named + retrieved)[: len(named) + 2]:
            doc = self.corpus.get(doc_id)
            if doc is None:
                continue
            section = section_text(doc, heading) if heading else doc.body
            items = _list_items(section)
            label = ""
            if explain and doc.topic == "concept" and (headings := list(_headings(doc))):
                # A concept note answers 「什麼是X」 in its order: what it is first, then one line from each of its
                # other sections (how it is measured, how it relates to Taiwan, the cases that use it).
                heading, section = headings[0], section_text(doc, headings[0])
                items = [
                    found[0] for other in headings[1:] if (found := _statements(section_text(doc, other)))
                ][:3]
            if len(items) < 2 and explain:  # the section's own sentences after its lead
                lead = next(iter(prose_sentences(section, leads=True)), "")
                items = [s for s in _statements(section) if s != lead][:3]
            if len(items) < 2:
                asked = set(tokenize(question))
                lists = [
                    (h, found) for h in _headings(doc) if len(found := _list_items(section_text(doc, h))) >= 2
                ]
                lists.sort(key=lambda pair: -len(asked & set(tokenize(pair[0]))))  # stable: else the first
                if lists:
                    other, items = lists[0]
                    label = _clean_text(other) if other != heading else ""
            if len(items) < 2:
                continue
            out = Composed()
            prose = _statements(section, leads=True)
            opens_with_items = section.lstrip().startswith(("|", "-", "*"))
            if prose and not opens_with_items:
                # The lead may be a problem stated before the rule (「一個只有最終目標的KPI…」): the rule comes with it.
                lead = prose[0]
                for sentence in prose[1:]:
                    if len(lead) + len(sentence) > LEAD_CHARS:
                        break
                    lead += sentence
                out.lines.append(self._marked(lead, lang) + out.cite(self._chunk(doc.id, prose[0][:12])))
            else:
                key = "steps_lead" if numbered else "facts_lead"
                title = self.terms.concepts[concepts[0]].name(lang) if concepts else heading or doc.title
                out.lines.append(self.terms.frame(lang, key, title=title))
            if label:
                out.lines += ["", f"**{self._marked(label, lang)}**"]
            if all(len(item) <= 12 for item in items):  # names, not statements: one line
                joined = self.terms.frame(lang, "list_sep").join(i.replace("**", "") for i in items)
                out.lines.append(
                    f"- {self._marked(joined, lang)}{out.cite(self._chunk(doc.id, _probe(items[0])))}"
                )
                return out
            for i, item in enumerate(items[:8], 1):
                bullet = f"{i}." if numbered else "-"
                mark = out.cite(self._chunk(doc.id, _probe(item)))
                out.lines.append(f"{bullet} {self._marked(item, lang)}{mark}")
            return out
        return None

    def _topic(self, doc_id: str) -> str | None:
        doc = self.corpus.get(doc_id)
        return doc.topic if doc else None

    # --- helpers -------------------------------------------------------------------------------------------------
    def _kpi_figures(self, kpi: KpiEntry, lang: AnswerLang) -> str:
        """「4戶（2014）→ 5戶（2016-03）；實績 7戶（2016-03）」: each published figure with its own year."""

        def dated(value: Any, year: object) -> str:
            shown = _with_unit(value, kpi.unit)
            if not shown:
                return ""
            aside = self.terms.frame(lang, "aside", text=year) if year is not None else ""
            return self._marked(shown, lang) + aside

        base, target = dated(kpi.baseline, kpi.baseline_year), dated(kpi.target, kpi.target_year)
        plan = f"{base} → {target}" if base and target else base or target
        actual = dated(kpi.actual, kpi.actual_year)
        if not actual:
            return plan
        actual = self.terms.frame(lang, "case_actual", value=actual)
        return f"{plan}{self.terms.frame(lang, 'clause_sep')}{actual}" if plan else actual

    def _marked(self, text: str, lang: AnswerLang) -> str:
        """Chinese text quoted in an English or Japanese answer is marked as Chinese."""
        if lang == "zh-TW" or not HAN.search(text):
            return text
        return self.terms.frame(lang, "quote", text=text)

    def _quoted(self, title: str, lang: AnswerLang) -> str:
        return self.terms.frame(lang, "open_quote") + title + self.terms.frame(lang, "close_quote")

    def _chunk(self, doc_id: str, needle: str = "") -> StoredChunk | None:
        """The first chunk of `doc_id` that contains `needle`, else its first chunk (what a citation opens)."""
        chunks = self._chunks_by_doc().get(doc_id, [])
        found = next((c for c in chunks if needle and needle in c.text), None)
        return found or (chunks[0] if chunks else None)

    def _chunks_by_doc(self) -> dict[str, list[StoredChunk]]:
        """The retriever's chunks by document, in reading order; rebuilt only when it re-reads the store."""
        chunks = self.kb.retriever.chunks
        if self._indexed is not chunks:
            by_doc: dict[str, list[StoredChunk]] = {}
            for chunk in chunks:
                by_doc.setdefault(chunk.doc_id, []).append(chunk)
            for doc_chunks in by_doc.values():
                doc_chunks.sort(key=lambda c: int(c.metadata.get("chunk_index", 0)))
            self._by_doc, self._indexed = by_doc, chunks
        return self._by_doc


def _with_unit(value: Any, unit: str | None) -> str:
    """A KPI value as the case file gives it: a number with its unit, or a phrase that already carries one
    (「32億日圓」, 「成長10%」)."""
    if value in (None, ""):
        return ""
    if isinstance(value, (int, float)):
        return f"{_format_value(value)}{unit or ''}"
    return str(value)


def _short_place(place: str) -> str:
    """A place list cut to its first entry when it runs long (a DMO spanning seven prefectures)."""
    if len(place) <= 24:
        return place
    first = re.split(r"[；;]", place)[0]
    return first if len(first) <= 24 else first[:22] + "……"


def _in_country(doc: Document, country: str | None) -> bool:
    return country is None or doc.country == country


def _position(text: str, needle: str) -> int:
    at = text.find(needle)
    return at if at >= 0 else len(text)


def _clean_text(text: str) -> str:
    """Text fit to show: no bold markers, no cross-references to other documents ("" when one is left)."""
    return without_refs(text.replace("**", "")) or ""


# A county or prefecture anywhere in a place field (花蓮縣, 長野県), or the city or 道 that opens it (嘉義市, 北海道).
_REGION = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,3}[縣県]|^[\u4e00-\u9fff]{2}[市道府都]")


def section_text(doc: Document, heading: str) -> str:
    """The text under `## heading` (up to the next heading of the same or a higher level)."""
    lines = doc.body.splitlines()
    out: list[str] = []
    level = 0
    for line in lines:
        match = re.match(r"^(#{1,6})\s+(.*)$", line)
        if match:
            if level and len(match.group(1)) <= level:
                break
            if not level and match.group(2).strip() == heading.strip():
                level = len(match.group(1))
                continue
        if level:
            out.append(line)
    return "\n".join(out).strip()


def _headings(doc: Document) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^#{1,6}\s+(.*)$", doc.body, re.M)]


def prose_sentences(section: str, leads: bool = False) -> list[str]:
    """The sentences of a section's paragraphs (not its list items or table rows). A clause ending in a colon
    introduces a list: kept only when `leads` asks for what can open one."""
    sentences: list[str] = []
    for line in section.splitlines():
        line = line.strip()
        if not line or line.startswith(("|", "-", "*", "#")) or re.match(r"^\d+[.)]\s", line):
            continue
        for sentence in split_sentences(re.sub(r"([：:])\s+", r"\1\n", line)):
            for part in sentence.splitlines():
                cleaned = _clean_text(part)
                if cleaned and (leads or not cleaned.endswith(("：", ":"))):
                    sentences.append(cleaned)
    return sentences


def _statements(section: str, leads: bool = False) -> list[str]:
    """The section's prose sentences long enough to state something (not a heading-like fragment)."""
    return [s for s in prose_sentences(section, leads=leads) if len(s) >= MIN_STATEMENT_CHARS]


def _section_sentences(doc: Document, heading: str) -> list[str]:
    return prose_sentences(section_text(doc, heading))


def _table_rows(section: str) -> list[list[str]]:
    rows = []
    for line in section.splitlines():
        if line.strip().startswith("|"):
            cells = [_clean_text(c) for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            rows.append(cells)
    return rows[1:] if rows else []  # the first row is the header


def _list_items(section: str) -> list[str]:
    """A section's list items, and its table's rows as 「**first cell**：the rest」."""
    items = []
    for line in section.splitlines():
        match = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$", line)
        if match and _clean_text(match.group(1)):
            items.append(_clean_text(match.group(1)))
    for cells in _table_rows(section):
        if len(cells) >= 2 and cells[0]:
            rest = "；".join(c for c in cells[1:] if c)
            items.append(f"**{cells[0]}**：{rest}")
    return items


def _probe(item: str) -> str:
    """A piece of a list item that the item's chunk contains verbatim (bold and table cells are rewritten)."""
    text = item.replace("**", "")
    head = text.split("：", 1)[-1] if text.count("：") else text
    return head.split("；")[0][:10]


def case_summary(case: Document) -> str:
    """One line on what a case did: the sentence of its overview (or the opening of what it did) that best says it,
    not a note on the file itself (「本檔整理……」), shortened at a clause when it runs long."""
    sentences = [
        s
        for s in prose_sentences(section_text(case, "概要") or case.body)
        + prose_sentences(section_text(case, DONE_SECTION))[:2]
        if len(s) >= 20 and not _META.search(s) and not _ATTRIBUTED.match(s)
    ]
    if not sentences:
        return case.project or case.title
    # The sentence on what was done shares the title's and project's words (「創造的過疎」, 「紅秀峰」); an overview
    # often opens with the place's setting (「…位於大雪山旭岳山腳」) or the programme's, which says nothing of it.
    said = set(tokenize(f"{case.title} {case.project or ''}")) - set(tokenize(case.place or ""))
    best = max(
        enumerate(sentences),
        key=lambda p: len(said & set(tokenize(p[1]))) - p[0] - SETTING_PENALTY * bool(_SETTING.search(p[1])),
    )[1]
    if len(best) <= MAX_SUMMARY_CHARS:
        return best
    cut = best[:MAX_SUMMARY_CHARS].rfind("，")
    return best[:cut] + "……" if cut > 30 else best[:MAX_SUMMARY_CHARS] + "……"


def _definition(doc: Document) -> str:
    """A factor's definition without the sentence that only says it is one of the six."""
    sentences = _section_sentences(doc, "定義")
    informative = [s for s in sentences if not re.search(r"六項|之一", s)]
    return (informative or sentences or [""])[0]


def _format_value(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) and value >= 10000 else str(value)


def key_kpi(case: Document) -> str | None:
    """A case's key KPI: an outcome first, with its target."""
    kpis = sorted(case.kpis, key=lambda k: {"outcome": 0, "overall": 1, "output": 2}[k.level])
    if not kpis:
        return None
    k = kpis[0]
    target = f"（{_format_value(k.target)}{k.unit or ''}）" if k.target not in (None, "") else ""
    return f"{k.name}{target}"


def key_fact(case: Document) -> str | None:
    """A figure the case's sources report (for a case that published no KPI), with its year."""
    if not case.facts:
        return None
    f = next((f for f in case.facts if f.year), case.facts[0])
    year = f"，{f.year}" if f.year and str(f.year) not in str(f.value) else ""
    return f"{f.what}：{_format_value(f.value)}{f.unit or ''}{year}"
