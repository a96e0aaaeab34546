"""``make demo`` (scripts/demo.py) as a user runs it, on a stack of its own: one QueuerFlow
over the example roster's team on both simulators, equal to both ground truths, the
report, Web UI filters that find runs, and nothing left running."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devstack.net import free_port, port_open

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_the_demo_tells_the_whole_story_and_stops_what_it_started(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "TEMPORAL_"))}
    temporal_port, db_port = free_port(), free_port()
    env.update(
        STACK_DATA_DIR=str(tmp_path / "data"),
        TEMPORAL_HOST=f"localhost:{temporal_port}",
        TEMPORAL_UI=f"http://localhost:{free_port()}",  # not 8233: a demo may be running
        DB_HOST="localhost",
        DB_PORT=str(db_port),
        EVENTS_TABLE="events",
    )
    try:
        done = subprocess.run(
            [sys.executable, "scripts/demo.py"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
        )  # fmt: skip
    finally:
        home = tmp_path / "data" / "postgres" / "server"  # as root: the cluster kept elsewhere
        if home.is_symlink():
            shutil.rmtree(home.resolve(), ignore_errors=True)
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    assert "python run_queuer.py --team platform --sources launchpad,github" in out
    assert "queued 30 new run(s)" in out and "runs: 30, failed: 0" in out
    assert re.search(r"launchpad +[1-9]\d* rows loaded, +\d+ in ground truth: equal", out), out
    assert re.search(r"github +[1-9]\d* rows loaded, +\d+ in ground truth: equal", out), out
    assert "Weekly activity · team platform" in out and "Alan Jensen (E1001)" in out
    page = tmp_path / "data" / "report.html"
    assert f"report page: {page}" in out and page.stat().st_size > 0
    found = re.findall(r"^  (.+)  \((\d+) found\)$", out, re.MULTILINE)
    assert ('EtlSource = "github"', "15") in found, found
    assert all(int(count) > 0 for _, count in found), found
    assert "stopped what the demo started: temporal, postgres" in out
    assert not port_open("127.0.0.1", temporal_port) and not port_open("127.0.0.1", db_port)
