"""The critique's words in each page language, from messages.yaml: what each rule says, why a KPI has its
level, and the example KPI a suggestion shows. A value is either one text or a text per language
(`Localized`); `text(key, lang, **params)` fills a template, taking each parameter in the same language."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files

import yaml

from app.i18n import Lang

Localized = Mapping[str, str]  # {"zh-TW": …, "en": …}
Param = str | int | float | Localized


@lru_cache
def _messages() -> dict[str, dict[str, object]]:
    return yaml.safe_load((files("app.kpi") / "messages.yaml").read_text(encoding="utf-8"))


def in_lang(value: Param, lang: Lang) -> str:
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("zh-TW") or "")
    return str(value)


def template(key: str, lang: Lang, part: str | None = None) -> str:
    entry = _messages()[key][lang]
    return str(entry[part]) if part is not None and isinstance(entry, dict) else str(entry)


def text(key: str, lang: Lang, part: str | None = None, **params: Param) -> str:
    """The template `key` (its `part`, e.g. message or suggestion) in `lang`, filled with `params`."""
    return template(key, lang, part).format(**{name: in_lang(value, lang) for name, value in params.items()})


def localized(key: str, **params: Param) -> dict[str, str]:
    """`key` filled in every language: a value to pass on as a parameter or to show later."""
    languages = _messages()[key].keys()
    return {lang: text(key, lang, **params) for lang in languages}  # type: ignore[arg-type]
