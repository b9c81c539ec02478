"""Every page that echoes what a user sent, fed an XSS corpus (tests/web/inputs/xss_payloads.txt) through every
input it has: query strings, form fields, an uploaded file's name and content, the path itself. A page passes
when the parsed HTML holds nothing that could run: no inline script, no event-handler attribute, no
javascript: URL, no frame, object, base or refresh."""

from __future__ import annotations

import html as html_lib
import json
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest

from app.web.app import create_app
from tests.conftest import FormClient

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "inputs" / "xss_payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line and not line.startswith("#")
]
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "background")
FORBIDDEN_TAGS = ("iframe", "frame", "object", "embed", "base", "applet")


def runnable_parts(page: str) -> list[str]:
    """What in `page` a browser would run or navigate to on its own."""
    found = []
    root = lxml.html.document_fromstring(page)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        tag = element.tag.lower()
        data_block = element.get("type") == "application/json"  # a data island, never run (the UI strings)
        if (
            tag == "script"
            and not data_block
            and (not element.get("src", "").startswith("/static/") or (element.text or "").strip())
        ):
            found.append(f"script: {lxml.html.tostring(element)[:120]!r}")
        if tag in FORBIDDEN_TAGS:
            found.append(f"<{tag}>")
        if (
            tag == "meta"
            and element.get("http-equiv", "").lower() == "refresh"
            and "url" in element.get("content", "").lower()
        ):
            found.append("meta refresh")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if name.lower() in URL_ATTRIBUTES and value.strip().lower().replace("\x00", "").startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                found.append(f"<{tag} {name}={value[:40]!r}>")
    return found


@pytest.fixture(scope="module")
def client(real_settings, real_services):
    with FormClient(create_app(real_settings, services=real_services)) as test_client:
        yield test_client


def test_the_checker_catches_what_it_looks_for() -> None:
    bad = (
        '<html><body><script>x()</script><img src=x onerror="y()"><a href=" JavaScript:z()">a</a>'
        "<iframe></iframe><base href=/></body></html>"
    )
    assert len(runnable_parts(bad)) == 5
    assert (
        runnable_parts(
            '<html><body><script src="/static/chat.js"></script><p>&lt;script&gt;</p></body></html>'
        )
        == []
    )


def _reflected(page: str, payload: str) -> bool:
    return payload.strip() in html_lib.unescape(page) or html_lib.escape(payload.strip()) in page


GET_PAGES = [
    ("/cases", "q"),
    ("/similar", "text"),
    ("/briefings", "theme"),
    ("/briefings", "title"),
    ("/briefings/export", "theme"),
    ("/", "lang"),
    ("/review", "lang"),
]


@pytest.mark.parametrize(("path", "field"), GET_PAGES)
def test_query_strings_are_shown_as_text(client, path: str, field: str) -> None:
    reflected = 0
    for payload in PAYLOADS:
        params = {field: payload}
        if field == "title":
            params["theme"] = "觀光"  # a title shows on a built pack
        if path == "/briefings/export":
            params["format"] = "slides" if len(payload) % 2 else "html"
        response = client.get(path, params=params)
        assert response.status_code < 500, (path, payload)
        if response.headers["content-type"].startswith("text/html"):
            assert runnable_parts(response.text) == [], (path, field, payload)
            reflected += _reflected(response.text, payload)
    if field != "lang":  # the language falls back to the default instead of echoing
        assert reflected >= len(PAYLOADS) // 2, (
            f"{path}?{field}= hardly echoes its input: the test tests nothing"
        )


@pytest.mark.parametrize("field", ["title", "description", "kpis", "budget", "category"])
def test_review_form_fields_are_shown_as_text(client, field: str) -> None:
    for payload in PAYLOADS:
        form = {"title": "老街計畫", "kpis": "觀光客人數增加10%", field: payload}
        response = client.post("/review", data=form)
        assert response.status_code in (200, 422), payload
        assert runnable_parts(response.text) == [], (field, payload)


def test_an_uploaded_plan_is_shown_as_text_name_and_all(client) -> None:
    for payload in PAYLOADS:
        plan = {"title": payload, "description": payload, "kpis": [{"name": payload, "target": 10}]}
        files = {
            "file": (f"{payload}.json", json.dumps(plan, ensure_ascii=False).encode(), "application/json")
        }
        response = client.post("/review", data={"kpis": ""}, files=files)
        assert response.status_code in (200, 422), payload
        assert runnable_parts(response.text) == [], payload


def test_paths_are_shown_as_text(client) -> None:
    for payload in PAYLOADS:
        for prefix in ("/", "/cases/", "/documents/"):
            response = client.get(prefix + quote(payload, safe=""))
            assert response.status_code < 500, (prefix, payload)
            if response.headers["content-type"].startswith("text/html"):
                assert runnable_parts(response.text) == [], (prefix, payload)


def test_every_plain_page_is_clean(client) -> None:
    """The pages with no input: nothing runnable in what sosei itself writes (the corpus included)."""
    pages = ["/", "/cases", "/review?example=true", "/guidelines", "/glossary", "/briefings", "/similar"]
    cases = client.get("/api/cases").json()["cases"]
    pages += [f"/cases/{case['case_id']}" for case in cases]
    pages += [f"/documents/{case['case_id']}" for case in cases[:10]]
    for path in pages:
        for lang in ("zh-TW", "en"):
            response = client.get(path, params={"lang": lang})
            assert response.status_code == 200, path
            assert runnable_parts(response.text) == [], path
