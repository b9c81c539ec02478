# Two commands set everything up on a fresh clone: `make run` and `make test`.
# Both bootstrap .venv from nothing and are idempotent (stamp files record what is installed).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test test-server lint eval ingest docs clean-data

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# torch first, pinned, so pip takes the CPU wheel on disk instead of a multi-GB CUDA build.
$(VENV)/.torch-stamp: | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	touch $@

$(VENV)/.install-stamp: pyproject.toml $(VENV)/.torch-stamp
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-stamp: pyproject.toml $(VENV)/.install-stamp
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Browser tests drive Debian's Chromium (a browser download by Playwright is not possible here).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(VENV)/.chromium-stamp: | $(BIN)/python
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; }
	touch $@

# Briefing packs: a CJK font so PDFs never show boxes, poppler (pdftoppm) for the PDF tests, and reveal.js
# (from the npm registry) for browser slides. Debian packages as for Chromium; reveal.js lands in .venv/reveal.
$(VENV)/.briefing-stamp: | $(BIN)/python
	@{ fc-list | grep -q "Noto Sans CJK" && command -v pdftoppm >/dev/null 2>&1; } || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-noto-cjk poppler-utils >/dev/null; }
	npm install --silent --no-audit --no-fund --prefix $(VENV)/reveal reveal.js@6.0.2
	touch $@

run: $(VENV)/.install-stamp $(VENV)/.briefing-stamp
	$(BIN)/sosei ingest
	$(BIN)/sosei serve --host $(HOST) --port $(PORT)

test: lint $(VENV)/.chromium-stamp $(VENV)/.briefing-stamp
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

# The whole suite with its index in a Chroma server (the tests start `chroma run` on loopback themselves).
test-server: $(VENV)/.test-stamp $(VENV)/.chromium-stamp $(VENV)/.briefing-stamp
	HF_HUB_OFFLINE=1 SOSEI_TEST_STORE=server $(BIN)/python -m pytest

# Static checks: lint, format, the layer contract (pyproject.toml [tool.importlinter]), types.
lint: $(VENV)/.test-stamp
	$(BIN)/ruff check app tests eval docs
	$(BIN)/ruff format --check app tests eval docs
	$(BIN)/lint-imports
	$(BIN)/mypy

ingest: $(VENV)/.install-stamp
	$(BIN)/sosei ingest

eval: $(VENV)/.install-stamp
	$(BIN)/sosei eval

# Regenerate what the docs derive from code and data: the settings and figure tables (cog, from
# app/config.py and eval/results.json) and the OpenAPI snapshot. tests/docs and tests/web/test_openapi.py
# fail when these are stale. Refresh the figures first with `.venv/bin/sosei eval --json > eval/results.json`.
docs: $(VENV)/.test-stamp
	$(BIN)/cog -r -I docs README.md eval/README.md docs/extensions.md
	$(BIN)/python -m app.web.openapi > docs/openapi.json

clean-data:
	rm -rf data
