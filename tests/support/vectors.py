"""The shared validation vectors in fixtures/validation/ (the browser's tests read them too)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VECTORS = Path(__file__).resolve().parents[2] / "fixtures" / "validation"
RULE_LINE = "// rule:"


@dataclass(frozen=True)
class Vector:
    """One component and the verdict both validators must give it."""

    name: str
    code: str
    allowed: bool
    rules: frozenset[str]
    """For a forbidden vector: exactly the rules that must refuse it."""


def _read(path: Path, allowed: bool) -> Vector:
    code = path.read_text(encoding="utf-8")
    lines = code.split("\n", 2)
    rules: frozenset[str] = frozenset()
    if not allowed:
        assert lines[1].startswith(RULE_LINE), f"{path.name}: second line must be '{RULE_LINE} ...'"
        rules = frozenset(r.strip() for r in lines[1][len(RULE_LINE) :].split(","))
    return Vector(path.stem, code, allowed, rules)


def read_vectors(verdict: str) -> list[Vector]:
    """The vectors under ``fixtures/validation/<verdict>/`` ("allowed" or "forbidden")."""
    paths = sorted((VECTORS / verdict).glob("*.tsx"))
    return [_read(path, verdict == "allowed") for path in paths]
