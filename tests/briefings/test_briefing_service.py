"""The briefing service on the real corpus and index: a pack per category, how a request is understood as a
theme, rule themes, hand-picked cases, unknown themes, section choice and the English pack."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from app.briefings.export import to_markdown
from app.briefings.schemas import MAX_CASES, MIN_CASES, SECTION_KINDS, Briefing, BriefingRequest
from app.briefings.service import EXAMPLE_TABLE
from app.briefings.themes import UnknownTheme, understand
from app.i18n import catalog
from app.knowledge.documents import CATEGORIES
from app.kpi.rules import rule_titles

CHAIN_KEYS = ["input", "activity", "output", "outcome", "overall"]


@pytest.fixture(scope="module", params=CATEGORIES)
def category_pack(request, briefings) -> tuple[str, Briefing]:
    return request.param, briefings.build(BriefingRequest(category=request.param))


@pytest.fixture(scope="module")
def rule_pack(briefings) -> Briefing:
    return briefings.build(BriefingRequest(rule="subjective"))


def has_cjk(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text))


def document_of(url: str, corpus) -> object:
    assert url.startswith("/documents/"), url
    return corpus.get(unquote(url.removeprefix("/documents/")))


# --- a pack per category ------------------------------------------------------------------------------------------
def test_category_pack_has_three_to_six_cases_of_its_category(category_pack) -> None:
    category, pack = category_pack
    assert pack.category == category
    assert MIN_CASES <= len(pack.cases) <= MAX_CASES
    assert len({c.case_id for c in pack.cases}) == len(pack.cases)
    for case in pack.cases:
        assert case.category == category, case.case_id
        assert case.title.strip() and case.did.strip(), case.case_id
        assert unquote(case.url) == f"/cases/{case.case_id}"


def test_category_pack_rules_cite_guidelines_that_exist(category_pack, real_services) -> None:
    _category, pack = category_pack
    assert pack.rules
    for rule in pack.rules:
        assert rule.title.strip() and rule.source.title.strip()
        doc = document_of(rule.source.url, real_services.corpus)
        assert doc is not None, f"{rule.code}: {rule.source.url} is no corpus document"
        assert doc.kind == "guideline" and rule.code in doc.rules


def test_category_pack_logic_chain_has_five_steps_from_the_example_table(
    category_pack, real_services
) -> None:
    category, pack = category_pack
    chain = pack.logic_chain
    assert chain is not None
    assert [c.key for c in chain.columns] == CHAIN_KEYS
    assert all(c.heading.strip() for c in chain.columns)
    outcome = {item.text for item in chain.columns[CHAIN_KEYS.index("outcome")].items}
    assert outcome
    table = real_services.corpus.get(EXAMPLE_TABLE)
    rows = [r for r in table.rows if r.get("category") == category]
    if rows:  # the guideline's own examples lead the column
        expected = {str(item) for r in rows for item in r.get("outcome") or []}
        assert outcome & expected, (category, outcome, expected)
        activities = {item.text for item in chain.columns[CHAIN_KEYS.index("activity")].items}
        assert {str(r["plan"]) for r in rows} <= activities
    else:  # the table has no row for this category: the cases' own outcome KPIs fill it
        names = [k.name for c in pack.cases for k in c.kpis.get("outcome", [])]
        assert any(name.startswith(text) for text in outcome for name in names), (outcome, names)


def test_category_pack_has_an_exercise_with_answers_and_questions(category_pack) -> None:
    _category, pack = category_pack
    assert pack.exercise
    for item in pack.exercise:
        assert item.weak.strip() and item.problems, item
        assert item.better.strip(), f"no better KPI for {item.weak}"
    assert len(pack.questions) >= 3
    assert len(set(pack.questions)) == len(pack.questions)


def test_category_pack_has_pdca_and_sources(category_pack) -> None:
    _category, pack = category_pack
    assert pack.pdca is not None and [s.key for s in pack.pdca.stages] == ["P", "D", "C", "A"]
    assert pack.pdca_source is not None and pack.pdca_source.url == "/documents/gl-pdca"
    urls = [link.url for link in pack.sources]
    assert len(urls) == len(set(urls))
    assert {r.source.url for r in pack.rules} <= set(urls)
    assert {c.url for c in pack.cases} <= set(urls)
    assert pack.sections == list(SECTION_KINDS)


# --- understanding a theme ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"theme": "主觀指標"}, {"rule": "subjective"}),
        ({"theme": "觀光"}, {"category": "觀光振興"}),
        ({"theme": "tourism"}, {"category": "觀光振興"}),
        ({"theme": "public-private"}, {"factor": "public_private"}),
        ({"theme": "subjective"}, {"rule": "subjective"}),
    ],
)
def test_theme_text_is_read_for_a_rule_a_category_and_a_factor(fields, expected) -> None:
    theme = understand(BriefingRequest(**fields))
    found = {"rule": theme.rule, "category": theme.category, "factor": theme.factor}
    for key, value in expected.items():
        assert found[key] == value, (fields, found)
    for key in found.keys() - expected.keys():
        assert found[key] is None, (fields, found)


@pytest.mark.parametrize(
    ("fields", "key", "value"),
    [
        ({"theme": "觀光", "category": "街區營造"}, "category", "街區營造"),
        ({"theme": "主觀指標", "rule": "no_baseline"}, "rule", "no_baseline"),
        ({"theme": "public-private", "factor": "talent"}, "factor", "talent"),
    ],
)
def test_fields_the_trainer_picked_win_over_the_text(fields, key, value) -> None:
    assert getattr(understand(BriefingRequest(**fields)), key) == value


def test_a_text_theme_builds_the_pack_of_what_it_names(briefings) -> None:
    pack = briefings.build(BriefingRequest(theme="觀光"))
    assert pack.category == "觀光振興"
    assert pack.cases and all(c.category == "觀光振興" for c in pack.cases)


# --- a rule theme -------------------------------------------------------------------------------------------------
def test_rule_theme_leads_with_its_rule(rule_pack) -> None:
    assert rule_pack.rule == "subjective"
    assert rule_pack.rules[0].code == "subjective"
    assert MIN_CASES <= len(rule_pack.cases) <= MAX_CASES


def test_rule_theme_exercise_items_all_break_that_rule(rule_pack) -> None:
    title = rule_titles("zh-TW")["subjective"]
    assert rule_pack.exercise
    for item in rule_pack.exercise:
        assert title in item.problems, (item.weak, item.problems)
        assert item.better.strip()


# --- hand-picked cases and unknown themes -------------------------------------------------------------------------
def test_hand_picked_cases_are_used_in_order(briefings, real_services) -> None:
    ids = sorted(real_services.cases.cases)[-3:][::-1]  # three cases, deliberately not in id order
    pack = briefings.build(BriefingRequest(case_ids=ids))
    assert [c.case_id for c in pack.cases] == ids
    assert [c.title for c in pack.cases] == [real_services.cases.cases[i].title for i in ids]


def test_a_single_picked_case_is_not_padded(briefings, real_services) -> None:
    one = sorted(real_services.cases.cases)[0]
    pack = briefings.build(BriefingRequest(case_ids=[one], sections=["cases"]))
    assert [c.case_id for c in pack.cases] == [one]


@pytest.mark.parametrize(
    "fields",
    [
        {"case_ids": ["no-such-case"]},
        {"theme": "觀光振興", "case_ids": ["jp-mashiko-ware", "no-such-case"]},
        {"rule": "nope"},
        {"theme": "觀光振興", "rule": "nope"},
    ],
)
def test_unknown_case_or_rule_raises_unknown_theme(briefings, fields) -> None:
    with pytest.raises(UnknownTheme):
        briefings.build(BriefingRequest(**fields))


# --- sections and language ----------------------------------------------------------------------------------------
def test_sections_select_and_order_the_pack(briefings) -> None:
    pack = briefings.build(
        BriefingRequest(theme="觀光振興", sections=["questions", "rules", "questions", "logic_chain"])
    )
    assert pack.sections == ["questions", "rules", "logic_chain"]
    markdown = to_markdown(pack)
    strings = catalog("zh-TW").briefing
    headings = [line.removeprefix("## ") for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [strings["sec_questions"], strings["sec_rules"], strings["sec_logic_chain"]]


def test_chinese_pack_title_and_labels(tourism_pack) -> None:
    assert "觀光振興" in tourism_pack.title and "簡報" in tourism_pack.title
    assert tourism_pack.lang == "zh-TW"
    assert tourism_pack.logic_chain is not None
    assert tourism_pack.logic_chain.columns[0].heading == catalog("zh-TW").briefing["step_input"]


def test_english_pack_has_english_title_and_labels(english_pack) -> None:
    strings = catalog("en").briefing
    assert english_pack.lang == "en" and english_pack.category == "觀光振興"
    assert "簡報" not in english_pack.title
    assert not has_cjk(english_pack.title) and "Tourism" in english_pack.title, english_pack.title
    assert english_pack.logic_chain is not None
    assert [c.heading for c in english_pack.logic_chain.columns] == [
        strings[f"step_{key}"] for key in CHAIN_KEYS
    ]
    assert english_pack.pdca is not None and english_pack.pdca.stages[0].heading == "Plan"
    assert english_pack.questions and not any(has_cjk(q) for q in english_pack.questions)
    assert english_pack.exercise and not any(has_cjk(item.weak) for item in english_pack.exercise)
    markdown = to_markdown(english_pack)
    headings = [line.removeprefix("## ") for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [strings[f"sec_{kind}"] for kind in english_pack.sections]
    assert "指南規則重點" not in markdown


# --- rule themes ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def factor_rule_pack(briefings) -> Briefing:
    return briefings.build(BriefingRequest(rule="factor:public_private"))


@pytest.mark.parametrize("rule", ["unambitious", "no_verification", "factor:talent"])
def test_a_rule_the_builder_offers_gives_an_exercise(briefings, rule: str) -> None:
    """A KPI-level rule gets weak KPIs that break it; a plan-level rule, which no single KPI breaks, the general ones."""
    pack = briefings.build(BriefingRequest(rule=rule, sections=["exercise", "answers"]))
    assert pack.exercise and all(item.better for item in pack.exercise)
    if rule == "unambitious":
        assert all("有水準" in item.problems for item in pack.exercise)


def test_a_kind_of_project_names_its_category(briefings) -> None:
    """「青年返鄉創業」 is start-up support (地方創業), although 返鄉 alone would say migration."""
    assert briefings.build(BriefingRequest(theme="青年返鄉創業", sections=["rules"])).category == "地方創業"


def test_a_factor_rule_theme_names_the_factor_once(factor_rule_pack) -> None:
    assert factor_rule_pack.factor == "public_private"
    assert factor_rule_pack.title.count("官民協働") == 1, factor_rule_pack.title


def test_a_case_that_describes_its_pdca_gets_its_own_cycle(briefings) -> None:
    """益子燒 marks its stages 「（Plan）」 … 「（Check・Action）」: each lands in its quadrant; a combined
    check-and-act item gives what was reviewed to Check and what changed to Act."""
    cycle = briefings.case_pdca("jp-mashiko-ware", "zh-TW")
    assert cycle is not None
    stages = {stage.key: stage.text for stage in cycle.stages}
    assert "英國辦展" in stages["D"] and "協議會" in stages["P"]
    assert stages["C"].endswith("檢討銷售戰略") and "研究會" in stages["A"]
    assert briefings.case_pdca("jp-nagano-wine", "zh-TW") is None
