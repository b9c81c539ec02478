"""HTML pages with the real index: every page in both languages, filters, 404s, the review form, the
Markdown download and escaping of untrusted text."""

from __future__ import annotations

import base64
import html as html_lib
import json
import re

import pytest
import yaml
from fastapi.testclient import TestClient

from app.cases.library import CaseLibrary
from app.knowledge.corpus import Corpus
from app.knowledge.documents import FACTORS, Document, load_corpus
from app.web.app import create_app
from app.web.deps import get_cases, get_corpus
from app.web.markdown import render_markdown, section_id, split_at_table
from tests.conftest import FormClient

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def client(real_settings, real_services):
    with FormClient(create_app(real_settings, services=real_services)) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def default_language(client) -> None:
    """Each test starts in the default language: the `lang` cookie of an earlier test is dropped."""
    client.cookies.clear()


@pytest.fixture(scope="module")
def corpus(real_settings) -> dict[str, Document]:
    return {d.id: d for d in load_corpus(real_settings.corpus_dir)}


def case_with_kpis(corpus: dict[str, Document]) -> Document:
    return next(d for d in corpus.values() if d.kind == "case" and len({k.level for k in d.kpis}) >= 2)


PAGES = [
    "/",
    "/cases",
    "/cases?category=觀光振興&factor=cross_region&country=JP&q=DMO",
    "/similar",
    "/similar?text=老街空店活化",
    "/review",
    "/review?example=1",
    "/guidelines",
    "/documents/gl-kpi-example-table",
    "/documents/article-seed-kpi-driving-factors",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    ("lang", "nav"),
    [("zh-TW", ["問答", "案例", "KPI 審查", "指南"]), ("en", ["Ask", "Cases", "KPI review", "Guidelines"])],
)
def test_every_page_renders_in_both_languages(client, path, lang, nav) -> None:
    sep = "&" if "?" in path else "?"
    response = client.get(f"{path}{sep}lang={lang}")
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert f'<html lang="{lang}">' in html
    assert "sosei 創生" in html and 'href="#main"' in html and 'id="main"' in html
    for label in nav:
        assert f">{label}</a>" in html
    assert "/static/sosei.css" in html
    assert not re.search(r"""(src|href)=["']https?://(?!127\.0\.0\.1)[^"']*\.(css|js|woff2?)""", html)


def test_case_page_in_both_languages(client, corpus) -> None:
    case = case_with_kpis(corpus)
    zh = client.get(f"/cases/{case.id}?lang=zh-TW").text
    en = client.get(f"/cases/{case.id}?lang=en").text
    assert "相似案例" in zh and "Similar cases" in en
    assert FACTORS[case.factors[0]] in zh


def test_language_choice_is_remembered_in_a_cookie(real_settings, real_services) -> None:
    with FormClient(create_app(real_settings, services=real_services)) as fresh:
        response = fresh.get("/?lang=en")
        assert response.cookies.get("lang") == "en"
        assert '<html lang="en">' in fresh.get("/cases").text
        assert '<html lang="zh-TW">' in fresh.get("/cases?lang=zh-TW").text
        assert '<html lang="zh-TW">' in fresh.get("/guidelines").text
        assert '<html lang="zh-TW">' in fresh.get("/?lang=fr").text  # unknown language: the default


def test_static_assets_are_served(client) -> None:
    assert client.get("/static/sosei.css").status_code == 200
    js = client.get("/static/chat.js")
    assert js.status_code == 200 and "getReader" in js.text and "innerHTML" not in js.text
    panel = client.get("/static/passage.js")
    assert panel.status_code == 200 and "textContent" in panel.text and "innerHTML" not in panel.text


# --- cases ----------------------------------------------------------------------------------------------------
def card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="case-card-title"><a href="/cases/([^"]+)">', html)


