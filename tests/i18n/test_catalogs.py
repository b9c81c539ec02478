"""Every UI string exists in every language, with the same placeholders; labels cover the domain's codes."""

from __future__ import annotations

import re
import string
from typing import get_args

import pytest

from app.i18n import LANGS, Catalog, catalog
from app.knowledge.documents import CATEGORIES, Factor
from app.kpi.rules import KPI_RULES, PLAN_RULES

SECTIONS = [name for name in Catalog.model_fields if name not in ("lang", "categories")]


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


@pytest.mark.parametrize("section", SECTIONS)
def test_every_key_exists_in_every_language(section: str) -> None:
    keys = {lang: set(getattr(catalog(lang), section)) for lang in LANGS}
    reference = keys["zh-TW"]
    assert reference, f"section {section} is empty"
    for lang, found in keys.items():
        assert found == reference, (
            f"{lang}.yaml {section}: missing {reference - found}, extra {found - reference}"
        )


@pytest.mark.parametrize("section", SECTIONS)
def test_placeholders_match_across_languages(section: str) -> None:
    zh = getattr(catalog("zh-TW"), section)
    for lang in LANGS:
        for key, text in getattr(catalog(lang), section).items():
            assert placeholders(text) == placeholders(zh[key]), f"{lang}.yaml {section}.{key}"


def test_labels_cover_every_category_factor_level_and_severity() -> None:
    factors = set(get_args(Factor))
    for lang in LANGS:
        labels = catalog(lang)
        assert set(labels.factors) == factors
        assert set(labels.levels) == {"overall", "outcome", "output"}
        assert set(labels.severity) == {"error", "warning", "info"}
        assert set(labels.category_labels(CATEGORIES)) == set(CATEGORIES)
    english = catalog("en")
    assert all(english.category(c) != c for c in CATEGORIES), "every category has an English name"


def test_english_text_is_not_left_in_chinese() -> None:
    """The English catalog may quote Chinese examples, but its own words are English."""
    han = re.compile(r"[\u4e00-\u9fff]")
    ui = catalog("en").ui
    # Keys whose English text deliberately shows a Chinese example or the product's name.
    quoting = {"product", "switch_to", "field_kpis_help", "starter_1", "starter_2", "starter_3", "starter_4",
               "chat_intro"}  # fmt: skip
    mixed = [key for key, text in ui.items() if key not in quoting and han.search(text)]
    assert mixed == []


def test_every_rule_is_titled_in_every_language() -> None:
    for rule in (*KPI_RULES, *PLAN_RULES):
        assert set(rule.titles) == set(LANGS), rule.code
        assert all(title.strip() for title in rule.titles.values()), rule.code
