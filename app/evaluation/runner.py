"""`sosei eval`: run the suites and print one table per suite."""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table

from app.config import Settings
from app.evaluation.answers import AnswerEvalReport, run_answer_eval
from app.evaluation.case_search import CaseSearchReport, run_case_search_eval
from app.evaluation.chat import ChatEvalReport, Rate, run_chat_eval
from app.evaluation.kpi import (
    BLIND_LEARN2_SET,
    BLIND_LEARN3_SET,
    BLIND_LEARN4_SET,
    BLIND_LEARN5_SET,
    BLIND_LEARN_SET,
    BLIND_UNSEEN2_SET,
    BLIND_UNSEEN3_SET,
    BLIND_UNSEEN_SET,
    HELDOUT_SET,
    LABELLED_SET,
    KpiEvalReport,
    run_kpi_eval,
)
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
    groups = ", ".join(f"{g} {v:.3f}" for g, v in report.by_group.items())
    console.print(f"hybrid hit@5 by question group: {groups}")
    console.print(f"hybrid misses at 5: {', '.join(report.systems[0].misses_at_5) or 'none'}")
    for name, scores in report.blind.items():
        figures = "; ".join(f"{s.system} hit@5 {s.hit_at_5:.3f} MRR {s.mrr:.3f} (n={s.n})" for s in scores)
        console.print(f"blind set {name}: {figures}")
    console.print(
        f"search latency (warm, k=5): p50 {report.latency_ms_p50} ms, p95 {report.latency_ms_p95} ms"
    )
    console.print(
        f"ingest: {report.ingest_chunks_per_s} chunks/s end to end vs raw encode "
        f"{report.encode_chunks_per_s} chunks/s ({report.chunks} chunks, {report.documents} documents)"
    )


def print_kpi(report: KpiEvalReport, console: Console, show_mistakes: bool = False) -> None:
    table = Table(title=f"KPI critique — {report.name} ({report.plans} plans, {report.kpis} KPIs)")
    for column in ("code", "precision", "recall", "support", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column == "code" else "right")
    for s in report.codes:
        table.add_row(
            s.code, f"{s.precision:.3f}", f"{s.recall:.3f}", str(s.support), str(s.tp), str(s.fp), str(s.fn)
        )
    console.print(table)
    console.print(
        f"false-flag rate on {report.clean_kpis} clean KPIs: {report.false_flag_rate:.3f}; "
        f"level accuracy: {report.level_accuracy:.3f}"
    )
    extras = ", ".join(f"{code} ×{n}" for code, n in sorted(report.unlabelled_codes.items())) or "none"
    console.print(f"extension codes fired (not in the labels): {extras}")
    console.print(
        f"critique of a 10-KPI plan (warm): p50 {report.critique_ms_p50} ms, p95 {report.critique_ms_p95} ms"
    )
    if show_mistakes and _kept_unseen(report.name):
        console.print(
            f"  ({len(report.mistakes)} mistakes not listed: an unseen set is measured, never read)"
        )
    elif show_mistakes:
        for line in report.mistakes:
            console.print(f"  ✗ {line}", highlight=False)


def _kept_unseen(name: str) -> bool:
    """Sets kept unseen (`*_unseen`, the `fresh` split): their figures are printed, their items never, so that
    `--mistakes` cannot leak them into a change."""
    return re.search(r"unseen\d*$", name) is not None or name == "fresh"


