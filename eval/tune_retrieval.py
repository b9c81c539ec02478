"""Grid search of the fusion parameters on the retrieval dev set (dense and BM25 candidates are computed
once per question, so the grid only re-fuses). Run: .venv/bin/python eval/tune_retrieval.py

The dev set is small and also used for reporting: prefer broad plateaus over the single best cell."""

from __future__ import annotations

import itertools

from app.config import get_settings
from app.evaluation.retrieval import DEV_SET, RANK_DEPTH, load_dev_set, score_rankings
from app.knowledge.service import KnowledgeBase


def main() -> None:
    settings = get_settings()
    retriever = KnowledgeBase(settings).retriever
    questions = load_dev_set(settings.eval_dir / DEV_SET)
    cached = {q.question: retriever.candidates(q.question, RANK_DEPTH) for q in questions}
    rows = []
    grid = itertools.product((10, 30, 60), (0.6, 1.0, 1.4), (0.3, 0.6, 1.0), (1, 2, 3))
    for rrf_k, lexical_weight, article_weight, max_per_doc in grid:

        def rank(q: str, params=(rrf_k, lexical_weight, article_weight, max_per_doc)) -> list[str]:
            dense, lexical = cached[q]
            hits = retriever.fuse(
                dense,
                lexical,
                RANK_DEPTH,
                rrf_k=params[0],
                dense_weight=1.0,
                lexical_weight=params[1],
                article_weight=params[2],
                max_per_doc=params[3],
            )
            return [h.doc_id for h in hits]

        s = score_rankings("grid", questions, rank)
        rows.append((s.hit_at_5, s.mrr, s.hit_at_1, rrf_k, lexical_weight, article_weight, max_per_doc))
    for label, weights in (("dense only", (1.0, 0.0)), ("BM25 only", (0.0, 1.0))):

        def rank_one(q: str, w=weights) -> list[str]:
            dense, lexical = cached[q]
            hits = retriever.fuse(dense, lexical, RANK_DEPTH, dense_weight=w[0], lexical_weight=w[1])
            return [h.doc_id for h in hits]

        s = score_rankings(label, questions, rank_one)
        print(f"{label}: hit@5 {s.hit_at_5:.3f}  MRR {s.mrr:.3f}  hit@1 {s.hit_at_1:.3f}")
    rows.sort(reverse=True)
    print("hit@5  MRR    hit@1  rrf_k  w_lex  w_article  per_doc")
    for row in rows[:15]:
        print("{:.3f}  {:.3f}  {:.3f}  {:>5}  {:>5}  {:>9}  {:>7}".format(*row))


if __name__ == "__main__":
    main()
