"""Start-up: the bundled datasets' definitions and the uploaded datasets, into one catalog.

Uploaded datasets load beside the bundled ones (``PLOTWISE_DATASETS``). One whose name or table
name a bundled dataset already has (say ``penguins`` was enabled after a ``penguins`` upload)
is skipped with a warning, never deleted; so is one whose folder is broken.
"""

from __future__ import annotations

import logging

from plotwise.data.catalog import Catalog
from plotwise.data.datasets import DATASETS
from plotwise.datasets.context import DatasetContext, build_context
from plotwise.datasets.drafts import sweep_drafts
from plotwise.datasets.registry import StoredUpload, UploadRegistry
from plotwise.errors import DatasetError
from plotwise.semantic.definition import load_definitions
from plotwise.semantic.profile import DatasetProfile
from plotwise.settings import Settings
from plotwise.sql.service import SQLService

logger = logging.getLogger(__name__)


def open_catalog(settings: Settings) -> tuple[Catalog, list[StoredUpload]]:
    """Open the catalog over the bundled and the uploaded datasets; sweep old drafts.

    Returns:
        The catalog and the uploads it loaded.

    Raises:
        DatasetError: The bundled data cannot be loaded.

    """
    sweep_drafts(settings)
    taken_tables = {
        t for name in settings.datasets if name in DATASETS for t in DATASETS[name].tables
    }
    uploads = []
    for stored in UploadRegistry(settings).scan():
        clash = stored.name in settings.datasets or taken_tables & set(stored.files)
        if clash:
            logger.warning(
                "skipping uploaded dataset %s: a bundled dataset has its name or a table name",
                stored.name,
            )
            continue
        taken_tables.update(stored.files)
        uploads.append(stored)
    catalog = Catalog.open(settings, {u.name: u.files for u in uploads})
    return catalog, uploads


def load_contexts(
    catalog: Catalog, settings: Settings, sql: SQLService, uploads: list[StoredUpload]
) -> dict[str, DatasetContext]:
    """The context of every bundled dataset, then of every upload.

    Raises:
        DatasetError: A bundled dataset has no definition in ``datasets_dir``, or a definition
            does not fit its data.

    """
    definitions = load_definitions(settings.datasets_dir)
    missing = [name for name in settings.datasets if name not in definitions]
    if missing:
        raise DatasetError(
            f"no definition for dataset {missing[0]!r} in {settings.datasets_dir}; "
            f"defined: {', '.join(definitions) or 'none'}"
        )
    contexts = {
        name: build_context(catalog, definitions[name], settings, sql) for name in settings.datasets
    }
    for stored in uploads:
        contexts[stored.name] = upload_context(catalog, settings, sql, stored)
    return contexts


def upload_context(
    catalog: Catalog,
    settings: Settings,
    sql: SQLService,
    stored: StoredUpload,
    profile: DatasetProfile | None = None,
) -> DatasetContext:
    """The context of one uploaded dataset registered in ``catalog`` (or about to be).

    Args:
        catalog: Holds its tables; read only when ``profile`` is None.
        settings: As `build_context`.
        sql: The DuckDB service.
        stored: The dataset on disk.
        profile: Its values, when known.

    Raises:
        DatasetError: Its definition does not fit its data.

    """
    return build_context(
        catalog,
        stored.definition,
        settings,
        sql,
        kind="upload",
        origin=stored.origin,
        created_at=stored.created_at,
        profile=profile,
    )
