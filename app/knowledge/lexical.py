"""Lexical retrieval: Okapi BM25 over a CJK-aware tokenisation.

Chinese and Japanese have no spaces, so CJK runs become overlapping character bigrams (the measured best
choice, see eval/README.md), optionally jieba words. Japanese shinjitai forms are folded to their
Traditional equivalents (観→觀, 県→縣) so a Japanese query matches zh-TW text; nothing is converted to
Simplified. Latin words and numbers are lower-cased words.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Literal

import numpy as np

TokenizerMode = Literal["bigram", "jieba", "both"]

# Japanese shinjitai → Traditional Chinese, for characters common in this domain.
_SHINJITAI = (
    "観觀県縣発發関關営營労勞産產広廣済濟経經継繼総總転轉読讀売賣駅驛郷鄉楽樂薬藥来來数數図圖団團国國"
    "区區実實写寫会會対對応應単單変變学學児兒帰歸気氣権權検檢険險験驗効效歳歲辺邊価價従從処處当當体體"
    "拡擴覧覽続續絵繪緑綠縄繩囲圍圏圈様樣栄榮円圓塩鹽圧壓医醫雑雜税稅説說鉄鐵灯燈党黨闘鬥徳德独獨髪髮"
    "浜濱仏佛歩步豊豐毎每万萬満滿黙默訳譯頼賴乱亂竜龍両兩猟獵涙淚励勵礼禮齢齡恋戀炉爐録錄湾灣択擇沢澤"
    "担擔胆膽断斷遅遲昼晝虫蟲聴聽庁廳点點伝傳届屆悩惱脳腦廃廢麦麥抜拔晩晚蛮蠻秘祕払拂弁辯舗鋪宝寶誉譽"
    "揺搖戻戾霊靈歴歷暦曆収收渋澀獣獸縦縱粛肅称稱焼燒証證条條状狀乗乘浄淨剰剩畳疊嬢孃譲讓醸釀触觸寝寢"
    "尽盡粋粹酔醉穂穗随隨髄髓枢樞瀬瀨声聲斉齊静靜窃竊摂攝専專浅淺戦戰践踐銭錢潜潛繊纖禅禪双雙壮壯争爭"
    "荘莊捜搜挿插巣巢装裝層層騒騷増增蔵藏臓臟属屬帯帶滞滯滝瀧弾彈鋳鑄徴徵盗盜稲稻覇霸拠據楼樓錬鍊軽輕"
    "芸藝亜亞悪惡壱壹隠隱栄榮駆驅駅驛謡謠縁緣応應横橫欧歐殴毆穏穩仮假画畫絵繪悔悔壊壞懐懷慨慨"
    "殻殼覚覺楽樂喝喝缶罐巻卷陥陷勧勸寛寬漢漢関關歓歡陥陷顔顏帰歸偽僞戯戲犠犧旧舊拠據峡峽挟挾狭狹郷鄉"
    "暁曉勤勤謹謹区區駆驅勲勳径徑茎莖恵惠掲揭渓溪経經蛍螢軽輕継繼鶏雞芸藝撃擊県縣剣劍険險圏圈検檢"
    "献獻権權顕顯験驗厳嚴呉吳娯娛効效恒恆黄黃鉱鑛号號国國黒黑穀穀砕碎済濟斎齋剤劑雑雜参參蚕蠶惨慘桟棧"
    "残殘糸絲歯齒児兒辞辭湿濕実實写寫釈釋寿壽収收従從渋澀獣獸縦縱祝祝粛肅処處奨獎将將焼燒称稱渉涉"
    "傷傷奨獎詳詳讃讚姉姊"
)
_FOLD = str.maketrans(dict(zip(_SHINJITAI[0::2], _SHINJITAI[1::2], strict=True)))
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:\.[0-9]+)?")
_EN_STOP = frozenset(
    (
        "a an the of in on at to for and or is are was were be been by with from as that this which what how "
        "why who whom does do did can could should would it its into about than then there their they we our "
        "you your i me my not no"
    ).split()
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().translate(_FOLD)


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
                tokens.extend(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else tokens.append(
                    run
                )
            if mode in ("jieba", "both"):
                # Prefixed in "both" mode so a 2-character word is not double-counted as a bigram.
                prefix = "w:" if mode == "both" else ""
                tokens.extend(prefix + w for w in _jieba_words(run))
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
