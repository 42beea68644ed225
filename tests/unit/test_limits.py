"""The per-client rate buckets and the concurrent-request cap, on a clock of the test's own."""

from __future__ import annotations

import pytest

from plotwise.limits import ConcurrencyCap, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_refills_evenly():
    clock = Clock()
    limiter = RateLimiter(per_minute=3, clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [None, None, None]
    wait = limiter.take("a")
    assert wait == pytest.approx(20.0)  # one request per 20 s at 3 per minute
    clock.now += 10
    assert limiter.take("a") == pytest.approx(10.0)
    clock.now += 10
    assert limiter.take("a") is None
    assert limiter.take("a") == pytest.approx(20.0)


def test_a_refused_request_costs_nothing():
    clock = Clock()
    limiter = RateLimiter(per_minute=1, clock=clock)
    assert limiter.take("a") is None
    for _ in range(5):
        assert limiter.take("a") == pytest.approx(60.0)
    clock.now += 60
    assert limiter.take("a") is None


def test_clients_have_their_own_buckets():
    limiter = RateLimiter(per_minute=1, clock=Clock())
    assert limiter.take("a") is None
    assert limiter.take("a") is not None
    assert limiter.take("b") is None


def test_zero_means_no_limit():
    limiter = RateLimiter(per_minute=0, clock=Clock())
    assert all(limiter.take("a") is None for _ in range(1000))
    assert len(limiter) == 0


def test_tracked_clients_are_bounded_least_recent_first():
    limiter = RateLimiter(per_minute=1, max_clients=3, clock=Clock())
    for client in ("a", "b", "c"):
        assert limiter.take(client) is None
    assert limiter.take("a") is not None  # "a" is now the most recent
    assert limiter.take("d") is None  # forgets "b", the least recently seen
    assert len(limiter) == 3
    assert limiter.take("a") is not None
    assert limiter.take("c") is not None
    assert limiter.take("b") is None  # forgotten: a full bucket again
    assert len(limiter) == 3


def test_the_cap_counts_running_requests_per_client():
    cap = ConcurrencyCap(per_client=2)
    assert cap.acquire("a") and cap.acquire("a")
    assert not cap.acquire("a")
    assert cap.acquire("b")
    cap.release("a")
    assert cap.acquire("a")
    for _ in range(2):
        cap.release("a")
    cap.release("b")
    assert len(cap) == 0  # clients with nothing running are not kept


def test_the_cap_tracks_a_bounded_number_of_clients():
    cap = ConcurrencyCap(per_client=1, max_clients=2)
    assert cap.acquire("a") and cap.acquire("b")
    assert not cap.acquire("c")
    cap.release("a")
    assert cap.acquire("c")
    assert len(cap) == 2


def test_a_zero_cap_is_off():
    cap = ConcurrencyCap(per_client=0)
    assert all(cap.acquire("a") for _ in range(100))
    cap.release("a")
    assert len(cap) == 0
