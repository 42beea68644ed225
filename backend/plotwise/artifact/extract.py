"""Extraction of the generated component (the first complete ```tsx block) from markdown.

The browser does the same while streaming (``frontend/src/artifact/extractCode.ts``); the server
does it to emit the ``artifact`` SSE event once the block is complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMPONENT_LANGUAGES = ("tsx", "jsx")
_FENCE = re.compile(r"^```(tsx|jsx)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class ComponentBlock:
    """A complete component block: its ``code`` and ``language``; ``end`` is the offset after it."""

    code: str
    language: str
    end: int


def find_component(markdown: str, start: int = 0) -> ComponentBlock | None:
    """Return the first complete ```tsx (or ```jsx) block at or after ``start``, or None.

    A block is complete once its closing fence line has arrived, so a partial stream never yields
    half a component.
    """
    match = _FENCE.search(markdown, start)
    if match is None:
        return None
    return ComponentBlock(code=match.group(2), language=match.group(1), end=match.end())
