"""Staff administration as its users meet it: log in with a token, upload, replace and delete documents on the
page (CSRF-protected forms) and through the API (bearer tokens), watch indexing finish, read and export
feedback; readers, bad tokens, bad files and closed public access are refused clearly."""

from __future__ import annotations

import io
import re
import time

import pytest
from fastapi.testclient import TestClient

from app.knowledge.service import KnowledgeBase
from app.services import build_services
from app.web.app import create_app
from app.web.auth import hash_token
from tests.conftest import HashingEmbedder

ADMIN, READER = "admin-token-for-tests-0123456789", "reader-token-for-tests-0123456789"
NOTE = "# 鹿野鄉茶園計畫\n\n鹿野鄉的紅烏龍茶園在2025年接待了3,200名體驗遊客，目標是2027年達到5,000名。\n"


@pytest.fixture(scope="module")
def settings(real_settings, tmp_path_factory):
    """Its own data directory and a fast embedder: uploads here never reach the session's shared index."""
    return real_settings.model_copy(
        update={
            "data_dir": tmp_path_factory.mktemp("admin-data"),
            "chroma_host": None,
            "tokens": {hash_token(ADMIN): "admin", hash_token(READER): "reader"},
            "upload_max_mb": 1,
            "cookie_secure": True,
        }
    )


@pytest.fixture(scope="module")
def services(settings):
    return build_services(settings, knowledge=KnowledgeBase(settings, embedder=HashingEmbedder()))


@pytest.fixture(scope="module")
def app(settings, services):
    return create_app(settings, services=services)


@pytest.fixture
def browser(app):
    """A browser on HTTPS (the session and CSRF cookies are Secure)."""
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


@pytest.fixture
def api(app):
    with TestClient(app, base_url="https://testserver") as client:
        client.headers["Authorization"] = f"Bearer {ADMIN}"
        yield client


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path, follow_redirects=True)
    assert page.status_code == 200, page.text[:300]
    return re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)


def log_in(client: TestClient, token: str = ADMIN) -> None:
    response = client.post(
        "/login", data={"csrftoken": csrf(client, "/login"), "token": token, "next": "/admin"}
    )
    assert response.status_code == 303, response.text[:300]


def wait_indexed(api: TestClient, doc_id: str | None = None, gone: str | None = None) -> dict:
    deadline = time.monotonic() + 60
    while True:
        listing = api.get("/api/admin/documents").json()
        busy = any(job["status"] in ("queued", "running") for job in listing["jobs"])
        docs = {d["doc_id"]: d for d in listing["documents"]}
        if (
            not busy
            and (doc_id is None or docs.get(doc_id, {}).get("indexed"))
            and (gone is None or gone not in docs)
        ):
            return listing
        assert time.monotonic() < deadline, listing
        time.sleep(0.2)


def test_the_admin_page_needs_a_login_and_a_token_that_is_right(browser) -> None:
    response = browser.get("/admin")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fadmin"
    token = csrf(browser, "/login")
    wrong = browser.post("/login", data={"csrftoken": token, "token": "guess", "next": "/admin"})
    assert wrong.status_code == 401 and "權杖不正確" in wrong.text
    right = browser.post("/login", data={"csrftoken": token, "token": ADMIN, "next": "/admin"})
    assert right.status_code == 303 and right.headers["location"] == "/admin"
    cookie = right.headers["set-cookie"].lower()
    assert (
        "sosei_session=" in cookie
        and "httponly" in cookie
        and "secure" in cookie
        and "samesite=strict" in cookie
    )
    assert ADMIN not in right.headers["set-cookie"]  # the cookie is a signed role, never the token
    assert browser.get("/admin").status_code == 200


def test_forms_without_their_csrf_token_are_refused(browser) -> None:
    csrf(browser, "/login")  # the visitor now has the CSRF cookie, as any browser that loaded a page does
    assert browser.post("/login", data={"token": ADMIN, "next": "/admin"}).status_code == 403
    assert browser.post("/login", data={"csrftoken": "forged", "token": ADMIN}).status_code == 403
    log_in(browser)
    forged = browser.post("/admin/documents", files={"file": ("a.txt", b"text", "text/plain")})
    assert forged.status_code == 403
    review = browser.post("/review", data={"kpis": "觀光客人數增加10%"})  # public forms too
    assert review.status_code == 403


def test_login_never_redirects_off_the_site(browser) -> None:
    token = csrf(browser, "/login")
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = browser.post("/login", data={"csrftoken": token, "token": ADMIN, "next": target})
        assert response.headers["location"] == "/admin", target


def test_a_reader_may_not_administer(browser) -> None:
    log_in(browser, READER)
    page = browser.get("/admin")
    assert page.status_code == 403 and "沒有權限" in page.text


