"""Text embeddings: bundled multilingual-e5-small by default, any sentence-transformers model otherwise."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from app.config import Settings

BUNDLED_PREFIX = "bundled:"


class EmbeddingError(RuntimeError):
    """The configured model cannot be loaded; the message says what to change."""


class Embedder(Protocol):
    """What the index and the retriever need from an embedding model."""

    name: str

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """Wraps SentenceTransformer; uses its `query`/`passage` prompts when the model defines them (e5)."""

    def __init__(self, model_path: str, name: str, batch_size: int = 32) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # the "Loading weights" bar is noise in CLI output

        try:
            self.model = SentenceTransformer(model_path, device="cpu")
        except Exception as exc:  # network refusal, missing folder, bad config …
            raise EmbeddingError(
                f"cannot load embedding model {name!r}: {exc}. Set SOSEI_EMBED_MODEL to "
                "'bundled:multilingual-e5-small', a local folder, or a model id reachable from here."
            ) from exc
        self.name = name
        self.batch_size = batch_size
        prompts = getattr(self.model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._passage_prompt = "passage" if "passage" in prompts else None

    def _encode(self, texts: list[str], prompt_name: str | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            prompt_name=prompt_name,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension() or 0)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prompt)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt)


def resolve_model_path(settings: Settings) -> str:
    """Turn the SOSEI_EMBED_MODEL setting into something SentenceTransformer can load offline."""
    spec = settings.embed_model
    if spec.startswith(BUNDLED_PREFIX):
        from app.knowledge.bundled_model import BUNDLED_MODEL_NAME, BundledModelError, ensure_bundled_model

        name = spec[len(BUNDLED_PREFIX) :]
        if name != BUNDLED_MODEL_NAME:
            raise EmbeddingError(f"unknown bundled model {name!r}; the bundled one is {BUNDLED_MODEL_NAME!r}")
        try:
            return str(ensure_bundled_model(settings.models_dir))
        except BundledModelError as exc:
            raise EmbeddingError(str(exc)) from exc
    if Path(spec).expanduser().exists():
        return str(Path(spec).expanduser())
    return spec  # a Hugging Face id, for users with internet access


def load_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(
        resolve_model_path(settings), settings.embed_model, settings.embed_batch_size
    )


class LangChainEmbeddings(Embeddings):
    """Adapter so LangChain components (the naive baseline, vector stores) use the same model."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_queries([text])[0].tolist()
