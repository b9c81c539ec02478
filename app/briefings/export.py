"""A briefing pack in each format, each made by the library made for it: Jinja2 for the print page, the
browser slides (reveal.js) and Markdown, WeasyPrint for the PDF, python-pptx for the deck. Links inside a pack
are site paths; every format makes them absolute with the public address it is given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Pt

from app.briefings.schemas import Briefing
from app.graphics.diagrams import PDCA_POSITIONS, logic_chain_svg, pdca_svg
from app.i18n import catalog
from app.kpi.numbers import figure_text

TEMPLATE_LOADER = PackageLoader("app.briefings", "templates")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "slides": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
SUFFIXES = {"html": "html", "slides": "html", "md": "md", "pdf": "pdf", "pptx": "pptx"}


def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=TEMPLATE_LOADER,
        autoescape=select_autoescape(["html"]) if autoescape else False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(value=figure_text)
    return env


_HTML = _environment(autoescape=True)
_TEXT = _environment(autoescape=False)


@dataclass(frozen=True)
class Toolbar:
    """The links a print page served by the web app shows on screen (not on paper)."""

    back: str
    back_label: str
    script: str
    css: str  # the print CSS as a file: the page's CSP allows no inline style


def _linker(base_url: str) -> Callable[[str], str]:
    base = base_url.rstrip("/")
    return lambda url: url if url.startswith(("http://", "https://")) or not base else f"{base}{url}"


def _context(briefing: Briefing, base_url: str) -> dict[str, Any]:
    labels = catalog(briefing.lang)
    return {
        "b": briefing,
        "s": labels.briefing,
        "link": _linker(base_url),
        "level_labels": labels.levels,
        "generated": dt.date.today().isoformat(),
    }


def diagrams(briefing: Briefing) -> dict[str, Markup]:
    """The pack's diagrams as inline SVG (drawn by app/graphics, text escaped there)."""
    return {
        "chain": Markup(logic_chain_svg(briefing.logic_chain)) if briefing.logic_chain else Markup(""),
        "pdca": Markup(pdca_svg(briefing.pdca)) if briefing.pdca else Markup(""),
    }


def print_css() -> str:
    """The print page's and the PDF's stylesheet (inline in files, served as a file to the browser)."""
    return TEMPLATE_LOADER.get_source(_HTML, "briefing_print.css")[0]


def to_html(briefing: Briefing, base_url: str = "", toolbar: Toolbar | None = None) -> str:
    """The print page: one A4 document, the answers on a page of their own."""
    template = _HTML.get_template("briefing_document.html")
    return template.render(**_context(briefing, base_url), svg=diagrams(briefing), toolbar=toolbar)


def to_slides(briefing: Briefing, reveal_url: str, base_url: str = "", back: str = "") -> str:
    """Browser slides: one slide per section (one per case), driven by reveal.js from `reveal_url`."""
    template = _HTML.get_template("briefing_slides.html")
    return template.render(
        **_context(briefing, base_url), svg=diagrams(briefing), reveal=reveal_url, back=back
    )


def to_markdown(briefing: Briefing, base_url: str = "") -> str:
    def figures(kpi: Any, strings: dict[str, str]) -> str:
        parts = [
            f"{strings[name]} {figure_text(getattr(kpi, name))}{kpi.unit or ''}（{getattr(kpi, f'{name}_year')}）"
            for name in ("baseline", "target", "actual")
            if getattr(kpi, name) is not None
        ]
        return f"（{'，'.join(parts)}）" if parts else ""

    template = _TEXT.get_template("briefing.md")
    return template.render(**_context(briefing, base_url), figures=figures)


