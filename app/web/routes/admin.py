"""Staff administration: log in, upload / replace / delete documents, watch indexing, read and export feedback.

Pages (`/login`, `/admin…`) use a session cookie and CSRF-protected forms; the API (`/api/admin/…`) takes a
bearer token. Both call the one UploadService (app/uploads/).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.uploads.schemas import DocumentList, Job
from app.uploads.service import UploadError, UploadService
from app.web.auth import SESSION_COOKIE, AdminApi, AdminPage, CsrfChecked, Sessions, role_of
from app.web.deps import FeedbackDep, PageDep, UploadsDep
from app.web.ratelimit import limiter, login_limit
from app.web.responses import error
from app.web.templating import Page

FileField = Annotated[UploadFile, File(description="The document: .md, .txt, .pdf or .docx")]
pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/admin", tags=["admin"])
ADMIN_ERRORS = {
    **error(401, "No access token, or an unknown one"),
    **error(403, "The token's role may not do this"),
}
UPLOAD_ERRORS = {
    **error(404, "No uploaded document with this id"),
    **error(409, "A document with this file name is already uploaded"),
    **error(413, "The file is over the upload limit"),
    **error(415, "Not a .md, .txt, .pdf or .docx file, or not what its name says"),
    **error(422, "No text could be read from the file"),
}


def _safe_next(target: str) -> str:
    """Only a path on this site: never `//elsewhere` or `https://elsewhere` (no open redirect)."""
    return (
        target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/admin"
    )


async def _read(upload: UploadFile, service: UploadService) -> tuple[str, bytes]:
    data = await upload.read(service.max_bytes + 1)  # one byte more tells "too large" without reading it all
    return upload.filename or "", data


# --- login -----------------------------------------------------------------------------------------------------


def _login_page(page: Page, next: str, status_code: int = 200, error: str | None = None) -> HTMLResponse:
    hours = f"{page.request.app.state.settings.session_hours:g}"
    return page.render(
        "login.html", "login", status_code=status_code, next=_safe_next(next), error=error, hours=hours
    )


@pages.get("/login", response_class=HTMLResponse)
def login_page(page: PageDep, next: str = "/admin") -> HTMLResponse:
    return _login_page(page, next)


@pages.post("/login", response_class=HTMLResponse, response_model=None, dependencies=[CsrfChecked])
@limiter.limit(login_limit)
def login(
    request: Request,
    page: PageDep,
    token: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form()] = "/admin",
) -> Response:
    role = role_of(request.app.state.settings, token)
    if role is None:
        return _login_page(page, next, status_code=401, error=page.strings["login_failed"])
    target = _safe_next(next)
    if target.startswith("/admin") and role != "admin":
        target = "/"
    response = RedirectResponse(target, status_code=303)
    sessions: Sessions = request.app.state.sessions
    sessions.set_cookie(response, role)
    return response


@pages.post("/logout", dependencies=[CsrfChecked])
def logout() -> RedirectResponse:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- the admin pages -------------------------------------------------------------------------------------------


def _admin(page: Page, uploads: UploadService, status_code: int = 200, **context: object) -> HTMLResponse:
    listing = uploads.listing()
    busy = any(job.status in ("queued", "running") for job in listing.jobs)
    return page.render(
        "admin.html",
        "admin",
        status_code=status_code,
        listing=listing,
        busy=busy,
        max_mb=uploads.settings.upload_max_mb,
        **{"error": None, "notice": None, **context},
    )


@pages.get("/admin", response_class=HTMLResponse)
def admin_page(_: AdminPage, page: PageDep, uploads: UploadsDep, done: str = "") -> HTMLResponse:
    notice = page.strings.get(f"admin_done_{done}") if done in ("add", "replace", "delete") else None
    return _admin(page, uploads, notice=notice)


@pages.post("/admin/documents", response_class=HTMLResponse, response_model=None, dependencies=[CsrfChecked])
async def admin_upload(_: AdminPage, page: PageDep, uploads: UploadsDep, file: FileField) -> Response:
    try:
        uploads.add(*await _read(file, uploads))
    except UploadError as exc:
        return _admin(page, uploads, status_code=exc.status, error=str(exc))
    return RedirectResponse("/admin?done=add", status_code=303)


@pages.post(
    "/admin/documents/{doc_id}/replace",
    response_class=HTMLResponse,
    response_model=None,
    dependencies=[CsrfChecked],
)
async def admin_replace(
    _: AdminPage, page: PageDep, uploads: UploadsDep, doc_id: str, file: FileField
) -> Response:
    try:
        uploads.replace(doc_id, *await _read(file, uploads))
    except UploadError as exc:
        return _admin(page, uploads, status_code=exc.status, error=str(exc))
    return RedirectResponse("/admin?done=replace", status_code=303)


@pages.post(
    "/admin/documents/{doc_id}/delete",
    response_class=HTMLResponse,
    response_model=None,
    dependencies=[CsrfChecked],
)
def admin_delete(_: AdminPage, page: PageDep, uploads: UploadsDep, doc_id: str) -> Response:
    try:
        uploads.delete(doc_id)
    except UploadError as exc:
        return _admin(page, uploads, status_code=exc.status, error=str(exc))
    return RedirectResponse("/admin?done=delete", status_code=303)


@pages.get("/admin/feedback", response_class=HTMLResponse)
def admin_feedback(_: AdminPage, page: PageDep, feedback: FeedbackDep) -> HTMLResponse:
    return page.render("admin_feedback.html", "admin", rows=feedback.recent(200))


def _csv(feedback: FeedbackDep) -> Response:
    return Response(
        feedback.to_csv(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f"attachment; filename=\"feedback.csv\"; filename*=UTF-8''{quote('回饋.csv')}"
        },
    )


@pages.get("/admin/feedback.csv")
def admin_feedback_csv(_: AdminPage, feedback: FeedbackDep) -> Response:
    return _csv(feedback)


# --- the admin API ---------------------------------------------------------------------------------------------


def _error(exc: UploadError) -> JSONResponse:
    return JSONResponse(status_code=exc.status, content={"error": str(exc)})


@api.get("/documents", response_model=DocumentList, responses=ADMIN_ERRORS)
def list_documents(_: AdminApi, uploads: UploadsDep) -> DocumentList:
    """Uploaded documents (whether each is indexed yet) and the latest indexing jobs."""
    return uploads.listing()


@api.post("/documents", status_code=202, response_model=Job, responses={**ADMIN_ERRORS, **UPLOAD_ERRORS})
async def upload_document(_: AdminApi, uploads: UploadsDep, file: FileField) -> Job | JSONResponse:
    """Add a document (.md .txt .pdf .docx): stored at once, indexed in the background (poll the job)."""
    try:
        return uploads.add(*await _read(file, uploads))
    except UploadError as exc:
        return _error(exc)


@api.put(
    "/documents/{doc_id}", status_code=202, response_model=Job, responses={**ADMIN_ERRORS, **UPLOAD_ERRORS}
)
async def replace_document(
    _: AdminApi, uploads: UploadsDep, doc_id: str, file: FileField
) -> Job | JSONResponse:
    """Replace an uploaded document with a new file; re-indexed in the background."""
    try:
        return uploads.replace(doc_id, *await _read(file, uploads))
    except UploadError as exc:
        return _error(exc)


@api.delete(
    "/documents/{doc_id}", status_code=202, response_model=Job, responses={**ADMIN_ERRORS, **UPLOAD_ERRORS}
)
def delete_document(_: AdminApi, uploads: UploadsDep, doc_id: str) -> Job | JSONResponse:
    """Remove an uploaded document; it leaves the index in the background."""
    try:
        return uploads.delete(doc_id)
    except UploadError as exc:
        return _error(exc)


@api.get("/jobs/{job_id}", response_model=Job, responses={**ADMIN_ERRORS, **error(404, "No such job")})
def get_job(_: AdminApi, uploads: UploadsDep, job_id: int) -> Job | JSONResponse:
    """One indexing job: queued, running (with chunks done of total), done or failed (with the reason)."""
    job = uploads.job(job_id)
    if job is None:
        return JSONResponse(status_code=404, content={"error": f"no job {job_id}"})
    return job


@api.get(
    "/feedback.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "every rating"}, **ADMIN_ERRORS},
)
def feedback_csv(_: AdminApi, feedback: FeedbackDep) -> Response:
    """Every 👍/👎 with its question, answer and cited documents, as CSV."""
    return _csv(feedback)
