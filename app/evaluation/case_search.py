"""Case search as trainers search (eval/cases/search_*.yaml, written blind by a helper who saw neither the code
nor eval/): the cases that must come up for a query within the first five, any relevant case within ten, the
rank of the first relevant case, and how many queries with no relevant case still list some.

A query lists `relevant` case ids (most relevant first) and `must`, the one to three that belong in the top five.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from app.cases.library import CaseLibrary

SETS = ("search_learn.yaml", "search_unseen.yaml")
TOP = 5
WIDE = 10


class SearchQuery(BaseModel):
    id: str
    q: str
    lang: str
    relevant: list[str] = Field(default_factory=list)
    must: list[str] = Field(default_factory=list)
    note: str = ""


class CaseSearchReport(BaseModel):
    split: str
    queries: int
    must_at_5: float = Field(description="share of `must` cases found in the top five")
    recall_at_10: float = Field(description="share of relevant cases found in the top ten")
    mrr: float = Field(description="mean reciprocal rank of the first relevant case")
    by_language: dict[str, float] = Field(description="must@5 by query language")
    empty_listed: str = Field(description="queries with no relevant case that still list cases (n/N)")
    misses: list[str] = Field(default_factory=list, description="learn split only: queries below target")


def load_queries(path: Path) -> list[SearchQuery]:
    return [SearchQuery.model_validate(item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def evaluate_split(library: CaseLibrary, path: Path, list_misses: bool) -> CaseSearchReport:
    queries = load_queries(path)
    must_hit = must_all = rel_hit = rel_all = 0
    reciprocal: list[float] = []
    by_lang: dict[str, list[int]] = {}
    empty = empty_listed = 0
    misses: list[str] = []
    for query in queries:
        found = [c.case_id for c in library.search(query.q, k=WIDE).cases]
        if not query.relevant:
            empty += 1
            empty_listed += bool(found)
            continue
        hits = [c for c in query.must if c in found[:TOP]]
        must_hit, must_all = must_hit + len(hits), must_all + len(query.must)
        rel_hit += len(set(query.relevant) & set(found))
        rel_all += len(query.relevant)
        rank = next((i + 1 for i, c in enumerate(found) if c in query.relevant), None)
        reciprocal.append(1 / rank if rank else 0.0)
        counts = by_lang.setdefault(query.lang, [0, 0])
        counts[0] += len(hits)
        counts[1] += len(query.must)
        if list_misses and len(hits) < len(query.must):
            misses.append(
                f"{query.id} {query.q!r}: top5 {found[:TOP]} missing {sorted(set(query.must) - set(hits))}"
            )
    return CaseSearchReport(
        split=path.stem,
        queries=len(queries),
        must_at_5=round(must_hit / must_all, 3) if must_all else 0.0,
        recall_at_10=round(rel_hit / rel_all, 3) if rel_all else 0.0,
        mrr=round(sum(reciprocal) / len(reciprocal), 3) if reciprocal else 0.0,
        by_language={lang: round(h / n, 3) for lang, (h, n) in sorted(by_lang.items()) if n},
        empty_listed=f"{empty_listed}/{empty}",
        misses=misses,
    )


def run_case_search_eval(
    library: CaseLibrary, eval_dir: Path, show_mistakes: bool = False
) -> list[CaseSearchReport]:
    """Every split; misses are listed for the learn split only (the unseen split is measured, never read)."""
    folder = eval_dir / "cases"
    return [
        evaluate_split(library, folder / name, list_misses=show_mistakes and "unseen" not in name)
        for name in SETS
        if (folder / name).exists()
    ]
