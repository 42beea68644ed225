"""A pool of query worker processes: containment of memory and time, and cancellation.

Each worker (`plotwise.sql.worker_main`) is a fresh Python process (never a fork of the
threaded server) with its own locked-down DuckDB and an address-space limit
(``sql_worker_memory_mb``). A plain ``subprocess`` rather than a ``multiprocessing`` context:
``spawn`` and ``forkserver`` children re-import the server's ``__main__`` (pytest, the CLI), and
a new interpreter starts in about 0.3 s. The server keeps one thread per worker, its *slot*; a
slot gets jobs from the pool's dispatcher (`plotwise.sql.dispatch`: the worker idle last takes
the next job), and queries wait there in arrival order while every worker is busy.

Time is enforced from outside: when a query is stopped (its time limit, or a cancelled caller)
the slot (`plotwise.sql.worker_slot`) sends interrupts to the worker every few milliseconds; if
no answer arrives within the grace period (`TIMEOUT_GRACE_S`, `CANCEL_GRACE_S`) it SIGKILLs the
worker. A worker that was
killed or died (a memory bomb past RLIMIT_AS) is replaced by its slot before the slot takes its
next job; the other workers, and the server, carry on meanwhile.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from pathlib import Path

from plotwise.errors import (
    DatasetError,
    QueriesBusyError,
    QueryTimeoutError,
)
from plotwise.settings import Settings
from plotwise.sql.dispatch import BacklogFullError, Dispatcher, Inbox
from plotwise.sql.handoff import remove_file
from plotwise.sql.worker_slot import Job, Slot, WorkerAnswer

logger = logging.getLogger(__name__)

TIMEOUT_GRACE_S = 0.5
"""How long a timed-out query may take to stop after its first interrupt before its worker is
killed. Most queries stop within 15 ms of an interrupt; some never do."""

CANCEL_GRACE_S = 0.05
"""The same for a cancelled caller (client gone, Stop button): small, so the query is stopped
(or its worker dead) within 100 ms of the cancellation."""


class PoolRetiredError(DatasetError):
    """The pool was replaced (a dataset change) and takes no new job: ask the catalog again."""


def _abandon(future: asyncio.Future[WorkerAnswer]) -> None:
    """Nobody will take this job's answer: remove its spool file whenever it arrives."""

    def drop(done: asyncio.Future[WorkerAnswer]) -> None:
        if not done.cancelled() and done.exception() is None:
            remove_file(done.result().spool)

    future.add_done_callback(drop)


