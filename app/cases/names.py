"""Which case a question names: 「池上的案例」, 「益子燒的KPI」, "Tell me about Ama town".

Names come from the corpus itself, so a new case is recognised without a list to maintain:
- the municipalities in a case's `place` (「臺東縣池上鄉」 → 池上鄉, 池上), villages in brackets included;
- the place word that opens its id (`jp-kamiyama-satellite-office` → kamiyama), for English questions.
A name shared by two cases names neither.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property

from app.i18n.glossary import find_word
from app.knowledge.corpus import Corpus

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


class CaseNames:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    @cached_property
    def _names(self) -> dict[str, str]:
        """name → case id, for names that belong to exactly one case."""
        owners: defaultdict[str, set[str]] = defaultdict(set)
        for case in self.corpus.of_kind("case").values():
            for name in _place_names(case.place or ""):
                if name not in _NOT_PLACES:
                    owners[name].add(case.id)
            word = case.id.split("-")[1] if case.id.count("-") else ""
            if len(word) >= _SHORTEST_NAME + 1 and word not in _NOT_PLACES:
                owners[word].add(case.id)
        unique = {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1}
        return dict(sorted(unique.items(), key=lambda pair: -len(pair[0])))

    def without_names(self, text: str) -> str:
        """`text` with every case name taken out: what it asks about the case."""
        rest = text.lower()
        for name in self._names:
            while (start := find_word(rest, name)) >= 0:
                rest = rest[:start] + " " + rest[start + len(name) :]
        return rest

    def named(self, text: str) -> list[str]:
        """Ids of the cases `text` names, in the order of their first mention (a Latin name as a whole word)."""
        lowered = text.lower()
        found: dict[str, int] = {}
        for name, case_id in self._names.items():
            start = find_word(lowered, name)
            if start >= 0:
                found[case_id] = min(found.get(case_id, start), start)
        return sorted(found, key=lambda case_id: found[case_id])


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
