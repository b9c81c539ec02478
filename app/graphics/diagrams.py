"""Logic-chain and PDCA diagrams drawn with drawsvg."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import drawsvg as draw  # type: ignore[import-untyped]

from app.graphics.models import ChainColumn, ChainItem, LogicChainSpec, PdcaSpec, PdcaStage

FONT_FAMILY = "Noto Sans CJK TC, Noto Sans CJK JP, Noto Sans, sans-serif"

# One wrap unit is half a CJK glyph. Latin glyphs average a little over half an em, so a unit is taken as
# 0.55 em: Latin lines then stay inside their box, CJK lines lose a tenth of the width at worst.
UNIT_EM = 0.55
LINE_HEIGHT_EM = 1.4

TEXT_COLOUR = "#212121"
MUTED_COLOUR = "#616161"
ARROW_COLOUR = "#757575"
MISSING_COLOUR = "#c62828"
MISSING_FILL = "#fdecea"
FLAG_FILL = "#fff4d6"
FLAG_STROKE = "#e0a100"
FLAG_TEXT = "#8a5a00"

# Characters that must not start a line (closing brackets and punctuation): they stay with the
# character before them.
_NO_LINE_START = frozenset("、。，．,.：:；;！!？?）)」』】〉》…ー～%％")


def char_units(char: str) -> int:
    """Width of one character in wrap units: 2 for wide (CJK) characters, 1 for the rest."""
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_units(text: str) -> int:
    return sum(char_units(char) for char in text)


def _split_long_word(word: str, width_units: int) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and text_units(piece + char) > width_units:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def _tokens(paragraph: str, width_units: int) -> list[str]:
    """Break points: a Latin word stays whole, each wide character stands alone, " " marks a space."""
    tokens: list[str] = []
    word = ""
    for char in paragraph:
        if char.isspace() or char_units(char) == 2:
            if word:
                tokens.extend(_split_long_word(word, width_units))
                word = ""
            if not char.isspace():
                tokens.append(char)
            elif tokens and tokens[-1] != " ":
                tokens.append(" ")
        else:
            word += char
    if word:
        tokens.extend(_split_long_word(word, width_units))
    return tokens


def wrap(text: str, width_units: int) -> list[str]:
    """Wrap text into lines of at most `width_units`, a CJK character counting 2 units and ASCII 1.

    CJK text breaks between any two characters, Latin text at spaces (a word longer than a line is cut).
    Explicit line breaks are kept; blank lines are dropped.
    """
    lines: list[str] = []
    for paragraph in text.splitlines():
        line: list[str] = []
        for token in _tokens(paragraph.strip(), width_units):
            if token == " ":
                if line:
                    line.append(token)
                continue
            if not line or text_units("".join(line) + token) <= width_units:
                line.append(token)
                continue
            carried: list[str] = []
            if token[0] in _NO_LINE_START and len(line) > 1 and line[-1] != " ":
                carried = [line.pop()]
            lines.append("".join(line).rstrip())
            line = [*carried, token]
        if line:
            lines.append("".join(line).rstrip())
    return lines


def _wrap_to_width(text: str, width_px: float, font_size: float) -> list[str]:
    return wrap(text, max(2, int(width_px / (font_size * UNIT_EM))))


def _text_block_height(line_count: int, font_size: float) -> float:
    return line_count * font_size * LINE_HEIGHT_EM


def _text_block(lines: list[str], font_size: float, x: float, top: float, **attrs: object) -> draw.Text:
    """Lines set from `top` downwards; the first baseline sits where a line box of LINE_HEIGHT_EM puts it."""
    first_baseline = top + font_size * ((LINE_HEIGHT_EM - 1) / 2 + 0.88)
    return draw.Text(lines, font_size, x, first_baseline, line_height=LINE_HEIGHT_EM, **attrs)


def _new_drawing(width: float, height: float, title: str) -> draw.Drawing:
    drawing = draw.Drawing(width, height, font_family=FONT_FAMILY, role="img")
    # Scale with the container: the viewBox keeps the proportions, so no fixed height is needed.
    drawing.svg_args.update(width="100%", height=None)
    drawing.append_title(title)
    return drawing


def _to_inline_svg(drawing: draw.Drawing) -> str:
    # No XML declaration: the SVG is inlined into HTML pages and PDFs.
    svg: str = drawing.as_svg(header="")
    return svg


def _arrow(x1: float, y1: float, x2: float, y2: float, colour: str = ARROW_COLOUR) -> draw.Group:
    """A straight arrow; the head is a plain triangle, so no marker ids can clash between inlined SVGs."""
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    head_length, head_half_width = 12.0, 7.0
    base_x, base_y = x2 - ux * head_length, y2 - uy * head_length
    group = draw.Group(class_="arrow")
    group.append(draw.Line(x1, y1, base_x, base_y, stroke=colour, stroke_width=3))
    group.append(
        draw.Lines(
            x2,
            y2,
            base_x - uy * head_half_width,
            base_y + ux * head_half_width,
            base_x + uy * head_half_width,
            base_y - ux * head_half_width,
            close=True,
            fill=colour,
        )
    )
    return group


# --- Logic chain ---------------------------------------------------------------------------------------

CHAIN_WIDTH = 1000.0
CHAIN_MARGIN = 8.0
CHAIN_ARROW_GAP = 28.0
CHAIN_FONT = 16.0
CHAIN_HEADING_FONT = 18.0
CHAIN_FLAG_FONT = 14.0
CHAIN_COLUMN_PAD = 7.0
CHAIN_ITEM_PAD = 6.0
CHAIN_ITEM_GAP = 8.0
CHAIN_RADIUS = 10.0

# (accent, tint) per column key; unknown keys never occur (the model restricts them).
CHAIN_COLOURS = {
    "input": ("#546e7a", "#eceff1"),
    "activity": ("#1e88e5", "#e3f2fd"),
    "output": ("#00897b", "#e0f2f1"),
    "outcome": ("#43a047", "#e8f5e9"),
    "overall": ("#8e24aa", "#f3e5f5"),
}


@dataclass(frozen=True)
class _ItemLayout:
    item: ChainItem
    lines: list[str]
    flag_lines: list[str]

    @property
    def height(self) -> float:
        height = 2 * CHAIN_ITEM_PAD + _text_block_height(len(self.lines), CHAIN_FONT)
        if self.flag_lines:
            height += _text_block_height(len(self.flag_lines), CHAIN_FLAG_FONT) + 2
        return height


@dataclass(frozen=True)
class _ColumnLayout:
    column: ChainColumn
    heading_lines: list[str]
    items: list[_ItemLayout]
    missing_lines: list[str]

    @property
    def heading_height(self) -> float:
        return _text_block_height(len(self.heading_lines), CHAIN_HEADING_FONT) + 2 * CHAIN_ITEM_PAD

    @property
    def missing_height(self) -> float:
        return _text_block_height(len(self.missing_lines), CHAIN_FONT) + 4 * CHAIN_ITEM_PAD

    @property
    def body_height(self) -> float:
        blocks = [item.height for item in self.items]
        if self.missing_lines:
            blocks.append(self.missing_height)
        return sum(blocks) + CHAIN_ITEM_GAP * max(0, len(blocks) - 1) + 2 * CHAIN_COLUMN_PAD


def _layout_column(column: ChainColumn, column_width: float) -> _ColumnLayout:
    text_width = column_width - 2 * CHAIN_COLUMN_PAD - 2 * CHAIN_ITEM_PAD
    items = [
        _ItemLayout(
            item,
            _wrap_to_width(item.text, text_width, CHAIN_FONT),
            _wrap_to_width(f"▲ {item.flag}", text_width, CHAIN_FLAG_FONT) if item.flag else [],
        )
        for item in column.items
    ]
    return _ColumnLayout(
        column,
        _wrap_to_width(column.heading, column_width - 2 * CHAIN_ITEM_PAD, CHAIN_HEADING_FONT),
        items,
        _wrap_to_width(column.missing, text_width, CHAIN_FONT) if column.missing else [],
    )


def _draw_item(layout: _ItemLayout, x: float, y: float, width: float, accent: str) -> draw.Group:
    group = draw.Group(class_="chain-item")
    flagged = bool(layout.flag_lines)
    group.append(
        draw.Rectangle(
            x,
            y,
            width,
            layout.height,
            rx=6,
            fill=FLAG_FILL if flagged else "#ffffff",
            stroke=FLAG_STROKE if flagged else accent,
            stroke_width=1.5 if flagged else 1,
        )
    )
    text_top = y + CHAIN_ITEM_PAD
    group.append(_text_block(layout.lines, CHAIN_FONT, x + CHAIN_ITEM_PAD, text_top, fill=TEXT_COLOUR))
    if flagged:
        flag_top = text_top + _text_block_height(len(layout.lines), CHAIN_FONT) + 2
        group.append(
            _text_block(
                layout.flag_lines,
                CHAIN_FLAG_FONT,
                x + CHAIN_ITEM_PAD,
                flag_top,
                fill=FLAG_TEXT,
                font_weight="bold",
                class_="chain-flag",
            )
        )
    return group


def _draw_missing(layout: _ColumnLayout, x: float, y: float, width: float) -> draw.Group:
    group = draw.Group(class_="chain-missing")
    group.append(
        draw.Rectangle(
            x,
            y,
            width,
            layout.missing_height,
            rx=6,
            fill=MISSING_FILL,
            stroke=MISSING_COLOUR,
            stroke_width=1.5,
            stroke_dasharray="6 4",
        )
    )
    group.append(
        _text_block(
            layout.missing_lines,
            CHAIN_FONT,
            x + width / 2,
            y + 2 * CHAIN_ITEM_PAD,
            fill=MISSING_COLOUR,
            font_weight="bold",
            text_anchor="middle",
        )
    )
    return group


def _draw_column(
    layout: _ColumnLayout, x: float, y: float, width: float, heading_height: float, body_height: float
) -> draw.Group:
    column = layout.column
    accent, tint = CHAIN_COLOURS[column.key]
    gap = column.missing is not None
    group = draw.Group(class_=f"chain-col chain-{column.key}")
    total_height = heading_height + body_height
    group.append(
        draw.Rectangle(x, y, width, total_height, rx=CHAIN_RADIUS, fill=MISSING_FILL if gap else tint)
    )
    # The heading band: a rounded rectangle whose lower corners a second rectangle squares off.
    heading_fill = MISSING_COLOUR if gap else accent
    group.append(draw.Rectangle(x, y, width, heading_height, rx=CHAIN_RADIUS, fill=heading_fill))
    group.append(draw.Rectangle(x, y + heading_height / 2, width, heading_height / 2, fill=heading_fill))
    group.append(
        _text_block(
            layout.heading_lines,
            CHAIN_HEADING_FONT,
            x + width / 2,
            y + CHAIN_ITEM_PAD,
            fill="#ffffff",
            font_weight="bold",
            text_anchor="middle",
            class_="chain-heading",
        )
    )
    inner_x = x + CHAIN_COLUMN_PAD
    inner_width = width - 2 * CHAIN_COLUMN_PAD
    block_top = y + heading_height + CHAIN_COLUMN_PAD
    for item in layout.items:
        group.append(_draw_item(item, inner_x, block_top, inner_width, accent))
        block_top += item.height + CHAIN_ITEM_GAP
    if gap:
        group.append(_draw_missing(layout, inner_x, block_top, inner_width))
    group.append(
        draw.Rectangle(
            x,
            y,
            width,
            total_height,
            rx=CHAIN_RADIUS,
            fill="none",
            stroke=MISSING_COLOUR if gap else accent,
            stroke_width=2,
            stroke_dasharray="8 5" if gap else None,
        )
    )
    return group


def logic_chain_svg(spec: LogicChainSpec) -> str:
    """The logic chain as an inline SVG: one box per column, left to right, arrows between them."""
    count = len(spec.columns)
    column_width = (CHAIN_WIDTH - 2 * CHAIN_MARGIN - CHAIN_ARROW_GAP * (count - 1)) / count
    layouts = [_layout_column(column, column_width) for column in spec.columns]
    # Every column gets the tallest heading and body, so the boxes line up and the arrows sit level.
    heading_height = max(layout.heading_height for layout in layouts)
    body_height = max(layout.body_height for layout in layouts)
    height = heading_height + body_height + 2 * CHAIN_MARGIN
    drawing = _new_drawing(CHAIN_WIDTH, height, spec.title)
    arrow_y = CHAIN_MARGIN + heading_height + body_height / 2
    for index, layout in enumerate(layouts):
        x = CHAIN_MARGIN + index * (column_width + CHAIN_ARROW_GAP)
        drawing.append(_draw_column(layout, x, CHAIN_MARGIN, column_width, heading_height, body_height))
        if index + 1 < count:
            drawing.append(
                _arrow(x + column_width + 3, arrow_y, x + column_width + CHAIN_ARROW_GAP - 3, arrow_y)
            )
    return _to_inline_svg(drawing)


# --- PDCA cycle ----------------------------------------------------------------------------------------

PDCA_WIDTH = 800.0
PDCA_MARGIN = 8.0
PDCA_GAP = 110.0  # between the quadrants: room for the arrows and the centre circle
PDCA_LETTER_FONT = 40.0
PDCA_HEADING_FONT = 18.0
PDCA_FONT = 15.0
PDCA_PAD = 14.0
PDCA_CENTRE_RADIUS = 68.0

PDCA_COLOURS = {
    "P": ("#1e88e5", "#e3f2fd"),
    "D": ("#43a047", "#e8f5e9"),
    "C": ("#f9a825", "#fff8e1"),
    "A": ("#e53935", "#ffebee"),
}
# Clockwise from the top left: Plan, Do, Check, Act; (column, row) of each quadrant.
PDCA_POSITIONS = {"P": (0, 0), "D": (1, 0), "C": (1, 1), "A": (0, 1)}


def _pdca_text_lines(stage: PdcaStage, box_width: float) -> tuple[list[str], list[str]]:
    heading_width = box_width - 2 * PDCA_PAD - PDCA_LETTER_FONT
    return (
        _wrap_to_width(stage.heading, heading_width, PDCA_HEADING_FONT),
        _wrap_to_width(stage.text, box_width - 2 * PDCA_PAD, PDCA_FONT),
    )


def _pdca_box_height(heading_lines: list[str], text_lines: list[str]) -> float:
    header = max(PDCA_LETTER_FONT * 1.1, _text_block_height(len(heading_lines), PDCA_HEADING_FONT))
    return 2 * PDCA_PAD + header + 8 + _text_block_height(len(text_lines), PDCA_FONT)


def _draw_stage(stage: PdcaStage, x: float, y: float, width: float, height: float) -> draw.Group:
    accent, tint = PDCA_COLOURS[stage.key]
    heading_lines, text_lines = _pdca_text_lines(stage, width)
    group = draw.Group(class_=f"pdca-stage pdca-{stage.key}")
    group.append(draw.Rectangle(x, y, width, height, rx=14, fill=tint, stroke=accent, stroke_width=2))
    letter_top = y + PDCA_PAD
    group.append(
        draw.Text(
            stage.key,
            PDCA_LETTER_FONT,
            x + PDCA_PAD,
            letter_top + PDCA_LETTER_FONT * 0.88,
            fill=accent,
            font_weight="bold",
            class_="pdca-letter",
        )
    )
    header_height = max(PDCA_LETTER_FONT * 1.1, _text_block_height(len(heading_lines), PDCA_HEADING_FONT))
    heading_top = letter_top + (header_height - _text_block_height(len(heading_lines), PDCA_HEADING_FONT)) / 2
    group.append(
        _text_block(
            heading_lines,
            PDCA_HEADING_FONT,
            x + PDCA_PAD + PDCA_LETTER_FONT,
            heading_top,
            fill=TEXT_COLOUR,
            font_weight="bold",
            class_="pdca-heading",
        )
    )
    group.append(
        _text_block(text_lines, PDCA_FONT, x + PDCA_PAD, letter_top + header_height + 8, fill=TEXT_COLOUR)
    )
    return group


def pdca_svg(spec: PdcaSpec) -> str:
    """The PDCA cycle as an inline SVG: P, D, C, A clockwise from the top left, `centre` in the middle."""
    box_width = (PDCA_WIDTH - 2 * PDCA_MARGIN - PDCA_GAP) / 2
    box_height = max(_pdca_box_height(*_pdca_text_lines(stage, box_width)) for stage in spec.stages)
    # The gap below the top row must leave the centre circle clear of the arrows.
    height = 2 * PDCA_MARGIN + 2 * box_height + PDCA_GAP
    drawing = _new_drawing(PDCA_WIDTH, height, spec.title)
    left, right = PDCA_MARGIN, PDCA_MARGIN + box_width + PDCA_GAP
    top, bottom = PDCA_MARGIN, PDCA_MARGIN + box_height + PDCA_GAP
    # Document order P, D, C, A whatever the input order: screen readers and text extraction follow it.
    for stage in sorted(spec.stages, key=lambda stage: "PDCA".index(stage.key)):
        column, row = PDCA_POSITIONS[stage.key]
        drawing.append(_draw_stage(stage, (left, right)[column], (top, bottom)[row], box_width, box_height))
    centre_x, centre_y = PDCA_WIDTH / 2, height / 2
    # Clockwise arrows, each in the gap between two quadrants and kept away from the centre circle.
    top_row_y = top + box_height * 0.4
    bottom_row_y = bottom + box_height * 0.6
    left_column_x = left + box_width * 0.4
    right_column_x = right + box_width * 0.6
    inset = 10
    arrows = [
        (left + box_width + inset, top_row_y, right - inset, top_row_y),  # P -> D
        (right_column_x, top + box_height + inset, right_column_x, bottom - inset),  # D -> C
        (right - inset, bottom_row_y, left + box_width + inset, bottom_row_y),  # C -> A
        (left_column_x, bottom - inset, left_column_x, top + box_height + inset),  # A -> P
    ]
    for x1, y1, x2, y2 in arrows:
        drawing.append(_arrow(x1, y1, x2, y2))
    centre = draw.Group(class_="pdca-centre")
    centre.append(draw.Circle(centre_x, centre_y, PDCA_CENTRE_RADIUS, fill="#ffffff", stroke=ARROW_COLOUR))
    if spec.centre:
        lines = _wrap_to_width(spec.centre, PDCA_CENTRE_RADIUS * 1.6, PDCA_FONT)
        block_height = _text_block_height(len(lines), PDCA_FONT)
        centre.append(
            _text_block(
                lines,
                PDCA_FONT,
                centre_x,
                centre_y - block_height / 2,
                fill=MUTED_COLOUR,
                font_weight="bold",
                text_anchor="middle",
            )
        )
    drawing.append(centre)
    return _to_inline_svg(drawing)