class WorkerPool:
    """``settings.sql_workers`` worker processes and their slot threads.

    Thread-safe; `run` may be awaited from any event loop. The catalog makes one per engine
    (`plotwise.data.catalog.Catalog.workers`); a dataset change replaces it, and the replaced
    pool `drain`s: it takes no new job, finishes the ones it has, then closes.
    """

    def __init__(self, settings: Settings, files: dict[str, Path]) -> None:
        """Start the slots; each starts its worker at once (in its thread, not blocking here).

        Args:
            settings: Uses ``sql_workers``, ``sql_worker_memory_mb``, ``duckdb_memory_limit``
                and what the workers' engines use.
            files: Parquet file per table name.

        """
        self.settings = settings
        self.files = dict(files)
        self.data_dir = settings.resolved_data_dir()
        self._jobs: Dispatcher[Job] = Dispatcher(settings.sql_queue_max)
        self._ids = itertools.count(1)
        self._closed = False
        self._retired = False
        self._pending = 0
        """Jobs queued or running; `drain` waits for none."""
        self._idle = threading.Condition()
        self._slots = [Slot(self, index) for index in range(settings.sql_workers)]
        for slot in self._slots:
            slot.thread.start()

    @property
    def closed(self) -> bool:
        """Whether `close` was called."""
        return self._closed

    async def run(
        self, sql: str, params: dict[str, object], *, max_rows: int, timeout_s: float
    ) -> WorkerAnswer:
        """Run one checked SELECT on a free worker and return its rows.

        Args:
            sql: One SELECT that passed the guard and the engine's statement check.
            params: Engine values of its ``$name`` parameters.
            max_rows: Row cap (>= 1); the worker returns up to ``max_rows + 1`` rows.
            timeout_s: Time limit in seconds, counted from now, so it includes any wait for a
                free worker.

        Raises:
            QueryTimeoutError: The limit passed; the query was interrupted or its worker killed.
            QueryMemoryError: The query outgrew DuckDB's memory limit or the worker's, or the
                worker died while running it (it is replaced).
            SQLExecutionError: DuckDB failed the query; the message is DuckDB's.
            SQLRefusedError: The worker's own statement check refused it.
            DatasetError: The pool is closed, or no worker could be started.
            QueriesBusyError: Every worker is busy and ``sql_queue_max`` queries already wait.
            PoolRetiredError: The pool was replaced and drains; nothing was queued.
            asyncio.CancelledError: The caller was cancelled; the query is stopped (within
                `CANCEL_GRACE_S` plus a kill) without waiting here.

        """
        job = Job(next(self._ids), sql, params, max_rows, asyncio.get_running_loop())
        with self._idle:
            if self._closed:
                raise DatasetError("the catalog is closed")
            if self._retired:
                raise PoolRetiredError("this worker pool was replaced")
            self._pending += 1
        try:
            queued = self._jobs.put(job)
        except BacklogFullError:
            self.job_done()
            raise QueriesBusyError(
                f"every query worker is busy and {self._jobs.max_backlog} queries already wait "
                "(PLOTWISE_SQL_QUEUE_MAX); try again in a moment"
            ) from None
        if not queued:
            self.job_done()
            raise DatasetError("the catalog is closed")
        try:
            async with asyncio.timeout(timeout_s):
                return await asyncio.shield(job.future)
        except TimeoutError:
            _abandon(job.future)
            started = job.stop(TIMEOUT_GRACE_S)
            await asyncio.wait([job.future], timeout=TIMEOUT_GRACE_S + 1.0)
            waited = "" if started else " while it waited for a free query worker"
            raise QueryTimeoutError(
                f"the query ran longer than the time limit of {timeout_s:g} s{waited} and was "
                "stopped; simplify it or aggregate more"
            ) from None
        except asyncio.CancelledError:
            _abandon(job.future)
            job.stop(CANCEL_GRACE_S)
            raise

    def next_job(self, inbox: Inbox[Job]) -> Job | None:
        """Block until a job is there for the slot owning ``inbox`` (None: stop); for slots."""
        return self._jobs.take(inbox)

    def job_done(self) -> None:
        """A slot finished a job (answered, failed or dropped it); called by the slots."""
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def drain(self, timeout_s: float) -> None:
        """Take no new job, wait until the queued and running ones are done, then `close`.

        Args:
            timeout_s: Longest wait; jobs still running then fail with DatasetError.

        """
        deadline = time.monotonic() + timeout_s
        with self._idle:
            self._retired = True
            while self._pending > 0 and (left := deadline - time.monotonic()) > 0:
                self._idle.wait(left)
        self.close()

    def worker_pids(self) -> list[int | None]:
        """Process id of each slot's worker (None while it is being replaced)."""
        return [slot.pid for slot in self._slots]

    def busy(self) -> int:
        """How many workers are running a query now (a killed one counts until it is reaped)."""
        return len(self.busy_pids())

    def busy_pids(self) -> list[int]:
        """Process ids of the workers running a query now."""
        return [pid for slot in self._slots if slot.busy and (pid := slot.pid) is not None]

    def alive(self) -> int:
        """How many workers can take a query now, served by a running slot thread.

        A worker counts once it answered its start-up hello (its engine is open) and until it is
        seen to exit: one still starting, or being replaced after a kill or a crash, does not.
        """
        return sum(
            1
            for slot in self._slots
            if slot.thread.is_alive()
            and slot.ready
            and (process := slot.process) is not None
            and process.returncode is None
        )

    def size(self) -> int:
        """How many workers the pool keeps (``sql_workers``)."""
        return len(self._slots)

    def started(self) -> int:
        """How many worker processes were started so far, replacements included."""
        return sum(slot.started for slot in self._slots)

    def close(self) -> None:
        """Stop every worker (running queries fail with DatasetError) and the slot threads."""
        if self._closed:
            return
        self._closed = True
        left = self._jobs.close()
        for slot in self._slots:
            slot.wake()
        for slot in self._slots:
            slot.thread.join(timeout=5)
        for job in left:
            job.deliver(DatasetError("the catalog is closed"))
