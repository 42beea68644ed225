"""One lazily started Spark Connect session, shared by all Spark jobs of a process.

Two modes, one client code path: with ``PLOTWISE_SPARK_REMOTE`` (``sc://host:port``) the
engine connects to that server and starts nothing; otherwise it starts its own Spark Connect
server (`plotwise.spark.server`) with ``PLOTWISE_SPARK_MASTER`` and connects to it. The first
job to need Spark starts it (under a lock: concurrent jobs wait for the one start); a failed
start is tried again by the next job.

Each catalog table becomes a temporary view over the same Parquet file DuckDB reads. The views
follow the catalog: before each job's operations the engine reads the current file set and
creates, replaces or drops the views that changed (datasets added, renamed or deleted). Jobs
run their operations through `SparkEngine.operation`, which tags them (so `interrupt` can stop
exactly that job's work) and routes Spark's progress reports, which arrive in the thread running
the operation, to that job's callback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from plotwise.errors import SparkUnavailableError
from plotwise.settings import Settings
from plotwise.spark.models import JobProgress
from plotwise.spark.server import ConnectServer, accepts

if TYPE_CHECKING:
    from pyspark.sql.connect.session import SparkSession

DEFAULT_PORT: Final = 15002
"""Spark Connect's port when a URL names none."""

RETRIES: Final = 5
"""Retries of a failed Spark Connect request (backoff from 50 ms, times 4: ~17 s in all)."""

ProgressCallback = Callable[[JobProgress, bool], None]
"""Receives the progress of the calling thread's operation and whether the operation ended."""


class SparkEngine:
    """The Spark Connect session of one process, started on first use."""

    def __init__(
        self,
        settings: Settings,
        files: Mapping[str, Path] | Callable[[], Mapping[str, Path]],
    ) -> None:
        """Prepare (not start) the engine.

        Args:
            settings: Uses ``spark_remote``, ``spark_master``, ``spark_start_timeout_s`` and
                ``data_dir`` (the child server's files go to ``<data dir>/spark``).
            files: Parquet file per table name: the views the session gets; or a function
                returning the current ones (``lambda: catalog.files``), read before each job.

        """
        self._settings = settings
        if callable(files):
            self._files = files
        else:
            fixed = dict(files)
            self._files = lambda: fixed
        self._views: dict[str, Path] = {}
        """The views the current session has, table -> file."""
        self._lock = threading.Lock()
        self._views_lock = threading.Lock()
        self._session: SparkSession | None = None
        self._server: ConnectServer | None = None
        self._url: str | None = None
        self._closed = False
        self._local = threading.local()

    @property
    def started(self) -> bool:
        """Whether the session is up (a job then skips the "starting" stage)."""
        return self._session is not None and self._server_alive()

    @property
    def url(self) -> str | None:
        """The Spark Connect URL in use, once started (a child server's is ``sc://127.0.0.1:N``)."""
        return self._url

    def session(self) -> SparkSession:
        """Return the session, starting Spark and registering the views on first use.

        Blocks while another thread starts it.

        Raises:
            SparkUnavailableError: Spark could not be started or reached, or the engine is
                closed; the message says why (with the end of the child's log, if any).

        """
        session = self._session
        if session is not None and self._server_alive():
            return session
        with self._lock:
            if self._closed:
                raise SparkUnavailableError("the Spark engine is closed")
            if self._session is None or not self._server_alive():
                # A child server that died (killed, out of memory) is started again.
                self._session = None
                self._session = self._start()
            return self._session

    @contextmanager
    def operation(self, tag: str, on_progress: ProgressCallback) -> Iterator[SparkSession]:
        """Run Spark operations of the calling thread under ``tag``, reporting their progress.

        Args:
            tag: Names the operations for `interrupt` (letters, digits, ``_``, no commas).
            on_progress: Called in this thread with each progress report of its operations.

        Yields:
            The session.

        Raises:
            SparkUnavailableError: As `session`.

        """
        session = self.session()
        self._sync_views(session)
        session.addTag(tag)
        self._local.on_progress = on_progress
        try:
            yield session
        finally:
            self._local.on_progress = None
            session.removeTag(tag)

    def interrupt(self, tag: str) -> None:
        """Interrupt every running operation tagged ``tag`` (they raise in their thread)."""
        session = self._session
        if session is None:
            return
        try:
            session.interruptTag(tag)
        except Exception:  # noqa: BLE001 - a server already gone has nothing left to stop
            return

    def close(self) -> None:
        """Release the session and stop the child server, if this engine started one.

        Does not wait for a start in progress: stopping its server makes that start fail.
        """
        self._closed = True
        server = self._server
        session, self._session = self._session, None
        # Releasing the session needs a live server (else its retries wait ~17 s for nothing).
        if session is not None and (server is None or server.running):
            try:
                session.stop()
            except Exception:  # noqa: BLE001 - best effort: the server may be gone already
                pass
        if server is not None:
            server.stop()

    def _server_alive(self) -> bool:
        """False only when this engine's own child server has exited."""
        return self._server is None or self._server.running

    def _start(self) -> SparkSession:
        if self._settings.spark_remote:
            url = self._settings.spark_remote
            _wait_for_server(url, self._settings.spark_start_timeout_s)
        else:
            if self._server is None or not self._server.running:
                folder = self._settings.resolved_data_dir() / "spark"
                folder.mkdir(parents=True, exist_ok=True)
                self._server = ConnectServer(
                    self._settings.spark_master, folder, self._settings.spark_start_timeout_s
                )
                # close() may have run meanwhile; a server made after it would outlive it.
                if self._closed:
                    raise SparkUnavailableError("the Spark engine is closed")
                self._url = self._server.start()
            url = self._url
        assert url is not None
        try:
            session = _connect(url)
            session.conf.set("spark.sql.session.timeZone", "UTC")
            self._views = {}
            self._sync_views(session)
        except SparkUnavailableError:
            raise
        except Exception as error:
            raise SparkUnavailableError(
                f"could not reach Spark at {url}: {_first_line(error)}"
            ) from error
        session.registerProgressHandler(self._route_progress)
        self._url = url
        return session

    def _sync_views(self, session: SparkSession) -> None:
        """Make the session's views match the current files (new, moved and removed tables)."""
        with self._views_lock:
            files = dict(self._files())
            for table in [t for t in self._views if t not in files]:
                session.sql(f"DROP VIEW IF EXISTS `{_quoted(table)}`")
                del self._views[table]
            for table, path in files.items():
                if self._views.get(table) != path:
                    session.sql(
                        f"CREATE OR REPLACE TEMP VIEW `{_quoted(table)}` "
                        f"AS SELECT * FROM parquet.`{_quoted(str(path))}`"
                    )
                    self._views[table] = path

    def _route_progress(
        self, stages: Iterable[Any] | None, inflight_tasks: int, operation_id: Any, done: bool
    ) -> None:
        """Spark's one progress handler: hand the report to the calling thread's job."""
        callback = getattr(self._local, "on_progress", None)
        if callback is None:
            return
        stages = list(stages or ())
        progress = JobProgress(
            stages_done=sum(1 for stage in stages if stage.done),
            stages_total=len(stages),
            tasks_done=sum(stage.num_completed_tasks for stage in stages),
            tasks_total=sum(stage.num_tasks for stage in stages),
        )
        callback(progress, done)


