"""Corpus Markdown → HTML for the pages. Raw HTML in the source is disabled, so it shows as text.

Headings get ids (`sec-<heading>`) so a citation can link to its section; the same rule is in static/passage.js.
Tables are wrapped so they scroll sideways on narrow screens; links to other sites open safely.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

_SPACE = re.compile(r"\s+")


def section_id(heading: str) -> str:
    """The anchor of a section heading: `sec-` and the heading with runs of spaces as one dash."""
    return "sec-" + _SPACE.sub("-", heading.strip())


def _heading_ids(state: StateCore) -> None:
    tokens: list[Token] = state.tokens
    prefix = state.env.get("id_prefix", "")
    seen: dict[str, int] = {}
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            anchor = prefix + section_id(tokens[i + 1].content)
            seen[anchor] = seen.get(anchor, 0) + 1
            token.attrSet("id", anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}")


def _external_links(state: StateCore) -> None:
    for block in state.tokens:
        for token in block.children or []:
            href = str(token.attrGet("href") or "") if token.type == "link_open" else ""
            if href.startswith(("http://", "https://")):
                token.attrSet("rel", "noopener noreferrer")
                token.attrSet("target", "_blank")


_MD = MarkdownIt("commonmark", {"html": False}).enable("table")
_MD.core.ruler.push("sosei_heading_ids", _heading_ids)
_MD.core.ruler.push("sosei_links", _external_links)


def render_markdown(text: str, shift_headings: int = 0, id_prefix: str = "") -> Markup:
    """Safe HTML for corpus Markdown. `shift_headings` demotes headings (## → ### with 1) to fit a page;
    `id_prefix` keeps heading ids unique where several documents share a page."""
    html = _MD.render(text or "", {"id_prefix": id_prefix})
    if shift_headings:

        def demote(match: re.Match[str]) -> str:
            level = min(int(match.group(2)) + shift_headings, 6)
            return f"<{match.group(1)}h{level}"

        html = re.sub(r"<(/?)h([1-6])", demote, html)
    html = html.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    return Markup(html)  # markdown-it escapes all text; raw HTML is off


def split_at_table(text: str) -> tuple[str, str]:
    """The Markdown before and after its first table (for pages that render the table from structured data);
    ("text", "") when there is no table."""
    lines = text.splitlines()
    rows = [i for i, line in enumerate(lines) if line.lstrip().startswith("|")]
    if not rows:
        return text, ""
    first = rows[0]
    last = first
    while last + 1 < len(lines) and lines[last + 1].lstrip().startswith("|"):
        last += 1
    return "\n".join(lines[:first]), "\n".join(lines[last + 1 :])
