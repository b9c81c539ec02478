"""Corpus documents: Markdown + YAML front matter, validated, plus user uploads (.md/.txt/.pdf/.docx)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.i18n import catalog

Kind = Literal["case", "guideline", "article", "upload"]
Level = Literal["overall", "outcome", "output"]

CATEGORIES: tuple[str, ...] = ("地方創業", "農林水產", "觀光振興", "地方人口移動", "街區營造", "工作方法改革")
Category = Literal["地方創業", "農林水產", "觀光振興", "地方人口移動", "街區營造", "工作方法改革"]

# Display names come from the zh-TW catalog, the one place the factors are named (English in en.yaml).
FACTORS: dict[str, str] = dict(catalog("zh-TW").factors)
Factor = Literal["self_reliance", "public_private", "cross_region", "cross_policy", "lead_body", "talent"]

# 產官學金勞言 (+ 社 for NPOs and community groups): who takes part, as the research notes classify actors.
SECTORS: tuple[str, ...] = ("產", "官", "學", "金", "勞", "言", "社")
Sector = Literal["產", "官", "學", "金", "勞", "言", "社"]
CONTEXTS: tuple[str, ...] = (
    "災後重建",
    "原住民族",
    "離島",
    "產業轉型",
    "人口減少",
    "高齡化",
    "農村",
    "山村",
    "漁村",
)
Context = Literal["災後重建", "原住民族", "離島", "產業轉型", "人口減少", "高齡化", "農村", "山村", "漁村"]

UPLOAD_SUFFIXES = (".md", ".txt", ".pdf", ".docx")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.DOTALL)
_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class DocumentError(ValueError):
    """A file that cannot be read as a corpus document; the message names the file and the problem."""


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    url: str | None = None
    doc: str | None = None
    note: str | None = None


# A year as sources state it: 2019, or a month "2016-03" when the source dates the figure to one.
_YEAR = re.compile(r"^(19|20)\d{2}(-(0[1-9]|1[0-2]))?$")
YearValue = int | str
FIGURES = ("baseline", "target", "actual")


# A fact may span a period: "2004–2006".
_PERIOD = re.compile(r"^(19|20)\d{2}(-(0[1-9]|1[0-2]))?([–~](19|20)\d{2}(-(0[1-9]|1[0-2]))?)?$")


def _check_year(value: YearValue | None, field: str, period: bool = False) -> None:
    if value is not None and not (_PERIOD if period else _YEAR).match(str(value)):
        raise ValueError(
            f"{field} {value!r} is not a year (2019) or a month (2016-03)"
            + (" or a period (2004–2006)" if period else "")
        )


class KpiEntry(BaseModel):
    """A KPI of a case. Each published figure (baseline, target, actual) carries its own year."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    level: Level
    baseline: float | str | None = None
    baseline_year: YearValue | None = None
    target: float | str | None = None
    target_year: YearValue | None = None
    actual: float | str | None = None
    actual_year: YearValue | None = None
    unit: str | None = None
    note: str | None = None
    source: str | None = Field(
        default=None, description="where the figures come from, when not the case's sources"
    )

    @model_validator(mode="after")
    def _figures_have_years(self) -> KpiEntry:
        for figure in FIGURES:
            year = getattr(self, f"{figure}_year")
            _check_year(year, f"{figure}_year")
            if getattr(self, figure) is not None and year is None:
                raise ValueError(f"KPI {self.name!r}: {figure} without {figure}_year")
        return self

    @property
    def figures(self) -> int:
        """How many of baseline, target and actual are published."""
        return sum(getattr(self, f) is not None for f in FIGURES)


class Fact(BaseModel):
    """A figure reported about a case (visitors, funding split, youth returned), with its year and source."""

    model_config = ConfigDict(extra="forbid")
    what: str = Field(min_length=1)
    value: float | int | str
    unit: str | None = None
    year: YearValue
    source: str = Field(min_length=1, description="the url or title of the source that states it")

    @model_validator(mode="after")
    def _dated(self) -> Fact:
        _check_year(self.year, "year", period=True)
        return self


