"""The live state of one job in this process: its snapshot, its changes and who watches them.

Every change goes through `JobRun.change` (or `JobRun.complete`), which holds the run's lock
while it checks that the job is not final yet, writes the new snapshot to the store and
publishes it. So the first final state wins: a cancellation written by `cancel` is never
overwritten by the job's own thread, and the success path renames its files into place under
the same lock, so a cancelled job never offers a file.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any

from plotwise.errors import StorageError
from plotwise.spark.models import FINAL_STATES, Job
from plotwise.store.database import Database
from plotwise.store.jobs import update_job

log = logging.getLogger(__name__)


class Watcher:
    """Wakes one async iterator (`plotwise.spark.jobs.JobManager.watch`) on its event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.event = asyncio.Event()

    def wake(self) -> None:
        """Set the event from any thread."""
        try:
            self.loop.call_soon_threadsafe(self.event.set)
        except RuntimeError:
            return  # the watcher's loop has closed: nobody is waiting any more


class JobRun:
    """One job being run (or queued) by this process."""

    def __init__(self, job: Job, db: Database) -> None:
        """Track ``job`` (already stored) and persist its changes to ``db``."""
        self.tag = f"plotwise_{job.job_id}"
        """Spark operation tag of the job's work (`SparkEngine.interrupt` stops it)."""
        self._db = db
        self._job = job
        self._version = 0
        self._lock = threading.Lock()
        self._watchers: set[Watcher] = set()
        self.stopped = threading.Event()
        """Set when the job's thread is done with it (or will never take it up)."""

    @property
    def job(self) -> Job:
        """The current snapshot."""
        return self._job

    @property
    def final(self) -> bool:
        """Whether the job has reached a final state."""
        return self._job.state in FINAL_STATES

    def current(self) -> tuple[Job, int]:
        """The current snapshot and its version (one more for each change)."""
        with self._lock:
            return self._job, self._version

    def change(self, **fields: Any) -> bool:
        """Apply ``fields`` to the job, persist and publish it, unless it is final already.

        Returns:
            Whether the change was made (False: the job had reached a final state).

        """
        return self.complete(lambda: fields)

    def complete(self, action: Callable[[], dict[str, Any]]) -> bool:
        """Run ``action`` and apply the fields it returns, both under the run's lock.

        ``action`` runs only while the job is not final (its success path moves the result
        files into place there). A store that cannot write is logged, not raised: the job's
        state in this process still moves on, and the row left behind is marked ``job_lost``
        by the next start.

        Returns:
            Whether ``action`` ran and its fields were applied.

        """
        with self._lock:
            if self.final:
                return False
            job = self._job.model_copy(update=action())
            try:
                update_job(self._db, job)
            except StorageError as error:
                log.warning("could not store job %s (%s): %s", job.job_id, job.state, error)
            self._job = job
            self._version += 1
            watchers = list(self._watchers)
        for watcher in watchers:
            watcher.wake()
        return True

    def subscribe(self, loop: asyncio.AbstractEventLoop) -> Watcher:
        """Register a watcher woken on every change."""
        watcher = Watcher(loop)
        with self._lock:
            self._watchers.add(watcher)
        return watcher

    def unsubscribe(self, watcher: Watcher) -> None:
        """Stop waking ``watcher``."""
        with self._lock:
            self._watchers.discard(watcher)
