"""The briefing service shared by `sosei brief`, /briefings and POST /api/briefings: a theme in, a pack out.

Everything in a pack comes from the corpus, the rule registry and `themes.yaml`: rules in brief with the
guideline that states them, comparable cases with their KPIs by level and their lesson for Taiwan, a logic
chain built from the guideline's example table and the cases, the PDCA cycle, an exercise whose answers are
sosei's own critique, and discussion questions.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from app.assistant.compose import case_summary, key_fact, prose_sentences, section_text
from app.briefings.schemas import (
    MAX_CASES,
    MIN_CASES,
    SECTION_KINDS,
    Briefing,
    BriefingRequest,
    CaseBrief,
    ExerciseItem,
    Link,
    RuleBrief,
)
from app.briefings.themes import Theme, UnknownTheme, as_category, themes, understand
from app.cases.library import CaseLibrary
from app.graphics.models import ChainColumn, ChainItem, LogicChainSpec, PdcaSpec, PdcaStage
from app.i18n import Lang, catalog
from app.i18n.glossary import KANA, glossary
from app.knowledge.corpus import Corpus
from app.knowledge.documents import Document, KpiEntry
from app.knowledge.lexical import normalise, tokenize
from app.kpi.rules import KPI_RULES, PLAN_RULES, rule_titles
from app.kpi.schemas import CritiqueRequest, Finding
from app.kpi.service import CritiqueService

EXAMPLE_TABLE = "gl-kpi-example-table"
LESSON_SECTIONS = ("對台灣的啟示", "給台灣實務者的啟示", "給實務者的啟示")
CHAIN_LEVELS = ("output", "outcome", "overall")  # the levels a KPI can sit at, in chain order
ITEMS_PER_STEP = 5
GENERATED_CASES = 5  # a found set stops here, to keep a deck short; picked cases may be up to six
EXERCISE_ITEMS = 3
MIN_QUESTIONS = 3
SOURCES_PER_CASE = 2
MIN_QUOTE_CHARS = 20
MAX_QUOTE_CHARS = 160
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class _Answer:
    item: ExerciseItem
    problems_codes: list[str]


class BriefingService:
    def __init__(self, corpus: Corpus, cases: CaseLibrary, critique: CritiqueService) -> None:
        self.corpus = corpus
        self.cases = cases
        self.critique = critique

    def build(self, request: BriefingRequest) -> Briefing:
        """The pack for `request`; raises UnknownTheme for a rule code or case id that does not exist."""
        theme = understand(request, self._kind_categories())
        lang = request.lang
        strings = catalog(lang).briefing
        picked = self._cases(theme, request.case_ids)
        label = theme.label(lang) or (strings["picked_cases"] if picked else strings["general_theme"])
        rules = [brief for code in theme.rule_codes() if (brief := self._rule(code, lang))]
        case_briefs = [self._case(case) for case in picked]
        sections = request.sections or list(SECTION_KINDS)
        return Briefing(
            title=request.title or strings["title"].format(theme=label),
            intro=request.intro
            or strings["intro"].format(theme=label, rules=len(rules), cases=len(case_briefs)),
            theme=label,
            lang=lang,
            category=theme.category,
            factor=theme.factor,
            rule=theme.rule,
            sections=sections,
            rules=rules,
            cases=case_briefs,
            logic_chain=self._chain(theme, picked, label, lang),
            chain_note=strings["chain_note"],
            pdca=self._pdca(lang),
            pdca_example=self._pdca_example(),
            pdca_source=self._doc_link(themes().pdca.source),
            exercise=self._exercise(theme, lang),
            questions=self._questions(theme, lang),
            sources=self._sources(rules, picked),
        )

    def _kind_categories(self) -> dict[str, str]:
        """The example table's kinds of project (its `plan` column) and the category each belongs to."""
        table = self.corpus.get(EXAMPLE_TABLE)
        return {
            str(row["plan"]): str(row["category"]) for row in (table.rows if table else []) if "plan" in row
        }

    # --- cases ------------------------------------------------------------------------------------------------
    def _cases(self, theme: Theme, case_ids: list[str]) -> list[Document]:
        """The hand-picked cases, or the theme's best matches (cases that publish KPIs first), three to six."""
        if case_ids:
            unknown = [c for c in case_ids if c not in self.cases.cases]
            if unknown:
                raise UnknownTheme(f"unknown case id(s): {', '.join(unknown)}")
            return [self.cases.cases[c] for c in case_ids]
        query = " ".join(p for p in (theme.text, theme.category or "") if p) or self._factor_words(theme)
        found = self.cases.search(query, category=theme.category, factor=theme.factor, k=MAX_CASES * 2)
        ranked = [self.cases.cases[c.case_id] for c in found.cases]
        with_kpis = [c for c in ranked if c.kpis]
        chosen = (with_kpis + [c for c in ranked if not c.kpis])[:GENERATED_CASES]
        if len(chosen) < MIN_CASES:  # a narrow theme: fill from the category (or every case) by id
            pool = [
                c
                for _, c in sorted(self.cases.cases.items())
                if c not in chosen and (theme.category is None or c.category == theme.category)
            ]
            chosen += pool[: MIN_CASES - len(chosen)]
        return chosen

    @staticmethod
    def _factor_words(theme: Theme) -> str:
        if theme.factor:
            term = glossary().factors[theme.factor]
            return f"{term.zh} {term.ja}"
        return theme.rule or ""

    def _case(self, case: Document) -> CaseBrief:
        levels: dict[str, list[KpiEntry]] = {
            level: [k for k in case.kpis if k.level == level] for level in reversed(CHAIN_LEVELS)
        }
        facts = [] if case.kpis else [f for f in [key_fact(case)] if f]
        return CaseBrief(
            case_id=case.id,
            title=case.title,
            place=case.place or "",
            country=case.country or "",
            category=case.category or "",
            did=case_summary(case),
            kpis={level: kpis for level, kpis in levels.items() if kpis},
            facts=facts,
            lesson=self._lesson(case),
            url=f"/cases/{quote(case.id)}",
            sources=[Link(title=s.title, url=s.url) for s in case.sources if s.url][:SOURCES_PER_CASE],
        )

    @staticmethod
    def _lesson(case: Document) -> str:
        for heading in LESSON_SECTIONS:
            sentences = [s for s in prose_sentences(section_text(case, heading)) if len(s) >= 12]
            if sentences:
                return sentences[0]
            items = [
                line.lstrip("-*0123456789.) ").strip() for line in section_text(case, heading).splitlines()
            ]
            items = [i.replace("**", "") for i in items if len(i) >= 12]
            if items:
                return items[0]
        return ""

    # --- rules ------------------------------------------------------------------------------------------------
    def _rule(self, code: str, lang: Lang) -> RuleBrief | None:
        doc = self._rule_doc(code)
        if doc is None:
            return None
        terms = glossary()
        if code.startswith("factor:"):
            statement = terms.factors[code.removeprefix("factor:")].name(lang)
        else:
            statement = terms.rules[code].name(lang, code) if code in terms.rules else ""
        quote_text = _best_sentence(prose_sentences(doc.body), _evidence_words(code))
        title = rule_titles(lang).get(code, code)
        return RuleBrief(
            code=code,
            title=title,
            statement=statement.removeprefix(f"{title}：").removeprefix(f"{title}: "),
            why=quote_text,
            source=Link(title=doc.title, url=f"/documents/{quote(doc.id)}"),
        )

    def _rule_doc(self, code: str) -> Document | None:
        """The guideline that states the rule most specifically: of those tagged with it, the one with fewest tags."""
        tagged = [d for d in self.corpus.of_kind("guideline").values() if code in d.rules]
        return min(tagged, key=lambda d: (len(d.rules), d.id)) if tagged else None

    # --- logic chain ------------------------------------------------------------------------------------------
    def _chain(self, theme: Theme, cases: list[Document], label: str, lang: Lang) -> LogicChainSpec:
        """Input → activity → output → project outcome → overall outcome, from the example table's rows for the
        theme's category (or the picked cases' most common one) and the cases' own projects and KPIs."""
        strings = catalog(lang).briefing
        category = theme.category or self._main_category(cases)
        table = self.corpus.get(EXAMPLE_TABLE)
        rows = [r for r in (table.rows if table else []) if r.get("category") == category]
        inputs = list(themes().chain.inputs.of(lang))
        inputs += [f for c in cases for f in c.funding][:2]
        activities = [str(r["plan"]) for r in rows] + [c.project for c in cases if c.project]
        by_level: dict[str, list[str]] = {
            level: [str(item) for r in rows for item in r.get(level) or []] for level in CHAIN_LEVELS
        }
        for case in cases:
            for kpi in case.kpis:
                by_level[kpi.level].append(kpi.name)
        columns = [
            ChainColumn(key="input", heading=strings["step_input"], items=_items(inputs)),
            ChainColumn(key="activity", heading=strings["step_activity"], items=_items(activities)),
        ] + [
            ChainColumn(key=level, heading=strings[f"step_{level}"], items=_items(by_level[level]))
            for level in CHAIN_LEVELS
        ]
        return LogicChainSpec(title=strings["chain_title"].format(theme=label), columns=columns)

    def case_chain(self, case_id: str, lang: Lang) -> LogicChainSpec | None:
        """A case's own logic chain (its funding and actors, its project, its KPIs by level), for its page;
        None for a case that publishes no KPI."""
        case = self.cases.cases.get(case_id)
        if case is None or not case.kpis:
            return None
        strings = catalog(lang).briefing
        by_level = {level: [k.name for k in case.kpis if k.level == level] for level in CHAIN_LEVELS}
        columns = [
            ChainColumn(
                key="input", heading=strings["step_input"], items=_items([*case.funding, *case.actors[:2]])
            ),
            ChainColumn(
                key="activity", heading=strings["step_activity"], items=_items([case.project or case.title])
            ),
        ] + [
            ChainColumn(
                key=level,
                heading=strings[f"step_{level}"],
                items=_items(by_level[level]),
                missing=None if by_level[level] or level == "overall" else strings[f"missing_{level}"],
            )
            for level in CHAIN_LEVELS
        ]
        return LogicChainSpec(title=strings["chain_title"].format(theme=case.title), columns=columns)

    @staticmethod
    def _main_category(cases: list[Document]) -> str | None:
        counts = Counter(c.category for c in cases if c.category)
        return counts.most_common(1)[0][0] if counts else None

    # --- PDCA -------------------------------------------------------------------------------------------------
    def _pdca(self, lang: Lang) -> PdcaSpec:
        notes = themes().pdca
        return PdcaSpec(
            title=catalog(lang).briefing["pdca_title"],
            centre=notes.centre[lang],
            stages=[
                PdcaStage(key=s.key, heading=s.of(lang).heading, text=s.of(lang).text) for s in notes.stages
            ],
        )

    def case_pdca(self, case_id: str, lang: Lang) -> PdcaSpec | None:
        """The PDCA cycle a case describes, stage by stage (list items marked 「（Plan）」, 「（Do）」,
        「（Check・Action）」 …), for its page; None for a case that describes none."""
        case = self.cases.cases.get(case_id)
        if case is None:
            return None
        texts: dict[str, list[str]] = {"P": [], "D": [], "C": [], "A": []}
        for line in case.body.splitlines():
            item = _PDCA_ITEM.match(line)
            mark = _PDCA_MARK.search(item.group(1)) if item else None
            if not item or not mark:
                continue
            text = _PDCA_MARK.sub("", item.group(1)).strip(" ：:")
            stages = [_PDCA_STAGES[m.lower()] for m in mark.group(1).split("・")]
            if stages == ["C", "A"]:  # one item for both: what was checked, then what changed
                check, _, act = text.partition("，")
                texts["C"].append(check)
                texts["A"].append(act or check)
            else:
                for stage in stages:
                    texts[stage].append(text)
        if not all(texts.values()):
            return None
        notes = {s.key: s.of(lang) for s in themes().pdca.stages}
        return PdcaSpec(
            title=catalog(lang).briefing["pdca_title"],
            centre=case.place or "",
            stages=[PdcaStage(key=k, heading=notes[k].heading, text=" ".join(v)) for k, v in texts.items()],
        )

    def _pdca_example(self) -> list[str]:
        doc = self.corpus.get(themes().pdca.source)
        if doc is None:
            return []
        lines = section_text(doc, "實例：益子燒").splitlines()
        return [line.lstrip("- ").strip() for line in lines if line.startswith("- ")]

    # --- exercise and questions -------------------------------------------------------------------------------
    def _exercise(self, theme: Theme, lang: Lang) -> list[ExerciseItem]:
        """Weak KPIs for the theme and, as their answers, what sosei's critique finds and proposes. A rule theme
        takes the weak KPIs (its own, then any category's) that break its rule; a rule no single KPI breaks (a
        plan-level rule) takes the general ones."""
        notes = themes()
        own = theme.notes.weak or notes.general.weak
        pool: list[tuple[str, str | None]] = [(w, theme.category) for w in (own.of(lang) if own else [])]
        if theme.rule and not theme.category:
            extra = notes.rules.get(theme.rule)
            pool = [(w, None) for w in (extra.of(lang) if extra else [])]
            for name, note in notes.categories.items():
                pool += [(w, name) for w in (note.weak.of(lang) if note.weak else [])]
        answers = [self._answer(weak, category, theme, lang) for weak, category in pool]
        if theme.rule and not theme.category:
            breaking = [a for a in answers if theme.rule in a.problems_codes]
            general = notes.general.weak.of(lang) if notes.general.weak else []
            answers = breaking or [self._answer(w, None, theme, lang) for w in general]
        return [a.item for a in answers[:EXERCISE_ITEMS]]

    def _answer(self, weak: str, category: str | None, theme: Theme, lang: Lang) -> _Answer:
        result = self.critique.critique(
            CritiqueRequest(title=weak, category=as_category(category), kpis=[weak], lang=lang)
        )
        findings = result.kpis[0].findings
        titles = rule_titles(lang)
        preferred = theme.rule_codes()
        main = _main_finding(findings, preferred)
        ordered = sorted(findings, key=lambda f: f is not main)  # the main problem first
        return _Answer(
            item=ExerciseItem(
                weak=weak,
                problems=[titles.get(f.code, f.code) for f in ordered],
                explanation=main.message if main else catalog(lang).briefing["no_problem"],
                better=main.suggestion if main else "",
            ),
            problems_codes=[f.code for f in findings],
        )

    @staticmethod
    def _questions(theme: Theme, lang: Lang) -> list[str]:
        questions = list(theme.notes.questions.of(lang))
        if theme.factor and theme.category:
            questions += themes().factors[theme.factor].questions.of(lang)
        if len(questions) < MIN_QUESTIONS:
            questions += [q for q in themes().general.questions.of(lang) if q not in questions]
        return questions

    # --- sources ----------------------------------------------------------------------------------------------
    def _sources(self, rules: list[RuleBrief], cases: list[Document]) -> list[Link]:
        links = [r.source for r in rules]
        links += [
            link for doc_id in (EXAMPLE_TABLE, themes().pdca.source) if (link := self._doc_link(doc_id))
        ]
        links += [Link(title=c.title, url=f"/cases/{quote(c.id)}") for c in cases]
        unique: dict[str, Link] = {}
        for link in links:
            unique.setdefault(link.url, link)
        return list(unique.values())

    def _doc_link(self, doc_id: str) -> Link | None:
        doc = self.corpus.get(doc_id)
        return Link(title=doc.title, url=f"/documents/{quote(doc.id)}") if doc else None


