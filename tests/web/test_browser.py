"""The pages in headless Chromium against a real uvicorn server: chat streaming and citations, the review
form, browsing cases, the language switch. One browser for the module; a fresh context per test."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
QUESTION = "移居計畫的KPI該怎麼訂？"


@pytest.fixture(scope="module")
def server(real_settings, real_services) -> Iterator[str]:
    """The app on a real uvicorn server in a thread, on a free port."""
    import uvicorn

    from app.web.app import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(real_settings, services=real_services), host="127.0.0.1", port=port, log_level="warning"
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, server):
    """A fresh page (no cookies, empty localStorage) that fails the test on a script error or any request
    that leaves the local server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    context.set_default_timeout(30_000)
    tab = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("request", lambda r: None if r.url.startswith((server, "data:")) else outside.append(r.url))
    yield tab
    context.close()
    assert not errors, errors
    assert not outside, outside


def ask(page, question: str) -> None:
    page.get_by_label("你的問題").fill(question)
    page.get_by_label("你的問題").press("Enter")


def test_chat_streams_an_answer_with_citation_chips_and_the_passage_panel(page) -> None:
    page.goto("/")
    # Record whether the answer was ever shown while streaming (the SSE reader updates it event by event).
    page.evaluate(
        """() => { window.__streamed = false;
            new MutationObserver(() => { if (document.querySelector('.msg-bot.streaming')) window.__streamed = true; })
              .observe(document.getElementById('conversation'), {subtree: true, childList: true, attributes: true}); }"""
    )
    with page.expect_response("**/api/chat") as chat:
        page.get_by_role("button", name=QUESTION).click()  # a starter question
    assert chat.value.headers["content-type"].startswith("text/event-stream")
    chip = page.locator(".msg-bot .answer button.cite").first
    chip.wait_for()
    assert page.evaluate("window.__streamed") is True
    assert page.locator(".msg-user .msg-text").inner_text() == QUESTION
    answer = page.locator(".msg-bot .answer").inner_text()
    assert len(answer) > 20
    assert page.locator(".msg-bot .sources-list li").count() >= 1

    chip.click()
    panel = page.locator("#passage-panel")
    panel.wait_for(state="visible")
    assert len(page.locator("#panel-text").inner_text().strip()) > 20
    assert page.locator("#panel-doc").inner_text().strip()
    link = page.locator("#panel-link")
    href = link.get_attribute("href") or ""
    assert href.startswith("/documents/")
    page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.classList.contains('cite')")  # focus returns to the chip

    chip.click()
    with page.expect_navigation():
        link.click()
    assert page.locator("h1").inner_text().strip()
    assert re.search(r"/(documents|cases)/[a-z0-9-]+", page.url)
    assert page.locator("main").inner_text()


def test_chat_keeps_the_conversation_sends_history_and_takes_feedback(page) -> None:
    page.goto("/")
    ask(page, QUESTION)
    page.locator(".msg-bot .msg-actions").wait_for()

    page.get_by_role("button", name="有幫助", exact=True).click()
    page.get_by_text("謝謝你的回饋！").wait_for()

    with page.expect_request("**/api/chat") as second:
        ask(page, "那輸出指標呢？")
    history = second.value.post_data_json["history"]
    assert [turn["role"] for turn in history] == ["user", "assistant"]
    assert history[0]["content"] == QUESTION and history[1]["content"]
    page.locator(".msg-bot .msg-actions").nth(1).wait_for()

    page.reload()
    assert page.locator(".msg-user").count() == 2  # kept in localStorage
    assert page.get_by_text("謝謝你的回饋！").count() == 1
    page.get_by_role("button", name="新對話").click()
    assert page.locator(".msg").count() == 0
    assert page.get_by_role("button", name=QUESTION).is_visible()


def test_chat_shows_untrusted_text_as_text_and_styles_refusals(page) -> None:
    page.goto("/")
    question = '<img src=x onerror="window.__pwned=1"><b>KPI</b>是什麼？<script>window.__pwned=2</script>'
    ask(page, question)
    page.locator(".msg-bot .msg-actions").wait_for()
    assert page.locator(".msg-user .msg-text").inner_text() == question
    assert page.locator(".conversation img, .conversation b, .conversation script").count() == 0
    assert page.evaluate("window.__pwned") is None

    page.get_by_role("button", name="新對話").click()
    ask(page, "紅燒牛肉麵要燉多久才會軟？")
    page.locator(".msg-bot .msg-actions").wait_for()
    refused = page.locator(".msg-bot.refused")
    assert refused.count() == 1 and "地方創生" in refused.locator(".answer").inner_text()
    assert refused.get_by_role("button", name="有幫助", exact=True).count() == 0  # nothing to rate