def to_pdf(briefing: Briefing, base_url: str = "") -> bytes:
    """The print page through WeasyPrint (imported here: it loads Pango, which only this format needs)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf = HTML(string=to_html(briefing, base_url)).write_pdf()
    return bytes(pdf or b"")


# --- the .pptx deck ---------------------------------------------------------------------------------------------
NAVY = RGBColor(0x14, 0x3D, 0x59)
GREY = RGBColor(0x55, 0x55, 0x55)
CHAIN_FILLS = {
    "input": RGBColor(0xE8, 0xEE, 0xF4),
    "activity": RGBColor(0xDD, 0xE8, 0xF3),
    "output": RGBColor(0xD6, 0xEA, 0xDF),
    "outcome": RGBColor(0xFF, 0xF1, 0xCC),
    "overall": RGBColor(0xF9, 0xDD, 0xD2),
}
PDCA_FILLS = {
    "P": RGBColor(0xDD, 0xE8, 0xF3),
    "D": RGBColor(0xD6, 0xEA, 0xDF),
    "C": RGBColor(0xFF, 0xF1, 0xCC),
    "A": RGBColor(0xF9, 0xDD, 0xD2),
}
FONT = "Noto Sans CJK TC"
BODY_PT = 18
SMALL_PT = 13
INK = RGBColor(0x21, 0x21, 0x21)
MARGIN = Emu(500000)
MAX_BULLETS = 8


class _Deck:
    """A 16:9 deck built with python-pptx's own layouts: a title slide, then title-and-content slides whose
    bullets, tables and diagrams (drawn as native, editable shapes) carry the pack."""

    def __init__(self, briefing: Briefing, base_url: str) -> None:
        self.b = briefing
        self.s = catalog(briefing.lang).briefing
        self.levels = catalog(briefing.lang).levels
        self.link = _linker(base_url)
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Emu(12192000), Emu(6858000)

    def build(self) -> bytes:
        title = self.prs.slides.add_slide(self.prs.slide_layouts[0])
        self._text(title.shapes.title, self.b.title, 36, bold=True, color=NAVY)
        self._text(title.placeholders[1], self.b.intro, 16, color=GREY)
        for kind in self.b.sections:
            getattr(self, f"_{kind}")()
        out = BytesIO()
        self.prs.save(out)
        return out.getvalue()

    # slides --------------------------------------------------------------------------------------------------
    def _slide(self, heading: str) -> Slide:
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # title only: the body is placed here
        title = slide.shapes.title
        # The default layouts are drawn for 4:3; the title spans the 16:9 slide instead.
        title.left, title.top = MARGIN, Emu(250000)
        title.width, title.height = Emu(self.prs.slide_width - 2 * MARGIN), Emu(1100000)
        self._text(title, heading, 28, bold=True, color=NAVY)
        return slide

    def _bullets(self, heading: str, lines: list[tuple[str, int]], note: str = "") -> None:
        slide = self._slide(heading)
        width = Emu(self.prs.slide_width - 2 * MARGIN)
        box = slide.shapes.add_textbox(MARGIN, Emu(1450000), width, Emu(5000000))
        frame = box.text_frame
        frame.word_wrap = True
        for i, (line, level) in enumerate(lines[: MAX_BULLETS * 2]):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = ("• " if level == 0 else "– ") + line
            paragraph.level = level
            paragraph.space_after = Pt(6)
            self._style(paragraph, BODY_PT if level == 0 else SMALL_PT, color=INK if level == 0 else GREY)
        if note:
            _notes(slide).text = note

    def _rules(self) -> None:
        lines: list[tuple[str, int]] = []
        for r in self.b.rules:
            lines.append((f"{r.title}：{r.statement}", 0))
            lines.append((f"{self.s['rule_source']}：{r.source.title}", 1))
        self._bullets(self.s["sec_rules"], lines, "\n".join(f"{r.title}：{r.why}" for r in self.b.rules))

    def _cases(self) -> None:
        for c in self.b.cases:
            lines = [(f"{c.place} · {c.category}", 1), (f"{self.s['did']}：{c.did}", 0)]
            for level, kpis in c.kpis.items():
                lines.append((f"{self.levels[level]}：{'；'.join(k.name for k in kpis[:3])}", 0))
            if not c.kpis:
                lines.append(
                    (f"{self.s['figures']}：{'；'.join(c.facts)}" if c.facts else self.s["no_kpis"], 0)
                )
            if c.lesson:
                lines.append((f"{self.s['lesson']}：{c.lesson}", 0))
            self._bullets(c.title, lines, self.link(c.url))

    def _logic_chain(self) -> None:
        chain = self.b.logic_chain
        if chain is None:
            return
        slide = self._slide(self.s["sec_logic_chain"])
        count = len(chain.columns)
        gap, left, top = Emu(150000), Emu(400000), Emu(1450000)
        width = Emu((self.prs.slide_width - 2 * left - gap * (count - 1)) // count)
        for i, column in enumerate(chain.columns):
            x = Emu(left + i * (width + gap))
            fill = CHAIN_FILLS.get(column.key, CHAIN_FILLS["input"])
            frame = self._box(slide, (x, top, width, Emu(4700000)), fill, column.heading, SMALL_PT + 2)
            for item in column.items or []:
                paragraph = frame.add_paragraph()
                paragraph.text = f"• {item.text}"
                paragraph.alignment = PP_ALIGN.LEFT
                self._style(paragraph, SMALL_PT - 1, color=INK)
            if column.missing:
                paragraph = frame.add_paragraph()
                paragraph.text = column.missing
                self._style(paragraph, SMALL_PT, bold=True, color=RGBColor(0xB0, 0x00, 0x20))
            if i < count - 1:
                arrow = slide.shapes.add_shape(
                    MSO_SHAPE.RIGHT_ARROW,
                    Emu(x + width + 10000),
                    Emu(top + 2200000),
                    Emu(gap - 20000),
                    Emu(300000),
                )
                arrow.fill.solid()
                arrow.fill.fore_color.rgb = NAVY
        _notes(slide).text = self.b.chain_note

    def _pdca(self) -> None:
        pdca = self.b.pdca
        if pdca is None:
            return
        slide = self._slide(self.s["sec_pdca"])
        width, height, left, top = Emu(5300000), Emu(2300000), Emu(700000), Emu(1450000)
        for stage in pdca.stages:
            col, row = PDCA_POSITIONS[stage.key]  # clockwise, as the SVG cycle draws them
            x, y = Emu(left + col * (width + 200000)), Emu(top + row * (height + 200000))
            frame = self._box(slide, (x, y, width, height), PDCA_FILLS[stage.key], stage.heading, BODY_PT + 2)
            paragraph = frame.add_paragraph()
            paragraph.text = stage.text
            self._style(paragraph, SMALL_PT + 3, color=INK)
        _notes(slide).text = "\n".join([pdca.centre, *self.b.pdca_example])

    def _exercise(self) -> None:
        lines = [(self.s["exercise_prompt"], 1)] + [(e.weak, 0) for e in self.b.exercise]
        self._bullets(self.s["sec_exercise"], lines)

    def _answers(self) -> None:
        lines: list[tuple[str, int]] = []
        for e in self.b.exercise:
            lines.append((f"{e.weak} → {'、'.join(e.problems)}", 0))
            lines.append((f"{self.s['better']}：{e.better or e.explanation}", 1))
        self._bullets(self.s["sec_answers"], lines, self.s["answers_note"])

    def _questions(self) -> None:
        self._bullets(self.s["sec_questions"], [(q, 0) for q in self.b.questions])

    def _sources(self) -> None:
        self._bullets(
            self.s["sec_sources"], [(f"{link.title} — {self.link(link.url)}", 0) for link in self.b.sources]
        )

    def _box(
        self, slide: Slide, place: tuple[Emu, Emu, Emu, Emu], fill: RGBColor, heading: str, size: int
    ) -> Any:
        """A rounded, filled box with its heading: a diagram step the presenter can still edit. Returns its text
        frame, for what goes under the heading."""
        box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *place)
        box.fill.solid()
        box.fill.fore_color.rgb = fill
        box.line.color.rgb = NAVY
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.paragraphs[0].text = heading
        self._style(frame.paragraphs[0], size, bold=True, color=NAVY)
        return frame

    # text ----------------------------------------------------------------------------------------------------
    @staticmethod
    def _style(paragraph: Any, size: int, bold: bool = False, color: RGBColor | None = None) -> None:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = FONT
            if color is not None:
                run.font.color.rgb = color

    def _text(
        self, shape: Any, text: str, size: int, bold: bool = False, color: RGBColor | None = None
    ) -> None:
        shape.text_frame.text = text
        shape.text_frame.word_wrap = True
        for paragraph in shape.text_frame.paragraphs:
            self._style(paragraph, size, bold, color)


def to_pptx(briefing: Briefing, base_url: str = "") -> bytes:
    return _Deck(briefing, base_url).build()


def _notes(slide: Slide) -> Any:
    """The speaker notes' text frame (python-pptx creates the notes slide on first access)."""
    frame = slide.notes_slide.notes_text_frame
    assert frame is not None  # the notes placeholder exists on every notes slide python-pptx makes
    return frame
