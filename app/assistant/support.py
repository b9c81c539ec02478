"""Does the knowledge base support an answer? A small fitted model decides, from several signals:

- the best passage's cosine similarity, separately per query script (zh, ja, en: e5's scale differs);
- the best BM25 score, and how much of the question the corpus vocabulary covers (plain and idf-weighted);
- the recognised intent and the domain facets it names (factors, categories, the kind of project, concepts);
- whether it asks about a company's own KPIs rather than a public project's, and whether it names a case's town;
- the question's own embedding, which tells a township officer's question from a company's or a traveller's.

A request for work the knowledge base is not for (translate this, write a poem, code, "ignore your
instructions") is declined before the model is asked (app/assistant/intents.py `off_task`), and so is a question
about a place the corpus never mentions (「上勝町的葉子生意」), unless it asks for cases like it, KPIs or PDCA
asked of a company, a shop, a school or a ward with nothing of a region in the question, and live practical
information (tickets, opening hours, the weather, an address).

The model (logistic regression) is fitted by eval/fit_support.py on the *learn* splits only and stored as
data in support_model.json; its errors are measured on the unseen splits (`sosei eval --suite chat`). It
belongs to one embedding model: with another one configured, the per-script cosine thresholds of the settings
decide instead.
"""

from __future__ import annotations

import math
from functools import lru_cache
from importlib.resources import files

import numpy as np
from pydantic import BaseModel, Field

from app.assistant.intents import (
    OffTask,
    Understanding,
    asks_for_cases_like,
    asks_live_information,
    asks_other_fields_rules,
    kpis_of_another_world,
    off_task,
    understand,
)
from app.config import Settings
from app.i18n.glossary import answer_lang, glossary
from app.knowledge.lexical import BM25Index, tokenize
from app.knowledge.schemas import SearchHit

SCRIPTS = ("zh", "ja", "en")
INTENT_SIGNALS = ("find_cases", "kpi_advice", "concept", "process", "programme")
DECLINED_TASKS: tuple[OffTask, ...] = ("translate", "write", "code", "override")
MODEL_FILE = "support_model.json"
_SCRIPT = {"zh-TW": "zh", "en": "en", "ja": "ja"}


def query_script(text: str) -> str:
    """zh, ja or en: which similarity scale a query is on."""
    return _SCRIPT[answer_lang(text)]


class SupportModel(BaseModel):
    """A fitted logistic regression over `signals(...)`; written by eval/fit_support.py."""

    embed_model: str = Field(description="the embedding model the weights belong to")
    embedding_scale: float = Field(description="the embedding's weight relative to the scalar signals")
    coef: list[float]
    intercept: float
    threshold: float = Field(description="probability of 'on topic' needed to answer")
    fitted_on: dict[str, int] = Field(default_factory=dict, description="examples per set, for the record")

    def probability(self, features: np.ndarray) -> float:
        z = float(np.dot(self.coef, features)) + self.intercept
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache
def load_support_model() -> SupportModel | None:
    resource = files("app.assistant") / MODEL_FILE
    if not resource.is_file():
        return None
    return SupportModel.model_validate_json(resource.read_text(encoding="utf-8"))


def signals(
    query: str,
    vector: np.ndarray,
    hits: list[SearchHit],
    bm25: BM25Index,
    embedding_scale: float,
    named_cases: int = 0,
    understood: Understanding | None = None,
) -> np.ndarray:
    """The model's input for one question: per-script cosine, BM25 and coverage signals, then the embedding."""
    script = query_script(query)
    best_dense = max((h.dense_score or 0.0) for h in hits) if hits else 0.0
    best_lexical = max((h.lexical_score or 0.0) for h in hits) if hits else 0.0
    tokens = tokenize(query)
    known = [t for t in tokens if t in bm25.idf]
    unknown_idf = max(bm25.idf.values(), default=1.0)  # a word the corpus never uses is as rare as can be
    total_idf = sum(bm25.idf.get(t, unknown_idf) for t in tokens)
    scalar: list[float] = []
    for name in SCRIPTS:
        on = 1.0 if script == name else 0.0
        scalar += [on, on * best_dense]
    scalar += [
        math.log1p(best_lexical),
        len(known) / len(tokens) if tokens else 0.0,
        sum(bm25.idf[t] for t in known) / total_idf if total_idf else 0.0,
    ]
    # The recognised intent and the domain facets the question names (app/assistant/intents.py).
    understood = understood or understand(query)
    scalar += [1.0 if understood.intent == intent else 0.0 for intent in INTENT_SIGNALS]
    scalar += [
        float(bool(understood.factors)),
        float(bool(understood.categories or understood.contexts)),
        float(understood.project_kind is not None),
        float(understood.all_factors or understood.levels),
        float(bool(understood.concepts)),
    ]
    # A company's own KPIs (「我們公司業務員的KPI」) use the domain's words for another world.
    scalar.append(float(off_task(query) == "workplace"))
    scalar.append(float(named_cases > 0))  # names a case's town (app/cases/names.py): 「池上」, "Kamiyama"
    return np.concatenate(
        [np.array(scalar, dtype=np.float64), embedding_scale * np.asarray(vector, dtype=np.float64)]
    )


def unknown_places(query: str, bm25: BM25Index) -> list[str]:
    """Places the question names (「夕張市」, 「尖石鄉」) whose names the corpus never uses."""
    return [
        name for name in glossary().place_names.named(query) if any(t not in bm25.idf for t in tokenize(name))
    ]


def supported_by_thresholds(query: str, hits: list[SearchHit], settings: Settings) -> bool:
    """The fallback for another embedding model: the best passage's cosine against a per-script threshold."""
    if not hits:
        return False
    script = query_script(query)
    thresholds = {
        "zh": settings.answer_min_dense_zh,
        "ja": settings.answer_min_dense_ja,
        "en": settings.answer_min_dense_en,
    }
    threshold = thresholds[script]
    best_dense = max((h.dense_score or 0.0) for h in hits)
    if best_dense >= threshold:
        return True
    best_lexical = max((h.lexical_score or 0.0) for h in hits)
    return (
        script == "en"
        and best_dense >= threshold - settings.answer_rescue_margin_en
        and best_lexical >= settings.answer_min_lexical_en
    )


def declined_before_the_model(query: str, bm25: BM25Index, understood: Understanding | None = None) -> bool:
    """Requests declined whatever the model would say: work the knowledge base is not for, live practical
    information (tickets, opening hours, the weather), KPIs or PDCA of another world (「我們公司業務部的KPI要怎麼訂」),
    and a place the corpus never mentions (「上勝町的葉子生意」; 「有沒有像上勝町那樣的」 may be answered)."""
    if off_task(query) in DECLINED_TASKS or asks_live_information(query) or asks_other_fields_rules(query):
        return True
    if kpis_of_another_world(query, understood or understand(query)):
        return True
    return bool(unknown_places(query, bm25)) and not asks_for_cases_like(query)


def is_supported(
    query: str,
    vector: np.ndarray,
    hits: list[SearchHit],
    bm25: BM25Index,
    settings: Settings,
    named_cases: int = 0,
) -> bool:
    if not hits:
        return False
    understood = understand(query)  # read once: the gates and the model's signals share it
    if declined_before_the_model(query, bm25, understood):
        return False
    model = load_support_model()
    if model is None or model.embed_model != settings.embed_model:
        return supported_by_thresholds(query, hits, settings)
    features = signals(query, vector, hits, bm25, model.embedding_scale, named_cases, understood)
    return model.probability(features) >= model.threshold
