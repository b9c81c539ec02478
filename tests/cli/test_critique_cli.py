"""`sosei critique` as a user runs it: files in YAML and JSON, the readable reports, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

SAMPLE = REPO / "app" / "kpi" / "examples" / "old-street.yaml"


def sosei(args: list[str], settings, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOSEI_DATA_DIR": str(settings.data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "app.cli.main", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
        input=stdin,
    )


def test_markdown_report_reads_on_its_own(real_settings, real_kb) -> None:
    result = sosei(["critique", str(SAMPLE)], real_settings)
    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert report.startswith("# KPI 審查報告：老街空店活化計畫")
    for heading in ("## KPI 一覽", "## 逐項檢視", "## 計畫層級", "## 指南依據", "## 可參考的案例"):
        assert heading in report
    assert "| 1 | 老街空店舖數由40間減少至28間（2027年） |" in report
    assert "`subjective`" in report and "建議：" in report
    evidence = report.split("## 指南依據")[1].split("## 可參考的案例")[0]
    assert evidence.count("### `no_baseline`") == 1 and "《" in evidence  # quoted once per rule


def test_html_report_escapes_plan_text(real_settings, real_kb, tmp_path: Path) -> None:
    plan = tmp_path / "evil.yaml"
    plan.write_text('title: "<script>alert(1)</script>"\nkpis:\n  - "<b>滿意度</b>提升"\n', encoding="utf-8")
    result = sosei(["critique", "--format", "html", str(plan)], real_settings)
    assert result.returncode == 0, result.stderr
    assert "<script>alert(1)</script>" not in result.stdout
    assert "&lt;script&gt;" in result.stdout and "<!doctype html>" in result.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (["critique", "missing.yaml"], None, "no such file"),
        (["critique", "plan.txt"], None, "unsupported plan file"),
        (["critique", "--json", "-"], "{not json", "not valid JSON"),
        (["critique", "--json", "-"], "[1, 2]", "kpis"),
        (["critique", "--json", "-"], '{"kpis": [42]}', "KPI 1"),  # counted from 1
        (["critique", "--format", "pdf", "-"], "{}", "--format"),
        # issue 13: these ended in a traceback and exit 1
        (["critique", "--json", "-"], "[" * 5000 + "]" * 5000, "nested too deeply"),
        (["critique", "--json", "-"], '{"kpis": ["\\udbff 人數由1增加至2"]}', "KPI 1"),
    ],
)
def test_bad_input_exits_2_with_one_line(real_settings, real_kb, args, stdin, needle) -> None:
    result = sosei(args, real_settings, stdin)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
