"""The one place configuration is read: environment variables prefixed SOSEI_ (or a .env file)."""

from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_corpus_dir() -> Path:
    """The corpus shipped with sosei: `corpus/` in a checkout, package data (`app.corpus`) when installed."""
    return Path(str(files("app.corpus")))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOSEI_", env_file=".env", extra="ignore")

    # Storage
    data_dir: Path = Field(
        Path("data"),
        description="Index (Chroma), rebuilt model weights and feedback database; never committed",
    )
    corpus_dir: Path = Field(
        default_factory=default_corpus_dir, description="What `sosei ingest` indexes when given no paths"
    )
    eval_dir: Path = Field(Path("eval"), description="Evaluation sets `sosei eval` reads (in a checkout)")
    chroma_host: str | None = Field(
        None, description="Host of a Chroma server to use instead of the embedded store"
    )
    chroma_port: int = Field(8000, description="Port of the Chroma server")
    collection: str = Field("sosei", description="Chroma collection name")
    index_check_seconds: float = Field(
        2.0,
        ge=0,
        description="How often a running server looks for index changes made by other processes (0: every request)",
    )

    # Embeddings
    embed_model: str = Field(
        "bundled:multilingual-e5-small",
        description=(
            "The bundled model, a Hugging Face model id (needs internet) or a local sentence-transformers folder"
        ),
    )
    embed_batch_size: int = Field(32, ge=1, le=512, description="Passages per encode call")

    # Chunking
    chunk_max_chars: int = Field(360, ge=80, le=4000, description="Upper bound of a chunk, in characters")

    # Retrieval
    lexical_tokenizer: Literal["bigram", "jieba", "both"] = Field(
        "bigram", description="How BM25 splits text: `bigram` (character bigrams), `jieba` (words) or `both`"
    )
    lexical_synonyms: bool = Field(
        True,
        description="BM25 also looks for the glossary's Chinese names of the terms an English or Japanese query names",
    )
    fusion_rrf_k: int = Field(
        10, ge=1, description="k of the weighted reciprocal rank fusion, tuned with eval/tune_retrieval.py"
    )
    fusion_dense_weight: float = Field(
        1.0, ge=0, description="Weight of the dense (vector) ranking in the fusion"
    )
    fusion_lexical_weight: float = Field(
        0.6, ge=0, description="Weight of the BM25 ranking in the fusion, tuned on eval/retrieval_dev.yaml"
    )
    candidate_pool: int = Field(40, ge=5, le=500, description="Candidates each retriever passes to fusion")
    article_weight: float = Field(
        0.6, ge=0, le=1, description="Fusion weight of the seed article's passages relative to curated files"
    )
    max_chunks_per_doc: int = Field(2, ge=1, description="Diversity cap per document in one result list")

    # Answering: with the bundled model, a fitted model decides whether the corpus supports an answer
    # (app/assistant/support.py). With another embedding model these thresholds decide: the best passage must
    # be this close. e5's cosine scale differs by query language against the zh-TW corpus, so each script has
    # its own threshold (calibrated on eval/retrieval_dev.yaml vs eval/offtopic.yaml).
    answer_min_dense_zh: float = Field(
        0.875,
        ge=0,
        le=1,
        description="Another embedding model only: best passage's cosine needed to answer a Chinese question",
    )
    answer_min_dense_ja: float = Field(
        0.83,
        ge=0,
        le=1,
        description="Another embedding model only: the same for a Japanese question (one with kana)",
    )
    answer_min_dense_en: float = Field(
        0.80, ge=0, le=1, description="Another embedding model only: the same for an English question"
    )
    # An English question on the Chinese corpus scores lower; one that shares terms with it (KPI, PDCA,
    # DMO, place names) is answered a little below the threshold. Off-topic English shares none.
    answer_rescue_margin_en: float = Field(
        0.03,
        ge=0,
        le=1,
        description="English rescue: answer this far below the threshold if the question shares corpus terms",
    )
    answer_min_lexical_en: float = Field(
        3.0, ge=0, description="BM25 score an English question needs for that rescue"
    )

    # Optional LLM (answers are extractive and critique is rule-based without one)
    llm: Literal["none", "openai", "ollama"] = Field(
        "none",
        description="Chat model provider: `none`, `openai` (any OpenAI-compatible endpoint) or `ollama`",
    )
    llm_base_url: str | None = Field(
        None, description="Endpoint, e.g. `http://localhost:11434` (Ollama) or `http://host:8080/v1`"
    )
    llm_model: str = Field("gpt-4o-mini", description="Model name at that endpoint")
    llm_api_key: SecretStr | None = Field(None, description="API key, if the endpoint needs one")
    llm_timeout: float = Field(
        30.0,
        gt=0,
        description="Deadline in seconds for a whole LLM answer, first token included; then the fallback",
    )
    llm_max_tokens: int = Field(
        400, ge=16, le=4096, description="Most tokens the LLM may write in one answer"
    )
    llm_temperature: float = Field(0.2, ge=0, le=2, description="Sampling temperature of the chat model")

    # Briefing packs
    public_url: str = Field(
        "http://127.0.0.1:8000",
        description="Address of the web app that links in exported briefings (.pptx, PDF, Markdown) point to",
    )
    reveal_dir: Path = Field(
        Path(".venv/reveal/node_modules/reveal.js/dist"),
        description="reveal.js (installed from npm by the Makefile) that browser slides are served with",
    )

    # Web server (HOST / PORT are honoured without the prefix, as `make run` documents)
    host: str = Field(
        "127.0.0.1",
        validation_alias=AliasChoices("SOSEI_HOST", "HOST"),
        description="Address `sosei serve` listens on",
    )
    port: int = Field(
        8000, validation_alias=AliasChoices("SOSEI_PORT", "PORT"), description="Port `sosei serve` listens on"
    )
    workers: int = Field(
        1, ge=1, le=64, description="Worker processes `sosei serve` starts (they share one index)"
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="Proxies trusted to set X-Forwarded-For (the client address that rate limits and logs use)",
    )
    read_timeout_seconds: float = Field(
        15.0, gt=0, description="A request body that stalls this long between reads gets 408"
    )
    keep_alive_seconds: int = Field(5, ge=1, description="Idle keep-alive connections close after this long")
    rate_limits_enabled: bool = Field(
        True, description="Per-client rate limits on ask, chat, critique and feedback"
    )
    rate_limit_answers: str = Field(
        "30/minute", description="Per client: questions to /api/ask and /api/chat"
    )
    rate_limit_critique: str = Field(
        "60/minute", description="Per client: critiques (/api/critique, the review page and its report)"
    )
    rate_limit_feedback: str = Field("20/minute", description="Per client: ratings sent to /api/feedback")
    rate_limit_login: str = Field(
        "10/minute", description="Per client: login attempts (tokens cannot be guessed)"
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="Server logs as text lines or as JSON lines; each line carries the request id"
    )
    allowed_hosts: list[str] = Field(
        ["localhost", "127.0.0.1", "[::1]", "testserver"],
        description="Host names the app answers to (others get 400: no DNS rebinding); add the public name "
        'when serving beyond loopback, e.g. `["sosei.example.gov.tw"]`',
    )

    # Staff uploads and access (the admin page and API)
    upload_max_mb: int = Field(20, ge=1, le=200, description="Largest file staff may upload, in MB")
    tokens: dict[str, Literal["admin", "reader"]] = Field(
        {},
        description="Access tokens by their SHA-256 (hex) → role; `sosei token --role admin` makes one. "
        "admin: uploads and feedback; reader: the pages when `public_access` is off",
    )
    public_access: bool = Field(
        True, description="Pages and the question API are open to anyone; off: readers and admins log in"
    )
    secret_key: SecretStr | None = Field(
        None,
        description="Signs login sessions and CSRF tokens; unset: a random key kept in the data directory",
    )
    session_hours: float = Field(12.0, gt=0, le=24 * 30, description="How long a login lasts")
    cookie_secure: bool = Field(
        True, description="Login and CSRF cookies only over HTTPS (browsers also allow them on localhost)"
    )

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def feedback_db(self) -> Path:
        return self.data_dir / "feedback.sqlite3"


@lru_cache
def get_settings() -> Settings:
    return Settings()
