from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from pydantic_ai.models import Model

from plotwise.app import create_app
from plotwise.settings import Settings
from support.live_server import live_server


@pytest.fixture(scope="session")
def app_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"query_timeout_s": 30})


@pytest.fixture(scope="session")
def local_server(app_settings: Settings) -> Iterator[str]:
    """A real server with the default (local) model."""
    with live_server(create_app(app_settings)) as url:
        yield url


@pytest.fixture
def server_with(app_settings: Settings) -> Callable[..., AbstractContextManager[str]]:
    """Start a real server with a given model and/or settings overrides."""

    def start(
        model_override: Model | None = None, **overrides: object
    ) -> AbstractContextManager[str]:
        settings = app_settings.model_copy(update=overrides)
        return live_server(create_app(settings, model=model_override))

    return start
