"""The versioned schema: a database of the release before migrations upgrades in place,
rows intact; migrations run once, all or nothing."""

from __future__ import annotations

import psycopg2
import pytest

from models.database import Database
from models.db import migrations
from models.exceptions import DatabaseError
from models.roster import RosterStore
from models.roster.identity import IdentityMap
from models.roster.remap import remap_events
from tests.fixtures.postgres import TEST_RETRY
from tests.models.test_database import make_event

# What the release before migrations created (models/db/schema.py at that release),
# written out here so that the test does not depend on the code under test.
RELEASED_DDL = """
CREATE TABLE {t} (
    id SERIAL PRIMARY KEY,
    source_kind_id VARCHAR NOT NULL,
    parent_item_id VARCHAR,
    event_id VARCHAR NOT NULL UNIQUE,
    event_type VARCHAR NOT NULL,
    relation_type VARCHAR NOT NULL,
    employee_id VARCHAR NOT NULL,
    event_time_utc TIMESTAMP NOT NULL,
    week DATE NOT NULL,
    timezone VARCHAR,
    event_time TIMESTAMP,
    event_properties JSONB,
    relation_properties JSONB,
    metrics JSONB
);
CREATE INDEX {t}_employee_week_idx ON {t} (employee_id, week);
CREATE INDEX {t}_type_time_idx ON {t} (event_type, event_time_utc);
CREATE INDEX {t}_source_type_week_idx ON {t} (source_kind_id, event_type, week);
"""
OLD_COLUMNS = (
    "id, source_kind_id, parent_item_id, event_id, event_type, relation_type, employee_id, "
    "event_time_utc, week, timezone, event_time, event_properties, relation_properties, metrics"
)


def raw(settings, statements: str, params=None, fetch: bool = False):
    """Run SQL as the application, in the test's schema, outside the Database layer."""
    conn = psycopg2.connect(**settings.dsn_kwargs(), options=f"-c search_path={settings.schema}")
    try:
        with conn.cursor() as cur:
            cur.execute(statements, params)
            rows = cur.fetchall() if fetch else None
        conn.commit()
        return rows
    finally:
        conn.close()


def released_database(settings, rows: int = 250) -> list[tuple]:
    """A schema as the previous release left it, with rows; returns them."""
    raw(settings, f'CREATE SCHEMA IF NOT EXISTS "{settings.schema}"')
    raw(settings, RELEASED_DDL.format(t=settings.events_table))
    raw(
        settings,
        f"INSERT INTO {settings.events_table} (source_kind_id, parent_item_id, event_id, "
        "event_type, relation_type, employee_id, event_time_utc, week, timezone, event_time, "
        "event_properties, relation_properties, metrics) "
        "SELECT 'launchpad', 'bug:' || n, 'launchpad-bug-' || n || '-created', 'bugs', "
        "'created', 'person-' || mod(n, 7), timestamp '2024-01-01' + n * interval '1 hour', "
        "date '2024-01-01', 'Europe/Berlin', timestamp '2024-01-01 01:00' + n * interval '1 hour', "
        "jsonb_build_object('title', 'bug ' || n, 'tags', jsonb_build_array('a', n)), "
        "CASE WHEN mod(n, 3) = 0 THEN NULL ELSE jsonb_build_object('n', n) END, '{}'::jsonb "
        "FROM generate_series(1, %s) AS n",
        (rows,),
    )
    raw(settings, f"DELETE FROM {settings.events_table} WHERE id % 50 = 0")  # gaps in ids
    return raw(
        settings, f"SELECT {OLD_COLUMNS} FROM {settings.events_table} ORDER BY id", fetch=True
    )


def test_a_database_of_the_previous_release_upgrades_in_place_with_every_row(db_settings):
    before = released_database(db_settings)
    assert len(before) == 245
    with Database.for_settings(db_settings, retry=TEST_RETRY) as db:
        assert db.schema_version() == migrations.discover()[-1].version
        after = raw(db_settings, f"SELECT {OLD_COLUMNS} FROM {db.table} ORDER BY id", fetch=True)
        assert after == before
        actors = raw(db_settings, f"SELECT employee_id, source_actor FROM {db.table}", fetch=True)
        assert all(employee == actor for employee, actor in actors)
        assert RosterStore(db).people() == []  # the roster tables exist
        # new rows go on after the old ones
        ids = [row["id"] for row in db.fetch_events()]
        db.insert_events_batch([make_event(1)])
        assert db.fetch_events(event_id=make_event(1).event_id)[0]["id"] > max(ids)
    with Database.for_settings(db_settings, retry=TEST_RETRY) as again:  # nothing to do
        assert again.count_events() == 246
    applied = raw(
        db_settings,
        "SELECT version, name FROM schema_migrations WHERE events_table = %s ORDER BY version",
        (db_settings.events_table,),
        fetch=True,
    )
    assert applied == [(m.version, m.name) for m in migrations.discover()]


def test_rows_of_a_previous_release_worker_during_a_rolling_upgrade_are_remapped(db_settings):
    released_database(db_settings, rows=3)
    with Database.for_settings(db_settings, retry=TEST_RETRY) as db:
        # a worker of the previous release, still running, inserts without source_actor
        raw(
            db_settings,
            f"INSERT INTO {db.table} (source_kind_id, event_id, event_type, relation_type, "
            "employee_id, event_time_utc, week) VALUES ('launchpad', 'old-worker-1', 'bugs', "
            "'created', 'alice', '2024-01-02 10:00', '2024-01-01')",
        )
        counts = remap_events(db, IdentityMap([], "key", False))
        assert (counts.scanned, counts.updated) == (4, 1)
        (row,) = db.fetch_events(event_id="old-worker-1")
        assert (row["source_actor"], row["employee_id"]) == ("alice", "alice")
        assert remap_events(db, IdentityMap([], "key", False)).updated == 0


def test_a_failing_migration_changes_nothing(db_settings, monkeypatch):
    released_database(db_settings, rows=10)
    real = migrations.discover()

    class Broken:
        @staticmethod
        def upgrade(cur, ctx):
            cur.execute("ALTER TABLE roster_people ADD COLUMN oops VARCHAR")
            cur.execute("SELECT 1 / 0")

    broken = migrations.Migration(real[-1].version + 1, "broken", Broken)
    monkeypatch.setattr(migrations, "discover", lambda: [*real, broken])
    with pytest.raises(DatabaseError, match="division by zero"):
        Database.for_settings(db_settings, retry=TEST_RETRY)
    # the whole upgrade rolled back: not even 0001 is recorded, no roster table made
    tables = raw(
        db_settings,
        "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1",
        (db_settings.schema,),
        fetch=True,
    )
    assert tables == [(db_settings.events_table,)]
    monkeypatch.undo()
    with Database.for_settings(db_settings, retry=TEST_RETRY) as db:
        assert db.count_events() == 10 and db.schema_version() == real[-1].version


def test_migration_numbers_are_unique_and_ordered():
    found = migrations.discover()
    versions = [m.version for m in found]
    assert versions == sorted(set(versions)) and versions[:2] == [1, 2]
    assert all(m.module.__doc__ for m in found)  # each says what it does
