"""Generators for the cog blocks in README.md, eval/README.md and docs/extensions.md, so they cannot drift.

Regenerate:  .venv/bin/cog -r -I docs README.md eval/README.md docs/extensions.md
Check:       .venv/bin/cog --check -I docs README.md eval/README.md docs/extensions.md

Each block is a one-liner such as ``<!-- [[[cog import cog_helpers as h; cog.out(h.settings_table()) ]]] -->``;
every function here returns Markdown text. Figures come from eval/results.json, the output of
``.venv/bin/sosei eval --json`` (commit it with the change that moves the figures); counts of the evaluation
sets come from the set files themselves.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "eval"
RESULTS = EVAL_DIR / "results.json"
CONTRACT = ROOT / "docs" / "contract.md"
REGENERATE = ".venv/bin/cog -r -I docs README.md eval/README.md docs/extensions.md"

LANGUAGE_ORDER = ("zh-TW", "ja", "en")
# Shown instead of calling a default_factory (whose value depends on where sosei is installed).
FACTORY_DEFAULTS = {"corpus_dir": "`corpus/` (the shipped corpus)"}


# --- Markdown --------------------------------------------------------------------------------------------------
def _cell(value: object) -> str:
    return str(value).replace("|", r"\|").replace("\n", " ")


def table(header: Sequence[str], rows: Iterable[Sequence[object]], align: str = "") -> str:
    """A Markdown table; `align` has one letter per column (l or r), left by default."""
    align = align.ljust(len(header), "l")
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [header, rule, *([_cell(c) for c in row] for row in rows)]
    return "".join("| " + " | ".join(line) + " |\n" for line in lines)


def f3(value: float) -> str:
    return f"{value:.3f}"


def ms(value: float) -> str:
    return f"{value:g} ms"


# --- settings --------------------------------------------------------------------------------------------------
def _env_vars(name: str, field: Any, prefix: str) -> list[str]:
    alias = field.validation_alias
    if alias is None:
        return [(prefix + (field.alias or name)).upper()]
    if isinstance(alias, str):
        return [alias]
    return [c for c in getattr(alias, "choices", []) if isinstance(c, str)]


def _default(name: str, field: Any) -> str:
    if field.default_factory is not None:
        return FACTORY_DEFAULTS.get(name, f"computed by `{field.default_factory.__name__}()`")
    value = field.default
    if value is None or type(value).__name__ in ("SecretStr", "SecretBytes"):
        return "unset"
    return f"`{value}`"


def _choices(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [c for arg in typing.get_args(annotation) for c in _choices(arg)]
    return []


def _bounds(field: Any) -> str:
    found = {}
    for item in field.metadata:
        for key in ("ge", "gt", "le", "lt"):
            if getattr(item, key, None) is not None:
                found[key] = getattr(item, key)
    low = ("ge", found["ge"]) if "ge" in found else ("gt", found["gt"]) if "gt" in found else None
    high = ("le", found["le"]) if "le" in found else ("lt", found["lt"]) if "lt" in found else None
    if low and high and low[0] == "ge" and high[0] == "le":
        return f"{low[1]}–{high[1]}"
    symbols = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}
    parts = [f"{symbols[bound[0]]} {bound[1]}" for bound in (low, high) if bound]
    return ", ".join(parts)


def settings_table() -> str:
    """One row per field of app.config.Settings: setting, environment variable(s), default (with the allowed
    range, if any), meaning."""
    from app.config import Settings

    prefix = Settings.model_config.get("env_prefix", "")
    rows = []
    for name, field in Settings.model_fields.items():
        if not field.description:
            raise ValueError(f"app/config.py: Settings.{name} has no description=")
        meaning = field.description.rstrip(".")
        choices = _choices(field.annotation)
        if choices and not all(f"`{c}`" in meaning for c in choices):
            meaning += "; one of " + ", ".join(f"`{c}`" for c in choices)
        default = _default(name, field)
        bounds = _bounds(field)
        if bounds:
            default += f" ({bounds})"
        env = " / ".join(f"`{v}`" for v in _env_vars(name, field, prefix))
        rows.append((f"`{name}`", env, default, meaning))
    return table(("setting", "env var", "default", "meaning"), rows)


# --- finding codes ---------------------------------------------------------------------------------------------
def rules_table() -> str:
    """Every code in the rule registry: where it applies, its severity, and whether the contract defines it."""
    from app.kpi.rules import KPI_RULES, PLAN_RULES

    kpi_codes, plan_codes = contract_codes()
    rows = [
        (f"`{rule.code}`", scope, rule.severity, "contract" if rule.code in contract else "extension")
        for rules, scope, contract in ((KPI_RULES, "KPI", kpi_codes), (PLAN_RULES, "plan", plan_codes))
        for rule in rules
    ]
    return table(("code", "level", "severity", "defined by"), rows)


# --- evaluation sets -------------------------------------------------------------------------------------------
@cache
def _load_yaml(name: str) -> Any:
    import yaml

    return yaml.safe_load((EVAL_DIR / name).read_text(encoding="utf-8"))


def _language_rank(lang: str) -> tuple[int, str]:
    return (LANGUAGE_ORDER.index(lang) if lang in LANGUAGE_ORDER else len(LANGUAGE_ORDER), lang)


def _by_language(items: list[dict]) -> str:
    counts: dict[str, int] = {}
    for item in items:
        counts[item["lang"]] = counts.get(item["lang"], 0) + 1
    langs = sorted(counts, key=_language_rank)
    return ", ".join(f"{lang} {counts[lang]}" for lang in langs)


def set_counts() -> dict[str, Any]:
    """Counts read from the set files: what the tables in eval/README.md describe."""
    dev = _load_yaml("retrieval_dev.yaml")
    off = _load_yaml("offtopic.yaml")
    counts: dict[str, Any] = {
        "questions": len(dev),
        "questions_by_language": _by_language(dev),
        "off_topic": len(off),
        "off_topic_by_language": _by_language(off),
    }
    for key, name in (("kpi", "kpi_labelled.yaml"), ("kpi_heldout", "kpi_heldout.yaml")):
        plans = _load_yaml(name)
        counts[f"{key}_plans"] = len(plans)
        counts[f"{key}_kpis"] = sum(len(p["kpis"]) for p in plans)
        counts[f"{key}_clean"] = sum(1 for p in plans for k in p["kpis"] if not k.get("expected"))
    return counts


def sets_table() -> str:
    c = set_counts()
    rows = [
        (
            "`retrieval_dev.yaml`",
            f"{c['questions']} paraphrased questions ({c['questions_by_language']}), each with the doc ids "
            "that answer it",
            "hit@1, hit@5, MRR@10 of hybrid vs dense vs BM25 vs a naive LangChain baseline; tuning the fusion "
            "(`tune_retrieval.py`); answer quality and the refusal thresholds",
        ),
        (
            "`offtopic.yaml`",
            f"{c['off_topic']} questions outside 地方創生 and the corpus ({c['off_topic_by_language']})",
            "refusal accuracy; calibrating the refusal thresholds against the dev set",
        ),
        (
            "`kpi_labelled.yaml`",
            f"{c['kpi_plans']} plans, {c['kpi_kpis']} KPIs ({c['kpi_clean']} clean) with the exact expected "
            "finding codes",
            "per-code precision/recall, false flags on clean KPIs, level accuracy; the rule lexicons were tuned "
            "on it",
        ),
        (
            "`kpi_heldout.yaml`",
            f"{c['kpi_heldout_plans']} plans, {c['kpi_heldout_kpis']} KPIs ({c['kpi_heldout_clean']} clean) "
            "written by someone who never saw the rules",
            "an honest check of how the rules generalise",
        ),
        *_blind_rows(),
        *_case_search_rows(),
        (
            "`results.json`",
            "the output of `.venv/bin/sosei eval --json`",
            "the figures below and in the README",
        ),
    ]
    return table(("file", "what", "used for"), rows)


def _case_search_rows() -> list[tuple[str, str, str]]:
    rows = []
    for split in ("learn", "unseen"):
        path = EVAL_DIR / "cases" / f"search_{split}.yaml"
        if path.is_file():
            items = _load_yaml(f"cases/{path.name}")
            empty = sum(1 for item in items if not item["relevant"])
            kept = "kept unseen: measured, never tuned on" if split == "unseen" else "may inform changes"
            rows.append(
                (
                    f"`cases/{path.name}`",
                    f"{len(items)} trainers' case searches ({_by_language(items)}; {empty} with no relevant case), "
                    "written blind, each with the cases that must come up",
                    f"case search must@5, recall@10, MRR (`sosei eval --suite cases`); {kept}",
                )
            )
    return rows


# Sets written by helpers who had seen neither the code nor eval/: `*_learn` may inform changes, `*_unseen`
# is only ever measured.
BLIND_SETS = {
    "retrieval": ("questions with the doc ids that answer them", "retrieval hit@5 and MRR, hybrid and BM25"),
    "answerable": (
        "practitioner questions with intent, expected docs, words a good answer must mention",
        "false refusals and answer checklists (the chat issue)",
    ),
    "offtopic": (
        "questions sosei must decline, by kind (near-domain, prompt attacks …)",
        "off-topic answered",
    ),
    "dialogues": ("scripted conversations; each turn says what must hold", "follow-ups and topic changes"),
    "intents": (
        "questions per intent with a checklist each answer must meet",
        "composed answers (the chat issue)",
    ),
}
# Written later and kept apart from every change since: the final refusal figures.
FRESH_SETS = {
    "answerable_fresh": ("practitioner questions with expected docs", "false refusals, final figure"),
    "offtopic_fresh": ("questions sosei must decline, by kind", "off-topic answered, final figure"),
    "answerable_train2": ("practitioner questions (training data)", "fitting the answer-support model"),
    "offtopic_train2": ("questions sosei must decline (training data)", "fitting the answer-support model"),
    "answerable_unseen3": (
        "practitioner questions with expected docs, written later",
        "false refusals; kept unseen: measured, never tuned on (final figure)",
    ),
    "offtopic_unseen3": (
        "questions sosei must decline, near-domain heavy, written later",
        "off-topic answered; kept unseen: measured, never tuned on (final figure)",
    ),
    "answerable_train4": ("practitioner questions (training data)", "fitting the answer-support model"),
    "offtopic_train4": (
        "questions sosei must decline, near-domain heavy (training data)",
        "fitting the answer-support model (measured the gates before it was fitted on)",
    ),
    "answerable_train5": ("practitioner questions (training data)", "fitting the answer-support model"),
    "offtopic_train5": (
        "questions sosei must decline, near-domain heavy (training data)",
        "fitting the answer-support model",
    ),
    "answerable_unseen4": (
        "practitioner questions with expected docs, written by another helper with train5",
        "false refusals; kept unseen: measured, never tuned on (final figure)",
    ),
    "offtopic_unseen4": (
        "questions sosei must decline, near-domain heavy, written by another helper with train5",
        "off-topic answered; kept unseen: measured, never tuned on (final figure)",
    ),
    "answerable_train6": (
        "practitioner questions written against the grown corpus of issue 11 (training data)",
        "fitting the answer-support model",
    ),
    "offtopic_train6": (
        "questions sosei must decline, near-domain heavy, written against the grown corpus (training data)",
        "fitting the answer-support model",
    ),
    "answerable_unseen5": (
        "practitioner questions with expected docs, written against the grown corpus by another helper",
        "false refusals; kept unseen: measured, never tuned on (final figure)",
    ),
    "offtopic_unseen5": (
        "questions sosei must decline, near-domain heavy, written against the grown corpus by another helper",
        "off-topic answered; kept unseen: measured, never tuned on (final figure)",
    ),
    "answerable_train3": ("practitioner questions (training data)", "fitting the answer-support model"),
    "offtopic_train3": (
        "questions sosei must decline, near-domain heavy (training data)",
        "fitting the answer-support model",
    ),
    "dialogues_learn2": ("scripted conversations (more follow-ups)", "follow-ups; may inform changes"),
    "dialogues_learn3": (
        "scripted conversations (cases named only in answers)",
        "follow-ups; may inform changes",
    ),
    "dialogues_learn4": ("scripted conversations (picking a listed case)", "follow-ups; may inform changes"),
    "dialogues_learn5": (
        "scripted conversations (country switches, Japanese follow-ups, processes)",
        "follow-ups; may inform changes",
    ),
    "intents_learn2": (
        "questions per intent, process-heavy, with checklists",
        "composed answers; may inform changes",
    ),
    "dialogues_unseen2": (
        "scripted conversations, written with learn5",
        "follow-ups; kept unseen: measured, never tuned on (final figure)",
    ),
    "intents_unseen2": (
        "questions per intent, process-heavy, written with learn2",
        "composed answers; kept unseen: measured, never tuned on (final figure)",
    ),
    "kpi_learn": ("draft plans with labelled KPIs (learn)", "KPI critique; may inform changes"),
    "kpi_learn2": (
        "draft plans with labelled KPIs (learn, level conventions)",
        "KPI critique; may inform changes",
    ),
    "kpi_learn3": (
        "draft plans with labelled KPIs (learn, output-only plans)",
        "KPI critique; may inform changes",
    ),
    "kpi_unseen": (
        "draft plans with labelled KPIs (unseen)",
        "KPI critique; kept unseen: measured, never tuned on",
    ),
    "kpi_learn4": (
        "draft plans with labelled KPIs (learn, disguised outputs, means, past pace)",
        "KPI critique; may inform changes",
    ),
    "kpi_unseen2": (
        "draft plans with labelled KPIs (written with learn4 as unseen; retired to learn in stop 22)",
        "KPI critique; its final unseen figure is quoted in eval/README.md; may inform changes since",
    ),
    "kpi_learn5": (
        "draft plans with labelled KPIs (learn, pasted tables, paired labels, English and Japanese forms)",
        "KPI critique; may inform changes",
    ),
    "kpi_unseen3": (
        "draft plans with labelled KPIs (unseen, written with learn5)",
        "KPI critique; kept unseen: measured, never tuned on (final figure)",
    ),
}


def _blind_rows() -> list[tuple[str, str, str]]:
    rows = []
    for name, (what, used_for) in BLIND_SETS.items():
        for split in ("learn", "unseen"):
            path = EVAL_DIR / "blind" / f"{name}_{split}.yaml"
            if not path.is_file():
                continue
            items = _load_yaml(f"blind/{path.name}")
            kept = "kept unseen: measured, never tuned on" if split == "unseen" else "may inform changes"
            rows.append(
                (
                    f"`blind/{path.name}`",
                    f"{len(items)} {what} ({_by_language(items)})",
                    f"{used_for}; {kept}",
                )
            )
    for name, (what, used_for) in FRESH_SETS.items():
        path = EVAL_DIR / "blind" / f"{name}.yaml"
        if path.is_file():
            items = _load_yaml(f"blind/{path.name}")
            if items and "kpis" in items[0]:  # plans: counted in plans and KPIs
                kpis = sum(len(plan["kpis"]) for plan in items)
                rows.append((f"`blind/{path.name}`", f"{len(items)} {what}, {kpis} KPIs", used_for))
            else:
                rows.append(
                    (f"`blind/{path.name}`", f"{len(items)} {what} ({_by_language(items)})", used_for)
                )
    return rows


# --- figures ---------------------------------------------------------------------------------------------------
@cache
def results() -> dict[str, Any]:
    return json.loads(RESULTS.read_text(encoding="utf-8"))


@cache
def contract_codes() -> tuple[list[str], list[str]]:
    """(per-KPI codes, plan codes) as listed in the interface contract, docs/contract.md."""
    text = CONTRACT.read_text(encoding="utf-8")
    section = text.split("### Finding codes", 1)[1].split("\n## ", 1)[0]
    per_kpi, plan = section.split("Per plan", 1)
    kpi_codes = re.findall(r"^\| `([a-z_]+)` \|", per_kpi, flags=re.MULTILINE)
    codes, names = plan.split("\n\n", 1)[0].split("where name is", 1)
    plan_codes = re.findall(r"`([a-z_]+)`", codes)
    factors = re.findall(r"`([a-z_]+)`", names)
    return kpi_codes, plan_codes + [f"factor:{f}" for f in factors]


def _retrieval_system(name_prefix: str) -> dict[str, Any]:
    return next(s for s in results()["retrieval"]["systems"] if s["system"].startswith(name_prefix))


def _macro(report: dict[str, Any], codes: Sequence[str], key: str) -> float:
    """Mean of `key` over the given codes that have support in the set (a code with none scores 1.0)."""
    values = [s[key] for s in report["codes"] if s["code"] in codes and s["support"]]
    return sum(values) / len(values)


def kpi_macro(report: dict[str, Any], key: str = "recall") -> float:
    return _macro(report, contract_codes()[0], key)


def _ordered(mapping: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(mapping.items(), key=lambda kv: _language_rank(kv[0]))


def staleness_note() -> str:
    """A visible warning when eval/results.json was measured on sets of another size than the files hold."""
    r, c = results(), set_counts()
    measured = {
        "retrieval_dev.yaml questions": (r["retrieval"]["systems"][0]["n"], c["questions"]),
        "offtopic.yaml questions": (r["answers"]["off_topic"], c["off_topic"]),
        "kpi_labelled.yaml KPIs": (r["kpi"]["kpis"], c["kpi_kpis"]),
        "kpi_heldout.yaml KPIs": (r["kpi_heldout"]["kpis"], c["kpi_heldout_kpis"]),
    }
    stale = [f"{name} {got} measured vs {now} now" for name, (got, now) in measured.items() if got != now]
    if not stale:
        return ""
    return (
        f"> **Stale:** `eval/results.json` predates the current sets ({'; '.join(stale)}). Re-run "
        f"`.venv/bin/sosei eval --json > eval/results.json` and `{REGENERATE}`.\n\n"
    )


def retrieval_figures() -> str:
    r = results()["retrieval"]
    n = r["systems"][0]["n"]
    out = [
        f"Retrieval, dev set ({n} questions, document level; MRR over the first 10 passages):\n\n",
        table(
            ("system", "hit@1", "hit@5", "MRR@10"),
            ((s["system"], f3(s["hit_at_1"]), f3(s["hit_at_5"]), f3(s["mrr"])) for s in r["systems"]),
            "lrrr",
        ),
        "\n",
        table(
            ("questions", "hybrid hit@5"),
            [
                *((f"language {lang}", f3(v)) for lang, v in _ordered(r["by_language"])),
                *((f"group {group}", f3(v)) for group, v in r.get("by_group", {}).items()),
            ],
            "lr",
        ),
        "\n",
        table(
            ("speed", "value"),
            [
                (
                    "search latency (warm, k=5), p50 / p95",
                    f"{ms(r['latency_ms_p50'])} / {ms(r['latency_ms_p95'])}",
                ),
                ("ingest end to end", f"{r['ingest_chunks_per_s']:g} chunks/s"),
                ("raw model encode, same chunks", f"{r['encode_chunks_per_s']:g} chunks/s"),
                ("index", f"{r['chunks']} chunks, {r['documents']} documents"),
            ],
            "lr",
        ),
    ]
    misses = r["systems"][0].get("misses_at_5") or []
    out.append(f"\nHybrid misses at 5: {', '.join(misses) or 'none'}.\n")
    for name, scores in r.get("blind", {}).items():
        out.append(f"\nBlind set `{name}` (hit@5 / MRR@10):\n\n")
        out.append(
            table(
                ("system", "n", "hit@5", "MRR@10"),
                ((s["system"], s["n"], f3(s["hit_at_5"]), f3(s["mrr"])) for s in scores),
                "lrrr",
            )
        )
    return "".join(out)


def kpi_figures() -> str:
    r = results()
    lab, held = r["kpi"], r["kpi_heldout"]
    by_code = {s["code"]: s for s in held["codes"]}
    rows = []
    for s in lab["codes"]:
        h = by_code.get(s["code"])
        rows.append(
            (
                f"`{s['code']}`",
                f3(s["precision"]),
                f3(s["recall"]),
                s["support"],
                f3(h["precision"]) if h else "–",
                f3(h["recall"]) if h else "–",
                h["support"] if h else "–",
            )
        )
    header = (
        "code",
        "precision",
        "recall",
        "support",
        "held-out precision",
        "held-out recall",
        "held-out support",
    )
    summary = [
        ("plans / KPIs", f"{lab['plans']} / {lab['kpis']}", f"{held['plans']} / {held['kpis']}"),
        (
            "macro precision / recall, per-KPI codes",
            f"{f3(kpi_macro(lab, 'precision'))} / {f3(kpi_macro(lab))}",
            f"{f3(kpi_macro(held, 'precision'))} / {f3(kpi_macro(held))}",
        ),
        (
            "false-flag rate on clean KPIs",
            f"{f3(lab['false_flag_rate'])} (of {lab['clean_kpis']})",
            f"{f3(held['false_flag_rate'])} (of {held['clean_kpis']})",
        ),
        ("level accuracy", f3(lab["level_accuracy"]), f3(held["level_accuracy"])),
        (
            "extension codes fired",
            _codes(lab["unlabelled_codes"]),
            _codes(held["unlabelled_codes"]),
        ),
        (
            "critique of a 10-KPI plan (warm), p50 / p95",
            f"{ms(lab['critique_ms_p50'])} / {ms(lab['critique_ms_p95'])}",
            f"{ms(held['critique_ms_p50'])} / {ms(held['critique_ms_p95'])}",
        ),
    ]
    return (
        "KPI critique, labelled set and held-out set (support: KPIs or plans labelled with the code;\n"
        "a code with no support scores 1.0 and is left out of the macro averages):\n\n"
        + table(header, rows, "lrrrrrr")
        + "\n"
        + table(("", "labelled", "held-out"), summary, "lrr")
    )


def _codes(counts: dict[str, int]) -> str:
    return ", ".join(f"`{code}` ×{n}" for code, n in sorted(counts.items())) or "none"


def answer_figures() -> str:
    a = results()["answers"]
    langs = ", ".join(f"{lang} {f3(v)}" for lang, v in _ordered(a["by_language"]))
    rows = [
        ("dev questions answered (not refused)", f3(a["answered"])),
        ("answered with a citation from an expected source", f3(a["cited_expected"])),
        ("cited, by language", langs),
        (f"off-topic questions declined (of {a['off_topic']})", f3(a["refusal_accuracy"])),
        ("time to first token, p50", ms(a["first_token_ms_p50"])),
        ("time to full answer, p50 / p95", f"{ms(a['full_answer_ms_p50'])} / {ms(a['full_answer_ms_p95'])}"),
    ]
    return (
        f"Answers, extractive mode ({a['questions']} dev questions + {a['off_topic']} off-topic):\n\n"
        + table(("measure", "value"), rows, "lr")
        + f"\nOff-topic answered: {', '.join(a['wrongly_answered']) or 'none'}; "
        f"dev questions refused: {', '.join(a['wrongly_refused']) or 'none'}.\n"
    )


def _rate(rate: dict[str, Any]) -> str:
    return f"{f3(rate['share'])} ({rate['hits']}/{rate['n']})"


def chat_figures() -> str:
    """The chat suite on the blind splits: refusal errors, citations, dialogues."""
    splits = results().get("chat", {}).get("splits", [])
    if not splits:
        return ""
    measures = [
        ("answerable declined (false refusals)", lambda s: s["false_refusals"]),
        ("off-topic answered", lambda s: s["off_topic_answered"]),
        ("answered citing an expected document", lambda s: s["cited_expected"]),
        ("dialogue turns that hold", lambda s: s["dialogue_turns"]),
    ]
    rows = []
    for name, pick in measures:
        for split in splits:
            rates = pick(split)
            if "all" not in rates:  # a split without that set (fresh has no dialogues)
                continue
            by_lang = ", ".join(
                f"{lang} {f3(rates[lang]['share'])}" for lang in LANGUAGE_ORDER if lang in rates
            )
            rows.append((f"{name}, {split['split']}", _rate(rates["all"]), by_lang))
    for split in splits:
        if split["dialogues_all_turns"]["n"]:
            rows.append(
                (
                    f"dialogues whose every turn holds, {split['split']}",
                    _rate(split["dialogues_all_turns"]),
                    "",
                )
            )
    for split in splits:
        checklist = split.get("checklist", {})
        if checklist:
            by_intent = ", ".join(f"{k} {f3(v['share'])}" for k, v in checklist.items() if k != "all")
            rows.append(
                (
                    f"intent answers meeting their checklist, {split['split']}",
                    _rate(checklist["all"]),
                    by_intent,
                )
            )
    return (
        "Chat on the blind splits (`sosei eval --suite answers`; the answer-support model is fitted on the learn "
        "and train splits, so its learn figures are in-sample; `fresh`, `unseen2`, `unseen3` and `unseen4` were "
        "written later and never looked at while changing code):\n\n"
        + table(("measure", "all", "by language"), rows, "lrl")
    )


def kpi_blind_figures() -> str:
    """Issue 10's blind KPI sets: every code they label (contract and extension), each learn set and the unseen
    set side by side."""
    r = results()
    sets = [
        (label, r.get(key))
        for label, key in (
            ("learn", "kpi_blind_learn"),
            ("learn2", "kpi_blind_learn2"),
            ("learn3", "kpi_blind_learn3"),
            ("learn4", "kpi_blind_learn4"),
            ("unseen2 (now learn)", "kpi_blind_unseen2"),
            ("learn5", "kpi_blind_learn5"),
            ("unseen", "kpi_blind_unseen"),
            ("unseen3", "kpi_blind_unseen3"),
        )
        if r.get(key)
    ]
    if len(sets) < 2:
        return ""
    by_set = {label: {s["code"]: s for s in report["codes"]} for label, report in sets}
    codes = list(dict.fromkeys(s["code"] for _, report in sets for s in report["codes"]))

    def cell(label: str, code: str) -> str:
        s = by_set[label].get(code)
        return f"{f3(s['precision'])} / {f3(s['recall'])} ({s['support']})" if s and s["support"] else "–"

    rows = [(f"`{code}`", *(cell(label, code) for label, _ in sets)) for code in codes]
    summary = [
        ("plans / KPIs", *(f"{rep['plans']} / {rep['kpis']}" for _, rep in sets)),
        (
            "false-flag rate on clean KPIs",
            *(f"{f3(rep['false_flag_rate'])} (of {rep['clean_kpis']})" for _, rep in sets),
        ),
        ("level accuracy", *(f3(rep["level_accuracy"]) for _, rep in sets)),
    ]
    labels = [label for label, _ in sets]
    return (
        "KPI critique, issue 10's blind sets (the `learn` sets may be tuned on, the `unseen` sets never; "
        "all label the\nextension codes too). Cells: precision / recall (support).\n\n"
        + table(("code", *labels), rows, "l" + "r" * len(labels))
        + "\n"
        + table(("", *labels), summary, "l" + "r" * len(labels))
    )


def latest_figures() -> str:
    """The "Latest figures" section body of eval/README.md."""
    parts = (
        staleness_note() + retrieval_figures(),
        kpi_figures(),
        kpi_blind_figures(),
        answer_figures(),
        chat_figures(),
        case_search_figures(),
    )
    return "\n".join(part for part in parts if part)


def case_search_figures() -> str:
    """Case search on the trainers' blind sets (issue 12): the first run on the substring search it replaced,
    measured before the change, and the latest."""
    reports = results().get("case_search")
    if not reports:
        return ""
    first = {"search_learn": 0.160, "search_unseen": 0.145}  # substring search, before the change
    rows = [
        (
            f"`{r['split']}`",
            f3(first.get(r["split"], float("nan"))),
            f3(r["must_at_5"]),
            ", ".join(f"{lang} {f3(v)}" for lang, v in _ordered(r["by_language"])),
            f3(r["recall_at_10"]),
            f3(r["mrr"]),
            r["empty_listed"],
        )
        for r in reports
    ]
    header = (
        "set",
        "must@5 first run",
        "must@5",
        "by language",
        "recall@10",
        "MRR",
        "no-case queries listing",
    )
    return "### Case search (trainers' queries)\n\n" + table(header, rows) + "\n"


def _unseen_chat_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    unseen = next((s for s in r.get("chat", {}).get("splits", []) if s["split"] == "unseen"), None)
    if unseen is None:
        return []
    return [
        ("blind unseen split: answerable questions declined", _rate(unseen["false_refusals"]["all"])),
        ("blind unseen split: off-topic questions answered", _rate(unseen["off_topic_answered"]["all"])),
        ("blind unseen split: dialogue turns that hold", _rate(unseen["dialogue_turns"]["all"])),
        *_fresh_rows(r),
    ]


def _fresh_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for name in ("fresh", "unseen3", "unseen4", "unseen5"):
        split = next((s for s in r.get("chat", {}).get("splits", []) if s["split"] == name), None)
        if split is None or not split["false_refusals"]:
            continue
        rows += [
            (f"blind {name} split: answerable questions declined", _rate(split["false_refusals"]["all"])),
            (f"blind {name} split: off-topic questions answered", _rate(split["off_topic_answered"]["all"])),
        ]
    return rows


def _newest_kpi_unseen_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    report = r.get("kpi_blind_unseen3")
    if not report:
        return []
    return [
        (
            f"KPI critique, newest blind unseen set ({report['kpis']} KPIs)",
            f"macro recall {f3(kpi_macro(report))}, false-flag rate {f3(report['false_flag_rate'])}",
        )
    ]


def readme_figures() -> str:
    """The few key figures quoted in README.md."""
    r = results()
    hybrid = _retrieval_system("hybrid (sosei)")
    a = r["answers"]
    rows = [
        (
            f"retrieval, hybrid ({hybrid['n']} dev questions)",
            f"hit@5 {f3(hybrid['hit_at_5'])}, MRR@10 {f3(hybrid['mrr'])}",
        ),
        (
            f"KPI critique, labelled set ({r['kpi']['kpis']} KPIs)",
            f"macro recall {f3(kpi_macro(r['kpi']))}, false-flag rate {f3(r['kpi']['false_flag_rate'])}",
        ),
        (
            f"KPI critique, held-out set ({r['kpi_heldout']['kpis']} KPIs)",
            f"macro recall {f3(kpi_macro(r['kpi_heldout']))}, "
            f"false-flag rate {f3(r['kpi_heldout']['false_flag_rate'])}",
        ),
        *_newest_kpi_unseen_rows(r),
        (f"off-topic questions declined ({a['off_topic']})", f3(a["refusal_accuracy"])),
        *_unseen_chat_rows(r),
        ("full answer, p95 (extractive, warm)", ms(a["full_answer_ms_p95"])),
    ]
    return staleness_note() + table(("measure", "value"), rows, "lr")


# --- serving: load and scale (eval/load/) ----------------------------------------------------------------------
LOAD_DIR = EVAL_DIR / "load"


def load_table() -> str:
    """One row per route and worker count, from eval/load/results-*w.json (eval/load/run_load.py)."""
    rows = []
    for path in sorted(LOAD_DIR.glob("results-*w.json")):
        run = json.loads(path.read_text(encoding="utf-8"))
        memory = run["memory_mib"]
        for route, figures in run["routes"].items():
            rows.append([
                run["workers"], route if route != "Aggregated" else "**all**", figures["requests"],
                f"{figures['per_second']:.1f}", f"{figures['p50_ms']:g}", f"{figures['p95_ms']:g}", figures["failures"],
                f"{memory['peak_per_worker']} (idle {memory['idle_per_worker']})" if route == "Aggregated" else "",
                f"{run['cold_start_s']:g} s" if route == "Aggregated" else "",
            ])  # fmt: skip
    header = ["workers", "route", "requests", "req/s", "p50 ms", "p95 ms", "errors", "peak MiB per worker",
              "cold start"]  # fmt: skip
    return table(header, rows, "rrrrrrrll")


def scale_table() -> str:
    """One row per index size, from eval/load/scale.json (eval/load/scale.py)."""
    runs = json.loads((LOAD_DIR / "scale.json").read_text(encoding="utf-8"))
    rows = [
        [
            f"{run['chunks']:,}", run["write_chunks_per_s"], f"{run['bm25_build_s']:g} s",
            *(f"{run['search'][m]['p50_ms']:g} / {run['search'][m]['p95_ms']:g}" for m in ("dense", "lexical", "hybrid")),
            run["memory_mib"]["chroma_server"], run["memory_mib"]["sosei_bm25_and_chunks"], run["chroma_disk_mib"],
        ]
        for run in runs
    ]  # fmt: skip
    header = ["chunks", "writes/s", "BM25 build", "dense p50/p95 ms", "BM25 p50/p95 ms", "hybrid p50/p95 ms",
              "Chroma server MiB", "sosei BM25 MiB", "disk MiB"]  # fmt: skip
    return table(header, rows, "rrrrrrrrr")
