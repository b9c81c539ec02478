"""Interface text in every language, read from one data file per language (`zh-TW.yaml`, `en.yaml`).

Sections: `ui` (page strings), `critique` (labels of the critique partial), `report` (the Markdown and HTML
critique report), `severity`, `directions`, `answers` (the assistant's fixed sentences) and `briefing`
(briefing packs and their builder). The display names of the domain's codes (`levels`, `categories`,
`factors`) come from the glossary (`glossary.yaml`). Corpus text, findings and answers are not translated
here; only the interface is.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from app.i18n.glossary import glossary

Lang = Literal["zh-TW", "en"]
LANGS: tuple[Lang, ...] = ("zh-TW", "en")
DEFAULT_LANG: Lang = "zh-TW"


class Catalog(BaseModel):
    """One language's strings. A category without a label is shown as its (Chinese) code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lang: Lang
    ui: dict[str, str]
    critique: dict[str, str]
    report: dict[str, str]
    severity: dict[str, str]
    levels: dict[str, str]
    categories: dict[str, str] = {}
    factors: dict[str, str]
    directions: dict[str, str]
    answers: dict[str, str]
    validation: dict[str, str]
    briefing: dict[str, str]

    def category(self, code: str) -> str:
        return self.categories.get(code, code)

    def category_labels(self, codes: tuple[str, ...]) -> dict[str, str]:
        return {code: self.category(code) for code in codes}


@lru_cache
def catalog(lang: Lang) -> Catalog:
    text = (files("app.i18n") / f"{lang}.yaml").read_text(encoding="utf-8")
    terms = glossary()
    names = {section: terms.names(section, lang) for section in ("levels", "categories", "factors")}
    return Catalog(lang=lang, **yaml.safe_load(text), **names)


def as_lang(value: object) -> Lang | None:
    """`value` if it names a language we have, else None."""
    return next((lang for lang in LANGS if lang == value), None)
