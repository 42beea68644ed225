"""The component validation policy on the server: the browser's own validator, run by Node.

The policy lives in one module, ``frontend/src/artifact/validation.ts``. The build bundles it
with a small command (``frontend/validator/cli.ts``) into ``frontend/dist-validator/
validate.mjs``; the server runs that file with Node for code it stores or ships (template import
and save, standalone HTML), so both sides refuse exactly the same code.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from plotwise.errors import PlotwiseError
from plotwise.settings import PROJECT_ROOT

VALIDATOR = PROJECT_ROOT / "frontend" / "dist-validator" / "validate.mjs"
"""The bundled validator (built by ``npm run build``)."""

TIMEOUT_S = 20.0
"""Longest a validation may take; a component is at most 60,000 characters."""


class PolicyUnavailableError(PlotwiseError):
    """The validator cannot run (Node or the built validator is missing): code is refused."""

    code = "policy_unavailable"
    status_code = 503


def validate_component(code: str, *, validator: Path = VALIDATOR) -> list[str]:
    """Check a component against the validation policy.

    Args:
        code: The component's TSX source.
        validator: The bundled validator to run.

    Returns:
        The problems found, each naming the rule and line; an empty list means the code passes.

    Raises:
        PolicyUnavailableError: Node or the validator is missing, or it failed; the code must
            then be treated as refused (fail closed).

    """
    return list(_checked(code, validator)[0])


def read_view_params(code: str, *, validator: Path = VALIDATOR) -> list[dict] | None:
    """Return the component's view parameter schema (``export const params``), or None if invalid.

    Raises:
        PolicyUnavailableError: as `validate_component`.

    """
    params = _checked(code, validator)[1]
    return None if params is None else [dict(spec) for spec in params]


@lru_cache(maxsize=256)
def _checked(code: str, validator: Path) -> tuple[tuple[str, ...], list[dict] | None]:
    # The same code is checked more than once per turn (as it streams in, and as the final
    # answer), and the local analyst repeats its components: Node starts only for new code.
    # Failures (PolicyUnavailableError) are not cached: lru_cache keeps only returned values.
    result = _run(code, validator)
    return tuple(result["problems"]), result["params"]


def _run(code: str, validator: Path) -> dict:
    node = shutil.which("node")
    if node is None:
        raise PolicyUnavailableError("Node.js is not installed, so components cannot be checked")
    if not validator.is_file():
        raise PolicyUnavailableError(f"the validator is not built ({validator}); run npm run build")
    try:
        done = subprocess.run(
            [node, str(validator)],
            input=code,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PolicyUnavailableError(f"the validator took longer than {TIMEOUT_S:g} s") from exc
    if done.returncode != 0:
        raise PolicyUnavailableError(f"the validator failed: {done.stderr.strip()[:500]}")
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise PolicyUnavailableError("the validator answered something that is not JSON") from exc
    if not isinstance(result.get("problems"), list):
        raise PolicyUnavailableError("the validator's answer has no problems list")
    return result
