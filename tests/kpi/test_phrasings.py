"""The phrasing catalogue (phrasings.yaml): KPI lines as Taiwanese and Japanese plans write them, written blind
from shared/research, each with every field a careful reader extracts. Every field is asserted; the entries the
parser does not read yet carry `known_gap` and are strict xfails, so a fix is noticed and a regression fails."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.kpi.parsing import parse_kpi

CATALOGUE = yaml.safe_load((Path(__file__).parent / "phrasings.yaml").read_text(encoding="utf-8"))
FIELDS = (
    "baseline",
    "baseline_year",
    "target",
    "target_high",
    "deadline",
    "unit",
    "direction",
    "per",
    "relative_change",
    "reference_change",
    "change",
)


def _cases() -> list[Any]:
    cases = []
    for entry in CATALOGUE:
        if entry.get("ambiguous"):
            continue
        marks = (
            [pytest.mark.xfail(reason=f"known gap: {', '.join(entry['known_gap'])}", strict=True)]
            if entry.get("known_gap")
            else []
        )
        cases.append(pytest.param(entry["text"], entry["expect"], marks=marks, id=entry["text"][:40]))
    return cases


def test_the_catalogue_is_large_and_distinct() -> None:
    texts = [entry["text"] for entry in CATALOGUE]
    assert len(texts) >= 150 and len(set(texts)) == len(texts)


@pytest.mark.parametrize(("text", "expect"), _cases())
def test_every_field_as_written(text: str, expect: dict[str, Any]) -> None:
    got = parse_kpi(text)
    for field in FIELDS:
        want, value = expect.get(field), getattr(got, field)
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            assert value is not None and math.isclose(value, want, rel_tol=1e-6, abs_tol=1e-9), field
        else:
            assert value == want, field


@pytest.mark.parametrize(
    ("text", "expect"),
    [(e["text"], e["expect"]) for e in CATALOGUE if e.get("ambiguous")],
    ids=lambda value: str(value)[:40],
)
def test_ambiguous_lines_keep_the_fields_that_are_certain(text: str, expect: dict[str, Any]) -> None:
    got = parse_kpi(text)
    for field, want in expect.items():  # an ambiguous line's entry holds only the certain fields
        value = getattr(got, field)
        if isinstance(want, (int, float)) and not isinstance(want, bool):
            assert value is not None and math.isclose(value, want, rel_tol=1e-6, abs_tol=1e-9), field
        else:
            assert value == want, field
