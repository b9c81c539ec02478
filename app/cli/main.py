"""`sosei` command line: the same services as the web app, from a shell.

Exit status: 0 success, 2 bad input (one line on stderr naming what is wrong), 1 any other failure.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import BaseModel, ValidationError

from app.config import get_settings
from app.knowledge.documents import DocumentError
from app.knowledge.embeddings import EmbeddingError

if TYPE_CHECKING:
    from app.services import Services

cli = typer.Typer(
    name="sosei",
    help="sosei — 地方創生 knowledge base: ingest, search, ask, similar, critique, eval, serve.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


class BadInput(Exception):
    """Raised for input the user can fix; becomes exit status 2."""


def emit_json(model: BaseModel | dict) -> None:
    data = model.model_dump(mode="json") if isinstance(model, BaseModel) else model
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def validation_message(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'input'}: {err['msg']}" for err in exc.errors()
    )


def services(index: bool = True) -> Services:
    """The services, wired as the web app wires them; with `index`, the corpus is indexed if the store is
    empty. Imported lazily so `sosei --help` stays fast."""
    from app.services import build_services

    wired = build_services(get_settings())
    if index:
        wired.ensure_index()
    return wired


@cli.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: corpus/)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Index corpus/ or the given files (.md .txt .pdf .docx); only changed documents are re-embedded."""
    report = services(index=False).knowledge.ingest(paths or None)
    if as_json:
        emit_json(report)
        return
    typer.echo(
        f"indexed in {report.seconds:.1f}s: {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.repaired)} repaired, {len(report.removed)} removed, {report.unchanged} unchanged; "
        f"{report.chunks_embedded} chunks embedded; index holds {report.total_documents} documents, "
        f"{report.total_chunks} chunks"
    )


@cli.command()
def search(
    query: Annotated[str, typer.Argument(help="Question or keywords")],
    k: Annotated[int, typer.Option("--k", "-k", help="Number of passages")] = 5,
    category: Annotated[str | None, typer.Option(help="Case category, e.g. 觀光振興")] = None,
    kind: Annotated[str | None, typer.Option(help="case | guideline | article | upload")] = None,
    country: Annotated[str | None, typer.Option(help="JP | TW")] = None,
    factor: Annotated[str | None, typer.Option(help="self_reliance, public_private, …")] = None,
    mode: Annotated[str, typer.Option(help="hybrid | dense | lexical")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Print the search shape as JSON")] = False,
) -> None:
    """Hybrid retrieval (vectors + CJK-aware BM25) over the index."""
    from app.knowledge.schemas import SearchRequest

    try:
        request = SearchRequest.model_validate(
            {"query": query, "k": k, "category": category, "kind": kind, "country": country, "factor": factor,
             "mode": mode}
        )  # fmt: skip
    except ValidationError as exc:
        raise BadInput(validation_message(exc)) from exc
    response = services().knowledge.search(request)
    if as_json:
        emit_json(response)
        return
    if not response.hits:
        typer.echo("no passages found")
    for n, hit in enumerate(response.hits, 1):
        typer.echo(f"[{n}] {hit.title}  ({hit.doc_id}, score {hit.score:.2f})")
        typer.echo("    " + hit.text.replace("\n", "\n    "))


@cli.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in Chinese, Japanese or English")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the ask shape as JSON")] = False,
    lang: Annotated[str, typer.Option(help="zh-TW | en (language of messages)")] = "zh-TW",
) -> None:
    """One answer with citations (extractive, or generated when SOSEI_LLM is set)."""
    from app.assistant.schemas import AskRequest

    try:
        request = AskRequest.model_validate({"question": question, "lang": lang})
    except ValidationError as exc:
        raise BadInput(validation_message(exc)) from exc
    response = services().answers.ask(request)
    if as_json:
        emit_json(response)
        return
    if response.notice:
        typer.echo(f"({response.notice})")
    typer.echo(response.answer)
    for c in response.citations:
        typer.echo(f"  [{c.n}] {c.title} ({c.doc_id})")


