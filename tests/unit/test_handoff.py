import os

import pyarrow as pa

from plotwise.sql import handoff


def test_large_tables_go_through_a_shared_file_that_the_reader_removes(tmp_path, monkeypatch):
    monkeypatch.setattr(handoff, "SHARED_DIR", tmp_path)
    table = pa.table({"n": pa.array(range(300_000), pa.int64())})
    path = handoff.write_shared(table, 7)
    assert path == str(tmp_path / f"plotwise-{os.getpid()}-7.arrow")
    assert handoff.read_shared(path).equals(table)
    assert not list(tmp_path.iterdir())


def test_small_tables_and_a_missing_directory_use_the_pipe(tmp_path, monkeypatch):
    monkeypatch.setattr(handoff, "SHARED_DIR", tmp_path)
    assert handoff.write_shared(pa.table({"n": [1, 2]}), 1) is None
    monkeypatch.setattr(handoff, "SHARED_DIR", tmp_path / "missing")
    assert handoff.write_shared(pa.table({"n": pa.array(range(300_000))}), 2) is None


def test_leftovers_of_a_dead_worker_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(handoff, "SHARED_DIR", tmp_path)
    (tmp_path / "plotwise-42-1.arrow").write_bytes(b"partial")
    (tmp_path / "plotwise-43-1.arrow").write_bytes(b"another worker's")
    handoff.remove_leftovers(42)
    assert [p.name for p in tmp_path.iterdir()] == ["plotwise-43-1.arrow"]
