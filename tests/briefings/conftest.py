"""Briefing packs built once per session on the session's real index (a pack takes a second or more)."""

from __future__ import annotations

import pytest

from app.briefings.schemas import Briefing, BriefingRequest

THEME = "觀光振興"


@pytest.fixture(scope="session")
def briefings(real_services):
    return real_services.briefings


@pytest.fixture(scope="session")
def tourism_pack(briefings) -> Briefing:
    """The Chinese pack for 觀光振興, every section in the default order."""
    return briefings.build(BriefingRequest(theme=THEME))


@pytest.fixture(scope="session")
def english_pack(briefings) -> Briefing:
    return briefings.build(BriefingRequest(theme="tourism", lang="en"))
