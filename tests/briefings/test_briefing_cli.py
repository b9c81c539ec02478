"""`sosei brief` as a user runs it: a real subprocess on the session's index, exit codes per contract."""

from __future__ import annotations

import pytest

from app.i18n import catalog
from tests.cli.test_cli import run

THEME = "觀光振興"


@pytest.fixture(scope="module")
def markdown(real_settings, real_kb) -> str:
    result = run(["brief", "--theme", THEME, "--format", "md"], real_settings)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_brief_prints_markdown_with_the_title_and_every_section(markdown, tourism_pack) -> None:
    assert markdown.startswith(f"# {tourism_pack.title}\n")
    strings = catalog("zh-TW").briefing
    headings = [line.removeprefix("## ") for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [strings[f"sec_{kind}"] for kind in tourism_pack.sections]
    for case in tourism_pack.cases:
        assert case.title in markdown


def test_brief_keeps_the_chosen_sections(real_settings, real_kb) -> None:
    result = run(
        ["brief", "--theme", THEME, "--section", "questions", "--section", "rules", "--lang", "en"],
        real_settings,
    )
    assert result.returncode == 0, result.stderr
    strings = catalog("en").briefing
    headings = [line.removeprefix("## ") for line in result.stdout.splitlines() if line.startswith("## ")]
    assert headings == [strings["sec_questions"], strings["sec_rules"]]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["brief", "--theme", THEME, "--format", "pptx"], "-o"),
        (["brief", "--theme", THEME, "--format", "pdf"], "-o"),
        (["brief", "--theme", THEME, "--format", "docx"], "--format"),
        (["brief", "--rule", "nope"], "nope"),
        (["brief", "--case", "no-such-case"], "no-such-case"),
        (["brief"], "--theme"),
        (["brief", "--category", "旅遊"], "category"),
        (["brief", "--theme", THEME, "--section", "bogus"], "section"),
    ],
)
def test_bad_brief_input_exits_2_with_one_line(real_settings, real_kb, args, needle) -> None:
    result = run(args, real_settings)
    assert result.returncode == 2, (result.stdout[:200], result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.stderr, result.stderr


def test_brief_writes_a_pdf(real_settings, real_kb, tmp_path) -> None:
    target = tmp_path / "x.pdf"
    result = run(["brief", "--theme", THEME, "--format", "pdf", "-o", str(target)], real_settings)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF")
    assert result.stdout == "" and str(target) in result.stderr
