"""The durable store: templates, conversations and artifacts in SQLite or PostgreSQL."""

from plotwise.store.database import Database

__all__ = ["Database"]
