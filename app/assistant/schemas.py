"""Boundary models of the assistant: the contract's `ask` and `similar` shapes, chat turns, feedback."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.i18n import Lang
from app.knowledge.schemas import NOT_BLANK, WholeNumber

MAX_QUESTION_CHARS = 2000
MAX_HISTORY_TURNS = 20


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=8000)
    # An answer's citations (doc ids): a follow-up can point at one of the cases it cited (「忍者那個案子」).
    cited: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=20)


class AskRequest(BaseModel):
    """Body of POST /api/ask and /api/chat."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, json_schema_extra=NOT_BLANK)
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_TURNS)
    lang: Lang = "zh-TW"

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question is empty")
        return value.strip()


class Citation(BaseModel):
    n: WholeNumber
    chunk_id: str
    doc_id: str
    title: str
    text: str
    kind: str = ""
    heading: str = ""


class AskResponse(BaseModel):
    question: str
    answer: str
    refused: bool
    mode: Literal["extractive", "llm"]
    citations: list[Citation]
    notice: str | None = Field(None, description="e.g. the LLM failed and the answer fell back to extractive")
    search_query: str | None = Field(None, description="The standalone query used for retrieval")


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    answer: str = Field(max_length=20_000)
    rating: Literal["up", "down"]
    citations: list[Citation] = Field(default_factory=list, max_length=20)
    comment: str | None = Field(None, max_length=2000)
    mode: str | None = Field(None, max_length=20)


class FeedbackResponse(BaseModel):
    id: int
    stored: bool = True
