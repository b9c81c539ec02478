"""The briefing builder (/briefings), its exports and POST /api/briefings, through the app with the real index."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from pptx import Presentation

from app.briefings.export import MEDIA_TYPES
from app.briefings.schemas import FORMATS, SECTION_KINDS
from app.i18n import catalog
from app.web.app import create_app

ZH = catalog("zh-TW").briefing
EN = catalog("en").briefing
THEME = "觀光振興"


class Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self.anchors.append({k: v or "" for k, v in attrs})


def export_links(html: str) -> dict[str, str]:
    """The export buttons' hrefs by format (attribute values unescaped)."""
    parser = Anchors()
    parser.feed(html)
    return {a["data-format"]: a["href"] for a in parser.anchors if "data-format" in a}


@pytest.fixture(scope="module")
def client(real_settings, real_services):
    with TestClient(create_app(real_settings, services=real_services)) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def default_language(client) -> None:
    client.cookies.clear()


@pytest.fixture(scope="module")
def theme_page(client) -> str:
    response = client.get("/briefings", params={"theme": THEME})
    assert response.status_code == 200, response.text[:500]
    return response.text


# --- the builder page ---------------------------------------------------------------------------------------------
def test_empty_builder_shows_the_form_and_no_error(client) -> None:
    response = client.get("/briefings")
    assert response.status_code == 200
    html = response.text
    assert ZH["page_title"] in html and 'id="briefing-form"' in html and 'id="b-theme"' in html
    assert 'id="briefing-error"' not in html and ZH["error_theme"] not in html
    assert 'id="briefing-result"' not in html
    for kind in SECTION_KINDS:
        assert f'name="section" value="{kind}" checked' in html


def test_building_with_nothing_is_422_with_the_reason(client) -> None:
    response = client.get("/briefings", params={"build": "1"})
    assert response.status_code == 422
    assert 'id="briefing-error"' in response.text and ZH["error_theme"] in response.text
    assert 'id="briefing-result"' not in response.text


def test_theme_page_shows_the_preview_and_five_export_links(theme_page, tourism_pack) -> None:
    assert 'id="briefing-result"' in theme_page and 'id="briefing-error"' not in theme_page
    assert f'<h2 id="briefing-title">{tourism_pack.title}</h2>' in theme_page
    for case in tourism_pack.cases:
        assert case.title in theme_page
    for kind in tourism_pack.sections:
        assert f'id="sec-{kind}"' in theme_page
    assert theme_page.count("<svg") >= 2
    links = export_links(theme_page)
    assert set(links) == set(FORMATS)
    for fmt, href in links.items():
        assert href.startswith("/briefings/export?") and f"format={fmt}" in href
        assert "theme=%E8%A7%80%E5%85%89%E6%8C%AF%E8%88%88" in href or f"theme={THEME}" in href


@pytest.mark.parametrize(
    "params", [{"rule": "nope"}, {"case": "no-such-case"}, {"theme": THEME, "rule": "nope"}]
)
def test_unknown_rule_or_case_is_422_with_the_reason(client, params) -> None:
    response = client.get("/briefings", params=params)
    assert response.status_code == 422, response.text[:300]
    assert ZH["error_unknown"] in response.text
    assert 'id="briefing-result"' not in response.text


@pytest.mark.parametrize(
    "params", [{"category": "旅遊"}, {"theme": "x" * 201}, {"section": "bogus", "theme": THEME}]
)
def test_invalid_fields_are_422_not_500(client, params) -> None:
    response = client.get("/briefings", params=params)
    assert response.status_code == 422
    assert ZH["error_theme"] in response.text


def test_english_builder_has_english_labels(client) -> None:
    response = client.get("/briefings", params={"theme": "tourism", "lang": "en"})
    assert response.status_code == 200
    html = response.text
    assert '<html lang="en">' in html
    assert EN["page_title"] in html and EN["sec_rules"] in html and EN["export_label"] in html
    assert "Tourism" in html and "KPIs and cases, a briefing" in html
    assert ZH["page_title"] not in html and ZH["sec_rules"] not in html


