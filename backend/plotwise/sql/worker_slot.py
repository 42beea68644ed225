"""One query worker process and the server thread (its *slot*) that feeds it jobs.

See `plotwise.sql.workers` for the pool and the containment design: a slot starts its worker
(`plotwise.sql.worker_main`) as a fresh interpreter, sends it one job at a time, interrupts and
then kills it when a job is stopped, and replaces a worker that was killed or died.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Protocol

import pyarrow as pa

from plotwise.errors import (
    DatasetError,
    PlotwiseError,
    QueryMemoryError,
    QueryTimeoutError,
    SQLExecutionError,
    SQLRefusedError,
)
from plotwise.settings import Settings
from plotwise.sql.dispatch import Inbox
from plotwise.sql.handoff import map_stream, remove_file, remove_leftovers, spool_path

logger = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0
"""How long a new worker may take to open its engine (about 0.3 s measured)."""

INTERRUPT_EVERY_S = 0.02
"""Pause between interrupts sent to a query that should stop: one that lands before the engine
starts the query is lost, so they repeat until the worker answers or is killed."""

WORKER_COMMAND = (sys.executable, "-m", "plotwise.sql.worker_main")
"""How a worker is started; the two descriptors it talks over follow as arguments."""

WORKER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "2"}
"""Allocator settings of the workers. RLIMIT_AS counts reserved address space, not used memory:
pyarrow's default mimalloc pool reserves 1 GiB on first use and glibc up to 64 MiB per thread
arena. With these a worker measured about 570 MiB of address space after a few queries instead
of 1.6-2.2 GiB."""


@dataclass(frozen=True)
class WorkerAnswer:
    """A query's result as a worker sent it back."""

    columns: list[tuple[str, str]]
    """Name and DuckDB type name of each column, in order."""
    table: pa.Table
    """At most ``max_rows`` rows, decoded from the worker's Arrow IPC stream (no copy)."""
    truncated: bool
    """Whether the query had rows past ``max_rows``."""
    stream: pa.Buffer
    """The worker's Arrow IPC stream of ``table`` (schema message, batches, end marker)."""
    spool: Path | None = None
    """The spool file holding ``stream``; whoever takes the answer adopts or removes it
    (`plotwise.sql.handoff.remove_file`)."""


class SlotOwner(Protocol):
    """What a slot needs from its pool."""

    settings: Settings
    files: dict[str, Path]
    data_dir: Path

    @property
    def closed(self) -> bool:
        """Whether the pool was closed."""
        ...

    def next_job(self, inbox: Inbox[Job]) -> Job | None:
        """Block until a job is there for the slot owning ``inbox`` (None: stop)."""
        ...

    def job_done(self) -> None:
        """Count a job taken by `next_job` as finished."""
        ...


