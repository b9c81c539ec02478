"""The default corpus, shipped as package data `app.corpus` (see pyproject.toml); the Markdown files are data."""
