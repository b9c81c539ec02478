"""The domain glossary (`glossary.yaml`): names of factors, levels, categories, countries, project kinds,
KPI principles and named concepts in zh-TW, English and Japanese, the aliases questions use for them, and the fixed frame of a
composed answer in each language."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from importlib.resources import files
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

AnswerLang = Literal["zh-TW", "en", "ja"]
ANSWER_LANGS: tuple[AnswerLang, ...] = ("zh-TW", "en", "ja")
KANA = re.compile(r"[\u3040-\u30ff]")
HAN = re.compile(r"[\u3400-\u9fff]")  # Chinese characters (kanji too)


class Term(BaseModel):
    """One term: its name in each answer language and the words that name it in a question."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    zh: str | None = Field(None, alias="zh-TW")
    en: str
    ja: str
    aliases: tuple[str, ...] = ()
    doc: str | None = None  # the corpus document that states it (principles, concepts)

    def name(self, lang: AnswerLang, code: str = "") -> str:
        return {"zh-TW": self.zh or code, "en": self.en, "ja": self.ja}[lang]


class CaseFacets(BaseModel):
    """What practitioners ask about one case, and the English words around such a question."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topics: tuple[str, ...]
    function_words: tuple[str, ...]


class PlaceNames(BaseModel):
    """How a question names a place: administrative suffixes, words that hold one without naming a place, and
    characters that never open a place's name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    suffixes: tuple[str, ...]
    words: tuple[str, ...]
    not_names: str
    countries: tuple[str, ...] = ()  # named whole, with no suffix: 韓國, ドイツ, Korea

    def named(self, text: str) -> list[str]:
        """The two-character names before an administrative suffix: 「德島縣上勝町的」 → [德島, 上勝]."""
        found = []
        for i, char in enumerate(text):
            if i < 2 or char not in self.suffixes:
                continue
            name, after = text[i - 2 : i], text[i + 1 : i + 2]
            if not all("\u4e00" <= c <= "\u9fff" for c in name) or any(c in self.not_names for c in name):
                continue
            if name[0] in self.suffixes and i >= 3 and "\u4e00" <= text[i - 3] <= "\u9fff":
                continue  # 「宮田村街區」: 村 closes the name before it, 村街 names nothing
            if text[i - 1 : i + 1] in self.words or char + after in self.words:
                continue
            found.append(name)
        folded = text.lower()
        found += [
            country
            for country in self.countries
            if re.search(rf"(?<![a-z]){re.escape(country)}(?![a-z])", folded)
        ]
        return found


# The sections that hold terms (named things with aliases), as opposed to frames, facets and place words.
TERM_SECTIONS = (
    "factors",
    "categories",
    "contexts",
    "project_kinds",
    "levels",
    "concepts",
    "rules",
    "kpi_terms",
    "programmes",
    "actors",
)

# Sections whose other names widen a lexical search; a project kind's row name (觀光行銷 for "tourism") would narrow it.
# Sections whose terms widen a case search to every word for the same thing.
RELATED_SECTIONS = ("search_terms", "categories", "contexts", "concepts", "factors", "rules")

