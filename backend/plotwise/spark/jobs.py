"""Spark jobs: submit a query, follow it, cancel it, read its result.

`JobManager` checks and transpiles a query when it is submitted (a refusal raises before
anything is stored), stores the job, and runs it in one of ``PLOTWISE_SPARK_MAX_JOBS`` job
threads (more wait in a queue). A job outlives whoever submitted it: closing a chat stream
does not cancel it. Every state change is stored (`plotwise.store.jobs`), so a job's state
survives restarts; jobs a dead process left queued or running are marked ``job_lost`` when the
next manager is created on that host.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Final

from plotwise.data.catalog import Catalog
from plotwise.errors import (
    BadRequestError,
    ConflictError,
    JobLostError,
    NotFoundError,
    SparkUnavailableError,
)
from plotwise.settings import Settings
from plotwise.spark import results
from plotwise.spark.engine import SparkEngine
from plotwise.spark.models import FINAL_STATES, Job, OutputFormat
from plotwise.spark.owner import owner_gone, process_owner
from plotwise.spark.runner import RunContext, run_job
from plotwise.spark.runs import JobRun
from plotwise.spark.transpile import to_spark_sql
from plotwise.sql.arrow_json import table_rows
from plotwise.sql.result import QueryResult
from plotwise.store.database import Database
from plotwise.store.jobs import JobStore, fail_lost_jobs
from plotwise.store.types import new_id, utcnow

JOIN_TIMEOUT_S: Final = 15.0
"""How long `JobManager.close` waits for each job thread to end."""

POLL_S: Final = 0.5
"""How often `JobManager.watch` re-reads a job another process runs."""

INTERRUPT_ATTEMPTS: Final = 10
"""How often a cancellation interrupts the job's Spark work, `INTERRUPT_WAIT_S` apart."""

INTERRUPT_WAIT_S: Final = 1.0

_STOP: Final = None


