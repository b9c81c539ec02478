"""The optional chat model, built through LangChain from the settings, and the prompt files in prompts/.

Without `SOSEI_LLM` there is no model: answers are extractive and the critique rule-based.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from langchain_core.language_models import BaseChatModel

from app.config import Settings


class LLMUnavailable(RuntimeError):
    """No LLM is configured, or the configured one cannot be built."""


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """None when no LLM is configured (the default): callers fall back to extractive / rule output."""
    if settings.llm == "none":
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if settings.llm == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=key or "not-needed",  # local OpenAI-compatible servers accept any key
            timeout=settings.llm_timeout,
            max_retries=0,  # the timeout is the deadline for the whole answer: a retry would break it
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
        )
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        temperature=settings.llm_temperature,
        num_predict=settings.llm_max_tokens,
        client_kwargs={"timeout": settings.llm_timeout},
    )


@lru_cache
def load_prompt(name: str) -> str:
    """The text of prompts/<name>.md, shipped as package data."""
    resource = files("app.llm") / "prompts" / f"{name}.md"
    if not resource.is_file():
        raise LLMUnavailable(f"prompt file prompts/{name}.md is missing")
    return resource.read_text(encoding="utf-8").strip()
