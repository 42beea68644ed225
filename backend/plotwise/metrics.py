"""Prometheus metrics of one running Plotwise, exported at ``GET /metrics``.

Each `Services` owns one `Metrics` with its own registry, never the process-wide default one:
tests build many apps in one process, and a shared registry would mix their counts (or refuse
the second app's metrics as duplicates).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any, Literal

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from pydantic_ai import RunContext
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import Model, ModelRequestParameters, StreamedResponse
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings
from pydantic_ai.usage import RequestUsage

TURN_BUCKETS = (0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600)
"""Upper bounds (seconds) of the turn histogram: a turn may run up to ``turn_timeout_s``."""

MODEL_REQUEST_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120)
"""Upper bounds (seconds) of the model request histogram: the local analyst answers in
milliseconds, provider models in seconds to minutes."""

HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
"""Upper bounds (seconds) of the HTTP request histogram: API answers take milliseconds, a chat
turn's stream lasts as long as the turn."""

SQL_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
"""Upper bounds (seconds) of the SQL query histogram: up to ``query_timeout_s``."""

UNKNOWN_TOOL = "unknown"
"""The ``tool`` label of a call to a tool the agent does not have: tool names come from the
model, and label values must stay a small fixed set."""


class Metrics:
    """The app's counters and histograms, in a registry of their own.

    Args:
        tool_names: The agent's tools; calls to any other name are counted as `UNKNOWN_TOOL`.

    """

    def __init__(self, tool_names: Iterable[str]) -> None:
        self.registry = CollectorRegistry()
        self.tool_names = frozenset(tool_names)
        self.turn_duration = Histogram(
            "plotwise_turn_duration_seconds",
            "Duration of chat turns in seconds, by how they ended (done or error).",
            ["outcome"],
            buckets=TURN_BUCKETS,
            registry=self.registry,
        )
        self.model_request_duration = Histogram(
            "plotwise_model_request_duration_seconds",
            "Duration of model requests in seconds (a streamed one until its stream ends).",
            ["model"],
            buckets=MODEL_REQUEST_BUCKETS,
            registry=self.registry,
        )
        self.tokens = Counter(
            "plotwise_tokens",
            "Tokens the model reported, by model and kind (input or output).",
            ["model", "kind"],
            registry=self.registry,
        )
        self.tool_calls = Counter(
            "plotwise_tool_calls",
            "Tool calls of the agent, by tool and outcome (ok or error).",
            ["tool", "outcome"],
            registry=self.registry,
        )

        self.http_requests = Counter(
            "plotwise_http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_request_duration = Histogram(
            "plotwise_http_request_duration_seconds",
            "Duration of HTTP requests in seconds, to the end of the response body.",
            ["method", "route"],
            buckets=HTTP_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "plotwise_errors",
            "Error bodies sent (HTTP error responses and SSE error events), by code.",
            ["code"],
            registry=self.registry,
        )
        self.sql_queries = Counter(
            "plotwise_sql_queries",
            "SQL queries run, by engine (duckdb, postgres) and outcome (ok or the error code).",
            ["engine", "outcome"],
            registry=self.registry,
        )
        self.sql_query_duration = Histogram(
            "plotwise_sql_query_duration_seconds",
            "Duration of SQL queries in seconds (guard, cache, execution), by engine.",
            ["engine"],
            buckets=SQL_BUCKETS,
            registry=self.registry,
        )
        self.spark_jobs = Counter(
            "plotwise_spark_jobs",
            "Spark jobs that ended, by outcome (succeeded, failed, cancelled, lost).",
            ["outcome"],
            registry=self.registry,
        )

    def http_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Record one answered HTTP request; ``route`` is its template, never the raw path."""
        self.http_requests.labels(method=method, route=route, status=str(status)).inc()
        self.http_request_duration.labels(method=method, route=route).observe(seconds)

    def error(self, code: str) -> None:
        """Record one error body sent to a client, by its ``code``."""
        self.errors.labels(code=code).inc()

    def sql_query(self, engine: str, outcome: str, seconds: float) -> None:
        """Record one SQL query: ``outcome`` is ``ok`` or its error's code."""
        self.sql_queries.labels(engine=engine, outcome=outcome).inc()
        self.sql_query_duration.labels(engine=engine).observe(seconds)

    def spark_job(self, outcome: str) -> None:
        """Record one Spark job that reached a final state."""
        self.spark_jobs.labels(outcome=outcome).inc()

    def turn_ended(self, outcome: Literal["done", "error"], seconds: float) -> None:
        """Record one finished turn and how long it took, in seconds."""
        self.turn_duration.labels(outcome=outcome).observe(seconds)

    def model_request(self, model: str, seconds: float, usage: RequestUsage | None) -> None:
        """Record one model request: its duration in seconds and the tokens it reported, if any."""
        self.model_request_duration.labels(model=model).observe(seconds)
        if usage is not None:
            self.tokens.labels(model=model, kind="input").inc(usage.input_tokens)
            self.tokens.labels(model=model, kind="output").inc(usage.output_tokens)

    def tool_call(self, tool: str, *, ok: bool) -> None:
        """Record one tool call's result (a retry sent back to the model counts as an error)."""
        label = tool if tool in self.tool_names else UNKNOWN_TOOL
        self.tool_calls.labels(tool=label, outcome="ok" if ok else "error").inc()

    def exposition(self) -> bytes:
        """The registry in Prometheus' text exposition format (``CONTENT_TYPE_LATEST``)."""
        return generate_latest(self.registry)


class TimedModel(WrapperModel):
    """A model that records each request's duration and token usage in `Metrics`.

    Args:
        wrapped: The model answering the requests.
        metrics: Where to record them.
        model_label: The ``model`` label, e.g. ``local`` or ``openai:gpt-4o`` (the configured
            name, so it stays one of a few values).

    """

    def __init__(self, wrapped: Model, metrics: Metrics, model_label: str) -> None:
        super().__init__(wrapped)
        self.metrics = metrics
        self.model_label = model_label

    async def request(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
    ) -> ModelResponse:
        """Forward the request to the wrapped model and record it, failed or not."""
        started = time.perf_counter()
        response: ModelResponse | None = None
        try:
            response = await super().request(messages, model_settings, model_request_parameters)
            return response
        finally:
            usage = response.usage if response is not None else None
            self.metrics.model_request(self.model_label, time.perf_counter() - started, usage)

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: RunContext[Any] | None = None,
    ) -> AsyncIterator[StreamedResponse]:
        """Forward the streamed request; record it when the stream ends, failed or not."""
        started = time.perf_counter()
        stream: StreamedResponse | None = None
        try:
            async with super().request_stream(
                messages, model_settings, model_request_parameters, run_context
            ) as stream:
                yield stream
        finally:
            # A stream cut short reports the tokens it had seen so far.
            usage = stream.usage if stream is not None else None
            self.metrics.model_request(self.model_label, time.perf_counter() - started, usage)
