"""A test run interrupted midway (SIGINT, SIGTERM, SIGKILL) leaves no server behind.

A pytest of its own starts the session's PostgreSQL and Temporal dev server, signals
that they run, and is then interrupted; every process it started must be gone soon after.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
SESSION = Path(__file__).with_name("interrupted_session.py")


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def server_names(processes: list[psutil.Process]) -> set[str]:
    names = set()
    for process in processes:
        try:
            cmd = " ".join(process.cmdline())
        except psutil.Error:
            continue
        if "bin/postgres" in cmd:
            names.add("postgres")
        if "temporal server start-dev" in cmd or "temporal" in process.name():
            names.add("temporal")
    return names


def data_dirs(processes: list[psutil.Process]) -> set[Path]:
    """The session's PostgreSQL directories (``-D <dir>/pgdata``) under the temp dir."""
    found = set()
    for process in processes:
        with contextlib.suppress(psutil.Error):
            cmd = process.cmdline()
            if "-D" in cmd:
                home = Path(cmd[cmd.index("-D") + 1]).parent
                if home.parent == Path(tempfile.gettempdir()) and home.name.startswith(
                    "temporaletl-pg-"
                ):
                    found.add(home)
    return found


def fresh_signal_state() -> None:
    """Start the session with the signal state a shell gives a command, not the one this
    test's process has (a test runner's worker, which earlier tests may have changed:
    blocked and ignored signals are inherited across exec)."""
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)


def signal_state(pid: int) -> str:
    """The blocked, ignored and caught signal masks of ``pid``, for a failure message."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError as error:
        return str(error)
    return ", ".join(line for line in lines if line.startswith(("SigBlk", "SigIgn", "SigCgt")))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_no_server_outlives_an_interrupted_run(signum, tmp_path):
    ready = tmp_path / "ready"
    env = {**os.environ, "INTERRUPT_READY_FILE": str(ready)}
    run = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(SESSION)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=fresh_signal_state,
    )
    started: list[psutil.Process] = []
    left_behind: set[Path] = set()
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert run.poll() is None, "the interrupted session ended by itself"
            assert time.monotonic() < deadline, "the session's servers did not start"
            time.sleep(0.2)
        started = descendants(run.pid)
        left_behind = data_dirs(started)
        assert server_names(started) == {"postgres", "temporal"}, started
        run.send_signal(signum)
        try:
            run.wait(60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the session ignored {signum.name} for 60 s: {signal_state(run.pid)}")
        gone, alive = psutil.wait_procs(started, timeout=30)
        assert not alive, f"left running after {signum.name}: {[p.cmdline() for p in alive]}"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for process in started:  # a failed test must not leak either
            if process.is_running():
                process.kill()
        for path in left_behind:  # what SIGTERM/SIGKILL left no teardown to remove
            shutil.rmtree(path, ignore_errors=True)
