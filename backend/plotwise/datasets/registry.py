"""Uploaded datasets on disk: ``<data dir>/uploads/<name>/`` with its Parquet table and definition.

A folder is a dataset exactly when it holds ``definition.yaml`` (written last, atomically, at
commit) and every table the definition names as ``<table>.parquet``. Every change keeps that
true at each step, so a crash never leaves half a dataset that loads:

- rename builds the new folder beside the old one (hard links to the same Parquet file, the
  rewritten definition), renames it into place in one step, and only then retires the old one;
- delete first moves the old ``definition.yaml`` aside (the folder no longer loads), and the
  folder goes once no running query reads it;
- folders that hold no definition (a failed commit, a retired dataset) are removed at start.
"""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from plotwise.data.files import fsync, write_text_atomically
from plotwise.datasets.definitions import origin_of
from plotwise.errors import ConflictError, DatasetError
from plotwise.semantic.definition import DatasetDefinition, load_definition
from plotwise.semantic.draft import to_yaml
from plotwise.settings import Settings
from plotwise.uploads.staging import STAGING_SUBDIR, UPLOADS_SUBDIR

logger = logging.getLogger(__name__)

DEFINITION_FILE = "definition.yaml"
"""The definition of an uploaded dataset, beside its Parquet table."""

RETIRED_FILE = ".definition.yaml.retired"
"""Where a deleted or renamed dataset's definition goes until its folder is removed."""


@dataclass(frozen=True)
class StoredUpload:
    """One uploaded dataset as it is on disk."""

    name: str
    definition: DatasetDefinition
    files: dict[str, Path]
    """Table name -> its Parquet file."""
    created_at: datetime
    """When its table was written (the Parquet file's modification time), UTC."""

    @property
    def origin(self) -> str | None:
        """The uploaded file's name."""
        return origin_of(self.definition)


class UploadRegistry:
    """The uploaded datasets under ``<data dir>/uploads``."""

    def __init__(self, settings: Settings) -> None:
        self.root = settings.resolved_data_dir() / UPLOADS_SUBDIR

    def folder(self, name: str) -> Path:
        """The folder of dataset ``name`` (which need not exist)."""
        return self.root / name

    def scan(self) -> list[StoredUpload]:
        """Every complete uploaded dataset, by name; folders without a definition are removed.

        A folder whose definition is invalid or names a missing table is skipped (and logged),
        never removed: it may be repaired by hand.
        """
        if not self.root.is_dir():
            return []
        uploads = []
        for folder in sorted(self.root.iterdir()):
            if folder.name.startswith(".") or not folder.is_dir():
                if folder.name.startswith(".") and folder.name != STAGING_SUBDIR:
                    _remove(folder)  # a rename staged by a process that died
                continue
            if not (folder / DEFINITION_FILE).exists():
                _remove(folder)
                continue
            try:
                uploads.append(self.load(folder.name))
            except DatasetError as error:
                logger.warning("skipping uploaded dataset %s: %s", folder.name, error.message)
        return uploads

    def load(self, name: str) -> StoredUpload:
        """Read one uploaded dataset.

        Raises:
            DatasetError: Its definition is missing or invalid, is not named like its folder,
                or names a table whose Parquet file is missing.

        """
        folder = self.folder(name)
        definition = load_definition(folder / DEFINITION_FILE)
        if definition.name != name:
            raise DatasetError(f"{folder / DEFINITION_FILE} names dataset {definition.name!r}")
        files = {table: folder / f"{table}.parquet" for table in definition.tables}
        missing = [str(path) for path in files.values() if not path.is_file()]
        if missing:
            raise DatasetError(f"missing table file {missing[0]}")
        modified = min(path.stat().st_mtime for path in files.values())
        return StoredUpload(name, definition, files, datetime.fromtimestamp(modified, UTC))

    def write_definition(self, name: str, definition: DatasetDefinition) -> None:
        """Replace the dataset's definition file atomically.

        Raises:
            DatasetError: It could not be written; the old file is unchanged.

        """
        write_text_atomically(self.folder(name) / DEFINITION_FILE, to_yaml(definition))

    def stage_rename(self, stored: StoredUpload, definition: DatasetDefinition) -> StoredUpload:
        """Create the renamed dataset's folder beside the old one (which stays as it is).

        Args:
            stored: The dataset now.
            definition: Its renamed definition (`rename_definition`); its tables are the old
                ones in the same order, under their new names.

        Returns:
            The new dataset; its files are hard links to the old ones (copies where the file
            system has none).

        Raises:
            ConflictError: A folder with the new name exists.
            DatasetError: The folder could not be written; nothing is left of it.

        """
        target = self.folder(definition.name)
        if target.exists():
            raise ConflictError(f"a dataset folder named {definition.name!r} already exists")
        stage = self.root / f".{definition.name}.{uuid.uuid4().hex}.tmp"
        try:
            stage.mkdir()
            for old_path, table in zip(stored.files.values(), definition.tables, strict=True):
                try:
                    os.link(old_path, stage / f"{table}.parquet")
                except OSError:
                    shutil.copy2(old_path, stage / f"{table}.parquet")
            write_text_atomically(stage / DEFINITION_FILE, to_yaml(definition))
            # One step: the new dataset appears whole, or not at all.
            os.rename(stage, target)
            fsync(self.root)
        except OSError as error:
            _remove(stage)
            raise DatasetError(f"could not write {target}: {error}") from error
        except BaseException:
            _remove(stage)
            raise
        files = {table: target / f"{table}.parquet" for table in definition.tables}
        return StoredUpload(definition.name, definition, files, stored.created_at)

    def retire(self, name: str) -> None:
        """Make the folder stop being a dataset (its definition moves aside); files stay.

        Raises:
            DatasetError: The definition could not be moved.

        """
        folder = self.folder(name)
        try:
            os.replace(folder / DEFINITION_FILE, folder / RETIRED_FILE)
            fsync(folder)
        except OSError as error:
            raise DatasetError(f"could not retire dataset {name!r}: {error}") from error

    def restore(self, name: str) -> None:
        """Undo `retire` (a later step of the change failed)."""
        folder = self.folder(name)
        os.replace(folder / RETIRED_FILE, folder / DEFINITION_FILE)

    def remove_retired(self, name: str) -> None:
        """Delete the folder if it is retired (not if a failed change restored it meanwhile)."""
        folder = self.folder(name)
        if (folder / RETIRED_FILE).exists() and not (folder / DEFINITION_FILE).exists():
            _remove(folder)

    def remove(self, name: str) -> None:
        """Delete the dataset's folder and everything in it (undoing a failed commit)."""
        _remove(self.folder(name))


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