def test_case_filters(client, corpus) -> None:
    cases = [d for d in corpus.values() if d.kind == "case"]
    everything = card_titles(client.get("/cases").text)
    assert len(everything) == len(cases)

    tourism = card_titles(client.get("/cases", params={"category": "觀光振興"}).text)
    assert tourism and set(tourism) == {d.id for d in cases if d.category == "觀光振興"}

    jp_talent = card_titles(client.get("/cases", params={"factor": "talent", "country": "JP"}).text)
    assert jp_talent and set(jp_talent) == {
        d.id for d in cases if "talent" in d.factors and d.country == "JP"
    }

    text = card_titles(client.get("/cases", params={"q": "益子"}).text)
    assert "jp-mashiko-ware" in text and len(text) < len(cases)

    html = client.get("/cases", params={"category": "觀光振興"}).text
    assert 'value="觀光振興" selected' in html
    assert re.search(r"觀光振興 \(\d+\)", html)  # counts per option

    nothing = client.get("/cases", params={"q": "沒有這種字串的案例xyz"})
    assert nothing.status_code == 200 and "沒有符合條件的案例" in nothing.text
    unknown = client.get("/cases", params={"category": "旅遊", "factor": "luck"})
    assert unknown.status_code == 200 and len(card_titles(unknown.text)) == len(cases)


def test_case_cards_show_kpi_count_or_unpublished(client, corpus) -> None:
    html = client.get("/cases").text
    with_kpis = case_with_kpis(corpus)
    assert f"{len(with_kpis.kpis)} 項 KPI" in html
    if any(d.kind == "case" and not d.kpis for d in corpus.values()):
        assert "未公開KPI" in html


def test_case_page_shows_everything(client, corpus) -> None:
    case = case_with_kpis(corpus)
    html = client.get(f"/cases/{case.id}").text
    assert case.title in html and (case.place or "") in html
    for level in {k.level for k in case.kpis}:
        assert f"level-{level}" in html
    assert "綜合成果 overall" in html or "計畫成果 outcome" in html
    for source in case.sources:
        if source.url:
            assert f'href="{source.url}"' in html
    similar = html.split('id="similar-heading"', 1)[1]
    assert f'href="/cases/{case.id}"' not in similar
    assert similar.count('class="case-card"') >= 1
    assert client.get("/cases/no-such-case").status_code == 404


def test_similar_form_finds_comparable_cases(client) -> None:
    response = client.post("/similar", data={"text": "身心障礙者投入農業生產並在市府販售農產品"})
    assert response.status_code == 200
    assert 'href="/cases/jp-suzuka-agri-welfare"' in response.text
    empty = client.post("/similar", data={"text": "   "})
    assert empty.status_code == 200 and "請先輸入計畫說明" in empty.text


# --- guidelines and documents ---------------------------------------------------------------------------------
def test_guidelines_have_anchors_topics_and_the_example_table(client, corpus) -> None:
    html = client.get("/guidelines").text
    guidelines = [d for d in corpus.values() if d.kind == "guideline"]
    for doc in guidelines:
        assert f'id="{doc.id}"' in html
    for topic in {d.topic for d in guidelines}:
        assert f'id="topic-{topic}"' in html
    table = corpus["gl-kpi-example-table"]
    section = html.split('id="gl-kpi-example-table"', 1)[1].split("</article>", 1)[0]
    assert 'class="data-table example-table"' in section
    assert section.count("<tr>") == len(table.rows) + 1
    for row in table.rows:
        for item in row["outcome"]:
            assert item in section
    for label in FACTORS.values():
        assert label in html


def test_document_pages(client, corpus) -> None:
    article = client.get("/documents/article-seed-kpi-driving-factors")
    assert article.status_code == 200 and "謝子涵" in article.text and "<h2" in article.text
    guideline = client.get("/documents/gl-kpi-directness")
    assert guideline.status_code == 200 and corpus["gl-kpi-directness"].title in guideline.text
    redirect = client.get("/documents/jp-mashiko-ware", follow_redirects=False)
    assert redirect.status_code == 307 and redirect.headers["location"] == "/cases/jp-mashiko-ware"