@cli.command()
def similar(
    text: Annotated[str, typer.Argument(help="A plan description or question")],
    k: Annotated[int, typer.Option("--k", "-k", help="Number of cases")] = 5,
    category: Annotated[str | None, typer.Option(help="Keep to one category")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the similar shape as JSON")] = False,
) -> None:
    """Comparable cases with their KPI sets."""
    from app.cases.schemas import SimilarRequest, SimilarResponse

    try:
        request = SimilarRequest.model_validate({"text": text, "k": k, "category": category})
    except ValidationError as exc:
        raise BadInput(validation_message(exc)) from exc
    cases = services().cases.similar(request.text, request.k, category=request.category)
    if as_json:
        emit_json(SimilarResponse(query=request.text, cases=cases))
        return
    for case in cases:
        typer.echo(f"{case.title}（{case.place}, {case.case_id}, score {case.score:.2f}）")
        typer.echo(f"  {case.why}")
        for kpi in case.kpis:
            typer.echo(f"  - [{kpi.level}] {kpi.name}")


@cli.command()
def critique(
    file: Annotated[str, typer.Argument(help="Plan as .json, .yaml/.yml, or - for JSON on stdin")],
    fmt: Annotated[str, typer.Option("--format", help="md | json | html")] = "md",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Add LLM explanations (needs SOSEI_LLM)")
    ] = False,
    lang: Annotated[
        str | None, typer.Option(help="zh-TW | en: the report's language (default: the plan's)")
    ] = None,
) -> None:
    """Critique a draft plan's KPIs against the guideline rules (deterministic, with evidence)."""
    from app.kpi.plan_input import PlanInputError, format_for, parse_plan
    from app.kpi.report import to_html, to_markdown

    output = "json" if as_json else fmt
    if output not in ("md", "json", "html"):
        raise BadInput(f"--format: unknown format {fmt!r}; choose md, json or html")
    try:
        kind = format_for(file)
        if file == "-":
            text = sys.stdin.read()
        else:
            path = Path(file)
            if not path.is_file():
                raise BadInput(f"{file}: no such file")
            text = path.read_text(encoding="utf-8")
        request = parse_plan(text, kind)
    except (PlanInputError, UnicodeDecodeError) as exc:
        raise BadInput(f"{file}: {exc}") from exc
    if lang is not None:
        if lang not in ("zh-TW", "en"):
            raise BadInput(f"--lang: unknown language {lang!r}; choose zh-TW or en")
        request = request.model_copy(update={"lang": lang})
    service = services().critique
    result = service.critique_explained(request) if explain else service.critique(request)
    if output == "json":
        emit_json(result)
    elif output == "html":
        sys.stdout.write(to_html(result, request.lang))
    else:
        sys.stdout.write(to_markdown(result, request.lang))


