"""Docs that cannot drift: the generated parts of the READMEs are current, and the contract is in docs/."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CONTRACT_FACTORS, CONTRACT_KPI_CODES

ROOT = Path(__file__).resolve().parents[2]
COG_FILES = ("README.md", "eval/README.md", "docs/extensions.md")
REGENERATE = f".venv/bin/cog -r -I docs {' '.join(COG_FILES)}"
CONTRACT = ROOT / "docs" / "contract.md"
EXTENSIONS = ROOT / "docs" / "extensions.md"

# The finding codes the interface contract lists (it is fixed; see docs/contract.md, "Finding codes").
CONTRACT_PLAN_CODES = ("no_outcome", "no_output", "too_many_kpis", "cost_effectiveness", "factor:<name>")
FACTORS = CONTRACT_FACTORS


def test_generated_docs_are_current() -> None:
    """cog --check: the settings table, eval figures and code table match their sources."""
    if importlib.util.find_spec("cogapp") is None:
        pytest.fail("cogapp is not installed: .venv/bin/pip install cogapp (it belongs in the test extras)")
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "--diff", "-I", "docs", *COG_FILES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, (
        f"generated docs are out of date; regenerate them with\n    {REGENERATE}\n"
        f"(after `.venv/bin/sosei eval --json > eval/results.json` if the eval figures moved)\n\n"
        f"{result.stdout}{result.stderr}"
    )


def test_every_cog_block_has_an_html_comment_marker() -> None:
    """The markers stay inside HTML comments so that GitHub renders the READMEs cleanly."""
    for name in COG_FILES:
        lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
        markers = [line for line in lines if "[[[cog" in line or "[[[end]]]" in line]
        assert markers, f"{name} has no cog block"
        for line in markers:
            assert line.startswith("<!-- ") and line.endswith(" -->"), f"{name}: {line!r}"


def test_contract_is_in_the_repository_and_lists_every_finding_code() -> None:
    assert CONTRACT.is_file(), "docs/contract.md is missing: the interface contract is kept in the repository"
    text = CONTRACT.read_text(encoding="utf-8")
    missing = [
        code for code in (*CONTRACT_KPI_CODES, *CONTRACT_PLAN_CODES, *FACTORS) if f"`{code}`" not in text
    ]
    assert not missing, f"docs/contract.md does not mention {missing}"


def test_contract_copy_is_verbatim_where_the_shared_one_is_present() -> None:
    for shared in (ROOT / "shared" / "contract.md", ROOT.parent / "shared" / "contract.md"):
        if shared.is_file():
            assert CONTRACT.read_bytes() == shared.read_bytes(), f"docs/contract.md differs from {shared}"
            return
    pytest.skip("no shared/contract.md next to the checkout")


def _code_rows(path: Path) -> dict[str, str]:
    """Rows of the hand-written `| code | level | severity | fires when |` table: code → severity."""
    text = path.read_text(encoding="utf-8")
    table = text.split("| code | level | severity | fires when |", 1)[1].split("\n\n", 1)[0]
    return dict(re.findall(r"^\| `([a-z_:]+)` \| \w+ \| (\w+) \| .+\S.* \|$", table, flags=re.MULTILINE))


@pytest.mark.parametrize("doc", ["docs/extensions.md", "README.md"])
def test_every_extension_code_is_described(doc: str) -> None:
    """Each code the rule registry raises beyond the contract has a "fires when" row with its severity."""
    from app.kpi.rules import KPI_RULES, PLAN_RULES

    contract = {*CONTRACT_KPI_CODES, *CONTRACT_PLAN_CODES[:-1], *(f"factor:{name}" for name in FACTORS)}
    extensions = {rule.code: rule.severity for rule in (*KPI_RULES, *PLAN_RULES) if rule.code not in contract}
    rows = _code_rows(ROOT / doc)
    wrong = {
        code: (severity, rows.get(code))
        for code, severity in extensions.items()
        if rows.get(code) != severity
    }
    assert not wrong, f"{doc}: extension codes missing from its code table or with another severity: {wrong}"