@pytest.mark.parametrize("path", ["/documents/no-such-doc", "/cases/no-such-case", "/no/such/page"])
def test_unknown_pages_get_the_html_404(client, path) -> None:
    for lang, text in (("zh-TW", "找不到這個頁面"), ("en", "Page not found")):
        response = client.get(f"{path}?lang={lang}")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html") and text in response.text


def test_api_404_stays_json(client) -> None:
    response = client.get("/api/cases/no-such-case")
    assert response.status_code == 404 and response.json()["error"]


# --- KPI review -----------------------------------------------------------------------------------------------
GOOD = {
    "title": "老街空店活化計畫",
    "category": "街區營造",
    "description": "鎮公所與老街商圈協會合作，活化老街空店舖，媒合返鄉青年進駐開店。",
    "budget": "5,000,000",
    "kpis": "老街空店舖數由40間減少至28間（2027年）\n老街居民生活滿意度提升\n\n辦理空店媒合說明會20場\n",
}


def test_review_form_renders_the_critique(client) -> None:
    response = client.post("/review", data=GOOD)
    assert response.status_code == 200
    html = response.text
    assert 'class="critique"' in html
    assert 'class="finding sev-error"' in html and "subjective" in html
    assert 'class="evidence"' in html and 'href="/documents/gl-' in html
    # each rule's guideline text is quoted once, and each finding links to it
    for code in ("subjective", "no_baseline"):
        assert html.count(f'id="evidence-{code}"') == 1 and f'href="#evidence-{code}"' in html
    assert html.count('class="kpi-card') == 3
    assert ">老街空店舖數由40間減少至28間（2027年）\n老街居民生活滿意度提升" in html  # the form is refilled
    assert 'value="5,000,000"' in html
    assert "下載 Markdown" in html and 'action="/review/report.md"' in html
    en = client.post("/review?lang=en", data=GOOD).text
    assert "Download Markdown" in en and "Suggestion" in en and ">Objective<" in en


def test_review_example_is_prefilled(client) -> None:
    html = client.get("/review?example=1").text
    assert 'value="老街空店活化計畫"' in html and "經諮詢後實際移居人數由8人增加至25人（2027年）" in html
    assert 'value="街區營造" selected' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "x", "kpis": "  \n "}, "kpis"),
        ({"title": "x", "kpis": "人數由1增加至2", "budget": "五百萬"}, "budget"),
        ({"title": "x" * 300, "kpis": "人數由1增加至2"}, "計畫名稱超過 200 字"),
        ({"kpis": "人數由1增加至2\n" + "x" * 600}, "第 2 個 KPI"),  # counted from 1, in the page's language
        ({"kpis": "人數由1增加至2", "category": "旅遊"}, "類別"),
        ({"kpis": "人數由1增加至2", "budget": "-5"}, "預算"),
    ],
)
def test_bad_review_input_rerenders_the_form_with_a_message(client, data, message) -> None:
    response = client.post("/review", data=data)
    assert response.status_code == 422
    assert 'class="error-box"' in response.text and message in response.text
    assert 'id="r-kpis"' in response.text  # the form is still there


def test_review_errors_follow_the_page_language(client) -> None:
    response = client.post("/review?lang=en", data={"kpis": "人數由1增加至2\n" + "x" * 600})
    assert response.status_code == 422 and "KPI 2 is longer than 500 characters" in response.text


def test_review_accepts_yaml_and_json_uploads(client) -> None:
    plan = {
        "title": "上傳的計畫",
        "kpis": [
            "全市觀光人數成長10%",
            {"name": "移居人數", "level": "outcome", "baseline": 3, "target": 9, "deadline": 2027},
        ],
    }
    as_yaml = client.post("/review", files={"file": ("plan.yaml", yaml.safe_dump(plan, allow_unicode=True))})
    assert as_yaml.status_code == 200 and "上傳的計畫" in as_yaml.text and "indirect" in as_yaml.text
    assert "plan.yaml" in as_yaml.text and 'name="plan_json"' in as_yaml.text
    as_json = client.post("/review", files={"file": ("plan.json", json.dumps(plan))}, data={"kpis": ""})
    assert as_json.status_code == 200 and "上傳的計畫" in as_json.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.yaml", "title: [unclosed", "YAML"),
        ("plan.json", "{not json", "JSON"),
        ("plan.txt", "kpis: [a]", "unsupported"),
        ("plan.yaml", "- just\n- a list\n", "kpis"),
        ("plan.yaml", b"\xff\xfe\x00bad", "UTF-8"),
    ],
)
def test_bad_uploads_get_a_clear_message(client, name, content, message) -> None:
    response = client.post("/review", files={"file": (name, content)})
    assert response.status_code == 422 and message in response.text


