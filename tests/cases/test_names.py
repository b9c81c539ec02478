"""Which case a question names, from the corpus's own place fields and ids."""

from __future__ import annotations

import pytest

from app.cases.names import CaseNames
from app.knowledge.corpus import Corpus
from tests.conftest import CORPUS


@pytest.fixture(scope="module")
def names() -> CaseNames:
    return CaseNames(Corpus(CORPUS))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("その中で池上の事例を詳しく教えて", ["tw-chishang-autumn-festival"]),
        ("益子燒的KPI是怎麼訂的", ["jp-mashiko-ware"]),
        ("埔里桃米的社區重建怎麼做", ["tw-taomi-eco-village"]),
        ("Tell me about Ama town on the Oki islands", ["jp-ama-island"]),  # a whole word: not in "Amazon"
        ("What did Kamiyama do to attract companies?", ["jp-kamiyama-satellite-office"]),
        ("神山町和海士町有什麼不同", ["jp-kamiyama-satellite-office", "jp-ama-island"]),
        ("高山上的茶園怎麼行銷", []),  # 高山 is an everyday word, not the village
        ("How does Amazon set KPIs?", []),
    ],
)
def test_named_cases(names: CaseNames, question: str, expected: list[str]) -> None:
    assert names.named(question) == expected


def test_a_name_two_cases_share_names_neither(names: CaseNames) -> None:
    assert "hualien" not in names._names  # three Hualien cases
