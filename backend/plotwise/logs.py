"""The server's logs: one line per record, JSON or text, each carrying the turn it belongs to.

`trace_id` is a context variable a chat turn sets to its turn id while it runs (`reset_trace`
restores it); every record logged then (in the turn's task, or a thread it starts through anyio or
``asyncio.to_thread``, which copy the context) carries it, and the turn's SSE ``error`` event
names the same id, so an operator can go from an error a user saw to the turn's log lines.

Nothing here runs at import: `configure_logging` is called by ``plotwise serve`` only, so tests
and embedding applications keep their own logging set-up.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from typing import Literal

trace_id: ContextVar[str | None] = ContextVar("plotwise_trace_id", default=None)
"""The id of the turn being run in this context (its turn id), or None outside turns."""

_RESERVED = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "trace_id"}
"""Attributes every record has; anything else was passed as ``extra=`` and is logged too."""


def reset_trace(token: Token[str | None]) -> None:
    """Restore the `trace_id` a turn's ``trace_id.set(...)`` replaced."""
    try:
        trace_id.reset(token)
    except ValueError:
        # The turn ended in another context (an async generator closed by another task):
        # that context never saw the id set, so there is nothing to restore.
        pass


class TraceFilter(logging.Filter):
    """Adds the current `trace_id` to every record as ``record.trace_id`` (None outside turns)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Stamp the record; never drops one."""
        record.trace_id = trace_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record.

    Keys: ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``, ``trace_id`` (when the
    record belongs to a turn), ``exception`` (the formatted traceback, when there is one), and
    any ``extra=`` fields (values that are not JSON become their ``str``).
    """

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as one line of JSON."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        trace = getattr(record, "trace_id", None)
        if trace is not None:
            entry["trace_id"] = trace
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger [trace_id] message``, for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(trace)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as text, naming its turn when it has one."""
        trace = getattr(record, "trace_id", None)
        record.trace = f" [{trace}]" if trace else ""
        return super().format(record)


def configure_logging(log_format: Literal["json", "text"], level: str) -> None:
    """Send every record (the app's, uvicorn's, the libraries') to stderr in ``log_format``.

    Replaces the root logger's handlers; uvicorn's loggers must propagate to it (run uvicorn
    with ``log_config=None``).

    Args:
        log_format: ``json`` (one object per line) or ``text``.
        level: A level name of `logging` (``DEBUG``, ``INFO``, ``WARNING``...).

    """
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(TraceFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