def test_review_form_shows_findings_with_severity_and_evidence(page) -> None:
    page.goto("/review")
    page.get_by_label("計畫名稱").fill("老街空店活化計畫")
    page.get_by_label("類別").select_option("街區營造")
    page.get_by_label("KPI（一行一項）").fill(
        "老街居民生活滿意度提升\n全鎮觀光人數成長10%\n辦理空店媒合說明會20場"
    )
    page.get_by_role("button", name="開始審查").click()
    page.locator(".critique").wait_for()
    assert page.locator(".finding.sev-error").count() >= 2
    first = page.locator(".finding.sev-error").first
    assert "錯誤" in first.locator(".sev-badge").inner_text()
    # the finding links to its rule's guideline text, quoted once further down
    anchor = first.locator(".evidence-link a").get_attribute("href")
    assert anchor is not None and anchor.startswith("#evidence-")
    quoted = page.locator(f"{anchor} blockquote.evidence")
    assert quoted.count() >= 1 and quoted.first.locator("a").get_attribute("href").startswith(
        "/documents/gl-"
    )
    assert page.locator(".kpi-card").count() == 3
    with page.expect_download() as download:
        page.get_by_role("button", name="下載 Markdown").click()
    assert download.value.suggested_filename.endswith(".md")
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert report.startswith("# KPI 審查報告：老街空店活化計畫") and "全鎮觀光人數成長10%" in report
    assert "辦理空店媒合說明會20場" in report  # every line of the textarea made it through

    page.get_by_label("KPI（一行一項）").fill("")
    page.get_by_role("button", name="開始審查").click()
    assert "kpis" in page.get_by_role("alert").inner_text()


def test_browse_cases_filter_by_category_and_open_a_case(page) -> None:
    page.goto("/cases")
    total = page.locator(".case-card").count()
    page.get_by_label("類別").select_option("觀光振興")
    page.get_by_role("button", name="篩選").click()
    page.wait_for_url(re.compile(r"category="))
    tags = page.locator(".case-card .tag-category").all_inner_texts()
    assert tags and set(tags) == {"觀光振興"} and len(tags) < total
    title = page.locator(".case-card-title a").first
    name = title.inner_text()
    title.click()
    assert page.locator("h1").inner_text() == name
    assert page.get_by_role("heading", name="相似案例").is_visible()
    assert page.locator(".similar-section .case-card").count() >= 1


def test_switch_to_english(page) -> None:
    page.goto("/cases")
    page.get_by_role("link", name=re.compile("English")).click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    nav = page.get_by_role("navigation", name="Main")
    assert (
        nav.get_by_role("link", name="Ask").is_visible()
        and nav.get_by_role("link", name="Cases").is_visible()
    )
    assert page.locator("h1").inner_text() == "Cases"
    page.goto("/")  # the cookie keeps English
    assert page.get_by_label("Your question").is_visible()
    assert page.get_by_role("button", name="How should a relocation project set KPIs?").is_visible()
    page.goto("/review")
    assert page.get_by_role("button", name="Review", exact=True).is_visible()


def test_keyboard_skip_link_and_visible_focus(page) -> None:
    page.goto("/cases")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    # Moved on screen when focused, after a 0.15 s transition: wait for it rather than read it mid-way.
    # A function, not an expression: an expression is eval'd in the page, which its CSP (no 'unsafe-eval') refuses.
    page.wait_for_function(
        "() => document.querySelector('.skip-link').getBoundingClientRect().top >= 0", timeout=3000
    )
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_chat_renders_a_composed_answer_as_a_list_with_chips_in_its_items(page) -> None:
    page.goto("/")
    ask(page, "六大驅動要素是什麼？")
    page.locator(".msg-bot .msg-actions").wait_for()
    items = page.locator(".msg-bot .answer ul > li")
    assert items.count() == 6
    names = page.locator(".msg-bot .answer li > strong").all_inner_texts()
    assert "自立性" in names and "官民協働" in names
    assert items.first.locator("button.cite").count() == 1
    assert "**" not in page.locator(".msg-bot .answer").inner_text()  # Markdown is rendered, not shown