def test_upload_replace_and_delete_on_the_page(browser, api) -> None:
    log_in(browser)
    form = csrf(browser, "/admin")
    sent = browser.post(
        "/admin/documents",
        data={"csrftoken": form},
        files={"file": ("鹿野茶園.md", NOTE.encode(), "text/markdown")},
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/admin?done=add"
    doc_id = api.get("/api/admin/documents").json()["documents"][0]["doc_id"]
    wait_indexed(api, doc_id)
    page = browser.get("/admin").text
    assert "鹿野鄉茶園計畫" in page and "已索引" in page
    document = browser.get(f"/documents/{doc_id}")  # what a citation of it opens
    assert document.status_code == 200 and "上傳文件" in document.text and "3,200名體驗遊客" in document.text
    hits = api.post("/api/search", json={"query": "紅烏龍茶園體驗遊客", "kind": "upload"}).json()["hits"]
    assert hits and hits[0]["doc_id"] == doc_id and hits[0]["kind"] == "upload"

    replaced = browser.post(
        f"/admin/documents/{doc_id}/replace",
        data={"csrftoken": csrf(browser, "/admin")},
        files={"file": ("鹿野茶園.md", NOTE.replace("5,000", "6,000").encode(), "text/markdown")},
    )
    assert replaced.status_code == 303
    wait_indexed(api, doc_id)
    text = api.post("/api/search", json={"query": "紅烏龍茶園", "kind": "upload"}).json()["hits"][0]["text"]
    assert "6,000" in text and "5,000" not in text

    deleted = browser.post(f"/admin/documents/{doc_id}/delete", data={"csrftoken": csrf(browser, "/admin")})
    assert deleted.status_code == 303
    wait_indexed(api, gone=doc_id)
    assert api.post("/api/search", json={"query": "紅烏龍茶園", "kind": "upload"}).json()["hits"] == []


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "status", "says"),
    [
        ("tool.exe", b"MZ", 415, ".md, .txt, .pdf, .docx"),
        ("empty.txt", b"", 400, "is empty"),
        ("fake.pdf", b"hello", 415, "is not a PDF file"),
        ("latin1.txt", "café".encode("latin-1"), 415, "not UTF-8"),
        ("big.txt", b"a" * 1_050_000, 413, "over 1 MB"),
        ("huge.txt", b"a" * 3_000_000, 413, "request body over"),
        ("scan.pdf", None, 422, "no text could be extracted"),
    ],
)
def test_bad_files_get_a_clear_error_and_leave_nothing(api, name, data, status, says) -> None:
    data = _blank_pdf() if data is None else data
    response = api.post("/api/admin/documents", files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == status and says in response.json()["error"]
    assert all(d["file_name"] != name for d in api.get("/api/admin/documents").json()["documents"])


def test_the_page_shows_an_upload_error_in_its_language(browser) -> None:
    log_in(browser)
    page = browser.post(
        "/admin/documents?lang=en",
        data={"csrftoken": csrf(browser, "/admin")},
        files={"file": ("x.exe", b"MZ")},
    )
    assert page.status_code == 415 and "sosei reads" in page.text and "Documents" in page.text


def test_the_api_takes_bearer_tokens_by_role(app, api) -> None:
    with TestClient(app, base_url="https://testserver") as anonymous:
        response = anonymous.get("/api/admin/documents")
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
        reader = anonymous.get("/api/admin/documents", headers={"Authorization": f"Bearer {READER}"})
        assert reader.status_code == 403
    job = api.post(
        "/api/admin/documents", files={"file": ("minutes.txt", "會議紀錄：老街空店鋪共41間。".encode())}
    )
    assert job.status_code == 202 and job.json()["status"] in ("queued", "running", "done")
    deadline = time.monotonic() + 60
    while (state := api.get(f"/api/admin/jobs/{job.json()['id']}").json())["status"] != "done":
        assert state["status"] != "failed" and time.monotonic() < deadline, state
        time.sleep(0.2)
    assert state["total_chunks"] >= 1 and state["done_chunks"] == state["total_chunks"]
    doc_id = job.json()["doc_id"]
    again = api.post("/api/admin/documents", files={"file": ("minutes.txt", b"again")})
    assert again.status_code == 409
    assert api.delete(f"/api/admin/documents/{doc_id}").status_code == 202
    assert api.delete(f"/api/admin/documents/{doc_id}").status_code == 404 or wait_indexed(api, gone=doc_id)
    assert api.get("/api/admin/jobs/999999").status_code == 404


def test_feedback_can_be_read_and_exported_as_csv(browser, api) -> None:
    rating = {"question": '=HYPERLINK("http://x")', "answer": "答案", "rating": "down", "comment": "看不懂"}
    assert api.post("/api/feedback", json=rating).status_code == 200
    log_in(browser)
    page = browser.get("/admin/feedback")
    assert page.status_code == 200 and "看不懂" in page.text
    csv_text = browser.get("/admin/feedback.csv").content.decode("utf-8")
    assert csv_text.startswith("\ufeffid,created_at,rating")
    assert "'=HYPERLINK" in csv_text  # spreadsheet formulas are neutralised
    assert api.get("/api/admin/feedback.csv").text == csv_text


def test_public_access_can_be_closed(settings, services) -> None:
    closed = create_app(settings.model_copy(update={"public_access": False}), services=services)
    with TestClient(closed, base_url="https://testserver", follow_redirects=False) as client:
        assert client.get("/").headers["location"] == "/login?next=%2F"
        assert client.post("/api/ask", json={"question": "PDCA 是什麼？"}).status_code == 401
        assert client.get("/healthz").status_code == 200  # health checks stay open
        asked = client.post(
            "/api/ask", json={"question": "PDCA 是什麼？"}, headers={"Authorization": f"Bearer {READER}"}
        )
        assert asked.status_code == 200
        log_in_reader = client.post(
            "/login", data={"csrftoken": csrf(client, "/login"), "token": READER, "next": "/cases"}
        )
        assert log_in_reader.headers["location"] == "/cases"
        assert client.get("/cases").status_code == 200
