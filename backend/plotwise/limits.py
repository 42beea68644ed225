"""Request limits: body size, per-client rates of chat turns and uploads, concurrent turns.

All three are pure ASGI middleware (no body relay, no task group per request). Per-client
state is kept in memory, in this process, and bounded: at most `MAX_TRACKED_CLIENTS` clients
are tracked, the least recently seen forgotten first. A client is its bearer token when
``PLOTWISE_API_TOKEN`` is set, else its peer address (`plotwise.access.client_identity`).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plotwise.access import client_identity
from plotwise.api.errors import send_plotwise_error
from plotwise.errors import BodyTooLargeError, RateLimitedError

MAX_TRACKED_CLIENTS = 10_000
"""Most clients whose rate buckets are kept; past it the least recently seen is forgotten
(and starts afresh with a full bucket), so memory stays bounded whoever calls."""

TURN_CAP_RETRY_S = 5
"""``Retry-After`` of a turn refused by the concurrent-turn cap, in seconds: a guess at how
soon one of the client's running turns ends."""

Clock = Callable[[], float]
"""Monotonic seconds (`time.monotonic`; tests pass their own)."""


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """Token buckets per client: ``per_minute`` requests at once, refilled evenly over a minute.

    Attributes:
        per_minute: Bucket size and refill per minute; 0 means no limit.
        max_clients: Most buckets kept (least recently used dropped first).
        clock: Monotonic time in seconds.

    """

    per_minute: int
    max_clients: int = MAX_TRACKED_CLIENTS
    clock: Clock = time.monotonic
    _buckets: OrderedDict[str, _Bucket] = field(default_factory=OrderedDict, repr=False)

    def take(self, client: str) -> float | None:
        """Spend one request of ``client``'s bucket.

        Returns:
            None when the request may go on; else the seconds until one is available again.

        """
        if self.per_minute <= 0:
            return None
        now = self.clock()
        bucket = self._buckets.pop(client, None) or _Bucket(float(self.per_minute), now)
        rate = self.per_minute / 60.0
        bucket.tokens = min(self.per_minute, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        self._buckets[client] = bucket
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / rate

    def __len__(self) -> int:
        """How many clients are tracked."""
        return len(self._buckets)


@dataclass
class ConcurrencyCap:
    """Running requests per client, at most ``per_client`` each.

    Only clients with something running are kept, and at most ``max_clients`` of them.

    Attributes:
        per_client: Most requests one client runs at once; 0 means no cap.
        max_clients: Most clients with running requests; one more client is refused too.

    """

    per_client: int
    max_clients: int = MAX_TRACKED_CLIENTS
    _running: dict[str, int] = field(default_factory=dict, repr=False)

    def acquire(self, client: str) -> bool:
        """Count one more running request of ``client``; False (nothing counted) if over."""
        if self.per_client <= 0:
            return True
        running = self._running.get(client, 0)
        if running >= self.per_client or (running == 0 and len(self) >= self.max_clients):
            return False
        self._running[client] = running + 1
        return True

    def release(self, client: str) -> None:
        """One request of ``client`` ended (call once per successful `acquire`)."""
        if self.per_client <= 0:
            return
        running = self._running.get(client, 0) - 1
        if running > 0:
            self._running[client] = running
        else:
            self._running.pop(client, None)

    def __len__(self) -> int:
        """How many clients have requests running."""
        return len(self._running)


@dataclass(frozen=True)
class LimitedRoute:
    """A route whose requests are rate-limited per client (and optionally capped).

    Attributes:
        method: HTTP method, e.g. ``POST``.
        path: The exact path, e.g. ``/api/chat``.
        what: What one request is, for the refusal's message (``chat turns``).
        rate: The route's token buckets.
        cap: The route's concurrent-request cap, if it has one.

    """

    method: str
    path: str
    what: str
    rate: RateLimiter
    cap: ConcurrencyCap | None = None


class RateLimits:
    """ASGI middleware: refuse requests to `LimitedRoute` s past their client's limits (429).

    A capped request holds its slot until the app has sent the whole response (for a chat
    turn: until its event stream ends, or the client goes away).
    """

    def __init__(self, app: ASGIApp, routes: list[LimitedRoute], by_token: bool) -> None:
        """Wrap ``app``.

        Args:
            app: The ASGI application.
            routes: The limited routes; other requests pass untouched.
            by_token: Identify clients by bearer token (``api_token`` is set), else by address.

        """
        self.app = app
        self.routes = {(route.method, route.path): route for route in routes}
        self.by_token = by_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the client's rate and cap, then run the request (holding a cap slot)."""
        route = None
        if scope["type"] == "http":
            route = self.routes.get((scope["method"], scope["path"].rstrip("/") or "/"))
        if route is None:
            await self.app(scope, receive, send)
            return
        client = client_identity(scope, by_token=self.by_token)
        if route.cap is not None and not route.cap.acquire(client):
            error = RateLimitedError(
                f"too many {route.what} at once: at most {route.cap.per_client} per client",
                TURN_CAP_RETRY_S,
            )
            await send_plotwise_error(error, scope, receive, send)
            return
        try:
            wait = route.rate.take(client)
            if wait is not None:
                error = RateLimitedError(
                    f"too many {route.what}: at most {route.rate.per_minute} per minute per "
                    f"client; retry in {math.ceil(wait)} s",
                    math.ceil(wait),
                )
                await send_plotwise_error(error, scope, receive, send)
                return
            await self.app(scope, receive, send)
        finally:
            if route.cap is not None:
                route.cap.release(client)


class _BodyTooLarge(HTTPException):
    """Raised from ``receive`` past the limit.

    FastAPI passes HTTPExceptions through its body parsing unchanged, so the app's handler
    answers it (or `BodyLimit` does, if it reaches that far).
    """

    def __init__(self, limit_bytes: int) -> None:
        super().__init__(413, _too_large_message(limit_bytes))


def _too_large_message(limit_bytes: int) -> str:
    return f"the request body is larger than {limit_bytes // 1024} KiB (PLOTWISE_MAX_BODY_KB)"


class BodyLimit:
    """ASGI middleware: request bodies over ``max_bytes`` answer 413 ``payload_too_large``.

    A ``Content-Length`` over the limit is refused before any of the body is read; a body
    without one (chunked) is counted as it streams and refused once it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, exempt: Callable[[Scope], bool]) -> None:
        """Wrap ``app``.

        Args:
            app: The ASGI application.
            max_bytes: Most bytes of one request body.
            exempt: Requests with their own limit (uploads), passed untouched.

        """
        self.app = app
        self.max_bytes = max_bytes
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a declared-too-large body at once; count a streamed one as it arrives."""
        if scope["type"] != "http" or self.exempt(scope):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = BodyTooLargeError(_too_large_message(self.max_bytes))
        await send_plotwise_error(error, scope, receive, send)
