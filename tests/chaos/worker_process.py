"""Worker subprocesses: a real ``python worker.py`` with its environment and its log.

Also used by ``tests/workers/test_scale_out.py``.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from devstack.stack import worker_env as devstack_worker_env
from devstack.temporal import tail as file_tail
from devstack.temporal import terminate
from models.settings import DatabaseSettings

ROOT = Path(__file__).resolve().parents[2]
READY_MARK = "worker polling"  # worker.py logs it once its Temporal worker runs


def worker_env(
    temporal_address: str,
    db: DatabaseSettings,
    lp_max_concurrency: int = 8,
    lp_timeout: int = 60,
) -> dict[str, str]:
    """The environment of a ``python worker.py`` for this server, database and table."""
    return devstack_worker_env(
        temporal_address,
        db,
        TEMPORAL_NAMESPACE="default",
        LP_MAX_CONCURRENCY=str(lp_max_concurrency),
        LP_TIMEOUT=str(lp_timeout),
    )


def _terminate_with_parent() -> None:
    """In the child, before exec: SIGTERM it when the thread that started it ends (the
    test run killed, say), so no worker outlives its test. Unlike the servers' lifeline
    guard (devstack/lifeline.py) this keeps the worker's own pid, which its Temporal
    identity shows; the starting threads (the main one, asyncio's executor) live as long
    as the run."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class WorkerProcess:
    """``python worker.py --task-queue Q [args]`` run as an operator would, output to a
    log file."""

    def __init__(
        self, env: dict[str, str], task_queue: str, log_file: Path, args: tuple[str, ...] = ()
    ):
        self.env = env
        self.args = args
        self.task_queue = task_queue
        self.log_file = log_file
        self.process: subprocess.Popen | None = None
        self.killed = False  # by us, on purpose

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def identity(self) -> str:
        """The Temporal client's default identity in that process: ``pid@hostname``."""
        return f"{self.pid}@{socket.gethostname()}"

    def start(self) -> WorkerProcess:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "worker.py", "--task-queue", self.task_queue, *self.args],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_terminate_with_parent,
            )
        return self

    def wait_ready(self, timeout: float = 60.0) -> WorkerProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(
                    f"worker {self.pid} exited with {self.process.returncode} before it "
                    f"polled; log tail:\n{self.tail()}"
                )
            if READY_MARK in self.log_text():
                return self
            time.sleep(0.1)
        raise TimeoutError(f"worker {self.pid} did not start polling in {timeout:.0f}s")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no cleanup, no goodbye to Temporal, as a crash or an OOM kill."""
        if self.alive():
            self.killed = True
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is not None:
            terminate(self.process, timeout)

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 25) -> str:
        return file_tail(self.log_file, lines)
