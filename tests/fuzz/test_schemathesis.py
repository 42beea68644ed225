"""Fuzz the API against its own OpenAPI schema with schemathesis: every operation, every check.

A real Plotwise (the local model, a temporary data directory) serves on 127.0.0.1; schemathesis
checks its answers against the app's own OpenAPI schema, so operations added later are fuzzed
without touching this file.
Each operation gets 200 examples, half valid and half invalid (schemathesis' positive and negative
modes), derandomized so a CI failure reproduces locally. Stateless only, no shrinking beyond
Hypothesis' default: the run stays within a few minutes on 2 CPUs.

One restriction, no exclusions: ``POST /api/chat`` is fuzzed with invalid bodies only. A valid
one starts a whole turn (the agent, SQL, an artifact) answered as a Server-Sent Events stream;
200 of those would take minutes and test the agent rather than the HTTP contract, which the chat
tests cover. Its 422 answers are still checked against the schema here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.schemas import OpenApiSchema

from plotwise.app import create_app
from plotwise.settings import Settings
from support.live_server import live_server

pytestmark = pytest.mark.fuzz

CHAT = "/api/chat"

FUZZ_SETTINGS = settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
"""200 examples per operation, the same ones every run; no deadline (a 2-CPU CI box is slow)."""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Plotwise with the local model over a fresh data directory."""
    # Per-client limits off: one fuzzer sends thousands of requests, and a 429 before the
    # body is read would hide how the operations treat their inputs (limits: test_limits_http).
    fuzz_settings = Settings(
        data_dir=tmp_path_factory.mktemp("fuzz-data"),
        query_timeout_s=30,
        chat_rate_per_minute=0,
        upload_rate_per_minute=0,
        max_turns_per_client=0,
    )
    with live_server(create_app(fuzz_settings)) as url:
        yield url


def _schema() -> OpenApiSchema:
    # The schema is the code's, not the data's: an app that never starts its lifespan gives it.
    schema = schemathesis.openapi.from_dict(create_app(Settings()).openapi())
    # A request valid by the schema may still be refused with a documented 400 in the one error
    # shape: what a JSON schema cannot say (a dataset name that does not exist, a URL that is
    # not PostgreSQL's, SQL the guard refuses, a file that is not multipart). Whether that 400
    # is documented and its body conforms is still checked, by the other checks.
    acceptance = schema.config.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, "400"]
    return schema


api = _schema().exclude(path=CHAT)
"""Every operation but the chat's, valid and invalid inputs."""

chat = _schema().include(path=CHAT)
"""The chat operation alone, invalid inputs only (see the module's docstring)."""
chat.config.generation.update(modes=[GenerationMode.NEGATIVE])


@api.parametrize()
@FUZZ_SETTINGS
def test_api_conforms_to_its_schema(case: schemathesis.Case, base_url: str) -> None:
    case.call_and_validate(base_url=base_url, timeout=30)


@chat.parametrize()
@FUZZ_SETTINGS
def test_chat_rejects_invalid_requests_as_its_schema_says(
    case: schemathesis.Case, base_url: str
) -> None:
    case.call_and_validate(base_url=base_url, timeout=30)
