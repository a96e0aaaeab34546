"""The embedded PostgreSQL works from a directory only its owner may enter, and changes
the permissions of no directory it did not create.

As root the server runs as ``pgserver``, who cannot enter such a directory: the
binaries then run from a root-owned copy and the cluster lives in a home of its own
(devstack/pg_root.py), linked from the data directory. As another user everything runs
as that user, in place.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import psycopg2
import pytest

import devstack.postgres as postgres_module
from devstack import pg_root
from devstack.postgres import EmbeddedPostgres, postgres_bin_dir

ROOT = Path(__file__).resolve().parents[2]


def modes(paths: list[Path]) -> dict[Path, str]:
    """The mode of every directory from each path up to /."""
    found = {}
    for path in paths:
        for directory in [path, *path.parents]:
            if directory.exists():
                found[directory] = stat.filemode(directory.stat().st_mode)
    return found


@pytest.fixture
def private_dir():
    """A directory like ``mktemp -d`` makes: mode 0700, entered by its owner only."""
    path = Path(tempfile.mkdtemp(prefix="temporaletl-private-"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o700
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_server_in_a_private_directory_widens_nothing(private_dir, monkeypatch):
    # The installation, too, inside the private directory (as a clone's .venv would be),
    # laid out as in site-packages; hard links, so the copy costs no space.
    installed = postgres_bin_dir().parent
    site = private_dir / "clone" / ".venv" / "site-packages"
    install = site / installed.parent.name / installed.name
    install.parent.mkdir(parents=True)
    libs = installed.parent.parent / f"{installed.parent.name}.libs"
    subprocess.run(["cp", "-al", str(installed), str(install)], check=True)
    subprocess.run(["cp", "-al", str(libs), str(site / libs.name)], check=True)
    monkeypatch.setattr(postgres_module, "postgres_bin_dir", lambda: install / "bin")
    data_dir = private_dir / "clone" / ".data" / "postgres"
    watched = [data_dir.parent, install / "bin", ROOT, Path(tempfile.gettempdir())]
    before = modes(watched)

    pg = EmbeddedPostgres(data_dir, password="private-pw", durable=False)
    copies = {pg.bin_dir.parents[2]} - {site}
    try:
        pg.start()
        with psycopg2.connect(pg.uri) as conn, conn.cursor() as cur:
            cur.execute("SELECT current_user")
            assert cur.fetchone() == (pg.user,)
        conn.close()
        pg.stop()
        after = modes(watched)
        assert {path: after.get(path) for path in before} == before, "permissions changed"
        assert stat.S_IMODE(private_dir.stat().st_mode) == 0o700
        if os.geteuid() == 0:
            assert pg.home != data_dir and (data_dir / "server").resolve() == pg.home
            assert pg.home.owner() == pg_root.SYSTEM_USER
            assert copies and all(path.owner() == "root" for path in copies)
            assert pg_root.reachable(pg.bin_dir / "postgres", pg_root.account())
        else:
            assert pg.home == data_dir and pg.bin_dir == install / "bin"
    finally:
        pg.destroy()
        for path in copies:  # this test's own copy (keyed by the install's path)
            shutil.rmtree(path, ignore_errors=True)