def _connect(url: str) -> SparkSession:
    """A new Spark Connect session on ``url`` (not the process-wide default session)."""
    from pyspark.logger import PySparkLogger
    from pyspark.sql.connect.client.retries import DefaultPolicy
    from pyspark.sql.connect.session import SparkSession

    # PySpark logs every failed or cancelled query (with its plan) at ERROR; the job keeps the
    # error itself. The client's own logger is off until a logging set-up (uvicorn's) turns
    # every existing logger back on.
    for name in (
        "SQLQueryContextLogger",
        "DataFrameQueryContextLogger",
        "pyspark.sql.connect.logging",
    ):
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL)
    session = SparkSession.builder.remote(url).create()
    # The default policy retries an unreachable server for over 10 minutes; a job (and a
    # cancellation) should fail within seconds instead: 5 retries wait ~17 s in all.
    session.client.set_retry_policies([DefaultPolicy(max_retries=RETRIES)])
    # The client only connects on its first request: make it now, so a dead server fails here.
    session.range(1).collect()
    return session


def _wait_for_server(url: str, timeout_s: float) -> None:
    """Wait until a remote Spark Connect server accepts connections.

    Raises:
        SparkUnavailableError: It did not within ``timeout_s``.

    """
    parts = urlsplit(url)
    host, port = parts.hostname or "localhost", parts.port or DEFAULT_PORT
    deadline = time.monotonic() + timeout_s
    while not accepts(host, port):
        if time.monotonic() > deadline:
            raise SparkUnavailableError(
                f"no Spark Connect server answers at {url} (PLOTWISE_SPARK_REMOTE) after "
                f"{timeout_s:g} s"
            )
        time.sleep(0.5)


def _quoted(name: str) -> str:
    """Escape a name or path for a Spark backtick-quoted identifier."""
    return name.replace("`", "``")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
