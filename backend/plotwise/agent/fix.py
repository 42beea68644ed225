"""The "Fix it" action: a component that failed in the browser goes back to the model.

The browser reports the error its sandbox raised (compile, render or the render watchdog); the
server adds the failed component and the question it answered, from the artifact store, and
asks for a corrected answer. The prompt has a fixed shape so the local analyst can read the
question back out of it (`question_to_fix`) and answer it afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from plotwise.artifact.store import ArtifactRecord

FIX_HEADER = "The chart you wrote failed in the browser. Fix the component and answer again."
"""First line of every fix prompt (how `question_to_fix` recognises one)."""

_QUESTION = "Question: "


@dataclass(frozen=True)
class FixRequest:
    """A failed artifact and the error the browser reported for it."""

    artifact: ArtifactRecord
    error: str
    """The sandbox's error message (at most 2,000 characters, as the browser shows it)."""

    def prompt(self) -> str:
        """The user prompt the model gets: the error, the question, the failed code."""
        question = " ".join(self.artifact.prompt.split()) or "(unknown)"
        return (
            f"{FIX_HEADER}\n\n"
            f"Error: {' '.join(self.error.split())}\n\n"
            f"{_QUESTION}{question}\n\n"
            f"Component that failed:\n```{self.artifact.language or 'tsx'}\n"
            f"{self.artifact.code}\n```\n"
        )


def question_to_fix(prompt: str) -> str | None:
    """Return the question a fix prompt is about, or None when ``prompt`` is not one."""
    if not prompt.startswith(FIX_HEADER):
        return None
    for line in prompt.splitlines():
        if line.startswith(_QUESTION):
            return line.removeprefix(_QUESTION).strip() or None
    return None