@cli.command()
def brief(
    theme: Annotated[
        str, typer.Option(help="Free text, a category, a factor or a rule: 觀光振興, 主觀指標, 老屋活化")
    ] = "",
    category: Annotated[str | None, typer.Option(help="One of the six categories")] = None,
    factor: Annotated[str | None, typer.Option(help="A driving factor code, e.g. public_private")] = None,
    rule: Annotated[str | None, typer.Option(help="A KPI rule code, e.g. subjective")] = None,
    case: Annotated[
        list[str] | None, typer.Option("--case", help="A case id to include (repeat; up to 6)")
    ] = None,
    section: Annotated[
        list[str] | None, typer.Option("--section", help="Sections to keep, in order (repeat); default all")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Replace the generated title")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html | slides | pptx | pdf | md")] = "md",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout for md/html)")
    ] = None,
    lang: Annotated[str, typer.Option(help="zh-TW or en")] = "zh-TW",
) -> None:
    """Build a briefing pack for trainers: rules, comparable cases, a KPI logic chain, PDCA, an exercise."""
    from app.briefings import export
    from app.briefings.schemas import FORMATS, BriefingRequest
    from app.briefings.themes import UnknownTheme

    if fmt not in FORMATS:
        raise BadInput(f"--format: unknown format {fmt!r}; choose {', '.join(FORMATS)}")
    if fmt in ("pptx", "pdf") and output is None:
        raise BadInput(f"--format {fmt} writes a binary file: give -o FILE")
    try:
        request = BriefingRequest.model_validate(
            {"theme": theme, "category": category, "factor": factor, "rule": rule, "case_ids": case or [],
             "sections": section or [], "title": title, "lang": lang}
        )  # fmt: skip
    except ValidationError as exc:
        raise BadInput(validation_message(exc)) from exc
    if not (request.theme or request.category or request.factor or request.rule or request.case_ids):
        raise BadInput("give --theme, --category, --factor, --rule or --case")
    wired = services()
    try:
        pack = wired.briefings.build(request)
    except UnknownTheme as exc:
        raise BadInput(str(exc)) from exc
    base = wired.settings.public_url
    renderers: dict[str, Callable[[], str | bytes]] = {
        "md": lambda: export.to_markdown(pack, base),
        "html": lambda: export.to_html(pack, base),
        "slides": lambda: export.to_slides(
            pack, reveal_url=f"{base.rstrip('/')}/static/reveal", base_url=base
        ),
        "pdf": lambda: export.to_pdf(pack, base),
        "pptx": lambda: export.to_pptx(pack, base),
    }
    body = renderers[fmt]()
    if output is None:
        sys.stdout.write(body if isinstance(body, str) else "")
        return
    if isinstance(body, str):
        output.write_text(body, encoding="utf-8")
    else:
        output.write_bytes(body)
    typer.echo(f"wrote {output} ({len(pack.cases)} cases, {len(pack.sections)} sections)", err=True)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Default: PORT or 8000")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Worker processes (default: SOSEI_WORKERS or 1)")
    ] = None,
) -> None:
    """Start the web app and JSON API (indexes corpus/ first if the index is empty)."""
    import shutil

    import uvicorn

    from app.web.logs import log_config

    settings = get_settings()
    bind = host or settings.host
    count = workers or settings.workers
    if (
        bind not in LOOPBACK
    ):  # HOST=0.0.0.0 is common in containers; say so loudly rather than serve the world quietly
        typer.secho(
            f"sosei: warning: listening on {bind}, beyond this machine; pages answer only the host names in "
            f"SOSEI_ALLOWED_HOSTS ({', '.join(settings.allowed_hosts)})",
            err=True,
            fg="yellow",
        )
    if count > 1:
        # Workers are separate processes: /metrics adds up what each wrote to this folder (prometheus_client's
        # multiprocess mode, which reads the variable when it is first imported, in each worker).
        metrics_dir = settings.data_dir / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir.resolve())
    uvicorn.run(
        "app.web.app:create_app",
        factory=True,
        host=bind,
        port=port or settings.port,
        workers=count,
        log_config=log_config(settings),
        timeout_keep_alive=settings.keep_alive_seconds,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


@cli.command()
def token(
    role: Annotated[
        str, typer.Option(help="admin (uploads, feedback) or reader (pages when not public)")
    ] = "admin",
) -> None:
    """Make an access token: give the token to the person, put its hash in SOSEI_TOKENS (never the token)."""
    if role not in ("admin", "reader"):
        raise BadInput(f"--role: {role!r} is not a role; choose admin or reader")
    from app.web.auth import hash_token, new_token

    made = new_token()
    known = {**get_settings().tokens, hash_token(made): role}
    typer.echo(f"token (give this to the {role}; it is shown only now): {made}")
    typer.echo(f"SOSEI_TOKENS='{json.dumps(known)}'")


@cli.command(name="eval")
def evaluate(
    suite: Annotated[str, typer.Option(help="retrieval | kpi | answers | chat | cases | all")] = "all",
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON")] = False,
    mistakes: Annotated[bool, typer.Option("--mistakes", help="List every mislabelled item")] = False,
) -> None:
    """Run the evaluation suites in eval/ and print a table."""
    from app.evaluation.runner import run_evaluations

    if suite not in ("retrieval", "kpi", "answers", "chat", "cases", "all"):
        raise BadInput(
            f"--suite: unknown suite {suite!r}; choose retrieval, kpi, answers, chat, cases or all"
        )
    results = run_evaluations(get_settings(), suite, echo=not as_json, show_mistakes=mistakes)
    if as_json:
        emit_json(results)


def main() -> None:
    try:
        code = cli(standalone_mode=False)
    except (BadInput, DocumentError) as exc:
        _fail(2, str(exc))
    except EmbeddingError as exc:
        _fail(1, str(exc))
    except KeyboardInterrupt:
        _fail(130, "interrupted")
    except Exception as exc:  # a user gets one line, not a traceback
        # typer vendors its own click: recognise its usage errors by shape, not by class
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            _fail(int(exc.exit_code), exc.format_message())
        if type(exc).__name__ == "Abort":
            _fail(1, "aborted")
        _fail(1, f"{type(exc).__name__}: {exc}")
    sys.exit(code if isinstance(code, int) else 0)


def _fail(code: int, message: str) -> None:
    sys.stderr.write(f"sosei: error: {' '.join(message.split())}\n")
    sys.exit(code)


if __name__ == "__main__":
    main()