# --- exports ------------------------------------------------------------------------------------------------------
def test_pptx_export_downloads_a_deck(client, theme_page, tourism_pack) -> None:
    response = client.get(export_links(theme_page)["pptx"])
    assert response.status_code == 200
    assert response.headers["content-type"] == MEDIA_TYPES["pptx"]
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and 'filename="briefing.pptx"' in disposition
    deck = Presentation(BytesIO(response.content))
    assert deck.slides[0].shapes.title.text_frame.text == tourism_pack.title


def test_pdf_export_downloads_a_pdf(client, theme_page) -> None:
    response = client.get(export_links(theme_page)["pdf"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_markdown_export_downloads_text_with_absolute_links(
    client, theme_page, tourism_pack, real_settings
) -> None:
    response = client.get(export_links(theme_page)["md"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.text.startswith(f"# {tourism_pack.title}\n")
    base = (real_settings.public_url or "http://testserver").rstrip("/")  # the public address, when set
    links = re.findall(r"\]\(([^)\s]+)\)", response.text)
    assert links and all(link.startswith(f"{base}/") for link in links), links[:3]
    assert f"{base}{tourism_pack.cases[0].url}" in links


def test_html_and_slides_exports_are_pages(client, theme_page, tourism_pack) -> None:
    links = export_links(theme_page)
    printable = client.get(links["html"])
    assert printable.status_code == 200 and printable.headers["content-type"].startswith("text/html")
    assert 'class="sec-answers answers-page"' in printable.text and "/static/print.js" in printable.text
    assert 'id="print-now"' in printable.text
    slides = client.get(links["slides"])
    assert slides.status_code == 200 and 'class="reveal"' in slides.text
    assert slides.text.count('data-kind="case"') == len(tourism_pack.cases)


@pytest.mark.parametrize("fmt", ["bogus", "docx", ""])
def test_export_with_an_unknown_format_does_not_fail(client, fmt) -> None:
    response = client.get("/briefings/export", params={"theme": THEME, "format": fmt})
    assert response.status_code < 500
    assert response.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in response.headers


def test_export_of_an_unknown_rule_does_not_fail(client) -> None:
    response = client.get("/briefings/export", params={"rule": "nope", "format": "pdf"})
    assert response.status_code == 422
    assert ZH["error_unknown"] in response.text


# --- JSON API -----------------------------------------------------------------------------------------------------
def test_api_builds_a_pack(client) -> None:
    response = client.post("/api/briefings", json={"theme": THEME})
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert body["sections"] == list(SECTION_KINDS)
    assert body["category"] == THEME and 3 <= len(body["cases"]) <= 6
    assert [c["key"] for c in body["logic_chain"]["columns"]] == [
        "input",
        "activity",
        "output",
        "outcome",
        "overall",
    ]
    assert body["exercise"] and body["questions"] and body["rules"]


def test_api_follows_sections_and_picked_cases(client, real_services) -> None:
    ids = sorted(real_services.cases.cases)[:2]
    response = client.post("/api/briefings", json={"case_ids": ids, "sections": ["cases", "questions"]})
    assert response.status_code == 200
    body = response.json()
    assert body["sections"] == ["cases", "questions"]
    assert [c["case_id"] for c in body["cases"]] == ids


@pytest.mark.parametrize("body", [{"case_ids": ["no-such-case"]}, {"rule": "nope"}])
def test_api_unknown_case_or_rule_is_404_with_error(client, body) -> None:
    response = client.post("/api/briefings", json=body)
    assert response.status_code == 404
    payload = response.json()
    assert set(payload) == {"error"} and payload["error"]


@pytest.mark.parametrize(
    "body",
    [
        {"theme": THEME, "colour": "blue"},
        {"theme": THEME, "sections": ["bogus"]},
        {"theme": THEME, "category": "旅遊"},
        {"theme": THEME, "case_ids": [f"c{i}" for i in range(7)]},
    ],
)
def test_api_rejects_bad_bodies_with_422(client, body) -> None:
    assert client.post("/api/briefings", json=body).status_code == 422


def test_api_export_gives_a_file(client) -> None:
    response = client.post(
        "/api/briefings/export?format=md", json={"theme": THEME, "sections": ["questions"]}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith("# ") and ZH["sec_questions"] in response.text
