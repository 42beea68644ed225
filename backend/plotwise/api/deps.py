"""FastAPI dependency aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from plotwise.services import Services


def get_services(request: Request) -> Services:
    """The app's `Services`, opened by its lifespan."""
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]
