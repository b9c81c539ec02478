"""sosei's own Prometheus metrics, next to the request metrics prometheus-fastapi-instrumentator adds at
/metrics. Defined once here; each is observed where its event happens. With several workers, `sosei serve`
points PROMETHEUS_MULTIPROC_DIR at a folder before the workers start, and /metrics sums over them."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

RETRIEVAL_SECONDS = Histogram(
    "sosei_retrieval_seconds",
    "Time to retrieve candidate passages (embedding the query, vector and BM25 search)",
    ["mode"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
ANSWERS = Counter(
    "sosei_answers_total",
    "Questions answered or refused (not covered by the knowledge base)",
    ["route", "outcome"],
)
FEEDBACK = Counter("sosei_feedback_total", "Ratings of answers received", ["rating"])
INDEX_RELOADS = Counter(
    "sosei_index_reloads_total", "Index generations loaded after another process changed it"
)
