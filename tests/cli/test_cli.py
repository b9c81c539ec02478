"""The `sosei` command as a user runs it: a real subprocess, JSON on stdout, exit codes per contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SOSEI = [sys.executable, "-m", "app.cli.main"]


def run(args: list[str], settings, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOSEI_DATA_DIR": str(settings.data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        SOSEI + args, capture_output=True, text=True, env=env, cwd=REPO, timeout=300, **kwargs
    )


def test_search_json_matches_the_api(real_settings, real_kb) -> None:
    result = run(["search", "--json", "--k", "3", "移居諮詢之後真正搬來的人數"], real_settings)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert len(body["hits"]) == 3
    from app.knowledge.schemas import SearchRequest

    expected = real_kb.search(SearchRequest(query="移居諮詢之後真正搬來的人數", k=3))
    assert [h["chunk_id"] for h in body["hits"]] == [h.chunk_id for h in expected.hits]


def test_search_with_category_filter(real_settings, real_kb) -> None:
    result = run(["search", "--json", "--category", "農林水產", "品牌"], real_settings)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert hits, "品牌 appears in agriculture cases"
    assert all(h["metadata"]["category"] == "農林水產" for h in hits)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["search", "--json", ""], "query"),
        (["search", "--json", "--k", "0", "KPI"], "k"),
        (["search", "--json", "--k", "100000", "KPI"], "k"),
        (["search", "--json", "--category", "旅遊", "KPI"], "category"),
        (["search", "--json", "地" * 30_000], "query"),  # execve caps one argument at 128 KiB
        (["search", "--json", "--k", "many", "KPI"], "--k"),
        (["ingest", "does-not-exist.md"], "no such file"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_bad_input_exits_2_with_one_line(real_settings, real_kb, args, needle) -> None:
    result = run(args, real_settings)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.stderr


def test_ingest_rejects_unsupported_file(real_settings, real_kb, tmp_path: Path) -> None:
    bad = tmp_path / "deck.pptx"
    bad.write_bytes(b"PK")
    result = run(["ingest", str(bad)], real_settings)
    assert result.returncode == 2 and "unsupported file type .pptx" in result.stderr


def test_ingest_is_incremental_from_the_command_line(real_settings, real_kb) -> None:
    result = run(["ingest", "--json"], real_settings)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["chunks_embedded"] == 0 and report["added"] == [] and report["unchanged"] > 30
