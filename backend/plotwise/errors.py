"""User-facing error types and the one JSON error shape of the API.

Model-facing problems (bad SQL the model can repair) are raised as ``pydantic_ai.ModelRetry``
inside tools; everything a user or operator must see is a `PlotwiseError` with a stable ``code``.
"""

from __future__ import annotations

from pydantic import BaseModel


class ErrorBody(BaseModel):
    """The one JSON error shape, both for HTTP error responses and SSE ``error`` events."""

    code: str
    """Stable machine-readable code, e.g. ``sql_refused``."""
    message: str
    """Human-readable explanation that names the problem."""
    stage: str | None = None
    """What the turn was doing when it failed (``planning``, ``query``, ``answer``...)."""
    recoverable: bool = False
    """Whether retrying the same request can succeed."""
    trace_id: str | None = None
    """Identifier of the turn or request, for the logs."""


class PlotwiseError(Exception):
    """Base of Plotwise's own errors; each subclass has a stable ``code`` and HTTP status."""

    code = "internal_error"
    status_code = 500
    recoverable = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def headers(self) -> dict[str, str]:
        """HTTP headers the error response carries besides the body (none by default)."""
        return {}

    def to_body(self, *, stage: str | None = None, trace_id: str | None = None) -> ErrorBody:
        """Return this error in the one JSON error shape."""
        return ErrorBody(
            code=self.code,
            message=self.message,
            stage=stage,
            recoverable=self.recoverable,
            trace_id=trace_id,
        )


class BadRequestError(PlotwiseError):
    """The request itself is malformed (empty message, unknown field value)."""

    code = "bad_request"
    status_code = 400


class UnauthorizedError(PlotwiseError):
    """An ``/api`` request without the right bearer token (``PLOTWISE_API_TOKEN``).

    The response asks for one with ``WWW-Authenticate: Bearer``.
    """

    code = "unauthorized"
    status_code = 401

    def headers(self) -> dict[str, str]:
        """``WWW-Authenticate: Bearer``: the scheme the client must use."""
        return {"WWW-Authenticate": "Bearer"}


class BodyTooLargeError(PlotwiseError):
    """A request body (other than an upload's) passed ``PLOTWISE_MAX_BODY_KB``."""

    code = "payload_too_large"
    status_code = 413


class RateLimitedError(PlotwiseError):
    """A client asked too often (chat turns, uploads) or runs too many turns at once.

    ``retry_after_s`` (whole seconds, at least 1) is sent as the ``Retry-After`` header.
    """

    code = "rate_limited"
    status_code = 429
    recoverable = True

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = max(1, retry_after_s)

    def headers(self) -> dict[str, str]:
        """``Retry-After``: seconds until the same request can succeed."""
        return {"Retry-After": str(self.retry_after_s)}


class NotFoundError(PlotwiseError):
    """A referenced resource does not exist."""

    code = "not_found"
    status_code = 404


class ConflictError(PlotwiseError):
    """The resource changed under the request (a concurrent update won); reload and retry."""

    code = "conflict"
    status_code = 409
    recoverable = True


class CodeRefusedError(PlotwiseError):
    """The component validation policy refused a component; the message lists its problems."""

    code = "code_refused"
    status_code = 400


class SQLRefusedError(PlotwiseError):
    """The SQL guard refused a statement; ``rule`` names the rule that refused it."""

    code = "sql_refused"
    status_code = 400

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{message} [rule: {rule}]")
        self.rule = rule


class SQLExecutionError(PlotwiseError):
    """The database engine rejected or failed a statement that passed the guard."""

    code = "sql_error"
    status_code = 400


class QueryMemoryError(SQLExecutionError):
    """A query needed more memory than its worker may use (DuckDB's limit or the process's).

    A subclass of `SQLExecutionError`: like a failing statement, the query itself asks too much,
    and the model may repair it (aggregate more, fewer columns). Retrying it unchanged fails again.
    """

    code = "query_memory"


class QueryTimeoutError(PlotwiseError):
    """A query ran past its time limit and was interrupted."""

    code = "query_timeout"
    status_code = 504
    recoverable = True


