"""The Database layer against a real PostgreSQL (the session's embedded server)."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg2
import pytest

from models.database import Database, RetryPolicy, UpsertResult
from models.db.schema import index_name
from models.event import Event
from models.exceptions import ConfigurationError, DatabaseError, DatabaseUnavailableError

BASE = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)


def make_event(i: int, **overrides) -> Event:
    fields = dict(
        source_kind_id="launchpad",
        parent_item_id=str(1000 + i // 3),
        event_id=f"launchpad-bugs-{i:06d}",
        event_type="bugs",
        relation_type=("created", "commented", "closed")[i % 3],
        employee_id=f"user{i % 5}",
        event_time_utc=BASE + timedelta(hours=7 * i),
        timezone=("UTC", "Europe/Berlin", "America/New_York")[i % 3],
        event_properties={"title": f"bug {i}\twith\\odd\ntext «é»", "tags": ["a", "b"]},
        relation_properties={"status": "New"} if i % 2 else None,
        metrics={"comments": i, "heat": i * 1.5},
    )
    fields.update(overrides)
    return Event(**fields)


def raw_rows(db: Database) -> list[tuple]:
    """Every stored row with its system columns: equal lists mean nothing was rewritten."""
    with db.get_connection() as conn, conn.cursor() as cur:
        cur.execute(f'SELECT xmin::text, ctid::text, * FROM "{db.table}" ORDER BY event_id')
        return cur.fetchall()


def query(db: Database, statement: str, params=()) -> list[tuple]:
    with db.get_connection() as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


# -- schema ----------------------------------------------------------------------------------

EXPECTED_COLUMNS = [
    ("id", "integer", "NO"),
    ("source_kind_id", "character varying", "NO"),
    ("parent_item_id", "character varying", "YES"),
    ("event_id", "character varying", "NO"),
    ("event_type", "character varying", "NO"),
    ("relation_type", "character varying", "NO"),
    ("employee_id", "character varying", "NO"),
    ("event_time_utc", "timestamp without time zone", "NO"),
    ("week", "date", "NO"),
    ("timezone", "character varying", "YES"),
    ("event_time", "timestamp without time zone", "YES"),
    ("event_properties", "jsonb", "YES"),
    ("relation_properties", "jsonb", "YES"),
    ("metrics", "jsonb", "YES"),
    ("source_actor", "character varying", "YES"),
]


def test_schema_is_created_from_nothing(database: Database):
    table = database.table
    columns = query(
        database,
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position",
        (table,),
    )
    assert columns == EXPECTED_COLUMNS
    (default,) = query(
        database,
        "SELECT column_default FROM information_schema.columns "
        "WHERE table_name = %s AND column_name = 'id'",
        (table,),
    )[0]
    assert default.startswith("nextval(")

    constraints = dict(
        query(
            database,
            "SELECT c.contype, array_agg(a.attname::text ORDER BY a.attname) "
            "FROM pg_constraint c JOIN pg_attribute a "
            "  ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
            "WHERE c.conrelid = %s::regclass AND c.contype IN ('p', 'u') "
            "GROUP BY c.contype, c.oid",
            (table,),
        )
    )
    assert constraints == {"p": ["id"], "u": ["event_id"]}

    indexes = dict(
        query(database, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", (table,))
    )
    assert "(employee_id, week)" in indexes[index_name(table, "employee_week")]
    assert "(event_type, event_time_utc)" in indexes[index_name(table, "type_time")]
    assert "(source_kind_id, event_type, week)" in indexes[index_name(table, "source_type_week")]

    # a second instance on the same table finds everything in place
    with Database.for_settings(database.settings) as again:
        assert again.count_events() == 0


def test_schema_creation_is_safe_under_concurrent_workers(db_settings):
    errors, instances = [], []
    barrier = threading.Barrier(6)

    def build():
        barrier.wait()
        try:
            instances.append(Database.for_settings(db_settings))
        except Exception as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=build) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert instances[0].count_events() == 0
    finally:
        instances[0].drop_table()
        for db in instances:
            db.close()


def test_long_table_names_get_distinct_index_names(db_settings):
    long_name = "e" * 63
    with Database.for_settings(dataclasses.replace(db_settings, events_table=long_name)) as db:
        try:
            rows = query(db, "SELECT indexname FROM pg_indexes WHERE tablename = %s", (long_name,))
            names = [name for (name,) in rows]
            assert len(names) == 6 and len(set(names)) == 6
            assert db.insert_events_batch([make_event(1)]) == 1
        finally:
            db.drop_table()


@pytest.mark.parametrize("bad", ["events; drop table x", "1abc", "", 'ev"ents', "e" * 64])
def test_invalid_events_table_is_refused(db_settings, bad):
    with pytest.raises(ConfigurationError, match="EVENTS_TABLE"):
        Database.for_settings(dataclasses.replace(db_settings, events_table=bad))


def test_table_dropped_behind_our_back_is_created_again(database: Database):
    database.insert_events_batch([make_event(1)])
    database.drop_table()
    assert database.insert_events_batch([make_event(2)]) == 1
    assert database.count_events() == 1


# -- upserts ---------------------------------------------------------------------------------


def test_rerun_of_the_same_batch_changes_nothing(database: Database):
    events = [make_event(i) for i in range(50)]
    first = database.upsert_events(events)
    assert first == UpsertResult(inserted=50, updated=0, unchanged=0, duplicates=0)
    before = raw_rows(database)

    again = database.upsert_events([make_event(i) for i in range(50)])
    assert again == UpsertResult(inserted=0, updated=0, unchanged=50, duplicates=0)
    assert database.insert_events_batch(events) == 0
    assert raw_rows(database) == before  # same ids, values, and no new row versions

    # ids are not consumed by reruns: the next new event gets the next id
    database.insert_events_batch([make_event(50)])
    assert database.fetch_events(event_id=make_event(50).event_id)[0]["id"] == 51


def test_stored_values_round_trip(database: Database):
    event = make_event(4)
    database.insert_events_batch([event])
    (row,) = database.fetch_events()
    assert row == {
        "id": 1,
        "source_kind_id": "launchpad",
        "parent_item_id": "1001",
        "event_id": "launchpad-bugs-000004",
        "event_type": "bugs",
        "relation_type": "commented",
        "employee_id": "user4",
        "event_time_utc": "2024-03-05T13:30:00",
        "week": "2024-03-04",
        "timezone": "Europe/Berlin",
        "event_time": "2024-03-05T14:30:00",
        "event_properties": event.event_properties,
        "relation_properties": None,
        "metrics": {"comments": 4, "heat": 6.0},
        "source_actor": "user4",
    }


def test_changed_event_is_updated_in_place(database: Database):
    database.insert_events_batch([make_event(i) for i in range(10)])
    ids = {r["event_id"]: r["id"] for r in database.fetch_events()}

    changed = [make_event(i) for i in range(10)]
    changed[3] = make_event(3, metrics={"comments": 99})
    changed[7] = make_event(7, relation_type="reopened")
    result = database.upsert_events(changed)
    assert result == UpsertResult(inserted=0, updated=2, unchanged=8, duplicates=0)

    rows = {r["event_id"]: r for r in database.fetch_events()}
    assert {k: r["id"] for k, r in rows.items()} == ids
    assert rows[make_event(3).event_id]["metrics"] == {"comments": 99}
    assert rows[make_event(7).event_id]["relation_type"] == "reopened"
    assert database.insert_events_batch([make_event(3, metrics=None)]) == 1
    assert database.count_events(metrics=None) == 1


def test_duplicate_event_id_in_one_batch_last_wins(database: Database):
    batch = [
        make_event(1, metrics={"v": 1}),
        make_event(2),
        make_event(1, metrics={"v": 2}),
    ]
    result = database.upsert_events(batch)
    assert result == UpsertResult(inserted=2, updated=0, unchanged=0, duplicates=1)
    assert database.fetch_events(event_id=make_event(1).event_id)[0]["metrics"] == {"v": 2}


def test_batch_is_all_or_nothing(database: Database):
    good = make_event(1)
    bad = make_event(2)
    bad.employee_id = None  # slips past Event validation: the database must refuse it
    with pytest.raises(DatabaseError, match="not-null|null value"):
        database.insert_events_batch([good, bad])
    assert database.count_events() == 0
    assert database.insert_events_batch([good]) == 1  # the pool is still fine


def test_empty_batch_and_dict_input(database: Database):
    assert database.upsert_events([]) == UpsertResult()
    assert database.insert_events_batch([make_event(1).to_dict() | {"id": None}]) == 1


def test_count_and_fetch_filters(database: Database):
    database.insert_events_batch([make_event(i) for i in range(15)])
    assert database.count_events() == 15
    assert database.count_events(employee_id="user1") == 3
    assert database.count_events(employee_id=["user1", "user2"], relation_type="created") == 2
    assert database.count_events(relation_properties=None) == 8
    rows = database.fetch_events(limit=4, event_type="bugs")
    assert [r["event_id"] for r in rows] == [make_event(i).event_id for i in range(4)]
    with pytest.raises(ValueError, match="unknown column"):
        database.count_events(nonsense=1)


# -- connections and the pool ----------------------------------------------------------------


def test_get_connection_commits_or_rolls_back(database: Database):
    table = database.table
    with database.get_connection() as conn, conn.cursor() as cur:
        cur.execute(f'UPDATE "{table}" SET metrics = NULL')  # a no-op on an empty table
    database.insert_events_batch([make_event(1)])
    with pytest.raises(RuntimeError), database.get_connection() as conn:
        conn.cursor().execute(f'DELETE FROM "{table}"')
        raise RuntimeError("changed my mind")
    assert database.count_events() == 1
    with database.get_connection() as conn:
        conn.cursor().execute(f'DELETE FROM "{table}"')
    assert database.count_events() == 0


def test_pool_status(database: Database, db_settings):
    status = database.get_pool_status()
    assert status["min_conn"] == db_settings.min_conn == 1
    assert status["max_conn"] == db_settings.max_conn == 10
    assert status["in_use"] == 0
    assert status["available"] == 10
    assert status["healthy"] is True
    assert status["table"] == database.table
    assert status["host"] == db_settings.host and status["port"] == db_settings.port
    with database.get_connection(), database.get_connection():
        inner = database.get_pool_status()
        assert inner["in_use"] == 2
        assert inner["available"] == 8
    after = database.get_pool_status()
    assert after["in_use"] == 0 and after["idle"] >= 2
    database.close()
    assert database.get_pool_status()["healthy"] is False


def test_health_check_and_connection_validation(database: Database):
    assert database.health_check() is True
    with database.get_connection() as conn:
        assert database._is_connection_healthy(conn) is True
    conn = psycopg2.connect(**database.settings.dsn_kwargs())
    conn.close()
    assert database._is_connection_healthy(conn) is False
    database._recreate_pool()
    assert database.get_pool_status()["pool_recreations"] == 1
    assert database.health_check() is True


def test_password_never_in_repr_or_errors(db_settings):
    secret = "Sup3r-s3cret-pw"
    settings = dataclasses.replace(db_settings, password=secret)
    assert secret not in repr(settings)
    started = time.monotonic()
    with pytest.raises(DatabaseError) as info:
        Database.for_settings(settings, retry=RetryPolicy(max_elapsed=30))
    assert time.monotonic() - started < 3  # refused logins are not retried
    assert not isinstance(info.value, DatabaseUnavailableError)
    assert "password authentication failed" in str(info.value)
    assert f"{db_settings.host}:{db_settings.port}" in str(info.value)
    assert secret not in str(info.value)
    assert secret not in repr(info.value)


def test_wrong_database_name_fails_fast(db_settings):
    with pytest.raises(DatabaseError, match="does not exist") as info:
        Database.for_settings(dataclasses.replace(db_settings, name="no-such-db"))
    assert not isinstance(info.value, DatabaseUnavailableError)


# -- outages ---------------------------------------------------------------------------------


def test_recovers_when_postgres_restarts_under_a_live_database(postgres, database: Database):
    database.insert_events_batch([make_event(i) for i in range(10)])
    stopped = threading.Event()

    def outage():
        postgres.stop()
        stopped.set()
        time.sleep(1.2)
        postgres.start()

    thread = threading.Thread(target=outage)
    thread.start()
    try:
        assert stopped.wait(30)
        assert database.health_check() is False
        started = time.monotonic()
        result = database.upsert_events([make_event(i) for i in range(5, 20)])
        waited = time.monotonic() - started
    finally:
        thread.join()
    assert result == UpsertResult(inserted=10, updated=0, unchanged=5, duplicates=0)
    assert waited > 0.5  # it really had to wait for the server
    assert database.count_events() == 20
    assert database.health_check() is True
    assert database.get_pool_status()["pool_recreations"] >= 1


def test_gives_up_in_bounded_time_when_postgres_stays_down(postgres, db_settings):
    retry = RetryPolicy(max_elapsed=1.5, initial_delay=0.05, max_delay=0.4)
    db = Database.for_settings(db_settings, retry=retry)
    try:
        postgres.stop()
        try:
            started = time.monotonic()
            with pytest.raises(DatabaseUnavailableError) as info:
                db.insert_events_batch([make_event(1)])
            assert time.monotonic() - started < 4
            message = str(info.value)
            assert f"{db_settings.host}:{db_settings.port}" in message
            assert "last error" in message and "attempt" in message
            assert db.health_check() is False
            with pytest.raises(DatabaseUnavailableError):  # a new instance cannot start either
                Database.for_settings(db_settings, retry=retry)
        finally:
            postgres.start()
        assert db.insert_events_batch([make_event(1)]) == 1  # the same instance heals
    finally:
        db.drop_table()
        db.close()


# -- threads ---------------------------------------------------------------------------------


def test_threads_inserting_overlapping_batches(database: Database):
    threads_n, span, step = 8, 120, 40  # thread k writes ids [k*40, k*40+120)
    results: list[UpsertResult] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_n)

    def work(k: int):
        events = [make_event(i) for i in range(k * step, k * step + span)]
        barrier.wait()
        try:
            for start in range(0, span, 30):  # several transactions per thread
                results.append(database.upsert_events(events[start : start + 60]))
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    expected = (threads_n - 1) * step + span
    assert database.count_events() == expected
    assert sum(r.inserted for r in results) == expected  # each event inserted exactly once
    assert sum(r.updated for r in results) == 0
    ids = [r["id"] for r in database.fetch_events()]
    assert len(set(ids)) == expected


def test_singleton_is_one_object_across_threads(database_singleton: Database, db_settings):
    seen: list[Database] = []
    barrier = threading.Barrier(16)

    def get():
        barrier.wait()
        seen.append(Database.get_instance())
        seen.append(Database())

    threads = [threading.Thread(target=get) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 32 and all(db is database_singleton for db in seen)
    assert Database(db_settings) is database_singleton
    with pytest.raises(ConfigurationError, match="reset_instance"):
        Database(dataclasses.replace(db_settings, events_table="other_events"))
    private = Database.for_settings(db_settings)
    try:
        assert private is not database_singleton
        assert Database.get_instance() is database_singleton
    finally:
        private.close()


def test_singleton_built_once_under_contention(db_settings):
    Database.reset_instance()
    built: list[Database] = []
    barrier = threading.Barrier(12)

    def get():
        barrier.wait()
        built.append(Database.get_instance(db_settings))

    threads = [threading.Thread(target=get) for _ in range(12)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len({id(db) for db in built}) == 1
        first = built[0]
        Database.reset_instance()
        assert first.closed
        second = Database.get_instance(db_settings)
        assert second is not first
        with second as db:  # closing the singleton also forgets it
            db.drop_table()
        assert Database._instance is None
    finally:
        Database.reset_instance()
