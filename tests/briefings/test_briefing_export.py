"""A briefing pack in every format: Markdown, the print page, the PDF (checked with poppler's tools: pages,
real CJK text, an embedded CJK font) and the .pptx deck (checked with python-pptx)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from app.briefings import export
from app.briefings.schemas import Briefing
from app.i18n import catalog

BASE = "https://example.org/"
LINK = re.compile(r"\]\(([^)\s]+)\)")


class Tags(HTMLParser):
    """Every start tag with its attributes, and the tag path each <svg> sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.svg_parents: list[list[tuple[str, dict[str, str]]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "svg":
            self.svg_parents.append(list(self.stack))
        self.stack.append((tag, attributes))

    def handle_endtag(self, tag) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def classes(self) -> set[str]:
        return {c for _tag, attrs in self.tags for c in attrs.get("class", "").split()}


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    return tags


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is missing (apt-get install poppler-utils)")
    return path


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def headings(markdown: str) -> list[str]:
    return [line.removeprefix("## ") for line in markdown.splitlines() if line.startswith("## ")]


# --- Markdown -----------------------------------------------------------------------------------------------------
def test_markdown_has_a_heading_per_section_in_order(tourism_pack: Briefing) -> None:
    strings = catalog("zh-TW").briefing
    markdown = export.to_markdown(tourism_pack, BASE)
    assert markdown.startswith(f"# {tourism_pack.title}\n")
    assert headings(markdown) == [strings[f"sec_{kind}"] for kind in tourism_pack.sections]
    for case in tourism_pack.cases:
        assert f"### [{case.title}](" in markdown
    for item in tourism_pack.exercise:
        assert item.weak in markdown and item.better in markdown
    reordered = tourism_pack.model_copy(update={"sections": ["answers", "cases", "rules"]})
    assert headings(export.to_markdown(reordered, BASE)) == [
        strings["sec_answers"],
        strings["sec_cases"],
        strings["sec_rules"],
    ]


def test_markdown_has_no_tables(tourism_pack: Briefing) -> None:
    markdown = export.to_markdown(tourism_pack, BASE)
    assert not [line for line in markdown.splitlines() if line.lstrip().startswith("|")]
    assert "|---" not in markdown and "| ---" not in markdown


def test_markdown_links_are_absolute_with_the_base_url(tourism_pack: Briefing) -> None:
    markdown = export.to_markdown(tourism_pack, BASE)
    links = LINK.findall(markdown)
    assert len(links) >= len(tourism_pack.rules) + len(tourism_pack.cases)
    for url in links:
        assert url.startswith(("https://example.org/documents/", "https://example.org/cases/")), url
        assert "//" not in url.removeprefix("https://"), url
    assert "](/" not in markdown
    for case in tourism_pack.cases:
        assert f"https://example.org{case.url}" in links
    # without a base the links stay site paths
    assert all(url.startswith("/") for url in LINK.findall(export.to_markdown(tourism_pack)))


# --- the print page -----------------------------------------------------------------------------------------------
def test_print_page_draws_the_chain_and_pdca_inline_and_has_an_answers_page(tourism_pack: Briefing) -> None:
    html = export.to_html(tourism_pack, BASE)
    tags = parse(html)
    assert len(tags.svg_parents) >= 2
    figures = {
        cls
        for parents in tags.svg_parents
        for tag, attrs in parents
        if tag == "figure"
        for cls in attrs.get("class", "").split()
    }
    assert {"chain", "pdca"} <= figures
    assert "answers-page" in tags.classes()
    assert not [t for t, _ in tags.tags if t == "script"]
    sections = [attrs["id"] for tag, attrs in tags.tags if tag == "section"]
    assert sections == tourism_pack.sections
    assert f"<title>{tourism_pack.title}</title>" in html
    hrefs = [attrs["href"] for tag, attrs in tags.tags if tag == "a"]
    assert hrefs and all(h.startswith("https://example.org/") for h in hrefs), hrefs[:5]


def test_print_page_with_a_toolbar_loads_its_script(tourism_pack: Briefing) -> None:
    toolbar = export.Toolbar(
        back="/briefings?theme=x", back_label="back", script="/static/print.js", css="/briefings/print.css"
    )
    html = export.to_html(tourism_pack, toolbar=toolbar)
    tags = parse(html)
    assert [attrs.get("src") for tag, attrs in tags.tags if tag == "script"] == ["/static/print.js"]
    # Served pages allow no inline style (CSP): the stylesheet is linked; files (PDF, CLI) keep it inline.
    assert (
        "link",
        {"rel": "stylesheet", "href": "/briefings/print.css"},
    ) in tags.tags and "<style>" not in html
    assert "<style>" in export.to_html(tourism_pack)
    assert ("a", {"href": "#", "id": "print-now"}) in tags.tags


def test_slides_have_one_slide_per_section_and_per_case(tourism_pack: Briefing) -> None:
    html = export.to_slides(tourism_pack, reveal_url="/static/reveal")
    kinds = [attrs.get("data-kind") for tag, attrs in parse(html).tags if tag == "section"]
    expected = ["title"]
    for kind in tourism_pack.sections:
        expected += ["case"] * len(tourism_pack.cases) if kind == "cases" else [kind]
    assert kinds == expected
    assert '<script src="/static/reveal/reveal.js"></script>' in html


# --- PDF ----------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf_file(tourism_pack: Briefing, tmp_path_factory: pytest.TempPathFactory) -> Path:
    body = export.to_pdf(tourism_pack, BASE)
    assert body.startswith(b"%PDF")
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    path.write_bytes(body)
    return path


def test_pdf_renders_every_page(pdf_file: Path) -> None:
    pdftoppm = tool("pdftoppm")
    subprocess.run([pdftoppm, "-r", "40", "-png", str(pdf_file), str(pdf_file.with_suffix(""))], check=True)
    pngs = sorted(pdf_file.parent.glob("briefing-*.png"))
    assert pngs and all(p.stat().st_size > 0 and p.read_bytes().startswith(b"\x89PNG") for p in pngs)
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf_file)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        assert len(pngs) == pages
    assert len(pngs) >= 2  # the answers start a page of their own


def test_pdf_text_is_real_cjk_text(pdf_file: Path, tourism_pack: Briefing) -> None:
    pdftotext = tool("pdftotext")
    text = squeeze(
        subprocess.run([pdftotext, str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
    )
    assert squeeze(tourism_pack.title) in text
    shortest = min(tourism_pack.cases, key=lambda c: len(c.title))
    assert squeeze(shortest.title) in text
    assert squeeze(catalog("zh-TW").briefing["sec_answers"]) in text


def test_pdf_embeds_a_cjk_font(pdf_file: Path) -> None:
    pdffonts = tool("pdffonts")
    listing = subprocess.run([pdffonts, str(pdf_file)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    cjk = [row for row in rows if "CJK" in row.split()[0]]
    assert cjk, listing
    assert all(" yes " in row for row in cjk), listing  # the emb column


# --- pptx ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def deck(tourism_pack: Briefing):
    return Presentation(BytesIO(export.to_pptx(tourism_pack, BASE)))


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def test_pptx_has_a_title_slide_then_one_per_section_and_one_per_case(deck, tourism_pack: Briefing) -> None:
    slides = list(deck.slides)
    assert "cases" in tourism_pack.sections
    assert len(slides) == 1 + len(tourism_pack.sections) - 1 + len(tourism_pack.cases)
    assert slide_title(slides[0]) == tourism_pack.title
    strings = catalog("zh-TW").briefing
    expected: list[str] = []
    for kind in tourism_pack.sections:
        expected += [c.title for c in tourism_pack.cases] if kind == "cases" else [strings[f"sec_{kind}"]]
    assert [slide_title(s) for s in slides[1:]] == expected


def test_pptx_logic_chain_is_drawn_as_shapes_with_the_step_headings(deck, tourism_pack: Briefing) -> None:
    heading = catalog("zh-TW").briefing["sec_logic_chain"]
    slide = next(s for s in deck.slides if slide_title(s) == heading)
    shapes = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE]
    assert len(shapes) >= 5
    texts = [s.text_frame.paragraphs[0].text for s in shapes if s.has_text_frame and s.text_frame.text]
    assert tourism_pack.logic_chain is not None
    assert [c.heading for c in tourism_pack.logic_chain.columns] == texts[:5]
    outcome = tourism_pack.logic_chain.columns[3]
    assert all(any(item.text in s.text_frame.text for s in shapes) for item in outcome.items)


def test_pptx_follows_the_chosen_sections(tourism_pack: Briefing) -> None:
    chosen = tourism_pack.model_copy(update={"sections": ["questions", "pdca"]})
    slides = list(Presentation(BytesIO(export.to_pptx(chosen))).slides)
    strings = catalog("zh-TW").briefing
    assert [slide_title(s) for s in slides] == [chosen.title, strings["sec_questions"], strings["sec_pdca"]]
    body = "\n".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    assert all(q in body for q in chosen.questions)
