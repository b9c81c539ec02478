"""Generated requests against the OpenAPI schema (schemathesis): every operation, valid and invalid bodies,
checked for server errors (no 500, ever), undocumented status codes, responses that do not match their
schema and headers the schema promises. The app runs on the session's real index."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from app.config import Settings
from app.web import ratelimit
from app.web.app import create_app
from tests.conftest import CORPUS

# The schema comes from the app itself. Building the app reads no index; its lifespan would build services of
# its own (an index in its data directory), so schemathesis gets the app without it, and the fixture below gives
# the app the session's services as the lifespan would.
app = create_app(
    Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="sosei-fuzz-")), corpus_dir=CORPUS, rate_limits_enabled=False
    )
)


async def without_lifespan(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    if scope["type"] != "lifespan":
        await app(scope, receive, send)
        return
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


schema = schemathesis.openapi.from_asgi("/openapi.json", without_lifespan)


@pytest.fixture(scope="module", autouse=True)
def wired(real_settings, real_services) -> None:
    app.state.services = real_services
    ratelimit.configure(real_settings)  # the suite's settings: no rate limits


@schema.parametrize()
@settings(
    max_examples=25,  # per operation: a few hundred generated calls in all (raise locally to search harder)
    deadline=None,  # answers run the real model; time is measured in eval/, not here
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same calls on every run: a failure here is reproducible, never flaky
)
def test_the_api_keeps_its_schema(case) -> None:
    case.call_and_validate(headers={"Host": "testserver"})
