"""Problems the validator reports: the rule broken, where, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from tree_sitter import Node

from plotwise.artifact.validator.tree import Position, position


@dataclass(frozen=True)
class Problem:
    """One reason a component is refused; ``str()`` gives ``line L:C: message``."""

    rule: str
    """A rule id of the policy file's ``rules``."""
    message: str
    at: Position | None = None
    """Where the problem is; None for the whole component (size)."""

    def __str__(self) -> str:
        return f"{self.at}: {self.message}" if self.at is not None else self.message


class Report(Protocol):
    """Records a problem of ``rule`` found at ``node``."""

    def __call__(self, node: Node, rule: str, message: str) -> None:  # noqa: D102
        ...


@dataclass
class Collector:
    """A `Report` that keeps each distinct problem once, in the order found."""

    source: bytes
    problems: list[Problem] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)

    def __call__(self, node: Node, rule: str, message: str) -> None:  # noqa: D102
        problem = Problem(rule, message, position(node, self.source))
        if str(problem) not in self._seen:
            self._seen.add(str(problem))
            self.problems.append(problem)
