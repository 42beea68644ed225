"""The HTTP client of every provider model: retries with backoff, Retry-After, a stall limit.

Providers fail in ordinary ways: 429 (rate limits), 5xx and Anthropic's 529 (overload), dropped
connections. Each request is retried by tenacity (pydantic-ai's `AsyncHTTPX2TenacityTransport`):
at most ``llm_max_attempts`` attempts and ``llm_max_retry_wait_s`` seconds of waiting in all,
waiting what the provider's ``retry-after-ms`` or ``Retry-After`` header asks, else exponential
backoff with jitter (0.5 s doubling, at most 10 s per wait). A request the provider refused
(400, 401, 403, 404, 422) is never retried: sending it again cannot help. The SDKs' own retries
are turned off (``max_retries=0``) so the two never multiply.

The client's read timeout, ``llm_stall_s``, is the stall detector: a provider that sends
nothing for that long, before or during its stream, fails the request.
"""

from __future__ import annotations

import httpx2
from pydantic_ai.models import create_async_httpx2_client
from pydantic_ai.retries import AsyncHTTPX2TenacityTransport, RetryConfig, wait_retry_after
from tenacity import RetryCallState, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from plotwise.settings import Settings

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
"""HTTP statuses worth another attempt (the set the OpenAI and Anthropic SDKs retry, and 529,
Anthropic's "overloaded")."""

CONNECT_TIMEOUT_S = 10.0
"""Longest wait for a TCP (and TLS) connection to a provider."""


def _retryable(error: BaseException) -> bool:
    """A retryable status, or a failure to connect or to get the response's headers."""
    if isinstance(error, httpx2.HTTPStatusError):
        return error.response.status_code in RETRY_STATUSES
    return isinstance(error, httpx2.TransportError)


def _raise_for_retryable(response: httpx2.Response) -> None:
    """Turn a retryable status into an exception for tenacity; other answers pass through."""
    if response.status_code in RETRY_STATUSES:
        response.raise_for_status()


class _Budget:
    """Tenacity's stop and wait for one request: the attempts and the total wait both capped."""

    def __init__(self, attempts: int, total_wait_s: float) -> None:
        self.attempts = stop_after_attempt(attempts)
        self.total_wait_s = total_wait_s
        fallback = wait_exponential_jitter(multiplier=0.5, max=10.0)
        self.wait_for = wait_retry_after(fallback_strategy=fallback, max_wait=total_wait_s)

    def stop(self, state: RetryCallState) -> bool:
        return self.attempts(state) or state.idle_for >= self.total_wait_s

    def wait(self, state: RetryCallState) -> float:
        # Never past the budget: the last wait is cut to what is left of it.
        return max(0.0, min(self.wait_for(state), self.total_wait_s - state.idle_for))


def provider_http_client(settings: Settings) -> httpx2.AsyncClient:
    """A new client for the provider SDKs, retrying as the module docstring says.

    Args:
        settings: Uses ``llm_max_attempts``, ``llm_max_retry_wait_s`` and ``llm_stall_s``.

    Returns:
        An `httpx2.AsyncClient`; close it with ``aclose`` when done.

    """
    budget = _Budget(settings.llm_max_attempts, settings.llm_max_retry_wait_s)
    transport = AsyncHTTPX2TenacityTransport(
        RetryConfig(
            retry=retry_if_exception(_retryable),
            wait=budget.wait,
            stop=budget.stop,
            reraise=True,
        ),
        validate_response=_raise_for_retryable,
    )
    timeout = httpx2.Timeout(settings.llm_stall_s, connect=CONNECT_TIMEOUT_S)
    return create_async_httpx2_client(transport=transport, timeout=timeout)
