"""scripts/stack.py: starts what is missing, uses what exists, stops only its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devstack.net import free_port, port_open

ROOT = Path(__file__).resolve().parents[2]


def stack(command: str, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, "scripts/stack.py", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def stack_env(tmp_path, monkeypatch):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "TEMPORAL_"))}
    env.update(
        STACK_DATA_DIR=str(tmp_path / "data"),
        TEMPORAL_HOST=f"localhost:{free_port()}",
        TEMPORAL_UI=f"http://localhost:{free_port()}",  # not 8233: a demo may be running
        DB_HOST="localhost",
        DB_PORT=str(free_port()),
        DB_PASSWORD="s3cret-for-test",
    )
    yield env
    subprocess.run([sys.executable, "scripts/stack.py", "down"], cwd=ROOT, env=env, timeout=120)
    home = tmp_path / "data" / "postgres" / "server"  # as root: the cluster kept elsewhere
    if home.is_symlink():
        shutil.rmtree(home.resolve(), ignore_errors=True)


def test_up_status_env_down(stack_env):
    temporal_port = int(stack_env["TEMPORAL_HOST"].rsplit(":", 1)[1])
    db_port = int(stack_env["DB_PORT"])

    out = stack("up", stack_env)
    assert "temporal  started" in out and "postgres  started" in out
    assert port_open("127.0.0.1", temporal_port) and port_open("127.0.0.1", db_port)

    assert "temporal  running" in stack("up", stack_env)  # nothing started twice
    status = stack("status", stack_env)
    assert "temporal  running" in status and "postgres  running" in status

    env_out = stack("env", stack_env)
    assert f"export DB_PORT={db_port}" in env_out
    assert "export DB_PASSWORD=s3cret-for-test" in env_out
    assert f"export TEMPORAL_HOST=localhost:{temporal_port}" in env_out

    import psycopg2

    with (
        psycopg2.connect(
            host="localhost",
            port=db_port,
            dbname="workflows-db",
            user="workflows-db",
            password="s3cret-for-test",
        ) as conn,
        conn.cursor() as cur,
    ):
        cur.execute("select 1")
        assert cur.fetchone() == (1,)

    down = stack("down", stack_env)
    assert "temporal  stopped" in down and "postgres  stopped" in down
    assert not port_open("127.0.0.1", temporal_port) and not port_open("127.0.0.1", db_port)
    assert "nothing to stop" in stack("down", stack_env)


def test_existing_servers_are_used_and_left_alone(stack_env, temporal_server, postgres):
    stack_env["TEMPORAL_HOST"] = temporal_server.address
    stack_env["DB_PORT"] = str(postgres.port)
    out = stack("up", stack_env)
    assert "temporal  external" in out and "postgres  external" in out
    assert "nothing to stop" in stack("down", stack_env)
    assert port_open("127.0.0.1", temporal_server.port) and postgres.is_running()
