"""Lexical retrieval: Okapi BM25 over a CJK-aware tokenisation.

Chinese and Japanese have no spaces, so CJK runs become overlapping character bigrams (the measured best
choice, see eval/README.md), optionally jieba words. Latin words and numbers are lower-cased words.

Japanese and Taiwanese kanji differ in form (観/觀, 県/縣, 産/產, 内/內). Two tables, both derived at import
from OpenCC's Japanese dictionaries, bridge them:
- `normalise()` (NFKC, lower case, then Japanese-only forms to Traditional) is also what the KPI rules match
  and quote, so it leaves every character of Taiwan's Big5 set as it is and rewrites only the others: to
  OpenCC jp2t's Traditional form when that is in Big5, else to the Big5 character OpenCC t2jp writes that
  way (jp2t gives 郷→鄕, 産→産; Taiwan writes 鄉, 產). Plain jp2t would also rewrite Taiwan's own 為 鎮 研
  真 並 to 爲 鎭 硏 眞 竝. Nothing is converted to Simplified.
- Tokens, which are never shown, fold both sides to Japanese shinjitai (OpenCC t2jp) after segmentation, so
  forms that also exist in Big5 match too (伝/傳, 体/體, 証/證, 万/萬).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

import numpy as np
import opencc

TokenizerMode = Literal["bigram", "jieba", "both"]

_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:\.[0-9]+)?")
_EN_STOP = frozenset(
    (
        "a an the of in on at to for and or is are was were be been by with from as that this which what how "
        "why who whom does do did can could should would it its into about than then there their they we our "
        "you your i me my not no"
    ).split()
)


def _fold_tables() -> tuple[dict[int, str], dict[int, str]]:
    """(Japanese-only form → Taiwan form, any form → shinjitai) for str.translate, from OpenCC's character
    tables. OpenCC runs only here, at import, on each ideograph of U+3400–U+9FFF alone (NFKC has turned
    compatibility ideographs into these), so no request thread ever calls it. jp2t's word table
    (総合→綜合, 予算→預算) is left out on purpose: it translates words rather than folding forms, and the
    corpus writes the Japanese terms character by character (總合戰略 20×, 綜合戰略 3×)."""
    chars = [chr(cp) for cp in range(0x3400, 0xA000)]

    def convert(config: str) -> list[str]:
        return opencc.OpenCC(config).convert("\n".join(chars)).split("\n")

    traditional, shinjitai = convert("jp2t"), convert("t2jp")
    round_trip = "".join(chars).encode("big5", "replace").decode("big5")  # "?" where Big5 has no code
    big5 = {c for c, back in zip(chars, round_trip, strict=True) if c == back}
    # shinjitai → the Big5 characters t2jp writes that way (産 ← 產, 郷 ← 鄉, 内 ← 內)
    written_as: defaultdict[str, set[str]] = defaultdict(set)
    for c, j in zip(chars, shinjitai, strict=True):
        if c in big5 and j not in big5:
            written_as[j].add(c)
    to_taiwan: dict[int, str] = {}
    for c, t in zip(chars, traditional, strict=True):
        if c in big5:
            continue
        if t != c and t in big5:
            to_taiwan[ord(c)] = t
        elif len(written_as[c]) == 1:
            to_taiwan[ord(c)] = next(iter(written_as[c]))
    to_shinjitai = {ord(c): j for c, j in zip(chars, shinjitai, strict=True) if j != c}
    return to_taiwan, to_shinjitai


_TO_TAIWAN, _TO_SHINJITAI = _fold_tables()


def normalise(text: str) -> str:
    """NFKC, lower case, Japanese-only kanji forms to Taiwan's Traditional forms; Big5 text is unchanged."""
    return unicodedata.normalize("NFKC", text).lower().translate(_TO_TAIWAN)


@lru_cache(maxsize=1)
def _simplified_to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified Chinese in Traditional characters (渔村振兴 → 漁村振興); Traditional and kana are unchanged."""
    return _simplified_to_traditional().convert(text)


def fold(text: str) -> str:
    """`normalise`, then every kanji to its shinjitai form: 壽豐鄉 and 寿豊郷 alike, for comparing names."""
    return normalise(text).translate(_TO_SHINJITAI)


def _jieba_words(run: str) -> list[str]:
    import jieba

    jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise
    return [w for w in jieba.lcut(run) if w.strip()]


def tokenize(text: str, mode: TokenizerMode = "bigram") -> list[str]:
    tokens: list[str] = []
    for match in _TOKEN.finditer(normalise(text)):
        run = match.group()
        if _CJK_RUN.fullmatch(run):
            if mode in ("bigram", "both"):
                folded = run.translate(_TO_SHINJITAI)
                tokens.extend(folded[i : i + 2] for i in range(len(folded) - 1)) if len(folded) > 1 else (
                    tokens.append(folded)
                )
            if mode in ("jieba", "both"):
                # Segmented before folding: jieba's dictionary knows the Chinese forms, not shinjitai.
                # Prefixed in "both" mode so a 2-character word is not double-counted as a bigram.
                prefix = "w:" if mode == "both" else ""
                tokens.extend(prefix + w.translate(_TO_SHINJITAI) for w in _jieba_words(run))
        elif run not in _EN_STOP:
            tokens.append(run)
    return tokens


class BM25Index:
    """In-memory Okapi BM25 over pre-tokenised documents; rebuilt from the store at start-up."""

    def __init__(self, documents: Sequence[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.size = len(documents)
        self.lengths = np.array([len(d) for d in documents], dtype=np.float32)
        self.avg_length = float(self.lengths.mean()) if self.size else 0.0
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for doc_index, tokens in enumerate(documents):
            for token, tf in Counter(tokens).items():
                entry = postings.setdefault(token, ([], []))
                entry[0].append(doc_index)
                entry[1].append(tf)
        self.postings = {
            t: (np.array(ix, dtype=np.int32), np.array(tf, dtype=np.float32))
            for t, (ix, tf) in postings.items()
        }
        self.idf = {
            t: math.log(1 + (self.size - len(ix) + 0.5) / (len(ix) + 0.5)) for t, (ix, _) in postings.items()
        }

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        scores = np.zeros(self.size, dtype=np.float32)
        if not self.size:
            return scores
        norm = self.k1 * (1 - self.b + self.b * self.lengths / max(self.avg_length, 1e-9))
        for token, weight in Counter(query_tokens).items():
            if token not in self.postings:
                continue
            ix, tf = self.postings[token]
            scores[ix] += weight * self.idf[token] * tf * (self.k1 + 1) / (tf + norm[ix])
        return scores

    def top(
        self, query_tokens: list[str], n: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(document index, score) best first; `allowed` is a boolean mask from metadata filters."""
        scores = self.scores(query_tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        candidates = np.nonzero(scores > 0)[0]
        if not len(candidates):
            return []
        order = candidates[np.argsort(-scores[candidates], kind="stable")][:n]
        return [(int(i), float(scores[i])) for i in order]