SYNONYM_SECTIONS = tuple(section for section in TERM_SECTIONS if section != "project_kinds")


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    factors: dict[str, Term]
    levels: dict[str, Term]
    categories: dict[str, Term]
    contexts: dict[str, Term]
    countries: dict[str, Term]
    project_kinds: dict[str, Term]
    principles: dict[str, Term]
    concepts: dict[str, Term]
    # the critique's finding codes, the vocabulary of KPIs and evaluation, programmes and funding, kinds of actor
    rules: dict[str, Term] = Field(default_factory=dict)
    kpi_terms: dict[str, Term] = Field(default_factory=dict)
    programmes: dict[str, Term] = Field(default_factory=dict)
    actors: dict[str, Term] = Field(default_factory=dict)
    # Words a trainer searches the case library with, grouped by what they mean (老街／老屋／空屋／空き家):
    # any word of a group finds the cases that use another. Kept out of TERM_SECTIONS: only case search reads it.
    search_terms: dict[str, Term] = Field(default_factory=dict)
    search_stopwords: tuple[str, ...] = ()
    case_facets: CaseFacets
    place_names: PlaceNames
    frames: dict[AnswerLang, dict[str, str]]

    def names(self, section: str, lang: AnswerLang) -> dict[str, str]:
        terms: dict[str, Term] = getattr(self, section)
        return {code: term.name(lang, code) for code, term in terms.items()}

    def frame(self, lang: AnswerLang, key: str, **values: object) -> str:
        return self.frames[lang][key].format(**values)

    @cached_property
    def _longest_alias_first(self) -> dict[str, list[tuple[str, str]]]:
        table: dict[str, list[tuple[str, str]]] = {}
        for section in (*TERM_SECTIONS, "search_terms"):
            terms: dict[str, Term] = getattr(self, section)
            pairs = [(_fold(alias), code) for code, term in terms.items() for alias in term.aliases]
            table[section] = sorted(pairs, key=lambda pair: -len(pair[0]))
        return table

    def terms(self) -> list[tuple[str, str, Term]]:
        """Every term of the glossary as (section, code, term)."""
        return [
            (section, code, term)
            for section in TERM_SECTIONS
            for code, term in getattr(self, section).items()
        ]

    def synonyms(self, text: str) -> list[str]:
        """The other names of the terms `text` names, in the knowledge base's language and Japanese, for
        lexical search: "sixth-sector industrialisation" finds 六次產業化, 関係人口 finds 關係人口."""
        folded = _fold(text)
        extra: list[str] = []
        for section in SYNONYM_SECTIONS:
            terms: dict[str, Term] = getattr(self, section)
            for code in self.named(section, text):
                term = terms[code]
                for name in (term.zh or code, term.ja):
                    if _fold(name) not in folded and name not in extra:
                        extra.append(name)
        return extra

    def related_words(self, text: str) -> list[str]:
        """Every name and alias of the terms `text` names (search groups, categories, contexts, concepts,
        factors), for case search: 「老屋」 → 空屋, 空き家, vacant house …; "tourism" → 觀光, 観光 …."""
        words: list[str] = []
        for section in RELATED_SECTIONS:
            terms: dict[str, Term] = getattr(self, section)
            for code in self.named(section, text):
                term = terms[code]
                names = (
                    () if section == "search_terms" else (term.zh or "", term.ja)
                )  # a group's name is no word
                for word in (*names, *term.aliases):
                    if word and word not in words:
                        words.append(word)
        return words

    def concept_docs(self, codes: tuple[str, ...] | list[str]) -> list[str]:
        """The guidelines that explain the named concepts, in the order named."""
        return [doc for code in codes if (doc := self.concepts[code].doc)]

    def named(self, section: str, text: str) -> list[str]:
        """Codes of `section` that `text` names, in the order of their first mention; a longer alias wins
        over a shorter one inside it (「觀光行銷」 is the marketing row, not every row with 「觀光」)."""
        lowered = _fold(text)
        found: dict[str, int] = {}
        taken: list[tuple[int, int]] = []
        for alias, code in self._longest_alias_first[section]:
            start = find_word(lowered, alias)
            while start >= 0:
                end = start + len(alias)
                if not any(s < end and start < e for s, e in taken):
                    taken.append((start, end))
                    found[code] = min(found.get(code, start), start)
                start = find_word(lowered, alias, start + 1)
        return sorted(found, key=lambda code: found[code])

    def without_terms(self, text: str, sections: tuple[str, ...]) -> str:
        """`text` (folded) with every alias of `sections` taken out: what else a question says."""
        aliases = [alias for section in sections for alias, _code in self._longest_alias_first[section]]
        return _without_words(_fold(text), aliases)

    @cached_property
    def _case_facet_words(self) -> list[str]:
        """The case facets' topics and function words, folded, longest first."""
        words = {_fold(word) for word in self.case_facets.topics + self.case_facets.function_words}
        return sorted(words, key=len, reverse=True)

    def without_case_facets(self, text: str) -> str:
        """`text` (folded) without the words that ask about a case (who leads it, its funding, its results)."""
        return _without_words(_fold(text), self._case_facet_words)

    def asks_a_case_topic(self, text: str) -> bool:
        """Whether `text` asks one of the things practitioners ask about a case (who leads it, its money …)."""
        folded = _fold(text)
        return any(find_word(folded, _fold(word)) >= 0 for word in self.case_facets.topics)


def _without_words(text: str, words: list[str]) -> str:
    """`text` with every occurrence of each of `words` (in the order given) replaced by a space."""
    for word in words:
        while (start := find_word(text, word)) >= 0:
            text = text[:start] + " " + text[start + len(word) :]
    return text


def _fold(text: str) -> str:
    """Lower case, hyphens as spaces: 「vacant-house」 names what 「vacant house」 does."""
    return text.lower().replace("-", " ").replace("–", " ")


def find_word(text: str, alias: str, start: int = 0) -> int:
    """Position of `alias` in `text` from `start`; Latin aliases only as whole words (「ppp」 not in 「apppp」)."""
    if not alias.isascii():
        return text.find(alias, start)
    match = re.compile(rf"(?<![a-z]){re.escape(alias)}(?![a-z])").search(text, start)
    return match.start() if match else -1


@lru_cache
def glossary() -> Glossary:
    text = (files("app.i18n") / "glossary.yaml").read_text(encoding="utf-8")
    return Glossary.model_validate(yaml.safe_load(text))


def answer_lang(text: str) -> AnswerLang:
    """The language a question is written in: Japanese when it has kana, English when it is mostly Latin
    letters, else Traditional Chinese."""
    if KANA.search(text):
        return "ja"
    letters = sum(ch.isalpha() for ch in text)
    return "zh-TW" if letters and len(HAN.findall(text)) / letters >= 0.3 else "en"
