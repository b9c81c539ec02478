"""The text-only gates that decline before the fitted model (work of another kind, live practical information,
the rules of other fields, KPIs of another world) never fire on a question that must be answered: every
answerable question of the learn and train sets, and every standalone intent question, passes them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.assistant.intents import (
    asks_live_information,
    asks_other_fields_rules,
    kpis_of_another_world,
    off_task,
    understand,
)
from app.assistant.support import DECLINED_TASKS
from tests.conftest import REPO

BLIND = REPO / "eval" / "blind"
LEARN_SETS = sorted(BLIND.glob("answerable_learn*.yaml")) + sorted(BLIND.glob("answerable_train*.yaml"))


def _questions(path: Path) -> list[str]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [item["question"] for item in items if not item.get("history")]


def _gate(question: str) -> str | None:
    if off_task(question) in DECLINED_TASKS:
        return "off task"
    if asks_live_information(question):
        return "live information"
    if asks_other_fields_rules(question):
        return "another field's rules"
    if kpis_of_another_world(question, understand(question)):
        return "another world's KPIs"
    return None


@pytest.mark.parametrize("path", LEARN_SETS + sorted(BLIND.glob("intents_learn*.yaml")), ids=lambda p: p.stem)
def test_no_gate_declines_an_answerable_learn_question(path: Path) -> None:
    gated = {q: gate for q in _questions(path) if (gate := _gate(q))}
    assert not gated, gated


def test_covered_off_topic_items_pass_the_gates_too() -> None:
    covered = [
        item["question"]
        for path in BLIND.glob("offtopic_train*.yaml")
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))
        if item.get("covered_by")
    ]
    assert covered and not {q: gate for q in covered if (gate := _gate(q))}
