"""Which case a question names: 「池上的案例」, 「益子燒的KPI」, "Tell me about Ama town".

Names come from the corpus itself, so a new case is recognised without a list to maintain:
- the municipalities in a case's `place` (「臺東縣池上鄉」 → 池上鄉, 池上), villages in brackets included;
- the place word that opens its id (`jp-kamiyama-satellite-office` → kamiyama), for English questions.
A name shared by two cases names neither, unless the conversation has been about one of them.

Within a conversation, a follow-up can also single out one of the cases just shown (「宜蘭那個經費多少？」,
「忍者那個案子」, "the Yuli one"): `mentioned` finds the cases an answer showed by their titles, and `pick` the one
among them that a word of the question belongs to alone, whether that word is a place, a title word or an id word.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from functools import cached_property

from app.i18n.glossary import find_word
from app.knowledge.corpus import Corpus
from app.knowledge.lexical import fold

# Municipalities and villages; prefectures and counties (縣, 府, 道) are shared by too many cases.
_MUNICIPALITY = re.compile(r"([\u3400-\u9fffノヶ]{2,5})(町|村|市|鄉|鎮|區|里|島)")
_COUNTY = re.compile(r"^.{1,3}?[縣府道都]")
# Id words that are not places (`tw-design-revival-kinmen-donggang`), and place stems that are everyday words
# or name somewhere else too (高山 "high mountain", 光復 "retrocession", 美濃 is also a town in Kaohsiung).
_NOT_PLACES = frozenset(
    "design ninja saga 高山 朝陽 光復 信義 水上 成龍 大埔 朝日 金城 新屋 桃園 嘉義 基隆 上田 美濃 岐阜 宮古 東川 山上"
    " 南澳 上越 市町 市町村 臺南 臺南市".split()
)
# Words around place names in a `place` field: 「見學者為花蓮縣各鄉鎮公所」, 「含左鎮、玉井、山上等區」.
_NOT_IN_NAMES = re.compile(r"[的及為含等與和各]|地區|社區|諸島")
_SHORTEST_NAME = 2
RARE_IN = 3  # documents: a title word used by no more than this many names one case over the whole corpus
# Words every case title might hold: they single out no case (「那個案子」, 「這個計畫」).
_GENERIC = frozenset(
    fold(word)  # compared with folded words (計畫 as 計画)
    for word in "計畫 計劃 案子 案例 事業 地方 創生 推動 這個 那個 專案 項目 プロ 事例 取組 取り 事業 "
    "the one case project plan programme program town city village about more tell".split()
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")
_LATIN = re.compile(r"[a-z][a-z0-9]{2,}")


class CaseNames:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    @cached_property
    def cases(self) -> frozenset[str]:
        return frozenset(self.corpus.of_kind("case"))

    @cached_property
    def _names(self) -> dict[str, str]:
        """name → case id, for names that belong to exactly one case: places and the place word of an id."""
        owners: defaultdict[str, set[str]] = defaultdict(set)
        for case in self.corpus.of_kind("case").values():
            for name in _folded_places(case.place):
                owners[name].add(case.id)
            word = case.id.split("-")[1] if case.id.count("-") else ""
            if len(word) >= _SHORTEST_NAME + 1 and word not in _NOT_PLACES:
                owners[word].add(case.id)
        unique = {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1}
        return dict(sorted(unique.items(), key=lambda pair: -len(pair[0])))

    @cached_property
    def _shared_names(self) -> dict[str, frozenset[str]]:
        """name → the cases that share it (苑裡 → the bookshop and the coastal association), longest first."""
        owners: defaultdict[str, set[str]] = defaultdict(set)
        for case in self.corpus.of_kind("case").values():
            for name in _folded_places(case.place):
                owners[name].add(case.id)
        shared = {name: frozenset(ids) for name, ids in owners.items() if len(ids) > 1}
        return dict(sorted(shared.items(), key=lambda pair: -len(pair[0])))

    def mentioned(self, text: str) -> list[str]:
        """Ids of the cases whose full title `text` shows (an earlier answer's list), in order of appearance."""
        found = {
            case.id: text.find(case.title)
            for case in self.corpus.of_kind("case").values()
            if case.title and case.title in text
        }
        return sorted(found, key=lambda case_id: found[case_id])

    def shown_lines(self, text: str) -> dict[str, str]:
        """Case id → the line of `text` (an earlier answer) that shows the case's title, in the order of
        `mentioned`: what the answer said of it (「…成龍村農地開始積水成濕地」 lets 「濕地那個」 point at it)."""
        lines = text.splitlines()  # a title holds no line break, so some line holds each one mentioned
        return {
            case_id: next(line for line in lines if self.corpus.documents[case_id].title in line)
            for case_id in self.mentioned(text)
        }

    def pick(
        self,
        question: str,
        among: list[str],
        *,
        places: bool = True,
        context: dict[str, str] | None = None,
    ) -> str | None:
        """The one case of `among` that the question singles out with a word only that case's title, place or
        id holds (「宜蘭那個」 among a list with one Yilan case), or what `context` (the earlier answer's line for
        it) said; None when no word, or several cases, fit. With `places` False only title words count
        (「門諾醫院投資了多少」, not 「花蓮縣長是誰」)."""
        label = self.labels if places else self.title_words
        context = context or {}
        if len(among) > len(self.cases) // 2:  # over the whole corpus, only a rare word singles a case out
            asked = {
                word for word in self._words(question) if self._document_frequency.get(word, 0) <= RARE_IN
            }
            question = " ".join(asked)
        if len(among) < 2:
            return among[0] if among and self._words(question) & label(among[0]) else None
        labels = {case_id: label(case_id) | self._words(context.get(case_id, "")) for case_id in among}
        asked = self._words(question)
        scores = {
            case_id: sum(1 for word in asked & label if sum(word in other for other in labels.values()) == 1)
            for case_id, label in labels.items()
        }
        best = max(scores.values())
        winners = [case_id for case_id, score in scores.items() if score == best]
        return winners[0] if best > 0 and len(winners) == 1 else None

    def labels(self, case_id: str) -> set[str]:
        """The words that name a case: bigrams and Latin words of its title, place and id."""
        case = self.corpus.get(case_id)
        if case is None:
            return set()
        return self._words(f"{case.title} {case.place or ''} {case.id.replace('-', ' ')}")

    @cached_property
    def _document_frequency(self) -> dict[str, int]:
        """Word → how many documents of the corpus use it (title and body)."""
        counts: defaultdict[str, int] = defaultdict(int)
        for doc in self.corpus.documents.values():
            for word in self._words(f"{doc.title} {doc.body}"):
                counts[word] += 1
        return dict(counts)

    def place_words(self, case_id: str) -> set[str]:
        """The words that name where a case is: bigrams and Latin words of its place and id."""
        case = self.corpus.get(case_id)
        return self._words(f"{case.place or ''} {case.id.replace('-', ' ')}") if case else set()

    def words_of(self, text: str) -> set[str]:
        """The words (bigrams and Latin words) a text is matched on, as the labels are."""
        return self._words(text)

    def title_words(self, case_id: str) -> set[str]:
        case = self.corpus.get(case_id)
        return self._words(case.title) - self.place_words(case_id) if case else set()

    @staticmethod
    def _words(text: str) -> set[str]:
        """CJK bigrams and Latin words of `text`, without the generic ones."""
        lowered = fold(text)  # 寿豊郷 and 壽豐鄉 alike
        grams = {run[i : i + 2] for run in _CJK.findall(lowered) for i in range(len(run) - 1)}
        return (grams | set(_LATIN.findall(lowered))) - _GENERIC

    def without_names(self, text: str) -> str:
        """`text` with every case name taken out: what it asks about the case."""
        rest = fold(text)
        for name in self._names:
            while (start := find_word(rest, name)) >= 0:
                rest = rest[:start] + " " + rest[start + len(name) :]
        return rest

    def named(self, text: str, within: Collection[str] = ()) -> list[str]:
        """Ids of the cases `text` names, in the order of their first mention (a Latin name as a whole word).
        A name two cases share names the one of them the conversation has been about (`within`), if only one."""
        lowered = fold(text)
        found: dict[str, int] = {}
        for name, case_id in self._names.items():
            start = find_word(lowered, name)
            if start >= 0:
                found[case_id] = min(found.get(case_id, start), start)
        for name, owners in self._shared_names.items():
            start = find_word(lowered, name)
            if start < 0:
                continue
            discussed = owners & set(within)
            # 「苑裡掀海風是什麼樣的團隊」: the title word 掀海風 says which of the two 苑裡 cases
            by_title = self.pick(text, sorted(owners), places=False) if len(discussed) != 1 else None
            owner = next(iter(discussed)) if len(discussed) == 1 else by_title
            if owner is not None:
                found[owner] = min(found.get(owner, start), start)
        return sorted(found, key=lambda case_id: found[case_id])


def _folded_places(place: str | None) -> list[str]:
    """The place names of a `place` field that can name a case, folded as questions are (`named`)."""
    return [fold(name) for name in _place_names(place or "") if name not in _NOT_PLACES]


def _place_names(place: str) -> set[str]:
    """「南投縣埔里鎮（桃米里）」 → {埔里鎮, 埔里, 桃米里, 桃米}."""
    names: set[str] = set()
    for part in re.split(r"[；;、，,・（）()\s]", _NOT_IN_NAMES.sub(" ", place)):
        part = _COUNTY.sub("", part.strip())
        for match in _MUNICIPALITY.finditer(part):
            stem, suffix = match.groups()
            if len(stem) >= _SHORTEST_NAME:
                names.add(stem + suffix)
                names.add(stem)
    return names
