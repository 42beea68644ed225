"""FastAPI dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from plotwise.services import Services
from plotwise.spark.jobs import JobManager
from plotwise.turns.registry import TurnRegistry


def get_services(request: Request) -> Services:
    """The app's `Services`, opened by its lifespan."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_jobs(request: Request) -> JobManager:
    """The app's Spark jobs (`Services.jobs`)."""
    return get_services(request).jobs


JobsDep = Annotated[JobManager, Depends(get_jobs)]


def get_turns(request: Request) -> TurnRegistry:
    """The app's running and recent chat turns, created with the app."""
    return request.app.state.turns


TurnsDep = Annotated[TurnRegistry, Depends(get_turns)]


MAX_OFFSET = 2**63 - 1
"""Largest listing offset: the databases' 64-bit integers (a larger one fails in SQLite)."""

OffsetQuery = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
"""A listing's ``offset`` query parameter: items to skip."""
