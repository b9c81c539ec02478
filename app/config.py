"""The one place configuration is read: environment variables prefixed SOSEI_ (or a .env file)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOSEI_", env_file=".env", extra="ignore")

    # Storage
    data_dir: Path = Field(Path("data"), description="Index, rebuilt model weights and feedback database")
    corpus_dir: Path = Field(PROJECT_ROOT / "corpus", description="Default folder `sosei ingest` indexes")
    chroma_host: str | None = Field(None, description="Use a Chroma server instead of the embedded store")
    chroma_port: int = Field(8000, description="Port of the Chroma server")
    collection: str = Field("sosei", description="Chroma collection name")

    # Embeddings
    embed_model: str = Field(
        "bundled:multilingual-e5-small",
        description="`bundled:multilingual-e5-small`, a Hugging Face model id, or a local folder",
    )
    embed_batch_size: int = Field(32, ge=1, le=512)

    # Chunking
    chunk_max_chars: int = Field(360, ge=80, le=4000, description="Upper bound on a chunk's length")

    # Retrieval
    lexical_tokenizer: Literal["bigram", "jieba", "both"] = Field("bigram")
    fusion_rrf_k: int = Field(
        10, ge=1, description="Tuned on eval/retrieval_dev.yaml (eval/tune_retrieval.py)"
    )
    fusion_dense_weight: float = Field(1.0, ge=0)
    fusion_lexical_weight: float = Field(0.6, ge=0, description="Tuned on eval/retrieval_dev.yaml")
    candidate_pool: int = Field(40, ge=5, le=500, description="Candidates each retriever passes to fusion")
    article_weight: float = Field(
        0.6, ge=0, le=1, description="Fusion weight of the seed article's passages relative to curated files"
    )
    max_chunks_per_doc: int = Field(2, ge=1, description="Diversity cap per document in one result list")

    # Answering: the knowledge base supports an answer when the best passage is this close. e5's cosine scale
    # differs by query language against the zh-TW corpus, so each script has its own threshold
    # (calibrated on eval/retrieval_dev.yaml vs eval/offtopic.yaml; see eval/README.md).
    answer_min_dense_zh: float = Field(0.875, ge=0, le=1)
    answer_min_dense_ja: float = Field(0.83, ge=0, le=1)
    answer_min_dense_en: float = Field(0.80, ge=0, le=1)
    # An English question on the Chinese corpus scores lower; one that shares terms with it (KPI, PDCA,
    # DMO, place names) is answered a little below the threshold. Off-topic English shares none.
    answer_rescue_margin_en: float = Field(0.03, ge=0, le=1)
    answer_min_lexical_en: float = Field(3.0, ge=0, description="BM25 score needed for that rescue")

    # Optional LLM (answers are extractive and critique is rule-based without one)
    llm: Literal["none", "openai", "ollama"] = Field("none", description="Which chat model provider to use")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint or Ollama URL")
    llm_model: str = Field("gpt-4o-mini", description="Model name at that endpoint")
    llm_api_key: SecretStr | None = Field(None, description="API key, if the endpoint needs one")
    llm_timeout: float = Field(30.0, gt=0, description="Seconds before falling back to extractive output")
    llm_temperature: float = Field(0.2, ge=0, le=2)

    # Web server (HOST / PORT are honoured without the prefix, as `make run` documents)
    host: str = Field("127.0.0.1", validation_alias=AliasChoices("SOSEI_HOST", "HOST"))
    port: int = Field(8000, validation_alias=AliasChoices("SOSEI_PORT", "PORT"))

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"


@lru_cache
def get_settings() -> Settings:
    return Settings()
