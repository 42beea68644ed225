"""What a template may contain: checked before anything is stored (create, update, import).

A template is refused unless its SQL passes the SQL guard with exactly its declared parameters
over the catalog's tables, its query parameter values fit their specs, and its component passes
the validation policy (the same one the browser applies).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import anyio.to_thread
from pydantic import ValidationError

from plotwise.artifact.policy import validate_component
from plotwise.errors import BadRequestError, CodeRefusedError
from plotwise.sql.guard import validate_select
from plotwise.sql.params import bind_values
from plotwise.store.models import TemplateContent


def build_content(data: dict[str, Any], *, where: str = "template") -> TemplateContent:
    """Validate ``data`` into template content.

    Args:
        data: The content fields.
        where: Named in messages (``template``, ``template.param_specs``...).

    Raises:
        BadRequestError: A field is missing or of the wrong shape; the message names each.

    """
    try:
        return TemplateContent.model_validate(data)
    except ValidationError as exc:
        raise BadRequestError(f"invalid {where}: {describe(exc)}") from exc


def describe(exc: ValidationError) -> str:
    """One line naming every field a validation error complains about."""
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc']) or 'value'}: {error['msg']}"
        for error in exc.errors()
    )


async def check_template(
    content: TemplateContent, *, tables: Collection[str], code_checked: bool = False
) -> None:
    """Refuse a template whose SQL, query parameters or component would be refused.

    Args:
        content: The template's content (already shape-checked).
        tables: The tables its SQL may read (the catalog's).
        code_checked: The code is the stored version's, which passed the policy when it was
            written; skips checking it again for edits of other fields.

    Raises:
        SQLRefusedError: The SQL guard refused the SQL, parsed in ``content.engine``'s dialect;
            the message names the rule (an unknown table is rule ``unknown_table``).
        BadRequestError: A query parameter value does not fit its spec, names no declared
            parameter, or a parameter is declared twice.
        CodeRefusedError: The validation policy refused the component; the message lists why.

    """
    names = [spec.name for spec in content.param_specs]
    # The engine's own dialect: a PostgreSQL source's SQL is PostgreSQL, not DuckDB.
    validate_select(content.sql, tables=tables, params=names, dialect=content.engine)
    bind_values(content.param_specs, content.query_params)
    if code_checked:
        return
    problems = await anyio.to_thread.run_sync(validate_component, content.code)
    if problems:
        raise CodeRefusedError(
            "the component is refused by the validation policy: " + "; ".join(problems)
        )
