"""The embedded stack: a Temporal dev server and a PostgreSQL, started for local use.

Each service is started only when nothing answers at its configured address
(``TEMPORAL_HOST``, ``DB_HOST``:``DB_PORT``) and that address is on this machine; an
existing server is used as it is. What was started is recorded in ``<data dir>/stack.json``
so that ``down`` stops exactly that and nothing else.
"""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from devstack.net import port_open
from devstack.postgres import EmbeddedPostgres
from devstack.temporal import EmbeddedTemporal, pid_alive
from models.settings import PROJECT_ROOT, DatabaseSettings, Settings

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", ""}
DEFAULT_UI_PORT = 8233


def worker_env(temporal_address: str, db: DatabaseSettings, **overrides: str) -> dict[str, str]:
    """The environment of a ``python worker.py`` subprocess for this Temporal server and
    database: this process's environment, with anonymous Launchpad access and unbuffered
    output unless ``overrides`` says otherwise. Temporal and database settings of this
    process's environment (a Cloud profile, an API key, DATABASE_URL) are left out: the
    worker talks to the servers given here only."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not (name.startswith("TEMPORAL_") and name != "TEMPORAL_UI")
        and not name.startswith("DB_")
        and name != "DATABASE_URL"
    }
    return {
        **inherited,
        "TEMPORAL_HOST": temporal_address,
        **db.as_env(),
        "LP_CREDENTIALS_FILE": "",
        "PYTHONUNBUFFERED": "1",
        **overrides,
    }


def data_dir() -> Path:
    return Path(os.environ.get("STACK_DATA_DIR") or PROJECT_ROOT / ".data")


def split_host(address: str, default_port: int) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return (host, int(port)) if host else (address, default_port)


@dataclass
class ServiceStatus:
    name: str
    address: str
    state: str  # "started", "running", "external", "stopped"
    detail: str = ""


class Stack:
    def __init__(self, settings: Settings | None = None, root: Path | None = None):
        self.settings = settings or Settings.from_env()
        self.root = root or data_dir()
        self.state_file = self.root / "stack.json"

    # -- state ------------------------------------------------------------------------
    def _load(self) -> dict:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def _save(self, state: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(state, indent=2))

    # -- services ---------------------------------------------------------------------
    def temporal_address(self) -> tuple[str, int]:
        return split_host(self.settings.temporal_host, 7233)

    def postgres(self) -> EmbeddedPostgres:
        db = self.settings.db
        return EmbeddedPostgres(
            self.root / "postgres", port=db.port, user=db.user, password=db.password, dbname=db.name
        )

    def ui_port(self) -> int:
        """The Web UI's port: the one in ``TEMPORAL_UI`` (default 8233)."""
        return urlparse(self.settings.temporal_ui).port or DEFAULT_UI_PORT

    def up(self) -> list[ServiceStatus]:
        state = self._load()
        statuses = []
        for service_up in (self._temporal_up, self._postgres_up):
            statuses.append(service_up(state))
            self._save(state)  # recorded at once, so that `down` stops it if the next fails
        return statuses

    def _temporal_up(self, state: dict) -> ServiceStatus:
        host, port = self.temporal_address()
        address = f"{host}:{port}"
        if port_open(host or "127.0.0.1", port):
            known = state.get("temporal")
            mine = known and pid_alive(known["pid"])
            return ServiceStatus("temporal", address, "running" if mine else "external")
        if host not in LOCAL_HOSTS:
            raise RuntimeError(f"TEMPORAL_HOST={address} does not answer and is not local")
        server = EmbeddedTemporal(self.root / "temporal", port=port, ui_port=self.ui_port())
        pid = server.start(detach=True)
        state["temporal"] = {"pid": pid, "port": port, "ui_port": self.ui_port()}
        return ServiceStatus("temporal", address, "started", f"web ui {server.ui_url}")

    def _postgres_up(self, state: dict) -> ServiceStatus:
        db = self.settings.db
        address = f"{db.host}:{db.port}"
        if port_open(db.host, db.port):
            mine = "postgres" in state and self.postgres().is_running()
            return ServiceStatus("postgres", address, "running" if mine else "external")
        if db.host not in LOCAL_HOSTS:
            raise RuntimeError(f"DB_HOST={address} does not answer and is not local")
        self.postgres().start(detach=True)
        state["postgres"] = {"port": db.port, "data": str(self.root / "postgres")}
        return ServiceStatus("postgres", address, "started", f"database {db.name}")

    def down(self) -> list[ServiceStatus]:
        state = self._load()
        statuses = []
        temporal = state.pop("temporal", None)
        if temporal and pid_alive(temporal["pid"]):
            os.kill(temporal["pid"], signal.SIGTERM)
            deadline = time.monotonic() + 15
            while pid_alive(temporal["pid"]) and time.monotonic() < deadline:
                time.sleep(0.2)
            if pid_alive(temporal["pid"]):
                os.kill(temporal["pid"], signal.SIGKILL)
            statuses.append(ServiceStatus("temporal", f":{temporal['port']}", "stopped"))
        if state.pop("postgres", None) is not None:
            self.postgres().stop()
            statuses.append(ServiceStatus("postgres", f":{self.settings.db.port}", "stopped"))
        self._save(state)
        return statuses

    def status(self) -> list[ServiceStatus]:
        state = self._load()
        host, port = self.temporal_address()
        db = self.settings.db
        result = []
        for name, (h, p), mine in (
            ("temporal", (host or "127.0.0.1", port), "temporal" in state),
            ("postgres", (db.host, db.port), "postgres" in state),
        ):
            if port_open(h, p):
                result.append(ServiceStatus(name, f"{h}:{p}", "running" if mine else "external"))
            else:
                result.append(ServiceStatus(name, f"{h}:{p}", "stopped"))
        return result

    def env(self) -> dict[str, str]:
        """The settings a client needs to reach this stack, under the README's names."""
        return {
            "TEMPORAL_HOST": self.settings.temporal_host,
            "TEMPORAL_NAMESPACE": self.settings.temporal_namespace,
            "TEMPORAL_UI": self.settings.temporal_ui,
            **self.settings.db.as_env(),
        }
