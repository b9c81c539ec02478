"""Boundary models of staff uploads: an uploaded document as the admin page lists it, and an indexing job."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

JobAction = Literal["add", "replace", "delete", "check"]
JobStatus = Literal["queued", "running", "done", "failed"]


class UploadedDocument(BaseModel):
    doc_id: str = Field(description="Its id in the index and in citations (`upload-…`)")
    file_name: str
    title: str
    size_bytes: int
    modified_at: str = Field(description="When the file was last uploaded or replaced (UTC, ISO 8601)")
    chunks: int = Field(description="Passages of it in the index (0 until it is indexed)")
    indexed: bool = Field(description="Every passage of this version is in the index and searchable")


class Job(BaseModel):
    id: int
    action: JobAction
    file_name: str
    doc_id: str = ""
    status: JobStatus
    done_chunks: int = 0
    total_chunks: int = 0
    error: str = ""
    created_at: str
    finished_at: str = ""


class DocumentList(BaseModel):
    documents: list[UploadedDocument]
    jobs: list[Job] = Field(description="The most recent indexing jobs, newest first")