def test_markdown_download(client) -> None:
    response = client.post("/review/report.md", data=GOOD)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.startswith("# KPI 審查報告：老街空店活化計畫")
    assert "subjective" in response.text
    bad = client.post("/review/report.md", data={"kpis": ""})
    assert bad.status_code == 422 and "error-box" in bad.text


def test_markdown_download_of_an_uploaded_plan_keeps_its_structure(client) -> None:
    plan = {"title": "結構化", "kpis": [{"name": "移居人數", "level": "output", "target": 9}]}
    page = client.post(
        "/review", files={"file": ("plan.yaml", yaml.safe_dump(plan, allow_unicode=True))}
    ).text
    plan_json = re.search(r'name="plan_json" value="([^"]*)"', page).group(1)
    report = client.post(
        "/review/report.md", data={"plan_json": html_lib.unescape(plan_json), "file_name": "plan.yaml"}
    ).text
    assert "計畫產出 output" in report  # the declared level, not the inferred one


# --- escaping -------------------------------------------------------------------------------------------------
def test_plan_text_is_escaped(client) -> None:
    data = {
        "title": SCRIPT,
        "description": SCRIPT,
        "kpis": f"{SCRIPT}人數由1增加至2（2027年）\n<b>滿意度</b>提升",
    }
    html = client.post("/review", data=data).text
    assert SCRIPT not in html and "<b>滿意度" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;滿意度" in html


def test_corpus_text_is_escaped_on_every_page(real_settings, real_services) -> None:
    evil = Document(
        id="tw-evil-case",
        kind="case",
        title=f"{SCRIPT}惡意案例",
        country="TW",
        place="<b>某鄉</b>",
        category="觀光振興",
        factors=["talent"],
        actors=[SCRIPT],
        project=SCRIPT,
        kpis=[
            {
                "name": f"{SCRIPT}來客數",
                "level": "outcome",
                "note": "<i>x</i>",
                "source": "javascript:alert(1)",
            }
        ],
        facts=[{"what": SCRIPT, "value": "<b>1</b>", "year": 2024, "source": "javascript:alert(1)"}],
        sources=[{"title": SCRIPT, "url": "javascript:alert(1)"}],
        body=f"## 概要{SCRIPT}\n\n{SCRIPT}<img src=x onerror=alert(1)>\n\n[連結](javascript:alert(1))",
    )
    corpus = Corpus(real_settings.corpus_dir)
    corpus.documents[evil.id] = evil
    corpus.documents["gl-evil"] = evil.model_copy(
        update={"id": "gl-evil", "kind": "guideline", "topic": "background"}
    )
    app = create_app(real_settings, services=real_services)
    app.dependency_overrides[get_corpus] = lambda: corpus
    app.dependency_overrides[get_cases] = lambda: CaseLibrary(real_services.knowledge, corpus)
    with TestClient(app) as fresh:
        pages = [
            fresh.get("/cases").text,
            fresh.get("/cases/tw-evil-case").text,
            fresh.get("/guidelines").text,
            fresh.get("/documents/gl-evil").text,
        ]
    for html in pages:
        assert SCRIPT not in html and "<b>某鄉" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
        assert 'href="javascript:' not in html


