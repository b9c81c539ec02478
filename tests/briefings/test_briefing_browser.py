"""The briefing builder and its browser slides in headless Chromium against a real uvicorn server (the
server, browser and page fixtures of tests/web/test_browser.py: a page fails on a script error or on any
request that leaves the local server)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from app.i18n import catalog
from tests.web.test_browser import browser, page, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

ZH = catalog("zh-TW").briefing
THEME = "觀光振興"


def section_headings(tab) -> list[str]:
    return [h.strip() for h in tab.locator(".briefing-preview .section-heading").all_inner_texts()]


def test_slides_run_on_reveal_and_move_with_the_keyboard(page, real_settings) -> None:  # noqa: F811
    if not real_settings.reveal_dir.is_dir():
        pytest.skip(f"reveal.js is not installed at {real_settings.reveal_dir} (make installs it from npm)")
    page.goto("/briefings/export?" + urlencode({"theme": THEME, "format": "slides"}))
    page.locator(".reveal.ready").wait_for(state="attached")
    assert page.evaluate("Reveal.isReady()") is True
    assert page.evaluate("Reveal.getIndices().h") == 0
    assert page.evaluate("Reveal.getTotalSlides()") == page.locator(".slides > section").count() >= 9
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("Reveal.getIndices().h === 2")
    assert page.evaluate("Reveal.getIndices().h") == 2
    assert page.evaluate("Reveal.getCurrentSlide().dataset.kind") == "case"
    page.keyboard.press("f")  # full screen: headless Chromium may refuse, the page must not break
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("Reveal.getIndices().h === 1")


def test_section_order_can_be_changed_before_building(page) -> None:  # noqa: F811
    page.goto("/briefings?" + urlencode({"theme": THEME}))
    assert section_headings(page)[:2] == [ZH["sec_rules"], ZH["sec_cases"]]
    first = page.locator(".section-order li").first
    first.locator("[data-move=down]").click()
    order = page.locator(".section-order li input[name=section]").evaluate_all("els => els.map(e => e.value)")
    assert order[:2] == ["cases", "rules"]
    with page.expect_navigation():
        page.locator("#briefing-form button[type=submit]").click()
    page.locator("#briefing-result").wait_for()
    assert "section=cases" in page.url
    assert section_headings(page)[:2] == [ZH["sec_cases"], ZH["sec_rules"]]


def test_basket_cases_become_the_packs_cases(page, real_services) -> None:  # noqa: F811
    case_id, case = sorted(real_services.cases.cases.items())[0]
    page.goto(f"/cases/{case_id}")
    add = page.locator("[data-basket-add]")
    add.click()
    assert add.get_attribute("aria-pressed") == "true"
    page.goto("/briefings")
    assert page.locator("#basket li").count() == 1
    assert case.title in page.locator("#basket").inner_text()
    with page.expect_navigation():
        page.locator("#basket-use").click()
    page.locator("#briefing-result").wait_for()
    assert f"case={case_id}" in page.url
    titles = [t.strip() for t in page.locator(".briefing-preview article.case h3").all_inner_texts()]
    assert titles == [case.title]
