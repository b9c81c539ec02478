"""Internal document ids are for corpus authors: what removes them from text a reader sees."""

from __future__ import annotations

import re

# Internal cross-references such as （jp-mashiko-ware） or （細則見 gl-tw-youth-stations） mean nothing to a reader.
_ID = r"`?(?:jp|tw|gl|article|upload)-[a-z0-9]+(?:-[a-z0-9]+)+`?"
_IDS = rf"{_ID}(?:\s*(?:[、,，/]|與|和|及|and)\s*{_ID})*"
# （見 gl-a、gl-b）, （jp-mashiko-ware）, 「，詳見 gl-x」, 「定義見 gl-a、gl-b」: cross-references for corpus authors.
DOC_REF = re.compile(rf"\s*[（(][^（）()]{{0,12}}{_IDS}[^（）()]{{0,8}}[）)]")
SEE_REF = re.compile(
    rf"[，,；;]?\s*(?:[^，,；;。]{{0,12}}?(?:詳見|參見|見|參考|see|cf\.))\s*{_IDS}", re.IGNORECASE
)
STILL_ID = re.compile(_ID)


def without_refs(text: str) -> str | None:
    """`text` without its cross-references to other documents, or None when an id is left in it."""
    text = SEE_REF.sub("", DOC_REF.sub("", text)).strip()
    return None if STILL_ID.search(text) else text
