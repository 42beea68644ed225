"""The server's log lines: JSON or text, naming the turn a record belongs to."""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest
from pydantic import ValidationError

from plotwise.logs import JsonFormatter, TextFormatter, TraceFilter, configure_logging, trace_id
from plotwise.logs import reset_trace as reset
from plotwise.settings import Settings


def _record(message: str = "hello %s", *args: object, **extra: object) -> logging.LogRecord:
    record = logging.getLogger("plotwise.test").makeRecord(
        "plotwise.test", logging.WARNING, __file__, 1, message, args, None, extra=extra
    )
    TraceFilter().filter(record)
    return record


def test_a_record_inside_a_turn_names_it_and_its_extra_fields():
    token = trace_id.set("turn123")
    try:
        line = JsonFormatter().format(_record("hello %s", "world", rows=3))
    finally:
        reset(token)
    entry = json.loads(line)
    assert entry["message"] == "hello world"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "plotwise.test"
    assert entry["trace_id"] == "turn123"
    assert entry["rows"] == 3
    assert entry["time"].endswith("+00:00")
    assert "\n" not in line


def test_outside_a_turn_there_is_no_trace_id():
    entry = json.loads(JsonFormatter().format(_record("plain")))
    assert "trace_id" not in entry
    assert trace_id.get() is None


def test_an_exception_is_one_json_field():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]


def test_text_lines_name_the_turn():
    token = trace_id.set("abc")
    try:
        line = TextFormatter().format(_record("in a turn"))
    finally:
        reset(token)
    assert line.endswith("WARNING plotwise.test [abc] in a turn")
    assert TextFormatter().format(_record("outside")).endswith("WARNING plotwise.test outside")


@pytest.fixture
def root_logging():
    """Restore the root logger (pytest's capture handlers) after the test reconfigures it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    uvicorn = logging.getLogger("uvicorn.error")
    uvicorn_handlers, uvicorn_propagate = list(uvicorn.handlers), uvicorn.propagate
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    uvicorn.handlers[:] = uvicorn_handlers
    uvicorn.propagate = uvicorn_propagate


def test_configure_logging_sends_every_logger_to_stderr_as_json(root_logging, monkeypatch):
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    configure_logging("json", "info")
    logging.getLogger("plotwise.anything").debug("too detailed")
    logging.getLogger("uvicorn.error").info("Started server process")
    token = trace_id.set("t1")
    try:
        logging.getLogger("plotwise.turn").error("turn failed")
    finally:
        reset(token)
    lines = [json.loads(line) for line in stderr.getvalue().splitlines()]
    assert [(e["logger"], e["message"], e.get("trace_id")) for e in lines] == [
        ("uvicorn.error", "Started server process", None),
        ("plotwise.turn", "turn failed", "t1"),
    ]


def test_log_settings_come_from_the_environment(monkeypatch):
    assert (Settings().log_format, Settings().log_level) == ("json", "INFO")
    monkeypatch.setenv("PLOTWISE_LOG_FORMAT", "text")
    monkeypatch.setenv("PLOTWISE_LOG_LEVEL", "debug")
    assert (Settings().log_format, Settings().log_level) == ("text", "DEBUG")
    monkeypatch.setenv("PLOTWISE_LOG_FORMAT", "xml")
    with pytest.raises(ValidationError, match="log_format"):
        Settings()
