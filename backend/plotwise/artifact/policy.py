"""The component validation policy on the server: each component is checked before it is sent.

Every component is checked before it is emitted in a turn or saved (templates, imports,
standalone files). The policy is one file, ``component_policy.json`` (beside this module), read
by two validators: the browser's (``frontend/src/artifact/validation.ts``, Babel), run before
every render, and the server's (`plotwise.artifact.validator`, tree-sitter's TSX grammar), used
here. Both give the shared vectors in ``fixtures/validation/`` the same verdicts
(docs/validation-policy.md).
"""

from __future__ import annotations

import copy
import logging
from functools import lru_cache

from plotwise.artifact.validator import Verdict, validate

logger = logging.getLogger(__name__)


def validate_component(code: str) -> list[str]:
    """Check a component against the validation policy, without running it.

    Args:
        code: The component's TSX source.

    Returns:
        The problems found, each naming the rule and line (``line L:C: ...``); an empty list
        means the code passes. A failure of the validator itself is a problem too: the code is
        refused (fail closed), never passed unchecked.

    """
    return list(_checked(code)[0])


def read_view_params(code: str) -> list[dict] | None:
    """Return the component's view parameter schema (``export const params``), or None if invalid.

    Each parameter is a dict shaped like the browser's ``ParamSpec``: ``name``, ``label``,
    ``type``, ``default`` and the type's own fields (``min``/``max``/``step``, ``options``).
    """
    params = _checked(code)[1]
    # A deep copy: the cached specs hold lists (options, date ranges) a caller might change.
    return None if params is None else copy.deepcopy(list(params))


@lru_cache(maxsize=256)
def _checked(code: str) -> tuple[tuple[str, ...], tuple[dict, ...] | None]:
    # The same code is checked more than once per turn (as it streams in, and as the final
    # answer), and the local analyst repeats its components.
    try:
        verdict: Verdict = validate(code)
    except Exception as exc:  # noqa: BLE001 - any failure refuses the code
        logger.exception("the component validator failed")
        return (f"the component could not be checked ({type(exc).__name__}); it is refused",), None
    return tuple(str(p) for p in verdict.problems), verdict.params
