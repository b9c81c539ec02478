"""The JSON API's OpenAPI description matches the committed snapshot, docs/openapi.json."""

from __future__ import annotations

import json

from app.web.openapi import openapi_schema
from tests.conftest import REPO

SNAPSHOT = REPO / "docs" / "openapi.json"


def test_openapi_matches_the_snapshot() -> None:
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    current = json.loads(json.dumps(openapi_schema(), ensure_ascii=False))
    assert current == committed, (
        "the API changed: review the difference, then regenerate the snapshot with "
        "`.venv/bin/python -m app.web.openapi > docs/openapi.json` (and update docs/contract.md if the contract "
        "changed)"
    )


def test_the_contract_routes_are_in_the_schema() -> None:
    paths = openapi_schema()["paths"]
    for route, method in [
        ("/healthz", "get"), ("/api/search", "post"), ("/api/ask", "post"), ("/api/chat", "post"),
        ("/api/similar", "post"), ("/api/critique", "post"), ("/api/cases", "get"), ("/api/cases/{case_id}", "get"),
    ]:  # fmt: skip
        assert method in paths.get(route, {}), f"{method.upper()} {route}"
