"""The evaluation suites compute what they claim: ranking metrics, per-code precision and recall, false
flags on clean KPIs; and their code lists come from the rule registry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.config import Settings
from app.evaluation.kpi import KPI_CODES, PLAN_CODES, run_kpi_eval, to_request
from app.evaluation.retrieval import DevQuestion, score_rankings
from app.knowledge.service import KnowledgeBase
from tests.conftest import CONTRACT_KPI_CODES, CORPUS


def question(qid: str, expected: list[str]) -> DevQuestion:
    return DevQuestion(id=qid, lang="zh-TW", question=qid, expected=expected)


def test_ranking_metrics() -> None:
    questions = [
        question("q1", ["a"]),
        question("q2", ["b"]),
        question("q3", ["z"]),
        question("q4", ["c", "x"]),
    ]
    rankings = {"q1": ["a", "b"], "q2": ["a", "a", "b"], "q3": ["a", "b"], "q4": list("pqrstuvxyc")}
    scores = score_rankings("test", questions, lambda q: rankings[q])
    assert scores.n == 4
    assert scores.hit_at_1 == 0.25  # only q1
    assert scores.hit_at_5 == 0.5  # q1, q2 (rank 3); q4's first expected id is at rank 8
    assert scores.mrr == pytest.approx((1 + 1 / 3 + 0 + 1 / 8) / 4)
    assert scores.misses_at_5 == ["q3", "q4"]


def test_codes_come_from_the_rule_registry() -> None:
    assert KPI_CODES == CONTRACT_KPI_CODES  # extension codes are counted apart
    assert "no_outcome" in PLAN_CODES and "factor:talent" in PLAN_CODES


def test_to_request_strips_the_gold_labels() -> None:
    plan = {"id": "p1", "title": "T", "plan_expected": ["no_output"],
            "kpis": [{"text": "滿意度達90%", "expected": ["subjective"]},
                     {"name": "移居人數", "level": "outcome", "target": 20, "expected": [], "note": "n"}]}  # fmt: skip
    request = to_request(plan)
    assert request.title == "T" and request.kpis[0] == "滿意度達90%"
    assert request.kpis[1].model_dump(exclude_none=True) == {
        "name": "移居人數",
        "level": "outcome",
        "target": 20,
    }


def test_kpi_eval_counts_hits_misses_and_false_flags(tmp_path: Path, hashing_embedder) -> None:
    labelled = [
        {"id": "p1", "title": "測試計畫", "category": "地方人口移動", "plan_expected": [],
         "kpis": [
             # a subjective KPI, labelled as such: a true positive
             {"text": "居民滿意度由60%提升至80%（2027年）", "expected": ["subjective"]},
             # a clean KPI, labelled clean
             {"text": "經諮詢後實際移居人數由2023年的8人增加至25人（2027年）", "expected": []},
             # a KPI with no deadline that is (wrongly) labelled clean: the rule's finding counts as a false flag
             {"text": "經諮詢後實際移居人數由2023年的8人增加至25人", "expected": []},
         ]},
    ]  # fmt: skip
    path = tmp_path / "labelled.yaml"
    path.write_text(yaml.safe_dump(labelled, allow_unicode=True), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS, eval_dir=tmp_path)
    report = run_kpi_eval(settings, kb=KnowledgeBase(settings, embedder=hashing_embedder), path=path)
    scores = {s.code: s for s in report.codes}
    assert (scores["subjective"].tp, scores["subjective"].fp, scores["subjective"].fn) == (1, 0, 0)
    assert scores["no_deadline"].fp == 1 and scores["no_deadline"].precision == 0.0
    assert report.kpis == 3 and report.clean_kpis == 2
    assert report.false_flag_rate == 0.5
    assert any("no_deadline" in line for line in report.mistakes)


def test_mistakes_of_an_unseen_set_are_never_printed() -> None:
    from io import StringIO

    from rich.console import Console

    from app.evaluation.kpi import KpiEvalReport
    from app.evaluation.runner import print_kpi

    def printed(name: str) -> str:
        out = StringIO()
        report = KpiEvalReport(
            name=name, plans=1, kpis=1, codes=[], clean_kpis=0, false_flag_rate=0.0, level_accuracy=1.0,
            unlabelled_codes={}, critique_ms_p50=1.0, critique_ms_p95=1.0,
            mistakes=["ku01#0 全鄉觀光人次: +[] -['indirect']"],
        )  # fmt: skip
        print_kpi(report, Console(file=out, width=200), show_mistakes=True)
        return out.getvalue()

    assert "全鄉觀光人次" in printed("kpi_learn")
    for name in ("kpi_unseen", "kpi_unseen2", "kpi_unseen3"):
        unseen = printed(name)
        assert "全鄉觀光人次" not in unseen and "1 mistakes not listed" in unseen


def test_later_learn_sets_join_learn_and_each_unseen_split_stays_apart(tmp_path) -> None:
    from app.evaluation.chat import _split_items

    for stem in ("dialogues_learn", "dialogues_learn5", "dialogues_unseen", "dialogues_unseen2"):
        (tmp_path / f"{stem}.yaml").write_text(f"- id: {stem}\n", encoding="utf-8")
    ids = {
        split: [d["id"] for d in _split_items(tmp_path, "dialogues", split)]
        for split in ("learn", "unseen", "unseen2")
    }
    assert ids == {
        "learn": ["dialogues_learn", "dialogues_learn5"],
        "unseen": ["dialogues_unseen"],
        "unseen2": ["dialogues_unseen2"],
    }
