"""A simulator in a process of its own, driven over its ``/_sim`` endpoints.

In the test or benchmark process a simulator shares the interpreter lock with the client
under test: with many client threads its request handlers are scheduled late, and the
arrival times it records (which decide, say, whether a request came into a closed
rate-limit window) lag behind the moment the client sent them. A real service is remote;
so is this one::

    with SimulatorProcess("simulator.github", ["--size", "small"]) as sim:
        ... sim.service_root ... sim.stats()["total"]
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import httpx

from devstack.net import free_port
from models.settings import PROJECT_ROOT


class SimulatorProcess:
    """``python -m MODULE serve --port P ARGS`` until the ``with`` block ends."""

    def __init__(self, module: str, args: list[str], start_timeout: float = 60.0):
        self.port = free_port()
        self.service_root = f"http://127.0.0.1:{self.port}"
        self.command = [sys.executable, "-m", module, "serve", "--port", str(self.port), *args]
        self.start_timeout = start_timeout
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> SimulatorProcess:
        self._process = subprocess.Popen(
            self.command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + self.start_timeout
        while not self._answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"the simulator did not start: {' '.join(self.command)}")
            time.sleep(0.1)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            if self._process.stderr is not None:
                self._process.stderr.close()
            self._process = None

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.service_root}/_sim/info", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stats(self) -> dict[str, Any]:
        return httpx.get(f"{self.service_root}/_sim/stats", timeout=10).json()

    def reset_stats(self) -> None:
        httpx.post(f"{self.service_root}/_sim/reset-stats", timeout=10).raise_for_status()
