"""devstack.postgres.EmbeddedPostgres: lifecycle, TCP password login, failures."""

from __future__ import annotations

import psycopg2
import pytest

from devstack.postgres import EmbeddedPostgres, EmbeddedPostgresError


def connect(pg: EmbeddedPostgres, password: str | None = None):
    return psycopg2.connect(
        host=pg.host,
        port=pg.port,
        user=pg.user,
        dbname=pg.dbname,
        password=pg.password if password is None else password,
        connect_timeout=3,
    )


def test_tcp_login_with_password(postgres: EmbeddedPostgres):
    for conn in (connect(postgres), psycopg2.connect(postgres.uri)):
        with conn, conn.cursor() as cur:
            cur.execute("SELECT current_user, current_database(), inet_server_port()")
            assert cur.fetchone() == (postgres.user, postgres.dbname, postgres.port)
        conn.close()
    settings = postgres.settings(events_table="whatever")
    assert (settings.host, settings.port, settings.name, settings.user) == (
        postgres.host,
        postgres.port,
        "workflows-db",
        "workflows-db",
    )
    assert psycopg2.connect(**settings.dsn_kwargs()).close() is None


def test_wrong_password_is_refused(postgres: EmbeddedPostgres):
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        connect(postgres, password="not-the-password")
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        psycopg2.connect(host=postgres.host, port=postgres.port, user="postgres", password="x")


def test_app_role_is_not_superuser(postgres: EmbeddedPostgres):
    conn = connect(postgres)
    with conn, conn.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cur.fetchone() == (False,)
    conn.close()
    assert postgres.password not in repr(postgres) or postgres.password == postgres.user


def test_lifecycle_start_stop_restart(postgres_dir):
    pg = EmbeddedPostgres(postgres_dir / "pg", password="lifecycle-pw", durable=False)
    assert not pg.is_running()
    pg.start()
    try:
        assert pg.is_running()
        assert "lifecycle-pw" not in repr(pg)
        conn = connect(pg)
        with conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
        conn.close()

        pg.restart()
        assert pg.is_running()
        conn = connect(pg)
        with conn, conn.cursor() as cur:
            cur.execute("SELECT n FROM kept")
            assert cur.fetchone() == (42,)
        conn.close()

        pg.stop()
        assert not pg.is_running()
        with pytest.raises(psycopg2.OperationalError):
            connect(pg)
        pg.stop()  # stopping a stopped server is a no-op

        again = EmbeddedPostgres(postgres_dir / "pg", port=pg.port, password="lifecycle-pw")
        again.start()  # an existing cluster: no initdb, data still there
        adopter = EmbeddedPostgres(postgres_dir / "pg", password="lifecycle-pw")  # other port
        adopter.start()  # already running: takes the running server's port
        assert adopter.port == pg.port and adopter.is_running()
        conn = connect(again)
        with conn, conn.cursor() as cur:
            cur.execute("SELECT n FROM kept")
            assert cur.fetchone() == (42,)
        conn.close()
        again.start()  # starting a running server is a no-op
        again.stop()
    finally:
        pg.stop()


def test_start_failure_shows_the_server_log(postgres: EmbeddedPostgres, postgres_dir):
    clash = EmbeddedPostgres(postgres_dir / "clash", port=postgres.port, durable=False)
    with pytest.raises(EmbeddedPostgresError) as info:
        clash.start()
    message = str(info.value)
    assert f":{postgres.port}" in message
    assert "postgres.log" in message and "could not" in message.lower()
    assert not clash.is_running()
    assert postgres.is_running()
