"""What a provider's failure means for the analyst: retry later, or fix the configuration.

pydantic-ai sorts the SDKs' errors (`ModelRateLimitError`, `ModelServerError`,
`ModelRequestRejectedError`...); errors that escape the SDK while it reads a stream arrive as
`httpx2` errors. Each becomes one of Plotwise's errors with ``recoverable`` set as the UI's
Retry button needs it.
"""

from __future__ import annotations

import httpx2
from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelConnectionError,
    ModelHTTPError,
    ModelRequestRejectedError,
    ModelTimeoutError,
)

from plotwise.errors import ModelError, ModelRejectedError
from plotwise.settings import Settings


def model_failure(error: BaseException, settings: Settings) -> ModelError | None:
    """The Plotwise error for a failure of the model's provider; None if it is not one.

    Args:
        error: What the agent run raised.
        settings: For the limits named in messages (``llm_stall_s``, ``llm_max_attempts``).

    Returns:
        `ModelRejectedError` (not recoverable) for a refused request, `ModelError`
        (recoverable) for rate limits, server errors, stalls and broken connections.

    """
    cause = _provider_cause(error)
    if cause is None:
        return None
    if isinstance(cause, ModelRequestRejectedError):
        return ModelRejectedError(f"the model's provider refused the request: {_short(cause)}")
    if isinstance(cause, httpx2.TimeoutException | ModelTimeoutError):
        return ModelError(
            f"the model's provider sent nothing for {settings.llm_stall_s:g} s and the request "
            "was stopped; try again"
        )
    if isinstance(cause, httpx2.TransportError | ModelConnectionError):
        return ModelError(f"the connection to the model's provider broke ({cause}); try again")
    attempts = settings.llm_max_attempts
    return ModelError(
        f"the model's provider failed after up to {attempts} attempts: {_short(cause)}; try again"
    )


def _provider_cause(error: BaseException) -> BaseException | None:
    """The provider error in ``error``'s cause chain, if any."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ModelAPIError | httpx2.TransportError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _short(error: BaseException) -> str:
    """The error's message, with the HTTP status first when there is one (at most 300 chars)."""
    text = str(error)
    if isinstance(error, ModelHTTPError):
        text = f"HTTP {error.status_code}: {text}"
    return text[:300]
