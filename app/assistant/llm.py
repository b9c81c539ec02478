"""The optional chat model, built through LangChain from the settings, and prompt files from prompts/."""

from __future__ import annotations

from functools import lru_cache

from langchain_core.language_models import BaseChatModel

from app.config import PROJECT_ROOT, Settings

PROMPTS_DIR = PROJECT_ROOT / "prompts"


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
            max_retries=1,
            temperature=settings.llm_temperature,
        )
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        temperature=settings.llm_temperature,
        client_kwargs={"timeout": settings.llm_timeout},
    )


@lru_cache
def load_prompt(name: str) -> str:
    path = PROMPTS_DIR / f"{name}.md"
    if not path.is_file():
        raise LLMUnavailable(f"prompt file {path} is missing")
    return path.read_text(encoding="utf-8").strip()
