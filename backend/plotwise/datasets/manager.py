"""Uploaded datasets at run time: upload to a draft, commit, edit, rename and delete.

Each change touches three things that must agree: the files (`UploadRegistry`), the catalog
(`Catalog.add_dataset` and friends: a new engine and worker pool) and the services' contexts.
Changes are serialised, and each step undoes the ones before it when it fails, so a failed
commit, rename or delete leaves no half dataset: the dataset is there whole, or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING

import anyio.to_thread

from plotwise.datasets.context import DatasetContext
from plotwise.datasets.definitions import (
    check_dataset_name,
    edit_definition,
    rename_definition,
    upload_definition,
)
from plotwise.datasets.drafts import sweep_drafts
from plotwise.datasets.loading import upload_context
from plotwise.datasets.models import DraftColumn, UploadDraftPublic
from plotwise.datasets.registry import StoredUpload, UploadRegistry
from plotwise.errors import ConflictError, NotFoundError
from plotwise.semantic.draft import guess_role
from plotwise.semantic.profile import DatasetProfile
from plotwise.sql.result import ColumnSchema
from plotwise.uploads import UploadDraft, commit_upload, discard_draft, inspect_upload
from plotwise.uploads.draft import load_draft
from plotwise.uploads.receive import receive_form_upload

if TYPE_CHECKING:
    from plotwise.services import Services


class DatasetManager:
    """Uploads and their datasets for one `Services`; every method is safe to call concurrently."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._settings = services.settings
        self.registry = UploadRegistry(services.settings)
        self._lock = threading.Lock()

    async def upload(self, body: AsyncIterator[bytes], content_type: str) -> UploadDraftPublic:
        """Receive a ``multipart/form-data`` file as it streams in, inspect it, keep it as a draft.

        Drafts older than an hour are swept first.

        Args:
            body: The request body as it arrives (Starlette's ``request.stream()``).
            content_type: The request's ``Content-Type`` header, with its boundary.

        Raises:
            UploadTooLargeError: The file passed ``PLOTWISE_MAX_UPLOAD_MB``.
            UploadError: It was refused (form, format, malformed, empty...); nothing is kept.

        """
        await anyio.to_thread.run_sync(sweep_drafts, self._settings)
        # The file lands in its draft's folder; a refused one takes the folder with it.
        received, original_name = await receive_form_upload(body, content_type, self._settings)
        draft = await anyio.to_thread.run_sync(
            inspect_upload, received, original_name, self._settings
        )
        return public_draft(draft)

    async def discard(self, draft_id: str) -> None:
        """Remove a draft and its staging folder.

        Raises:
            NotFoundError: No draft has that id.

        """
        await anyio.to_thread.run_sync(discard_draft, draft_id, self._settings)

    async def commit(
        self,
        draft_id: str,
        name: str,
        *,
        description: str | None = None,
        overrides: Mapping[str, str] | None = None,
        descriptions: Mapping[str, str] | None = None,
    ) -> DatasetContext:
        """Commit a draft as dataset (and table) ``name`` and register it.

        Raises:
            NotFoundError: No draft has that id.
            BadRequestError: The name is not allowed, or a description names an unknown column.
            ConflictError: A dataset or table already has that name.
            UploadError: An override is not allowed or a value does not fit it.
            DatasetError: The dataset could not be written or registered; nothing is kept.

        """
        return await anyio.to_thread.run_sync(
            self._commit, draft_id, name, description, dict(overrides or {}), descriptions
        )

    async def edit(
        self,
        name: str,
        *,
        description: str | None = None,
        columns: Mapping[str, Mapping[str, str | None]] | None = None,
    ) -> DatasetContext:
        """Change an upload's description, column descriptions and roles.

        Raises:
            NotFoundError: No dataset has that name.
            ConflictError: It is not an upload.
            BadRequestError: A column or role is unknown.

        """
        return await anyio.to_thread.run_sync(self._edit, name, description, columns)

    async def rename(self, name: str, new: str) -> DatasetContext:
        """Rename an upload (its table too); conversations and artifacts follow.

        Raises:
            NotFoundError: No dataset has that name.
            BadRequestError: The new name is not allowed.
            ConflictError: It is not an upload, the new name is taken, or templates read it.

        """
        self.stored(name)
        dependents = await self._services.templates.reading(name)
        if dependents and new != name:
            raise ConflictError(
                f"dataset {name!r} cannot be renamed while templates read it: "
                f"{_names(dependents)}; their SQL names its table"
            )
        context = await anyio.to_thread.run_sync(self._rename, name, new)
        await self._services.conversations.rename_dataset(name, new)
        return context

    async def delete(self, name: str, *, confirm: bool) -> None:
        """Delete an upload (its files go once no running query reads them) or an API source.

        Raises:
            NotFoundError: No dataset has that name.
            ConflictError: It is bundled or a ``PLOTWISE_SOURCES`` source, or templates read
                it and ``confirm`` is False.

        """
        context = self._services.datasets.get(name)
        source = context is not None and context.kind == "postgres"
        if not source:
            self.stored(name)
        dependents = await self._services.templates.reading(name)
        if dependents and not confirm:
            raise ConflictError(
                f"templates read dataset {name!r}: {_names(dependents)}; they stop working "
                "once it is deleted. Delete with confirm=true to delete it anyway"
            )
        await anyio.to_thread.run_sync(self._delete_source if source else self._delete, name)
        await self._services.conversations.rename_dataset(name, None)

    def stored(self, name: str) -> DatasetContext:
        """The context of upload ``name``.

        Raises:
            NotFoundError: No dataset has that name.
            ConflictError: It is bundled or a source: only uploads can change here.

        """
        context = self._services.datasets.get(name)
        if context is None:
            raise NotFoundError(
                f"unknown dataset {name!r}; available: {', '.join(self._services.datasets)}"
            )
        if context.kind == "bundled":
            raise ConflictError(
                f"dataset {name!r} ships with Plotwise (PLOTWISE_DATASETS): it cannot be "
                "renamed, edited or deleted"
            )
        if context.kind != "upload":
            raise ConflictError(f"dataset {name!r} is a {context.kind} source, not an upload")
        return context

    def _commit(
        self,
        draft_id: str,
        name: str,
        description: str | None,
        overrides: dict[str, str],
        descriptions: Mapping[str, str] | None,
    ) -> DatasetContext:
        draft = load_draft(draft_id, self._settings)
        check_dataset_name(name)
        columns = [
            ColumnSchema(name=c.name, type=overrides.get(c.name, c.type).strip().upper())
            for c in draft.columns
        ]
        definition = upload_definition(
            name,
            draft.original_name,
            columns,
            description=description,
            descriptions=descriptions,
        )
        with self._lock:
            self._check_free(name)
            parquet = commit_upload(draft, name, self._settings, dataset=name, overrides=overrides)
            try:
                self.registry.write_definition(name, definition)
                stored = self.registry.load(name)
                self._services.catalog.add_dataset(name, {name: parquet})
                try:
                    context = self._context(stored)
                    self._services.add_dataset(name, context)
                except BaseException:
                    self._services.catalog.remove_dataset(name)
                    raise
            except BaseException:
                self.registry.remove(name)
                raise
        return context

    def _edit(
        self,
        name: str,
        description: str | None,
        columns: Mapping[str, Mapping[str, str | None]] | None,
    ) -> DatasetContext:
        with self._lock:
            old = self.stored(name)
            definition = edit_definition(old.definition, description=description, columns=columns)
            stored = self.registry.load(name)
            new = self._context(
                StoredUpload(name, definition, stored.files, stored.created_at)
            )  # built before anything is written: a definition that does not fit fails here
            self.registry.write_definition(name, definition)
            self._services.add_dataset(name, new, replace=True)
            return new

    def _rename(self, name: str, new: str) -> DatasetContext:
        check_dataset_name(new)
        with self._lock:
            current = self.stored(name)
            if new == name:
                return current
            self._check_free(new)
            old = self.registry.load(name)
            definition = rename_definition(old.definition, name, new)
            # Built first (the data is the same: no query), so nothing can fail after the swap.
            profile = _renamed_profile(current.profile, name, new)
            context = self._context(
                StoredUpload(new, definition, old.files, old.created_at), profile
            )
            renamed = self.registry.stage_rename(old, definition)
            self.registry.retire(name)
            try:
                self._services.catalog.rename_dataset(
                    name,
                    new,
                    renamed.files,
                    on_drained=lambda: self.registry.remove_retired(name),
                )
            except BaseException:
                self.registry.restore(name)
                self.registry.remove(new)
                raise
            self._services.add_dataset(new, context)
            self._services.remove_dataset(name)
            return context

    def _delete_source(self, name: str) -> None:
        """Forget an API-added PostgreSQL source (`plotwise.sources.registry`)."""
        assert self._services.sources is not None, "Services.open opens the sources"
        self._services.sources.remove(name)
        self._services.remove_dataset(name)

    def _delete(self, name: str) -> None:
        with self._lock:
            self.stored(name)
            self.registry.retire(name)
            try:
                self._services.catalog.remove_dataset(
                    name, on_drained=lambda: self.registry.remove_retired(name)
                )
            except BaseException:
                self.registry.restore(name)
                raise
            self._services.remove_dataset(name)

    def _check_free(self, name: str) -> None:
        """Refuse a name a dataset, a table or a dataset folder already has."""
        catalog = self._services.catalog
        if name in self._services.datasets:
            raise ConflictError(f"a dataset named {name!r} already exists")
        if catalog.dataset_of(name) is not None:
            raise ConflictError(
                f"a table named {name!r} already exists in dataset {catalog.dataset_of(name)!r}"
            )
        if self.registry.folder(name).exists():
            raise ConflictError(f"the data folder of an upload named {name!r} is still in use")

    def _context(
        self, stored: StoredUpload, profile: DatasetProfile | None = None
    ) -> DatasetContext:
        services = self._services
        return upload_context(services.catalog, self._settings, services.sql, stored, profile)


def public_draft(draft: UploadDraft) -> UploadDraftPublic:
    """The review's view of a draft: its columns with the role the definition would guess."""
    return UploadDraftPublic(
        draft_id=draft.draft_id,
        original_name=draft.original_name,
        table_name=draft.table_name,
        format=draft.format,
        row_count=draft.row_count,
        columns=[
            DraftColumn(
                **column.model_dump(include=set(DraftColumn.model_fields) - {"role"}),
                role=guess_role(column.name, column.type),
            )
            for column in draft.columns
        ],
        preview=draft.preview,
        problems=draft.problems,
        size_bytes=draft.size_bytes,
    )


def _names(templates: list[tuple[str, str]]) -> str:
    return ", ".join(f"{name!r} ({template_id})" for template_id, name in templates)


def _renamed_profile(profile: DatasetProfile | None, old: str, new: str) -> DatasetProfile | None:
    """The same values, under the renamed table."""
    if profile is None:
        return None

    def key(pair: tuple[str, str]) -> tuple[str, str]:
        return (new if pair[0] == old else pair[0], pair[1])

    return DatasetProfile(
        columns={key(k): v for k, v in profile.columns.items()},
        value_index={key(k): v for k, v in profile.value_index.items()},
    )
