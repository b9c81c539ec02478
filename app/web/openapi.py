"""Print the OpenAPI description of the JSON API (`python -m app.web.openapi > docs/openapi.json`).

docs/openapi.json is the committed snapshot; tests/web/test_openapi.py fails when the API drifts from it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from app.config import Settings
from app.web.app import create_app


def openapi_schema() -> dict[str, Any]:
    return create_app(Settings()).openapi()


def main() -> None:
    sys.stdout.write(json.dumps(openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
