"""The composition root: every service built once from the settings, shared by the web app and the CLI.

    services = build_services(settings)
    services.ensure_index()          # index the corpus if the store is empty (the one place that decides)
    services.answers.ask(...)

Lower layers never build each other; they receive what they need here.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from app.assistant.answers import AnswerService
from app.assistant.feedback import FeedbackStore
from app.briefings.service import BriefingService
from app.cases.library import CaseLibrary
from app.config import Settings
from app.knowledge.corpus import Corpus
from app.knowledge.schemas import IngestReport
from app.knowledge.service import KnowledgeBase
from app.kpi.service import CritiqueService
from app.llm import build_chat_model
from app.uploads.service import UploadService


@dataclass(frozen=True)
class Services:
    settings: Settings
    knowledge: KnowledgeBase
    corpus: Corpus
    cases: CaseLibrary
    critique: CritiqueService
    answers: AnswerService
    feedback: FeedbackStore
    briefings: BriefingService
    uploads: UploadService
    chat_model: BaseChatModel | None

    def ensure_index(self, show_progress: bool | None = None) -> IngestReport | None:
        """Index the corpus folder when the store is empty; None when it already holds an index. Holds the
        index's write lock while it decides, so workers starting together index it once."""
        with self.knowledge.store.writing():
            if not self.knowledge.is_empty():
                return None
            return self.knowledge.ingest(show_progress=show_progress)

    def warm(self) -> None:
        """Load the embedding model, the BM25 index and the corpus now rather than on the first request."""
        self.knowledge.retriever.embedder  # noqa: B018 - loading is the point
        self.corpus.documents  # noqa: B018


def build_services(
    settings: Settings, knowledge: KnowledgeBase | None = None, chat_model: BaseChatModel | None = None
) -> Services:
    """`knowledge` and `chat_model` replace the configured ones (tests pass a shared index or a fake model)."""
    knowledge = knowledge or KnowledgeBase(settings)
    chat_model = chat_model if chat_model is not None else build_chat_model(settings)
    corpus = Corpus(settings.corpus_dir)
    cases = CaseLibrary(knowledge, corpus)
    critique = CritiqueService(knowledge, cases, chat_model=chat_model)
    return Services(
        settings=settings,
        knowledge=knowledge,
        corpus=corpus,
        cases=cases,
        critique=critique,
        answers=AnswerService(knowledge, chat_model=chat_model, corpus=corpus),
        feedback=FeedbackStore(settings.feedback_db),
        briefings=BriefingService(corpus, cases, critique),
        uploads=UploadService(settings, knowledge),
        chat_model=chat_model,
    )
