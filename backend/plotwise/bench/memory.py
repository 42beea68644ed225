"""Resident memory of a process and its children, read from Linux's ``/proc`` (no psutil).

``VmRSS`` is the resident set now, ``VmHWM`` its peak so far ("high water mark"); both are kB in
``/proc/<pid>/status``. The server's query workers are child processes, so the figures are
given for the server alone (RSS) and for the server with its descendants (the sum of their
proportional set sizes, which counts each shared page once in all).
"""

from __future__ import annotations

import threading
from pathlib import Path

PROC = Path("/proc")


def parse_status(text: str) -> dict[str, int]:
    """Read the memory fields of a ``/proc/<pid>/status`` text.

    Args:
        text: The file's content: lines such as ``VmRSS:   123456 kB``.

    Returns:
        Every ``Vm*``/``Rss*``/``Pss*`` field in bytes, e.g. ``{"VmRSS": 126418944, "VmHWM": ...}``;
        a kernel thread's status has none.

    """
    fields: dict[str, int] = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        parts = value.split()
        if name.startswith(("Vm", "Rss", "Pss")) and len(parts) == 2 and parts[1] == "kB":
            fields[name] = int(parts[0]) * 1024
    return fields


def status(pid: int, proc: Path = PROC) -> dict[str, int]:
    """The memory fields of a live process, in bytes (see `parse_status`).

    Raises:
        ProcessLookupError: No process ``pid`` exists.

    """
    try:
        return parse_status((proc / str(pid) / "status").read_text())
    except FileNotFoundError as exc:
        raise ProcessLookupError(pid) from exc


def descendants(pid: int, proc: Path = PROC) -> list[int]:
    """The process ids of every live descendant of ``pid`` (children, their children...)."""
    parents: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended while we looked
        # The command name (2nd field) may hold spaces and parentheses: split after its ")".
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    pending = [pid]
    while pending:
        children = parents.get(pending.pop(), [])
        found.extend(children)
        pending.extend(children)
    return found


def pss(pid: int, proc: Path = PROC) -> int:
    """Proportional set size of a process in bytes (``Pss`` of ``/proc/<pid>/smaps_rollup``).

    Its resident pages, each shared page divided by the number of processes sharing it.

    Raises:
        ProcessLookupError: No process ``pid`` exists.

    """
    try:
        text = (proc / str(pid) / "smaps_rollup").read_text()
    except FileNotFoundError as exc:
        raise ProcessLookupError(pid) from exc
    return parse_status(text).get("Pss", 0)


def tree_rss(pid: int, proc: Path = PROC) -> int:
    """Memory of ``pid`` and all its live descendants, in bytes: the sum of their `pss`.

    PSS, not RSS: the query workers share pages (libraries, DuckDB's code) with each other,
    which a sum of RSS would count once per process.
    """
    total = 0
    for member in [pid, *descendants(pid, proc)]:
        try:
            total += pss(member, proc)
        except ProcessLookupError:
            continue
    return total


class PeakSampler:
    """Samples `tree_rss` of a process in a thread while a ``with`` block runs.

    ``VmHWM`` gives the peak of one process exactly; the peak of the process tree (the server
    and its query workers) is only seen by sampling, every ``interval_s`` seconds.
    """

    def __init__(self, pid: int, interval_s: float = 0.05) -> None:
        self.pid = pid
        self.interval_s = interval_s
        self.peak_main = 0
        """Largest ``VmRSS`` of the process itself seen, in bytes."""
        self.peak_tree = 0
        """Largest `tree_rss` seen, in bytes."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_main = max(self.peak_main, status(self.pid).get("VmRSS", 0))
                self.peak_tree = max(self.peak_tree, tree_rss(self.pid))
            except ProcessLookupError:
                return
            self._stop.wait(self.interval_s)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