class JobManager:
    """The Spark jobs of one process: their threads, live state and the shared engine."""

    def __init__(
        self,
        catalog: Catalog,
        database: Database,
        settings: Settings,
        engine: SparkEngine,
        *,
        owns_engine: bool = True,
    ) -> None:
        """Use `JobManager.create` instead."""
        self._catalog = catalog
        self._db = database
        self.store = JobStore(database)
        """The stored jobs (also those of earlier processes)."""
        self.engine = engine
        self._owns_engine = owns_engine
        self._settings = settings
        self._artifacts = settings.resolved_artifacts_dir()
        self._context = RunContext(engine, self._artifacts, settings.spark_max_rows)
        self._runs: dict[str, JobRun] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._queue: queue.Queue[JobRun | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self.on_job_ended: Callable[[str], None] | None = None
        """Called (in the job's thread) with the final state of each job this process ran:
        ``succeeded``, ``failed`` or ``cancelled`` (`Metrics.spark_job`)."""

    @classmethod
    def create(
        cls,
        catalog: Catalog,
        database: Database,
        settings: Settings,
        *,
        engine: SparkEngine | None = None,
    ) -> JobManager:
        """Prepare the manager without starting Spark; mark jobs left behind as lost.

        Args:
            catalog: Its tables are the views Spark jobs read.
            database: Where jobs are stored.
            settings: Uses the ``spark_*`` settings, ``artifacts_dir`` and ``data_dir``.
            engine: A Spark engine to share (tests); the manager then does not close it.
                None makes one for this manager alone.

        Raises:
            StorageError: The store could not be written.

        """
        lost = JobLostError(
            "the server stopped while this job ran, so it did not finish; submit it again"
        )
        fail_lost_jobs(database, owner_gone, lost.to_body(stage="done"), utcnow())
        results.remove_stale_folders(settings.resolved_artifacts_dir())
        if engine is None:
            return cls(catalog, database, settings, SparkEngine(settings, lambda: catalog.files))
        return cls(catalog, database, settings, engine, owns_engine=False)

    async def submit(
        self,
        sql: str,
        *,
        output_format: OutputFormat = "parquet",
        dataset: str | None = None,
        conversation_id: str | None = None,
    ) -> Job:
        """Check, store and start a job; return its first snapshot (state ``queued``).

        Args:
            sql: One read-only query in DuckDB's dialect, without parameters.
            output_format: The format asked for (both Parquet and CSV are written).
            dataset: Whose tables the query may read; the first loaded dataset if None. Several
                active datasets are named together as ``a+b``.
            conversation_id: The conversation that asked for it, if any.

        Raises:
            SQLRefusedError: The guard or the Spark-side check refused the SQL.
            BadRequestError: Unknown dataset or output format.
            SparkUnavailableError: The manager is closed.

        """
        if self._closed:
            raise SparkUnavailableError("Spark jobs are shut down")
        if output_format not in ("parquet", "csv"):
            raise BadRequestError(f"unknown output format {output_format!r}: parquet or csv")
        name = dataset or self._catalog.datasets[0]
        try:
            tables = [t for part in name.split("+") for t in self._catalog.dataset_tables(part)]
        except NotFoundError as error:
            raise BadRequestError(error.message) from error
        spark_sql = to_spark_sql(sql, tables)
        job = Job(
            job_id=new_id("job"),
            state="queued",
            stage="queued",
            message="Waiting for a Spark slot…",
            sql=sql,
            spark_sql=spark_sql,
            output_format=output_format,
            dataset=name.strip().lower(),
            conversation_id=conversation_id,
            created_at=utcnow(),
        )
        await self.store.add(job, process_owner())
        run = JobRun(job, self._db)
        with self._lock:
            if self._closed:
                raise SparkUnavailableError("Spark jobs are shut down")
            self._runs[job.job_id] = run
            # The job threads start with the first job: most processes never run one.
            while len(self._threads) < self._settings.spark_max_jobs:
                thread = threading.Thread(
                    target=self._work, name=f"spark-job-{len(self._threads)}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
        self._queue.put(run)
        return job

    async def get(self, job_id: str) -> Job:
        """The job's current snapshot.

        Raises:
            NotFoundError: No job has that id.

        """
        run = self._runs.get(job_id)
        if run is not None:
            return run.job
        return await self.store.get(job_id)

    async def watch(self, job_id: str) -> AsyncIterator[Job]:
        """Yield the job now, then after every change, ending with its final state.

        Progress changes come at most about 4 times a second; a slow reader gets the latest
        snapshot, not every one. Stopping the iteration does not cancel the job.

        Raises:
            NotFoundError: No job has that id (before the first snapshot).

        """
        run = self._runs.get(job_id)
        if run is None:
            async for job in self._poll(job_id):
                yield job
            return
        watcher = run.subscribe(asyncio.get_running_loop())
        try:
            seen = -1
            while True:
                watcher.event.clear()
                job, version = run.current()
                if version != seen:
                    seen = version
                    yield job
                if job.state in FINAL_STATES:
                    return
                await watcher.event.wait()
        finally:
            run.unsubscribe(watcher)

    async def cancel(self, job_id: str) -> Job:
        """Cancel a queued or running job; a job already final is returned unchanged.

        The ``cancelled`` state is stored before this returns; the Spark operation is
        interrupted in the background (it stops within about 0.2 s) and no file is offered.

        Raises:
            NotFoundError: No job has that id.

        """
        run = self._runs.get(job_id)
        if run is None:
            return await self.store.get(job_id)
        changed = await self._db.run(_cancel, run, "Cancelled")
        if changed and self.engine.started:
            threading.Thread(target=self._interrupt, args=(run,), daemon=True).start()
        return run.job

    async def preview(self, job_id: str, *, limit: int) -> QueryResult:
        """The first ``limit`` rows of a succeeded job's result, typed like a DuckDB result.

        ``row_count`` is the number of rows returned, ``truncated`` whether the job has more.

        Raises:
            NotFoundError: No job has that id, or its files are gone.
            ConflictError: The job has not succeeded.

        """
        job = await self.get(job_id)
        path = self._file_path(job, "parquet")
        table = await asyncio.to_thread(results.read_head, path, max(limit, 0))
        rows = await asyncio.to_thread(table_rows, table)
        return QueryResult(
            query_id=job.job_id,
            sql=job.sql,
            columns=job.columns,
            rows=rows,
            row_count=len(rows),
            truncated=(job.row_count or 0) > len(rows),
            elapsed_ms=job.elapsed_ms or 0.0,
            fetched_at=job.finished_at or utcnow(),
            data_version=self._catalog.data_version,
        )

    async def file(self, job_id: str, fmt: OutputFormat) -> Path:
        """The path of a succeeded job's result file.

        Raises:
            NotFoundError: No job has that id, or the file is gone.
            ConflictError: The job has not succeeded (yet).

        """
        return self._file_path(await self.get(job_id), fmt)

    def close(self) -> None:
        """Cancel queued and running jobs, stop the job threads and the engine (if owned)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            runs = list(self._runs.values())
        for run in runs:
            _cancel(run, "Cancelled: the server stopped")
            self.engine.interrupt(run.tag)
        for _ in self._threads:
            self._queue.put(_STOP)
        if self._owns_engine:
            # Stopping the server also ends a start in progress and any call waiting on it.
            self.engine.close()
        for thread in self._threads:
            thread.join(timeout=JOIN_TIMEOUT_S)

    def _work(self) -> None:
        """A job thread: run queued jobs one after the other until told to stop."""
        while (run := self._queue.get()) is not _STOP:
            try:
                run_job(self._context, run)
            finally:
                with self._lock:
                    self._runs.pop(run.job.job_id, None)
                run.stopped.set()
                if self.on_job_ended is not None and run.final:
                    self.on_job_ended(run.job.state)

    def _interrupt(self, run: JobRun) -> None:
        """Interrupt a cancelled job's Spark work until its thread has let go of it.

        One interrupt stops a running operation within about 0.2 s; repeating it covers an
        operation that reached the server just after the previous one.
        """
        for _ in range(INTERRUPT_ATTEMPTS):
            self.engine.interrupt(run.tag)
            if run.stopped.wait(INTERRUPT_WAIT_S):
                return

    async def _poll(self, job_id: str) -> AsyncIterator[Job]:
        """Follow a job this process does not run, from the store."""
        job = await self.store.get(job_id)
        yield job
        while job.state not in FINAL_STATES:
            await asyncio.sleep(POLL_S)
            latest = await self.store.get(job_id)
            if latest != job:
                job = latest
                yield job

    def _file_path(self, job: Job, fmt: OutputFormat) -> Path:
        if job.state != "succeeded":
            raise ConflictError(
                f"job {job.job_id} is {job.state}: its files exist only once it has succeeded"
            )
        path = results.file_path(self._artifacts, job.job_id, fmt)
        if not path.is_file():
            raise NotFoundError(f"the {fmt} file of job {job.job_id} is gone; submit it again")
        return path


def _cancel(run: JobRun, message: str) -> bool:
    """Make a queued or running job ``cancelled`` (stored); False if it was final already."""
    started = run.job.started_at
    finished = utcnow()
    return run.change(
        state="cancelled",
        stage="done",
        message=message,
        finished_at=finished,
        elapsed_ms=(finished - started).total_seconds() * 1000 if started else None,
    )