class QueriesBusyError(PlotwiseError):
    """Every query worker is busy and the queue of waiting queries is full: not queued.

    The queue holds at most ``PLOTWISE_SQL_QUEUE_MAX`` queries.

    Sent with ``Retry-After: 1``; a turn ends with an ``error`` event of this code (recoverable:
    asking again a moment later works).
    """

    code = "queries_busy"
    status_code = 503
    recoverable = True

    def headers(self) -> dict[str, str]:
        """``Retry-After``: a second, about how long a queued query waits for a worker."""
        return {"Retry-After": "1"}


class BenchError(PlotwiseError):
    """``plotwise bench`` cannot measure.

    A tool it needs is missing (Playwright, Chromium, Datasette, a built sandbox) or a measured
    part answered something wrong.
    """

    code = "bench_error"
    status_code = 500


class DatasetError(PlotwiseError):
    """A dataset or its definition could not be loaded."""

    code = "dataset_error"
    status_code = 500


class SourceError(PlotwiseError):
    """An external data source cannot be used: it does not answer, or its role may write.

    The message names the source (host and database, never the password) and the problem.
    """

    code = "source_error"
    status_code = 400


class UploadError(PlotwiseError):
    """An uploaded file was refused (wrong format, too large, malformed); nothing was kept.

    The message names the problem, and the line for a malformed text file.
    """

    code = "bad_upload"
    status_code = 400

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class UploadTooLargeError(UploadError):
    """An upload passed ``PLOTWISE_MAX_UPLOAD_MB``; reading stopped there, nothing was kept.

    The limit applies to the bytes sent and to what a compressed upload (``.gz``, ``.zip``, an
    Excel workbook, itself a zip) expands to.
    """

    code = "upload_too_large"
    status_code = 413


class ModelConfigError(PlotwiseError):
    """The configured model cannot be built (unknown provider, missing API key)."""

    code = "model_config"
    status_code = 400


class ModelError(PlotwiseError):
    """The model failed during a turn (provider error, exhausted retries)."""

    code = "model_error"
    status_code = 502
    recoverable = True


class ModelRejectedError(ModelError):
    """The provider refused the request (bad key, unknown model, request too large).

    A retry of the same turn would be refused too.
    """

    code = "model_rejected"
    recoverable = False


class TurnTimeoutError(PlotwiseError):
    """A whole turn ran past ``PLOTWISE_TURN_TIMEOUT_S``."""

    code = "turn_timeout"
    status_code = 504
    recoverable = True


class TurnStoppedError(PlotwiseError):
    """A turn was stopped before it ended.

    By Stop (``DELETE /api/turns/{id}``), or because every reader left and none came back
    within ``PLOTWISE_RESUME_GRACE_S``.
    """

    code = "cancelled"
    status_code = 409
    recoverable = True


class TurnTooLargeError(PlotwiseError):
    """A turn's events outgrew ``PLOTWISE_TURN_TRANSCRIPT_MAX_BYTES``: it was stopped."""

    code = "turn_too_large"
    status_code = 413


class ShuttingDownError(PlotwiseError):
    """The server is shutting down: running turns are stopped and new ones refused."""

    code = "shutting_down"
    status_code = 503
    recoverable = True


class StorageError(PlotwiseError):
    """The store could not write; nothing of the failed write was kept."""

    code = "storage_error"
    status_code = 503
    recoverable = True


class StorageFullError(StorageError):
    """The disk (or the database's size limit) is full."""

    code = "storage_full"
    status_code = 507


class StorageReadOnlyError(StorageError):
    """The database is read-only (file system, file permissions or server setting)."""

    code = "storage_read_only"


class StorageBusyError(StorageError):
    """Other writers held the database longer than the busy timeout."""

    code = "storage_busy"


class SparkUnavailableError(PlotwiseError):
    """Spark could not be started or reached (no Java, a failed start, a remote server down)."""

    code = "spark_unavailable"
    status_code = 503
    recoverable = True


class JobFailedError(PlotwiseError):
    """A Spark job failed for a reason other than its SQL (executor lost, row cap, disk full)."""

    code = "job_failed"
    status_code = 500


class JobLostError(PlotwiseError):
    """The process that ran a Spark job ended before the job did (a restart, a crash)."""

    code = "job_lost"
    status_code = 500
    recoverable = True
