"""What every simulated service shares: the threaded HTTP server, its lifecycle, the
fault injector, the request counters and the ``/_sim`` control endpoints.

A service subclasses `SimulatorServer`, sets ``dataset`` (which has a seed, a window, a
sample team and person, counts and hard cases) and implements `respond` (one request in,
one `Reply` out). Besides the service's own paths every simulator answers:

    GET  /_sim/stats         request counters (total, by kind, by status, faults, in flight)
    POST /_sim/reset-stats   zero the counters
    GET  /_sim/faults        the fault settings
    POST /_sim/faults        change them: a JSON object of fault setting fields
    GET  /_sim/info          the dataset: window, sample member, sizes

``/_sim`` requests are neither counted nor faulted.
"""

from __future__ import annotations

import json
import sys
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import SplitResult, urlsplit

from simulator.faults import FaultInjector, FaultSettings, RequestStats, settings_dict
from simulator.timeutil import iso

JSON_TYPE = "application/json"
Moment = str | date | datetime | None  # a window bound as ground truth accepts it


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "other"  # what was asked for, for the statistics


def json_reply(document: Any, kind: str, status: int = 200) -> Reply:
    return Reply(status, json.dumps(document).encode("utf-8"), JSON_TYPE, kind=kind)


def text_reply(
    status: int, message: str, kind: str, headers: dict[str, str] | None = None
) -> Reply:
    return Reply(status, message.encode("utf-8"), "text/plain", headers or {}, kind=kind)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httplib2 and httpx expect
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
    # algorithm and delayed ACKs would add ~40 ms to every keep-alive request.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self._handle("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._handle("PUT")

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle("PATCH")

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle("DELETE")

    def version_string(self) -> str:
        return self.server.simulator.server_version

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.simulator.answer(method, self.path, dict(self.headers.items()), body)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Vary", "Accept")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.simulator.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    simulator: SimulatorServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected under fault injection.
        if isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
            return
        super().handle_error(request, client_address)


class SimulatorServer:
    """A simulated web service on 127.0.0.1 in a background thread (or the foreground).

    Subclasses set ``dataset`` and implement `respond(method, url, headers, body)`,
    returning a `Reply`.
    """

    server_version = "Simulator/1.0"
    thread_name = "simulator"
    dataset: Any  # the served dataset, set by the subclass

    def __init__(
        self,
        *,
        host: str,
        port: int,
        faults: FaultSettings,
        fault_seed: int,
        verbose: bool,
        url_path: str = "/",
        fault_names: tuple[str, ...] = ("503", "429", "slow"),
    ):
        self.verbose = verbose
        self.faults = FaultInjector(faults, seed=fault_seed)
        self.counters = RequestStats(fault_names)
        self._httpd = _Server((host, port), _Handler)
        self._httpd.simulator = self
        self.host, self.port = self._httpd.server_address[:2]
        self.service_root = f"http://{self.host}:{self.port}{url_path}"
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> SimulatorServer:
        if self._thread is None:
            # A short poll interval makes stop() quick, which tests notice.
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=self.thread_name,
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self):  # noqa: ANN204 - the subclass's own type
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- control -------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        return self.counters.snapshot()

    def reset_stats(self) -> None:
        self.counters.reset()

    def set_faults(self, **changes: Any) -> Any:
        """Change fault settings while serving, e.g. set_faults(error_rate=0.5)."""
        return self.faults.configure(**changes)

    def fault_settings(self) -> dict[str, Any]:
        return settings_dict(self.faults.settings)

    def info(self) -> dict[str, Any]:
        """What ``/_sim/info`` says about the served dataset."""
        ds = self.dataset
        return {
            "service_root": self.service_root,
            "seed": ds.seed,
            "description": ds.description,
            "window": [iso(ds.window_start), iso(ds.window_end)],
            "sample_team": ds.sample_team,
            "sample_person": ds.sample_person,
            "counts": ds.counts(),
            "hard_cases": ds.hard_cases,
        }

    def truth_scope(self, member: str | None, start: Moment, end: Moment) -> tuple[Any, Any, Any]:
        """(member, start, end) of a ground-truth question, each defaulting to the served
        dataset's: its sample team and its window."""
        ds = self.dataset
        return member or ds.sample_team, start or ds.window_start, end or ds.window_end

    # -- requests --------------------------------------------------------------------

    def respond(self, method: str, url: SplitResult, headers: dict[str, str], body: bytes) -> Reply:
        """Answer one request of the service (faults, latency and counting are done here)."""
        raise NotImplementedError

    def answer(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Reply:
        url = urlsplit(raw_path)
        if url.path.startswith("/_sim/"):
            return self._control(method, url.path, body)
        self.counters.begin()
        try:
            return self.respond(method, url, {k.lower(): v for k, v in headers.items()}, body)
        finally:
            self.counters.end()

    def _control(self, method: str, path: str, body: bytes) -> Reply:
        if path == "/_sim/stats" and method == "GET":
            return json_reply(self.stats(), "sim")
        if path == "/_sim/reset-stats" and method == "POST":
            self.reset_stats()
            return json_reply({"ok": True}, "sim")
        if path == "/_sim/faults" and method == "GET":
            return json_reply(self.fault_settings(), "sim")
        if path == "/_sim/faults" and method == "POST":
            try:
                self.set_faults(**json.loads(body or b"{}"))
                return json_reply(self.fault_settings(), "sim")
            except (ValueError, TypeError) as error:
                return text_reply(400, f"Bad fault settings: {error}", "sim")
        if path == "/_sim/info" and method == "GET":
            return json_reply(self.info(), "sim")
        return self.control(method, path, body) or text_reply(
            404, f"No simulator endpoint {method} {path}", "sim"
        )

    def control(self, method: str, path: str, body: bytes) -> Reply | None:
        """A service's own ``/_sim`` endpoints; None when there is none at that path."""
        return None