class Job:
    """One query on its way through the pool; `stop` may be called from any thread."""

    def __init__(
        self,
        job_id: int,
        sql: str,
        params: dict[str, object],
        max_rows: int,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.id, self.sql, self.params, self.max_rows = job_id, sql, params, max_rows
        self.loop = loop
        self.future: asyncio.Future[WorkerAnswer] = loop.create_future()
        # Nobody may be left waiting for an outcome that is no longer wanted.
        self.future.add_done_callback(lambda done: done.cancelled() or done.exception())
        self._lock = threading.Lock()
        self._slot: Slot | None = None
        self.kill_at: float | None = None
        """Monotonic time after which the worker is killed; set once the job should stop."""

    def claim(self, slot: Slot) -> bool:
        """Bind the job to ``slot``; False if it was stopped while it waited in the queue."""
        with self._lock:
            if self.kill_at is not None:
                return False
            self._slot = slot
            return True

    def stop(self, grace_s: float) -> bool:
        """Ask for the query to stop, killing its worker after ``grace_s`` seconds.

        Returns:
            Whether a worker had already taken the job.

        """
        with self._lock:
            if self.kill_at is None:
                self.kill_at = time.monotonic() + grace_s
            slot = self._slot
        if slot is not None:
            slot.wake()
        return slot is not None

    def deliver(self, outcome: WorkerAnswer | BaseException) -> None:
        """Hand the outcome to the waiting coroutine (from a slot thread)."""

        def resolve() -> None:
            if self.future.done():
                _drop(outcome)
            elif isinstance(outcome, BaseException):
                self.future.set_exception(outcome)
            else:
                self.future.set_result(outcome)

        try:
            self.loop.call_soon_threadsafe(resolve)
        except RuntimeError:
            _drop(outcome)  # the caller's event loop has closed: nobody waits for this outcome


def _drop(outcome: WorkerAnswer | BaseException) -> None:
    """Remove the spool file of an answer nobody will take (its caller was cancelled)."""
    if isinstance(outcome, WorkerAnswer):
        remove_file(outcome.spool)


class Slot:
    """One worker process and the thread that feeds it jobs and replaces it when it dies."""

    def __init__(self, pool: SlotOwner, index: int) -> None:
        self.pool = pool
        self.process: subprocess.Popen[bytes] | None = None
        self.jobs: Connection | None = None
        self.control: Connection | None = None
        self.busy = False
        self.ready = False
        """True once the current worker answered its start-up hello (its engine is open)."""
        self.started = 0
        self.inbox: Inbox[Job] = Inbox()
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self.thread = threading.Thread(target=self._loop, name=f"sql-worker-{index}", daemon=True)

    @property
    def pid(self) -> int | None:
        """The worker's process id; None while it is being replaced."""
        process = self.process
        return process.pid if process is not None else None

    def wake(self) -> None:
        """Make the slot thread look at its job again (it is stopping, or the pool closing)."""
        try:
            os.write(self._wake_write, b"!")
        except (BlockingIOError, OSError):
            pass  # the pipe is full (a wake-up is pending anyway) or closed

    def _loop(self) -> None:
        try:
            self._try_spawn()
            while not self.pool.closed:
                job = self.pool.next_job(self.inbox)
                if job is None:
                    break
                if not job.claim(self):
                    job.deliver(QueryTimeoutError("the query was stopped before it started"))
                    self.pool.job_done()
                    continue
                job.deliver(self._run(job))
                self.pool.job_done()
                if self.process is None and not self.pool.closed:
                    self._try_spawn()
        finally:
            self._discard()
            os.close(self._wake_read)
            os.close(self._wake_write)

    def _try_spawn(self) -> str | None:
        """Start a worker if there is none; return why it failed, or None."""
        if self.process is not None:
            return None
        try:
            self._spawn()
        except (OSError, EOFError, DatasetError) as error:
            logger.error("could not start a query worker: %s", error)
            self._discard()
            return str(error)
        return None

    def _spawn(self) -> None:
        ours, theirs = socket.socketpair()
        control_read, control_write = os.pipe()
        self.jobs = Connection(ours.detach())
        self.control = Connection(control_write, readable=False)
        child_fds = (theirs.fileno(), control_read)
        try:
            self.process = subprocess.Popen(
                [*WORKER_COMMAND, *map(str, child_fds)],
                pass_fds=child_fds,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **WORKER_ENV},
            )
        finally:
            # The child holds its own copies now; ours would hide its death (no EOF).
            theirs.close()
            os.close(control_read)
        self.started += 1
        jobs = self.jobs
        jobs.send((self.pool.settings, self.pool.files))
        if not jobs.poll(START_TIMEOUT_S):
            raise DatasetError(f"a query worker did not start within {START_TIMEOUT_S:g} s")
        hello = jobs.recv()
        if hello[0] != "ready":
            raise DatasetError(f"a query worker could not open its engine: {hello[1]}")
        self.ready = True

    def _run(self, job: Job) -> WorkerAnswer | PlotwiseError:
        """Send the job, then wait for its answer, a stop request or the worker's death."""
        if (problem := self._try_spawn()) is not None:
            return DatasetError(f"could not start a query worker: {problem}")
        assert self.process is not None and self.jobs is not None and self.control is not None
        try:
            self.jobs.send((job.id, job.sql, job.params, job.max_rows))
        except (OSError, ValueError):
            return self._died(job)
        self.busy = True
        try:
            next_interrupt = 0.0
            while True:
                timeout = None
                if job.kill_at is not None or self.pool.closed:
                    now = time.monotonic()
                    if self.pool.closed or now >= (job.kill_at or now):
                        self._kill()
                        if self.pool.closed:
                            return DatasetError("the catalog is closed")
                        return QueryTimeoutError("the query was stopped and its worker killed")
                    if now >= next_interrupt:
                        self._interrupt(job)
                        next_interrupt = now + INTERRUPT_EVERY_S
                    timeout = max(0.0, min(job.kill_at, next_interrupt) - now)
                # A worker that dies closes its end of the jobs pipe: EOF is its death notice.
                ready = wait([self.jobs, self._wake_read], timeout)
                if self._wake_read in ready:
                    self._drain_wake()
                if self.jobs in ready:
                    try:
                        return self._read(job)
                    except (EOFError, OSError):
                        return self._died(job)
        finally:
            self.busy = False

    def _interrupt(self, job: Job) -> None:
        try:
            assert self.control is not None
            self.control.send(job.id)
        except (OSError, ValueError):
            pass  # the worker is gone; EOF on the jobs pipe reports it

    def _read(self, job: Job) -> WorkerAnswer | PlotwiseError:
        """Read one answer; a worker that answers out of turn is killed."""
        assert self.jobs is not None
        message = self.jobs.recv()
        if message[0] != job.id:
            self._kill()
            return SQLExecutionError(f"a query worker answered job {message[0]}, not {job.id}")
        kind = message[1]
        if kind == "ok":
            columns, truncated = [tuple(c) for c in message[2]], bool(message[4])
            if message[3] is None:
                stream = pa.py_buffer(self.jobs.recv_bytes())
                table = pa.ipc.open_stream(stream).read_all()
                return WorkerAnswer(columns, table, truncated, stream=stream)
            if self.process is None:
                return SQLExecutionError("the query worker went away while answering")
            # The name is the one this worker must use: never a path it chose.
            path = spool_path(self.pool.data_dir, self.process.pid, job.id)
            try:
                mapped = map_stream(path)
            except (OSError, pa.ArrowInvalid) as error:
                remove_file(path)
                return SQLExecutionError(f"the query worker's result could not be read: {error}")
            return WorkerAnswer(columns, mapped.table, truncated, mapped.stream, spool=path)
        if kind == "refused":
            rule, text = message[2], message[3]
            return SQLRefusedError(rule, text.removesuffix(f" [rule: {rule}]"))
        if kind == "memory":
            # A worker that ran out of memory may keep its address space reserved (or
            # fragmented) close to RLIMIT_AS, failing the next query too: replace it.
            self._kill()
            # DuckDB's advice after the first line (SET threads...) is not the user's to take.
            first_line = str(message[2]).split("\n", 1)[0]
            return QueryMemoryError(
                f"the query needed more memory than it may use ({self._limits()}): "
                f"{first_line}. Aggregate more or select fewer rows and columns"
            )
        if kind == "interrupted" and job.kill_at is not None:
            return QueryTimeoutError("the query was stopped")
        return SQLExecutionError(message[2])

    def _died(self, job: Job) -> PlotwiseError:
        """The worker died on its own: reap it and report it as the query's failure."""
        process = self.process
        self._discard()
        if job.kill_at is not None:
            return QueryTimeoutError("the query was stopped")
        code = process.returncode if process is not None else None
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
        logger.warning("a query worker died (%s) running: %s", how, job.sql[:200])
        return QueryMemoryError(
            f"the query's worker process died ({how}), most likely out of memory "
            f"({self._limits()}); it was replaced. Aggregate more or select fewer rows and columns"
        )

    def _limits(self) -> str:
        settings = self.pool.settings
        return (
            f"DuckDB memory limit {settings.duckdb_memory_limit}, "
            f"worker limit {settings.sql_worker_memory_mb} MiB"
        )

    def _kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            # A blocking wait returns as soon as it is dead; wait(timeout) would poll in sleeps.
            self.process.wait()
        self._discard()

    def _discard(self) -> None:
        """Close the pipes and reap the worker (killing it if it does not exit at once)."""
        process = self.process
        self.ready = False
        for end in (self.jobs, self.control):
            if end is not None:
                end.close()
        self.jobs = self.control = None
        if process is not None:
            # Closed pipes make an idle worker exit by itself; a busy one is killed.
            try:
                process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            remove_leftovers(self.pool.data_dir, process.pid)
        # Only now: until it is reaped the worker still counts as busy (see `busy_pids`).
        self.process = None

    def _drain_wake(self) -> None:
        try:
            while os.read(self._wake_read, 4096):
                pass
        except BlockingIOError:
            pass
