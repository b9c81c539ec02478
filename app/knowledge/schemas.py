"""Boundary models of the knowledge capability: the `search` shape of the contract and ingest reports."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, field_validator

from app.knowledge.documents import Category, Factor

MAX_QUERY_CHARS = 2000
MAX_K = 50
SearchMode = Literal["hybrid", "dense", "lexical"]


def _whole_number(value: object) -> object:
    """JSON's integers: 5 and 5.0 (JSON Schema counts both), never true or "5" (which plain int would take)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number), Strict()]
# For the schema of a text a validator refuses when blank: the rule stated for clients (and schemathesis),
# while the validator's own message still names the field.
NOT_BLANK: dict[str, Any] = {"pattern": r"\S"}


class SearchFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["case", "guideline", "article", "upload"] | None = None
    category: Category | None = None
    country: Literal["JP", "TW"] | None = None
    factor: Factor | None = None
    doc_id: str | None = Field(None, max_length=200, description="Only this document's passages")

    def is_empty(self) -> bool:
        return not self.conditions()

    def conditions(self) -> dict[str, str | bool]:
        """The filters as equality conditions on chunk metadata; the one reading of what a filter means,
        used both for Chroma's `where` and for the lexical index's mask."""
        found: dict[str, str | bool] = {
            name: value
            for name, value in (
                ("kind", self.kind),
                ("category", self.category),
                ("country", self.country),
                ("doc_id", self.doc_id),
            )
            if value
        }
        if self.factor:
            found[f"f_{self.factor}"] = True  # one boolean per factor: Chroma metadata holds scalars only
        return found

    def matches(self, metadata: dict[str, Any]) -> bool:
        return all(metadata.get(key) == value for key, value in self.conditions().items())

    def chroma_where(self) -> dict[str, Any] | None:
        clauses = [{key: value} for key, value in self.conditions().items()]
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class SearchRequest(SearchFilters):
    """Body of POST /api/search and the arguments of `sosei search`."""

    query: str = Field(
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        description="Question or keywords",
        json_schema_extra=NOT_BLANK,
    )
    k: WholeNumber = Field(5, ge=1, le=MAX_K, description=f"Number of passages, 1–{MAX_K}")
    mode: SearchMode = "hybrid"

    @field_validator("query")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("query is empty")
        return value.strip()

    @property
    def filters(self) -> SearchFilters:
        return SearchFilters(
            kind=self.kind,
            category=self.category,
            country=self.country,
            factor=self.factor,
            doc_id=self.doc_id,
        )


class SearchHit(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    kind: str
    text: str
    score: float = Field(description="Fused relevance, 0–1, higher is better")
    metadata: dict[str, Any] = Field(default_factory=dict)
    dense_score: float | None = Field(None, description="Cosine similarity of the passage to the query")
    lexical_score: float | None = Field(None, description="BM25 score")


class SearchResponse(BaseModel):
    query: str
    hits: list[SearchHit]


class IngestReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = Field(default_factory=list)
    repaired: list[str] = Field(default_factory=list)
    chunks_embedded: int = 0
    seconds: float = 0.0
    total_documents: int = 0
    total_chunks: int = 0
    reset: bool = Field(False, description="The store was emptied first (the embedding model changed)")
    generation: str = Field("", description="The index generation after this run (see /healthz)")

    @property
    def changed(self) -> bool:
        return bool(self.reset or self.added or self.updated or self.removed or self.repaired)