def _main_finding(findings: list[Finding], preferred: list[str]) -> Finding | None:
    """The finding an answer leads with: the most severe, and of equals one of the theme's rules."""
    if not findings:
        return None
    rank = {code: i for i, code in enumerate(preferred)}
    return min(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), rank.get(f.code, len(rank))))


def _evidence_words(code: str) -> set[str]:
    queries = {r.code: r.evidence_query for r in KPI_RULES} | {r.code: r.evidence_query for r in PLAN_RULES}
    return set(tokenize(queries.get(code, "")))


def _best_sentence(sentences: list[str], words: set[str]) -> str:
    """The sentence that shares most of the rule's evidence words (the earliest of equals): what the guideline
    says about the rule, not the document's opening."""
    candidates = [s for s in sentences if MIN_QUOTE_CHARS <= len(s) <= MAX_QUOTE_CHARS]
    if not candidates:
        return ""
    return max(enumerate(candidates), key=lambda p: (len(words & set(tokenize(p[1]))), -p[0]))[1]


# A case's PDCA, as its list items mark the stages: 「- 實施（Do）：……」, 「- 評價與改善（Check・Action）：……」.
_PDCA_ITEM = re.compile(r"^\s*[-*]\s+(.*（(?:Plan|Do|Check|Act|Action)(?:・(?:Action|Act))?）.*)$")
_PDCA_MARK = re.compile(r"（((?:Plan|Do|Check|Act|Action)(?:・(?:Action|Act))?)）")
_PDCA_STAGES = {"plan": "P", "do": "D", "check": "C", "act": "A", "action": "A"}

# A bracket group, one nested bracket allowed: 「（観光客入込数（年間））」.
_BRACKETED = re.compile(r"（[^（）]*(?:（[^（）]*）[^（）]*)*）")


def _without_originals(text: str) -> str:
    """A KPI name without the Japanese original bracketed after its translation (kana, or kanji in Japanese-only
    forms: 観, 数), so a diagram's box holds the name once."""

    def drop(match: re.Match[str]) -> str:
        group = match.group()
        japanese = KANA.search(group) or normalise(group) != unicodedata.normalize("NFKC", group).lower()
        return "" if japanese else group

    return _BRACKETED.sub(drop, text)


def _items(texts: list[str]) -> list[ChainItem]:
    unique = list(dict.fromkeys(_without_originals(t).strip() for t in texts if t and t.strip()))
    return [ChainItem(text=t) for t in unique[:ITEMS_PER_STEP]]
