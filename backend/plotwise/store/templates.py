"""Templates in the database: create, read, search, update (each a new version), restore, delete.

These functions store what they are given: checking a template's SQL, code and parameters is
`plotwise.template.validation`'s job, done before calling them. Deleting a template deletes it
and its versions (no soft delete: an exported file is the way to keep one).
"""

from __future__ import annotations

from sqlalchemy import func, or_, true
from sqlmodel import Session, col, delete, select

from plotwise.errors import ConflictError, NotFoundError
from plotwise.store.database import Database
from plotwise.store.models import (
    Template,
    TemplateContent,
    TemplatePage,
    TemplatePublic,
    TemplateVersion,
    TemplateVersionPublic,
)
from plotwise.store.types import new_id, utcnow


def create_template(db: Database, content: TemplateContent) -> TemplatePublic:
    """Store a new template (version 1) and its first version row; return it."""
    now = utcnow()
    data = content.model_dump(mode="json")
    row = Template(**data, id=new_id("tpl"), version=1, created_at=now, updated_at=now)
    with db.write() as session:
        session.add(row)
        session.flush()  # the version row references the template: insert it first
        session.add(TemplateVersion(**data, template_id=row.id, version=1, created_at=now))
    return TemplatePublic.model_validate(row)


def get_template(db: Database, template_id: str) -> TemplatePublic:
    """The template's latest version.

    Raises:
        NotFoundError: No template has that id.

    """
    with db.read() as session:
        return TemplatePublic.model_validate(_existing(session, template_id))


def list_templates(
    db: Database, *, q: str | None = None, limit: int = 50, offset: int = 0
) -> TemplatePage:
    """A page of templates, newest first; ``q`` matches name, description or prompt (any case)."""
    match = (
        or_(
            col(Template.name).icontains(q, autoescape=True),
            col(Template.description).icontains(q, autoescape=True),
            col(Template.prompt).icontains(q, autoescape=True),
        )
        if q
        else true()
    )
    with db.read() as session:
        total = session.exec(select(func.count()).select_from(Template).where(match)).one()
        rows = session.exec(
            select(Template)
            .where(match)
            .order_by(col(Template.created_at).desc(), col(Template.id))
            .offset(offset)
            .limit(limit)
        ).all()
        items = [TemplatePublic.model_validate(row) for row in rows]
    return TemplatePage(items=items, total=total)


def update_template(
    db: Database, template_id: str, content: TemplateContent, *, base_version: int | None = None
) -> TemplatePublic:
    """Replace the template's content, as a new version.

    Args:
        db: The store.
        template_id: Which template.
        content: The whole new content (already checked).
        base_version: The version ``content`` was derived from; if the template has moved on
            since (another update won the race), nothing is written.

    Raises:
        NotFoundError: No template has that id.
        ConflictError: The template is no longer at ``base_version``.

    """
    data = content.model_dump(mode="json")
    with db.write() as session:
        row = _existing(session, template_id, lock=True)
        if base_version is not None and row.version != base_version:
            raise ConflictError(
                f"template {template_id!r} changed while this update was checked (now version "
                f"{row.version}, the update was based on {base_version}); reload and try again"
            )
        now = utcnow()
        row.sqlmodel_update({**data, "version": row.version + 1, "updated_at": now})
        session.add(
            TemplateVersion(**data, template_id=template_id, version=row.version, created_at=now)
        )
    return TemplatePublic.model_validate(row)


def delete_template(db: Database, template_id: str) -> None:
    """Delete the template and all its versions.

    Raises:
        NotFoundError: No template has that id.

    """
    with db.write() as session:
        _existing(session, template_id)
        session.exec(delete(Template).where(col(Template.id) == template_id))


def list_versions(db: Database, template_id: str) -> list[TemplateVersionPublic]:
    """Every stored version of the template, newest first.

    Raises:
        NotFoundError: No template has that id.

    """
    with db.read() as session:
        _existing(session, template_id)
        rows = session.exec(
            select(TemplateVersion)
            .where(TemplateVersion.template_id == template_id)
            .order_by(col(TemplateVersion.version).desc())
        ).all()
        return [TemplateVersionPublic.model_validate(row) for row in rows]


def get_version(db: Database, template_id: str, version: int) -> TemplateVersionPublic:
    """One stored version of the template.

    Raises:
        NotFoundError: The template or that version does not exist.

    """
    with db.read() as session:
        _existing(session, template_id)
        row = session.get(TemplateVersion, (template_id, version))
        if row is None:
            raise NotFoundError(f"template {template_id!r} has no version {version}")
        return TemplateVersionPublic.model_validate(row)


def count_templates(db: Database) -> int:
    """How many templates there are."""
    with db.read() as session:
        return session.exec(select(func.count()).select_from(Template)).one()


def templates_reading(db: Database, dataset: str) -> list[tuple[str, str]]:
    """(id, name) of the templates whose dataset is ``dataset`` (alone or among ``a+b``)."""
    with db.read() as session:
        rows = session.exec(
            select(Template.id, Template.name, Template.dataset)
            .where(col(Template.dataset).contains(dataset, autoescape=True))
            .order_by(col(Template.name), col(Template.id))
        ).all()
    return [(tid, name) for tid, name, named in rows if dataset in named.split("+")]


def _existing(session: Session, template_id: str, *, lock: bool = False) -> Template:
    row = session.get(Template, template_id, with_for_update=lock or None)
    if row is None:
        raise NotFoundError(f"template {template_id!r} does not exist")
    return row


class TemplateStore:
    """The templates of a `Database`, for async code (the work runs in a worker thread)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, content: TemplateContent) -> TemplatePublic:
        """See `create_template`."""
        return await self._db.run(create_template, self._db, content)

    async def get(self, template_id: str) -> TemplatePublic:
        """See `get_template`."""
        return await self._db.run(get_template, self._db, template_id)

    async def listing(
        self, *, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> TemplatePage:
        """See `list_templates`."""
        return await self._db.run(list_templates, self._db, q=q, limit=limit, offset=offset)

    async def update(
        self, template_id: str, content: TemplateContent, *, base_version: int | None = None
    ) -> TemplatePublic:
        """See `update_template`."""
        return await self._db.run(
            update_template, self._db, template_id, content, base_version=base_version
        )

    async def delete(self, template_id: str) -> None:
        """See `delete_template`."""
        await self._db.run(delete_template, self._db, template_id)

    async def reading(self, dataset: str) -> list[tuple[str, str]]:
        """See `templates_reading`."""
        return await self._db.run(templates_reading, self._db, dataset)

    async def versions(self, template_id: str) -> list[TemplateVersionPublic]:
        """See `list_versions`."""
        return await self._db.run(list_versions, self._db, template_id)

    async def version(self, template_id: str, version: int) -> TemplateVersionPublic:
        """See `get_version`."""
        return await self._db.run(get_version, self._db, template_id, version)
