"""`sosei eval`: run the suites and print one table per suite."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from app.config import Settings
from app.evaluation.retrieval import RetrievalReport, run_retrieval_eval


def print_retrieval(report: RetrievalReport, console: Console) -> None:
    table = Table(title=f"Retrieval — dev set ({report.systems[0].n} questions, doc-level)")
    for column in ("system", "hit@1", "hit@5", "MRR@10"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for s in report.systems:
        table.add_row(s.system, f"{s.hit_at_1:.3f}", f"{s.hit_at_5:.3f}", f"{s.mrr:.3f}")
    console.print(table)
    langs = ", ".join(f"{lang} {value:.3f}" for lang, value in report.by_language.items())
    console.print(f"hybrid hit@5 by language: {langs}")
    console.print(f"hybrid misses at 5: {', '.join(report.systems[0].misses_at_5) or 'none'}")
    console.print(
        f"search latency (warm, k=5): p50 {report.latency_ms_p50} ms, p95 {report.latency_ms_p95} ms"
    )
    console.print(
        f"ingest: {report.ingest_chunks_per_s} chunks/s end to end vs raw encode "
        f"{report.encode_chunks_per_s} chunks/s ({report.chunks} chunks, {report.documents} documents)"
    )


def run_evaluations(settings: Settings, suite: str = "all", echo: bool = True) -> dict:
    console = Console(stderr=not echo)
    results: dict = {}
    if suite in ("retrieval", "all"):
        report = run_retrieval_eval(settings)
        results["retrieval"] = report.model_dump()
        if echo:
            print_retrieval(report, console)
    return results
