"""Retrieval evaluation: hit@1, hit@5 and MRR for hybrid, dense, BM25 and a naive LangChain baseline,
plus warm search latency and ingest throughput against raw model encoding."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from app.config import Settings
from app.knowledge.corpus import Corpus
from app.knowledge.embeddings import LangChainEmbeddings
from app.knowledge.retrieval import HybridRetriever, indexed_text
from app.knowledge.service import KnowledgeBase

DEV_SET = "retrieval_dev.yaml"
# Written by someone who had seen neither the code nor eval/: one split to learn from, one kept unseen.
BLIND_SETS = ("blind/retrieval_learn.yaml", "blind/retrieval_unseen.yaml")
RANK_DEPTH = 10


class DevQuestion(BaseModel):
    id: str
    lang: str
    question: str
    expected: list[str] = Field(min_length=1)
    note: str | None = None
    group: str = "original"  # "new-material": questions added with the issue-5 corpus
    widened: bool = False  # expected list widened when later documents also answer the question


class RetrievalScores(BaseModel):
    system: str
    hit_at_1: float
    hit_at_5: float
    mrr: float
    n: int
    misses_at_5: list[str] = Field(default_factory=list)


class RetrievalReport(BaseModel):
    systems: list[RetrievalScores]
    by_language: dict[str, float] = Field(description="hybrid hit@5 per question language")
    by_group: dict[str, float] = Field(default_factory=dict, description="hybrid hit@5 per question group")
    blind: dict[str, list[RetrievalScores]] = Field(
        default_factory=dict,
        description="hybrid and BM25 scores, overall and per language, on sets written blind (eval/blind/)",
    )
    latency_ms_p50: float
    latency_ms_p95: float
    ingest_chunks_per_s: float
    encode_chunks_per_s: float
    chunks: int
    documents: int


def load_dev_set(path: Path) -> list[DevQuestion]:
    return [DevQuestion(**item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def score_rankings(
    system: str, questions: list[DevQuestion], rank: Callable[[str], list[str]]
) -> RetrievalScores:
    """`rank` returns doc ids best first (one per retrieved passage, repeats allowed)."""
    hit1 = hit5 = rr = 0.0
    misses: list[str] = []
    for q in questions:
        ranked = rank(q.question)[:RANK_DEPTH]
        position = next((i for i, doc_id in enumerate(ranked) if doc_id in q.expected), None)
        if position == 0:
            hit1 += 1
        if position is not None and position < 5:
            hit5 += 1
        else:
            misses.append(q.id)
        if position is not None:
            rr += 1 / (position + 1)
    n = len(questions)
    return RetrievalScores(
        system=system, hit_at_1=hit1 / n, hit_at_5=hit5 / n, mrr=rr / n, n=n, misses_at_5=misses
    )


def _naive_langchain_ranker(
    settings: Settings, kb: KnowledgeBase, workdir: Path
) -> Callable[[str], list[str]]:
    """The baseline a developer gets from the LangChain tutorial: fixed 500-character splits, same model."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    docs = [
        LCDocument(page_content=f"{d.title}\n\n{d.body}", metadata={"doc_id": d.id})
        for d in Corpus(settings.corpus_dir).documents.values()
    ]
    client = chromadb.PersistentClient(
        path=str(workdir / "naive"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    store = Chroma.from_documents(
        splitter.split_documents(docs),
        LangChainEmbeddings(kb.embedder),
        client=client,
        collection_name="naive",
    )
    return lambda q: [d.metadata["doc_id"] for d in store.similarity_search(q, k=RANK_DEPTH)]


def _throughput(settings: Settings, kb: KnowledgeBase, workdir: Path) -> tuple[float, float, int]:
    """Fresh ingest into a scratch index vs. the model's raw encode on the very same chunk texts."""
    scratch = KnowledgeBase(
        settings.model_copy(update={"data_dir": workdir / "ingest"}), embedder=kb.embedder
    )
    report = scratch.ingest(show_progress=False)
    texts = [indexed_text(c) for c in scratch.store.all_chunks()]
    started = time.perf_counter()
    kb.embedder.embed_passages(texts)
    encode_s = time.perf_counter() - started
    return report.chunks_embedded / report.seconds, len(texts) / encode_s, len(texts)


def run_retrieval_eval(settings: Settings, kb: KnowledgeBase | None = None) -> RetrievalReport:
    kb = kb or KnowledgeBase(settings)
    kb.ingest(show_progress=False)
    questions = load_dev_set(settings.eval_dir / DEV_SET)
    retriever = kb.retriever

    def ranker(mode: str, r: HybridRetriever = retriever) -> Callable[[str], list[str]]:
        return lambda q: [h.doc_id for h in r.search(q, RANK_DEPTH, mode=mode)]  # type: ignore[arg-type]

    systems = [
        score_rankings("hybrid (sosei)", questions, ranker("hybrid")),
        score_rankings("dense only", questions, ranker("dense")),
        score_rankings(f"BM25 only ({settings.lexical_tokenizer})", questions, ranker("lexical")),
    ]
    for tokenizer in ("bigram", "jieba", "both"):
        if tokenizer == settings.lexical_tokenizer:
            continue
        variant = HybridRetriever(
            settings.model_copy(update={"lexical_tokenizer": tokenizer}), kb.store, kb.embedder
        )
        systems.append(score_rankings(f"BM25 only ({tokenizer})", questions, ranker("lexical", variant)))
        systems.append(score_rankings(f"hybrid ({tokenizer})", questions, ranker("hybrid", variant)))

    with tempfile.TemporaryDirectory(prefix="sosei-eval-") as tmp:
        systems.append(
            score_rankings(
                "naive LangChain (500/50 + Chroma)",
                questions,
                _naive_langchain_ranker(settings, kb, Path(tmp)),
            )
        )
        ingest_rate, encode_rate, n_chunks = _throughput(settings, kb, Path(tmp))

    by_language: dict[str, float] = {}
    for lang in sorted({q.lang for q in questions}):
        subset = [q for q in questions if q.lang == lang]
        by_language[lang] = score_rankings(lang, subset, ranker("hybrid")).hit_at_5

    blind: dict[str, list[RetrievalScores]] = {}
    for name in BLIND_SETS:
        path = settings.eval_dir / name
        if not path.is_file():
            continue
        subset = load_dev_set(path)
        scores = [
            score_rankings("hybrid", subset, ranker("hybrid")),
            score_rankings("BM25", subset, ranker("lexical")),
        ]
        for lang in sorted({q.lang for q in subset}):
            in_lang = [q for q in subset if q.lang == lang]
            scores.append(score_rankings(f"hybrid {lang}", in_lang, ranker("hybrid")))
            scores.append(score_rankings(f"BM25 {lang}", in_lang, ranker("lexical")))
        blind[Path(name).stem] = scores

    by_group = {
        group: score_rankings(group, [q for q in questions if q.group == group], ranker("hybrid")).hit_at_5
        for group in sorted({q.group for q in questions})
    }
    retriever.search(questions[0].question, 5)  # warm
    latencies = []
    for q in questions:
        started = time.perf_counter()
        retriever.search(q.question, 5)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return RetrievalReport(
        systems=systems,
        by_language=by_language,
        by_group=by_group,
        blind=blind,
        latency_ms_p50=round(statistics.median(latencies), 1),
        latency_ms_p95=round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        ingest_chunks_per_s=round(ingest_rate, 1),
        encode_chunks_per_s=round(encode_rate, 1),
        chunks=n_chunks,
        documents=len(kb.store.doc_states()),
    )
