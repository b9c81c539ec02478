"""A non-editable install serves: prompts, templates, static files, the catalogs, the example plan and the
default corpus all load from the installed package, not from this checkout.

The fresh virtual environment reuses this environment's dependencies through a .pth file (so nothing is
downloaded and torch is not installed twice); sosei itself is built and installed from the checkout with
`pip install --no-deps`, like any user's `pip install .`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, free_port


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("installed")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "sosei-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet", "--no-deps",
         "--no-build-isolation", str(REPO)],
        check=True, capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    return venv


def test_the_package_is_imported_from_site_packages(installed: Path) -> None:
    probe = (
        "import app, app.config as c; print(app.__file__); print(c.Settings().corpus_dir);"
        "from app.llm import load_prompt; print(len(load_prompt('answer_system')))"
    )
    out = subprocess.run(
        [str(installed / "bin" / "python"), "-c", probe], capture_output=True, text=True, check=True,
        cwd=installed.parent,
    ).stdout.splitlines()  # fmt: skip
    assert str(installed) in out[0], out
    assert str(installed) in out[1] and (Path(out[1]) / "guidelines" / "gl-pdca.md").is_file(), out
    assert int(out[2]) > 100


def test_the_installed_app_serves(installed: Path, real_settings, real_kb) -> None:
    port = free_port()
    env = {**os.environ, "SOSEI_DATA_DIR": str(real_settings.data_dir), "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen(
        [str(installed / "bin" / "sosei"), "serve", "--port", str(port)],
        cwd=installed.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "the installed server did not come up"
            time.sleep(0.5)
        assert "sosei" in httpx.get(f"{base}/").text
        review = httpx.get(f"{base}/review", params={"example": "true", "lang": "en"}).text
        assert "老街" in review and "KPI review" in review  # the example plan and the English catalog
        assert "PDCA" in httpx.get(f"{base}/documents/gl-pdca").text  # the corpus shipped in the package
        assert httpx.get(f"{base}/static/sosei.css").status_code == 200
        answer = httpx.post(
            f"{base}/api/ask", json={"question": "移居計畫的KPI該怎麼訂？"}, timeout=60
        ).json()
        assert answer["citations"] and not answer["refused"]
        critique = httpx.post(f"{base}/api/critique", json={"kpis": ["居民滿意度達80%"]}, timeout=60).json()
        assert critique["kpis"][0]["findings"][0]["code"] == "subjective"
    finally:
        server.terminate()
        server.wait(timeout=30)
