import os
import subprocess
import sys
from pathlib import Path

import pytest

from plotwise.bench.memory import PeakSampler, descendants, parse_status, pss, status, tree_rss

STATUS = """Name:\tpython3
State:\tS (sleeping)
Pid:\t4242
VmPeak:\t  900000 kB
VmHWM:\t  300000 kB
VmRSS:\t  123456 kB
RssAnon:\t  100000 kB
Threads:\t9
"""


def test_parse_status_reads_memory_fields_in_bytes_and_skips_the_rest():
    fields = parse_status(STATUS)
    assert fields["VmRSS"] == 123456 * 1024
    assert fields["VmHWM"] == 300000 * 1024
    assert fields["RssAnon"] == 100000 * 1024
    assert "Threads" not in fields and "Pid" not in fields


def test_parse_status_of_a_kernel_thread_has_no_memory():
    assert parse_status("Name:\tkthreadd\nState:\tS (sleeping)\n") == {}


def _fake_proc(root: Path, processes: dict[int, tuple[int, str, int]]) -> Path:
    """pid -> (ppid, command name, VmRSS kB), as /proc would show them."""
    for pid, (ppid, name, rss_kb) in processes.items():
        folder = root / str(pid)
        folder.mkdir()
        (folder / "stat").write_text(f"{pid} ({name}) S {ppid} {pid} {pid} 0 -1 4194560\n")
        (folder / "status").write_text(f"Name:\t{name}\nVmRSS:\t{rss_kb} kB\n")
        (folder / "smaps_rollup").write_text(
            f"00-ff ---p 0 00:00 0 [rollup]\nPss:\t{rss_kb // 2} kB\n"
        )
    (root / "self").mkdir()  # not a pid: skipped
    return root


def test_descendants_follow_parents_even_with_odd_command_names(tmp_path):
    proc = _fake_proc(
        tmp_path,
        {
            1: (0, "init", 10),
            100: (1, "plotwise serve", 1000),
            101: (100, "worker) S 1 (x", 200),
            102: (101, "grandchild", 50),
            200: (1, "other", 999),
        },
    )
    assert sorted(descendants(100, proc)) == [101, 102]
    assert tree_rss(100, proc) == (1000 + 200 + 50) // 2 * 1024
    assert status(100, proc)["VmRSS"] == 1000 * 1024
    with pytest.raises(ProcessLookupError):
        status(999, proc)


def test_live_process_tree_is_found_and_measured():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in descendants(os.getpid())
        own = status(os.getpid())
        assert own["VmRSS"] > 0 and own["VmHWM"] >= own["VmRSS"]
        # PSS moves as other processes map and unmap shared pages: compare no exact sums.
        assert descendants(child.pid) == []
        assert pss(child.pid) > 0 and tree_rss(os.getpid()) > 0
        with PeakSampler(os.getpid(), interval_s=0.01) as sampler:
            pass
        assert sampler.peak_main > 0 and sampler.peak_tree > 0
    finally:
        child.kill()
        child.wait()