class Document(BaseModel):
    """One corpus item. Front-matter fields plus the Markdown body."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_ID_PATTERN)
    kind: Kind
    title: str = Field(min_length=1)
    country: Literal["JP", "TW"] | None = None
    lang: str = "zh-TW"
    sources: list[Source] = Field(default_factory=list)
    # cases
    place: str | None = None
    category: Category | None = None
    factors: list[Factor] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    kpis: list[KpiEntry] = Field(default_factory=list)
    kpi_published: Literal["yes", "partial", "no"] = "yes"
    project: str | None = None
    # Optional case facets: funding scheme, special context, actor sectors, reported figures.
    funding: list[str] = Field(default_factory=list)
    context: list[Context] = Field(default_factory=list)
    sectors: list[Sector] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    # guidelines
    topic: (
        Literal["factor", "kpi_rule", "pdca", "kpi_examples", "background", "programme", "concept"] | None
    ) = None
    rules: list[str] = Field(default_factory=list)
    rows: list[dict[str, Any]] = Field(default_factory=list)
    # any kind: other corpus documents this one explains or draws on (a concept note's cases)
    related: list[str] = Field(default_factory=list)
    # names the document is also known by (the founding article's form of an organisation's name)
    aliases: list[str] = Field(default_factory=list)
    # articles
    author: str | None = None
    published: str | None = None
    # not front matter: filled when loading
    body: str = ""
    source_path: str = ""

    @model_validator(mode="after")
    def _kind_requirements(self) -> Document:
        if self.kind in ("case", "guideline", "article"):
            missing = [f for f in ("country",) if getattr(self, f) is None]
            if not self.sources:
                missing.append("sources")
            if self.kind == "case":
                missing += [f for f in ("place", "category") if not getattr(self, f)]
                if not self.factors:
                    missing.append("factors")
            if self.kind == "guideline" and self.topic is None:
                missing.append("topic")
            if missing:
                raise ValueError(f"missing required field(s) for kind {self.kind}: {', '.join(missing)}")
        return self

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the index, so any edit triggers re-embedding."""
        payload = self.model_dump_json(exclude={"source_path"})
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def metadata(self) -> dict[str, str]:
        """Flat metadata carried by every chunk (Chroma only stores scalars)."""
        return {
            "doc_id": self.id,
            "kind": self.kind,
            "title": self.title,
            "category": self.category or "",
            "country": self.country or "",
            "place": self.place or "",
            "factors": ",".join(self.factors),
            "rules": ",".join(self.rules),
            "source_path": self.source_path,
        }


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    data = yaml.safe_load(match.group(1)) or {}
    if not isinstance(data, dict):
        raise ValueError("front matter is not a mapping")
    return data, match.group(2)


def _format_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "document"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def load_corpus_file(path: Path) -> Document:
    """A corpus Markdown file with front matter; its id must equal the file name."""
    try:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path}: cannot read front matter: {exc}") from exc
    if not meta:
        raise DocumentError(f"{path}: no YAML front matter")
    try:
        doc = Document(**meta, body=body.strip(), source_path=str(path))
    except (ValidationError, TypeError) as exc:
        detail = _format_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)
        raise DocumentError(f"{path}: {detail}") from exc
    if doc.id != path.stem:
        raise DocumentError(f"{path}: id {doc.id!r} does not match the file name")
    return doc


def upload_id(path: Path) -> str:
    """The id an uploaded file is indexed under: its name and a digest of where it is kept."""
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40] or "file"
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
    return f"upload-{stem}-{digest}"


def _read_upload_text(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".md", ".txt"):
        return path.read_text(encoding="utf-8", errors="replace")
    if suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        return "\n\n".join((page.extract_text() or "") for page in reader.pages)
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        return "\n\n".join(p.text for p in document.paragraphs if p.text.strip())
    raise DocumentError(
        f"{path}: unsupported file type {suffix or '(none)'}; sosei reads {', '.join(UPLOAD_SUFFIXES)}"
    )


def load_upload(path: Path) -> Document:
    """A user's own file, indexed as kind `upload`; Markdown front matter is honoured when present."""
    try:
        text = _read_upload_text(path)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf / python-docx raise many types on damaged files
        raise DocumentError(f"{path}: cannot read file: {exc}") from exc
    meta: dict[str, Any] = {}
    if path.suffix.lower() == ".md":
        try:
            meta, text = split_front_matter(text)
        except (yaml.YAMLError, ValueError):
            meta = {}
    heading = re.match(r"\s*#\s+(.+)", text) if path.suffix.lower() == ".md" else None
    title = str(meta.get("title") or (heading.group(1).strip() if heading else "") or path.stem)
    if not text.strip():
        raise DocumentError(f"{path}: no text could be extracted")
    return Document(id=upload_id(path), kind="upload", title=title, body=text.strip(), source_path=str(path))


def is_corpus_file(path: Path, corpus_dir: Path) -> bool:
    try:
        path.resolve().relative_to(corpus_dir.resolve())
    except ValueError:
        return False
    return path.suffix == ".md" and path.name != "README.md"


def load_path(path: Path, corpus_dir: Path) -> Document:
    if is_corpus_file(path, corpus_dir):
        return load_corpus_file(path)
    return load_upload(path)


def discover_files(paths: Iterable[Path], corpus_dir: Path) -> list[Path]:
    """Expand folders; reject missing paths and unsupported files with a clear message."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise DocumentError(f"{path}: no such file or folder")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in UPLOAD_SUFFIXES and child.name != "README.md":
                    found.append(child)
        elif path.suffix.lower() in UPLOAD_SUFFIXES:
            found.append(path)
        else:
            raise DocumentError(
                f"{path}: unsupported file type {path.suffix or '(none)'}; "
                f"sosei reads {', '.join(UPLOAD_SUFFIXES)}"
            )
    return found


def ensure_unique_ids(docs: list[Document]) -> list[Document]:
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.id in seen:
            raise DocumentError(f"duplicate id {doc.id!r} in {seen[doc.id]} and {doc.source_path}")
        seen[doc.id] = doc.source_path
    return docs


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Every corpus document; raises on the first invalid file or a duplicate id."""
    return ensure_unique_ids(
        [load_corpus_file(p) for p in sorted(corpus_dir.rglob("*.md")) if p.name != "README.md"]
    )
