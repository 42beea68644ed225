import os

import pyarrow as pa
import pytest

from plotwise.sql import handoff


def _batches(rows: int, per_batch: int = 50_000) -> list[pa.RecordBatch]:
    table = pa.table({"n": pa.array(range(rows), pa.int64())})
    return table.to_batches(max_chunksize=per_batch)


def test_a_large_result_is_written_to_its_spool_file_batch_by_batch(tmp_path):
    path = handoff.spool_path(tmp_path, os.getpid(), 7)
    batches = _batches(300_000)
    written = handoff.write_result(batches[0].schema, iter(batches), 1_000_000, path)
    assert written == handoff.Written(path=str(path), payload=None, truncated=False)
    assert path.parent == tmp_path / "cache" / "spool"
    mapped = handoff.map_stream(path)
    assert mapped.table.column("n").to_pylist() == list(range(300_000))
    assert mapped.stream.size == path.stat().st_size


def test_a_small_result_goes_through_the_pipe_and_leaves_no_file(tmp_path):
    path = handoff.spool_path(tmp_path, 1, 1)
    batches = _batches(10)
    written = handoff.write_result(batches[0].schema, iter(batches), 100, path)
    assert written.path is None and not written.truncated
    assert pa.ipc.open_stream(written.payload).read_all().column("n").to_pylist() == list(range(10))
    assert not path.parent.exists()


@pytest.mark.parametrize("rows", [10, 300_000])
def test_the_cap_cuts_the_stream_and_reports_truncation(tmp_path, rows):
    path = handoff.spool_path(tmp_path, 1, 2)
    consumed = []

    per_batch = max(1, rows // 3)

    def produce():
        for batch in _batches(rows + 5 * per_batch, per_batch=per_batch):
            consumed.append(batch.num_rows)
            yield batch

    written = handoff.write_result(_batches(1)[0].schema, produce(), rows, path)
    assert written.truncated
    source = written.payload if written.path is None else handoff.map_stream(path).stream
    assert pa.ipc.open_stream(source).read_all().num_rows == rows
    # Reading stopped at the batch holding the first row past the cap.
    assert rows < sum(consumed) <= rows + per_batch


def test_an_unwritable_spool_folder_falls_back_to_the_pipe(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    batches = _batches(300_000)
    written = handoff.write_result(
        batches[0].schema, iter(batches), 10**6, handoff.spool_path(tmp_path, 1, 3)
    )
    assert written.path is None
    assert pa.ipc.open_stream(written.payload).read_all().num_rows == 300_000


def test_a_failing_producer_leaves_no_half_written_file(tmp_path):
    path = handoff.spool_path(tmp_path, 1, 4)

    def produce():
        yield from _batches(200_000)
        raise OSError("Invalid Input Error: boom")

    with pytest.raises(OSError, match="boom"):
        handoff.write_result(_batches(1)[0].schema, produce(), 10**6, path)
    assert not path.exists()


def test_stream_parts_replace_the_schema_message_and_keep_the_batches(tmp_path):
    path = handoff.spool_path(tmp_path, 1, 5)
    batches = _batches(300_000)
    handoff.write_result(batches[0].schema, iter(batches), 10**6, path)
    mapped = handoff.map_stream(path)
    schema = mapped.table.schema.with_metadata({"plotwise": '{"k": 1}'})
    parts = handoff.stream_parts(mapped.stream, schema)
    reader = pa.ipc.open_stream(b"".join(part.to_pybytes() for part in parts))
    assert reader.schema.metadata == {b"plotwise": b'{"k": 1}'}
    assert reader.read_all().equals(mapped.table)
    with pytest.raises(ValueError, match="encapsulated"):
        handoff.stream_parts(pa.py_buffer(b"not arrow at all"), schema)


def test_leftovers_of_a_dead_worker_are_removed(tmp_path):
    folder = handoff.spool_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "42-1.arrow").write_bytes(b"partial")
    (folder / "43-1.arrow").write_bytes(b"another worker's")
    handoff.remove_leftovers(tmp_path, 42)
    assert [p.name for p in folder.iterdir()] == ["43-1.arrow"]