def test_markdown_renderer_has_no_raw_html_and_anchors_sections() -> None:
    html = render_markdown(
        f"## 概要 一\n\n{SCRIPT}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[x](https://example.org)", 1
    )
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert f'<h3 id="{section_id("概要 一")}">' in html and section_id("概要 一") == "sec-概要-一"
    assert '<div class="table-wrap"><table>' in html
    assert 'rel="noopener noreferrer"' in html
    before, after = split_at_table("intro\n\n| a |\n|---|\n| 1 |\n\noutro")
    assert before.strip() == "intro" and after.strip() == "outro"


def test_glossary_page_lists_every_term_in_three_languages(client) -> None:
    from app.i18n.glossary import glossary

    html = client.get("/glossary").text
    assert "三語詞彙表" in html
    terms = glossary()
    public_private = terms.factors["public_private"]
    for name in (public_private.zh, public_private.ja, public_private.en):
        assert name and name in html
    assert 'href="/documents/gl-pdca"' in html  # a concept links to the guideline that explains it
    assert html.count('<tr id="term-') == len(terms.terms()) + len(terms.principles) + len(terms.countries)
    english = client.get("/glossary?lang=en").text
    assert "Trilingual glossary" in english and "三語詞彙表" not in english


def test_a_case_page_shows_each_figure_with_its_own_year(client, corpus) -> None:
    case = corpus["jp-setouchi-dmo"]
    kpi = next(k for k in case.kpis if k.figures >= 3)
    html = client.get(f"/cases/{case.id}?lang=zh-TW").text
    assert '<th scope="col">實績</th>' in html
    for figure in ("baseline", "target", "actual"):
        assert f"（{getattr(kpi, figure + '_year')}）" in html
    english = client.get(f"/cases/{case.id}?lang=en").text
    assert '<th scope="col">Actual</th>' in english and f" ({kpi.actual_year})" in english


def test_review_shows_what_was_read_from_a_pasted_row_a_range_and_a_bare_change(client) -> None:
    kpis = "| 街區市集攤商進駐 | 攤 | 6 | 20 | 115年 |\n由8萬元提升至10～12萬元（116年）\n大約增加300萬元"
    html = " ".join(client.post("/review", data={"title": "測試", "kpis": kpis}).text.split())
    assert "基準 6 · 目標 20 攤" in html and "期限 2026" in html  # the row's cells, in their columns' roles
    assert "目標 100,000–120,000 元" in html  # a range keeps both ends
    assert "增減 +3,000,000 元" in html  # a change with no baseline is shown as what it is


def test_cases_review_and_case_pages_draw_their_charts_and_chains(client) -> None:
    """The level mix across the corpus, a case's own chain and its target against its actual, and a reviewed
    plan's chain with its findings by rule. Charts are SVG images (data: URIs), diagrams inline SVG; no script."""

    def charts(page: str) -> list[str]:
        uris = re.findall(r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)"', page)
        return [base64.b64decode(uri).decode("utf-8") for uri in uris]

    cases = client.get("/cases").text
    assert 'class="diagram level-chart"' in cases and any("觀光振興" in chart for chart in charts(cases))
    sakai = client.get("/cases/jp-sakai-senkogata").text
    assert 'class="diagram target-chart"' in sakai and 'class="section chain-section"' in sakai
    assert 'data-basket-add="jp-sakai-senkogata"' in sakai
    assert (
        'id="pdca-heading"' in client.get("/cases/jp-mashiko-ware").text and 'id="pdca-heading"' not in sakai
    )
    review = client.post(
        "/review", data={"title": "老街", "kpis": "辦理老街導覽活動20場\n全鎮觀光人數成長10%"}
    ).text
    assert "critique-drawings" in review and "缺計畫成果指標" in review
    for page in (cases, sakai, review):
        drawn = charts(page) + re.findall(r"<svg.*?</svg>", page, flags=re.S)
        assert drawn and not any("<script" in svg for svg in drawn)


def test_security_headers_and_allowed_hosts(client) -> None:
    """A CSP with no 'unsafe-inline', no sniffing, no framing; a Host header not in SOSEI_ALLOWED_HOSTS gets 400
    (DNS rebinding)."""
    for path in ("/", "/cases/jp-sakai-senkogata", "/api/cases"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
