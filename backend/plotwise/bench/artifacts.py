"""Artifacts registered directly in a running app's store, to time its data endpoint."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from plotwise.artifact.store import ArtifactRecord, new_artifact_id

EMPTY_COMPONENT = "export default function App() { return null; }"
"""A component for artifacts whose data alone is measured."""


def register_artifact(app: FastAPI, sql: str, *, prompt: str, code: str = EMPTY_COMPONENT) -> str:
    """Add an artifact answering ``sql`` to ``app``'s store, as a turn would; return its id.

    ``POST /api/artifacts/{id}/data`` then runs ``sql`` through the app's query path.

    Args:
        app: A Plotwise app (`plotwise.app.create_app`), served or not.
        sql: The artifact's query (checked by the SQL guard when it runs, not here).
        prompt: The question it answers (shown nowhere; names it in the store).
        code: Its component's TSX source.

    """
    artifact_id = new_artifact_id()
    record = ArtifactRecord(
        artifact_id=artifact_id,
        conversation_id=None,
        prompt=prompt,
        code=code,
        language="tsx",
        query_id=None,
        sql=sql,
    )
    # The store's work runs in a worker thread, so a fresh event loop may await it.
    asyncio.run(app.state.services.artifacts.add(record))
    return artifact_id