def print_answers(report: AnswerEvalReport, console: Console) -> None:
    table = Table(
        title=f"Answers — extractive mode ({report.questions} dev + {report.off_topic} off-topic questions)"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    langs = ", ".join(f"{lang} {v:.3f}" for lang, v in report.by_language.items())
    rows = [
        ("answered (not refused)", f"{report.answered:.3f}"),
        ("answered with a citation from an expected source", f"{report.cited_expected:.3f}"),
        ("  by language", langs),
        ("off-topic questions declined", f"{report.refusal_accuracy:.3f}"),
        ("time to first token, p50", f"{report.first_token_ms_p50} ms"),
        ("time to full answer, p50 / p95", f"{report.full_answer_ms_p50} / {report.full_answer_ms_p95} ms"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    console.print(
        f"off-topic answered: {', '.join(report.wrongly_answered) or 'none'}; "
        f"dev refused: {', '.join(report.wrongly_refused) or 'none'}"
    )


def _rates(rates: dict[str, Rate]) -> str:
    return ", ".join(f"{key} {r.share:.3f} ({r.hits}/{r.n})" for key, r in rates.items())


def print_chat(report: ChatEvalReport, console: Console, show_mistakes: bool = False) -> None:
    for split in report.splits:
        table = Table(title=f"Chat — blind {split.split} split (extractive mode)")
        table.add_column("measure")
        table.add_column("value")
        rows = [
            ("answerable declined (false refusals)", _rates(split.false_refusals)),
            ("answered citing an expected document", _rates(split.cited_expected)),
            ("  by intent", _rates(split.by_intent)),
            ("answers with every must-mention word", _rates({"all": split.mentions})),
            ("cited cases within the asked country/category", _rates({"all": split.kept_to_filters})),
            ("off-topic answered", _rates(split.off_topic_answered)),
            ("  by kind", _rates(split.off_topic_by_kind)),
            ("dialogue turns that hold", _rates(split.dialogue_turns)),
            ("dialogues whose every turn holds", _rates({"all": split.dialogues_all_turns})),
            ("answers fit to read (no ids, pipes, fragments)", _rates({"all": split.readable})),
            ("intent answers meeting their checklist", _rates(split.checklist)),
        ]
        for name, value in rows:
            table.add_row(name, value)
        console.print(table)
        if show_mistakes and _kept_unseen(split.split):
            console.print(
                f"  ({len(split.failures)} failures not listed: an unseen split is measured, never read)"
            )
        elif show_mistakes:
            for line in split.failures:
                console.print(f"  ✗ {line}", highlight=False)


def print_case_search(reports: list[CaseSearchReport], console: Console) -> None:
    table = Table(title="Case search — trainers' queries (blind sets)")
    for column in (
        "split",
        "queries",
        "must@5",
        "recall@10",
        "MRR",
        "must@5 by language",
        "no-case queries listing",
    ):
        table.add_column(column)
    for r in reports:
        langs = ", ".join(f"{lang} {v:.3f}" for lang, v in r.by_language.items())
        table.add_row(
            r.split,
            str(r.queries),
            f"{r.must_at_5:.3f}",
            f"{r.recall_at_10:.3f}",
            f"{r.mrr:.3f}",
            langs,
            r.empty_listed,
        )
    console.print(table)
    for r in reports:
        for line in r.misses:
            console.print(f"  ✗ {line}", highlight=False)


def run_evaluations(
    settings: Settings, suite: str = "all", echo: bool = True, show_mistakes: bool = False
) -> dict:
    console = Console(stderr=not echo)
    results: dict = {}
    if suite in ("kpi", "all"):
        kpi_sets = (
            ("kpi", LABELLED_SET),
            ("kpi_heldout", HELDOUT_SET),
            ("kpi_blind_learn", BLIND_LEARN_SET),
            ("kpi_blind_learn2", BLIND_LEARN2_SET),
            ("kpi_blind_learn3", BLIND_LEARN3_SET),
            ("kpi_blind_learn4", BLIND_LEARN4_SET),
            ("kpi_blind_unseen", BLIND_UNSEEN_SET),
            ("kpi_blind_unseen2", BLIND_UNSEEN2_SET),
            ("kpi_blind_learn5", BLIND_LEARN5_SET),
            ("kpi_blind_unseen3", BLIND_UNSEEN3_SET),
        )
        for key, name in kpi_sets:
            kpi_report = run_kpi_eval(settings, path=settings.eval_dir / name)
            results[key] = kpi_report.model_dump()
            if echo:
                print_kpi(kpi_report, console, show_mistakes)
    if suite in ("answers", "all"):
        answer_report = run_answer_eval(settings)
        results["answers"] = answer_report.model_dump()
        if echo:
            print_answers(answer_report, console)
    if suite in ("answers", "chat", "all"):  # `answers` is issue 9's name for both answer suites
        chat_report = run_chat_eval(settings)
        results["chat"] = chat_report.model_dump()
        if echo:
            print_chat(chat_report, console, show_mistakes)
    if suite in ("cases", "all"):
        from app.services import build_services

        case_reports = run_case_search_eval(build_services(settings).cases, settings.eval_dir, show_mistakes)
        results["case_search"] = [r.model_dump(exclude={"misses"}) for r in case_reports]
        if echo:
            print_case_search(case_reports, console)
    if suite in ("retrieval", "all"):
        report = run_retrieval_eval(settings)
        results["retrieval"] = report.model_dump()
        if echo:
            print_retrieval(report, console)
    return results
