"""Typed dependencies: how routes get the services and the page renderer. Tests replace any of them with
`app.dependency_overrides[get_answers] = lambda: fake`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from app.assistant.answers import AnswerService
from app.assistant.feedback import FeedbackStore
from app.briefings.service import BriefingService
from app.cases.library import CaseLibrary
from app.knowledge.corpus import Corpus
from app.knowledge.service import KnowledgeBase
from app.kpi.service import CritiqueService
from app.services import Services
from app.uploads.service import UploadService
from app.web.templating import Page


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_knowledge(services: ServicesDep) -> KnowledgeBase:
    return services.knowledge


def get_corpus(services: ServicesDep) -> Corpus:
    return services.corpus


def get_cases(services: ServicesDep) -> CaseLibrary:
    return services.cases


def get_critique(services: ServicesDep) -> CritiqueService:
    return services.critique


def get_answers(services: ServicesDep) -> AnswerService:
    return services.answers


def get_feedback(services: ServicesDep) -> FeedbackStore:
    return services.feedback


def get_briefings(services: ServicesDep) -> BriefingService:
    return services.briefings


def get_uploads(services: ServicesDep) -> UploadService:
    return services.uploads


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def get_page(request: Request, templates: Annotated[Jinja2Templates, Depends(get_templates)]) -> Page:
    return Page(request, templates)


KnowledgeDep = Annotated[KnowledgeBase, Depends(get_knowledge)]
CorpusDep = Annotated[Corpus, Depends(get_corpus)]
CasesDep = Annotated[CaseLibrary, Depends(get_cases)]
CritiqueDep = Annotated[CritiqueService, Depends(get_critique)]
AnswersDep = Annotated[AnswerService, Depends(get_answers)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
PageDep = Annotated[Page, Depends(get_page)]
BriefingsDep = Annotated[BriefingService, Depends(get_briefings)]
UploadsDep = Annotated[UploadService, Depends(get_uploads)]
