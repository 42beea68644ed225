"""Which process runs a job, so that a later start can tell jobs left behind from live ones.

A job row names its process as ``<host>:<pid>:<start time>`` (the start time in clock ticks
since boot, from ``/proc``): a pid reused after a restart, as in a container, has another start
time. A process may only judge owners on its own host: a job of another host is never taken
for lost (that host's next start marks it).
"""

from __future__ import annotations

import os
import socket
from functools import cache


@cache
def process_owner() -> str:
    """Owner name of the current process, ``<host>:<pid>:<start time>``."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid)}"


def owner_gone(owner: str) -> bool:
    """Whether the process an owner name names has ended (False for other hosts' owners)."""
    host, pid_text, start = _split(owner)
    if host != socket.gethostname():
        return False
    try:
        pid = int(pid_text)
    except ValueError:
        return True
    now = _start_time(pid)
    return now == "" or now != start


def _split(owner: str) -> tuple[str, str, str]:
    """``host``, ``pid`` and ``start time`` of an owner name (host names may not hold ``:``)."""
    head, _, start = owner.rpartition(":")
    host, _, pid = head.rpartition(":")
    return host, pid, start


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot, or "" if it does not exist.

    Without ``/proc`` (not Linux) a live process reads as ``"?"``.
    """
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except FileNotFoundError:
        if os.path.isdir("/proc/self"):
            return ""
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return ""
        except PermissionError:
            return "?"
        return "?"
    except OSError:
        return ""
    # Fields after the command name start at the state (field 3); starttime is field 22.
    return fields[19] if len(fields) > 19 else ""
