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


def test_a_follow_up_picks_the_listed_case_its_word_belongs_to(names: CaseNames) -> None:
    listed = ["tw-yilan-old-houses-nanao", "tw-chiayi-city-wood-capital", "jp-joetsu-takada"]
    assert names.pick("宜蘭那個經費多少？", listed) == "tw-yilan-old-houses-nanao"
    assert names.pick("上越的呢", listed) == "jp-joetsu-takada"
    assert names.pick("那個計畫的經費多少？", listed) is None  # no word of its own
    # a place word does not pick without pointing back; a title word does
    hualien = ["tw-hualien-shoufeng-zhuoxi-ruisui"]
    assert names.pick("花蓮縣長是誰？", hualien, places=False) is None
    assert names.pick("門諾醫院投資了多少？", hualien, places=False) == "tw-hualien-shoufeng-zhuoxi-ruisui"


def test_what_the_earlier_answer_said_of_a_case_can_pick_it(names: CaseNames) -> None:
    kouhu, linnei = "tw-yunlin-kouhu-gukeng", "tw-yunlin-linnei-yuanchang"
    answer = (
        f"- **{names.corpus.documents[linnei].title}**：兩案獲得核定。[1]\n"
        f"- **{names.corpus.documents[kouhu].title}**：颱風海水倒灌，成龍村農地積水成濕地。[2]"
    )
    assert names.mentioned(answer) == [linnei, kouhu]
    assert names.pick("濕地那個是怎麼來的？", [linnei, kouhu]) is None
    assert names.pick("濕地那個是怎麼來的？", [linnei, kouhu], context=names.shown_lines(answer)) == kouhu


def test_japanese_kanji_forms_name_a_taiwanese_case(names) -> None:
    assert names.named("花蓮の寿豊郷の計画で") == ["tw-hualien-shoufeng-zhuoxi-ruisui"]


def test_a_shared_place_names_the_case_the_conversation_is_about_or_its_title_word(names: CaseNames) -> None:
    # 苑裡 is the place of two cases: the bookshop's youth team and the coastal association
    assert "苑裡" not in names._names
    assert names.named("苑裡那邊是哪一年開始的？") == []
    assert names.named("苑裡那邊是哪一年開始的？", within=["tw-yuanli-waves"]) == ["tw-yuanli-waves"]
    assert names.named("苑裡掀海風是什麼樣的團隊？") == ["tw-yuanli-waves"]  # 掀海風 is in one title only
