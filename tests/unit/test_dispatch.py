"""The worker dispatcher: the slot idle last takes the next job; a backlog waits in order."""

from __future__ import annotations

import threading

import pytest

from plotwise.sql.dispatch import BacklogFullError, Dispatcher, Inbox


def _park(dispatcher: Dispatcher[str], inbox: Inbox[str], got: list[str | None]) -> None:
    """Run a slot that takes one job in a thread; wait until it is parked as idle."""
    before = len(dispatcher._idle)
    thread = threading.Thread(target=lambda: got.append(dispatcher.take(inbox)), daemon=True)
    thread.start()
    while len(dispatcher._idle) == before:
        threading.Event().wait(0.001)


def _wait_for(got: list[str | None]) -> None:
    """Wait up to 5 s for a parked slot to have taken something."""
    for _ in range(5000):
        if got:
            return
        threading.Event().wait(0.001)


def test_the_slot_that_went_idle_last_takes_the_next_job() -> None:
    dispatcher: Dispatcher[str] = Dispatcher()
    first, second = Inbox[str](), Inbox[str]()
    got_first: list[str | None] = []
    got_second: list[str | None] = []
    _park(dispatcher, first, got_first)
    _park(dispatcher, second, got_second)
    assert dispatcher.put("job-1")
    _wait_for(got_second)
    assert got_second == ["job-1"]
    assert got_first == []
    assert dispatcher.close() == []
    _wait_for(got_first)
    assert got_first == [None]


def test_jobs_that_find_every_slot_busy_wait_in_arrival_order() -> None:
    dispatcher: Dispatcher[str] = Dispatcher()
    for name in ("a", "b", "c"):
        assert dispatcher.put(name)
    inbox = Inbox[str]()
    assert [dispatcher.take(inbox) for _ in range(3)] == ["a", "b", "c"]


def test_close_releases_idle_slots_returns_the_backlog_and_refuses_new_jobs() -> None:
    dispatcher: Dispatcher[str] = Dispatcher()
    got: list[str | None] = []
    _park(dispatcher, Inbox[str](), got)
    assert dispatcher.close() == []
    _wait_for(got)
    assert got == [None]
    assert not dispatcher.put("late")
    assert dispatcher.take(Inbox[str]()) is None


def test_close_hands_back_jobs_nobody_took() -> None:
    dispatcher: Dispatcher[str] = Dispatcher()
    dispatcher.put("x")
    dispatcher.put("y")
    assert dispatcher.close() == ["x", "y"]


@pytest.mark.parametrize("slots", [1, 3])
def test_every_job_is_taken_once_under_concurrency(slots: int) -> None:
    dispatcher: Dispatcher[int] = Dispatcher()
    taken: list[int] = []
    lock = threading.Lock()

    def slot() -> None:
        inbox = Inbox[int]()
        while (job := dispatcher.take(inbox)) is not None:
            with lock:
                taken.append(job)

    threads = [threading.Thread(target=slot, daemon=True) for _ in range(slots)]
    for thread in threads:
        thread.start()
    for job in range(500):
        assert dispatcher.put(job)
    while True:
        with lock:
            if len(taken) == 500:
                break
        threading.Event().wait(0.001)
    assert dispatcher.close() == []
    for thread in threads:
        thread.join(timeout=5)
        assert not thread.is_alive()
    assert sorted(taken) == list(range(500))


def test_a_full_backlog_refuses_the_next_job_and_takes_one_again_once_drained() -> None:
    dispatcher: Dispatcher[str] = Dispatcher(max_backlog=2)
    assert dispatcher.put("a") and dispatcher.put("b")
    with pytest.raises(BacklogFullError, match="2 jobs already wait"):
        dispatcher.put("c")
    assert dispatcher.take(Inbox[str]()) == "a"
    assert dispatcher.put("c")
    assert dispatcher.close() == ["b", "c"]
