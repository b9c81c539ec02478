"""The error body every route answers with, and the error responses the OpenAPI schema documents for them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorResponse(BaseModel):
    error: str = Field(description="What went wrong, in words a person can act on")
    detail: Any = Field(None, description="Machine-readable detail, e.g. the fields that failed validation")


Responses = dict[int | str, dict[str, Any]]


def error(code: int, description: str) -> Responses:
    """An OpenAPI `responses` entry: `code` answers with an ErrorResponse."""
    return {code: {"model": ErrorResponse, "description": description}}


BAD_REQUEST = error(400, "The request could not be read, or its Host is not one of the allowed hosts")
NOT_FOUND = error(404, "No such document, case or page")
TOO_LARGE = error(413, "Request body over 1 MB")
TIMEOUT = error(408, "The request body stalled for longer than the read timeout")
TOO_MANY = error(429, "Rate limit reached; Retry-After says when to try again")

# What any route may answer besides its own codes (set once, on the app).
BODY_ERRORS: Responses = {**BAD_REQUEST, **TIMEOUT, **TOO_LARGE}
