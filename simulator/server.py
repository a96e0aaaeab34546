"""The Launchpad simulator's HTTP server, and `LaunchpadSimulator` to run it in-process.

launchpadlib talks to it as to https://api.launchpad.net::

    with LaunchpadSimulator(preset("small"), page_size=5) as sim:
        lp = Launchpad.login_anonymously("demo", service_root=sim.service_root,
                                         version="devel", launchpadlib_dir=tmpdir)

See simulator/README.md for the named-operation parameters the flows should use.

Besides the web service (``/1.0/...`` and ``/devel/...``) it answers:

    GET  /_sim/stats         request counters (total, by kind, by status, faults,
                             in_flight_peak: most requests answered at once)
    POST /_sim/reset-stats   zero the counters
    GET  /_sim/faults        the fault settings
    POST /_sim/faults        change them: a JSON object of FaultSettings fields
    GET  /_sim/info          the dataset: window, sample team and person, sizes

``/_sim`` requests are neither counted nor faulted.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from simulator.app import JSON_TYPE, WADL_TYPE, Reply, Request, WebService, json_reply
from simulator.dataset import Dataset
from simulator.faults import FaultInjector, FaultSettings, RequestStats, settings_dict
from simulator.ground_truth import ground_truth
from simulator.params import BadRequest
from simulator.routing import NotFound
from simulator.timeutil import iso
from simulator.wadl import VERSIONS


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httplib2 expects
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
    # algorithm and delayed ACKs would add ~40 ms to every keep-alive request.
    disable_nagle_algorithm = True
    server_version = "LaunchpadSimulator/1.0"
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
    simulator: LaunchpadSimulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected under fault injection.
        if isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
            return
        super().handle_error(request, client_address)


def _text(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, message.encode("utf-8"), "text/plain", headers or {}, kind=kind)


class LaunchpadSimulator:
    """A simulated api.launchpad.net on 127.0.0.1, serving one dataset.

    :param dataset: the data to serve; a preset name, or None for preset "small".
    :param page_size: entries per page when the client gives no ws.size (Launchpad: 75).
    :param bzr_only_requested_reviews: make getRequestedReviews ignore git proposals,
        as Launchpad's does (off by default: see README, "Deviations").
    Fault options are those of `FaultSettings`; `fault_seed` seeds their RNG.
    """

    def __init__(
        self,
        dataset: Dataset | str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        page_size: int = 75,
        latency_ms: float = 0.0,
        error_rate: float = 0.0,
        rate_limit_rate: float = 0.0,
        retry_after_s: int = 1,
        slow_rate: float = 0.0,
        slow_ms: float = 0.0,
        spare_service_root: bool = True,
        fault_seed: int = 0,
        bzr_only_requested_reviews: bool = False,
        verbose: bool = False,
    ):
        if dataset is None or isinstance(dataset, str):
            from simulator.presets import preset

            dataset = preset(dataset or "small")
        self.dataset = dataset
        self.verbose = verbose
        self.faults = FaultInjector(
            FaultSettings(
                latency_ms=latency_ms,
                error_rate=error_rate,
                rate_limit_rate=rate_limit_rate,
                retry_after_s=retry_after_s,
                slow_rate=slow_rate,
                slow_ms=slow_ms,
                spare_service_root=spare_service_root,
            ),
            seed=fault_seed,
        )
        self.counters = RequestStats()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.simulator = self
        self.host, self.port = self._httpd.server_address[:2]
        self.service_root = f"http://{self.host}:{self.port}/"
        self.web = WebService(dataset, self.service_root, page_size, bzr_only_requested_reviews)
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> LaunchpadSimulator:
        if self._thread is None:
            # A short poll interval makes stop() quick, which tests notice.
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="launchpad-simulator",
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

    def __enter__(self) -> LaunchpadSimulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- control -------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        return self.counters.snapshot()

    def reset_stats(self) -> None:
        self.counters.reset()

    def set_faults(self, **changes: Any) -> FaultSettings:
        """Change fault settings while serving, e.g. set_faults(error_rate=0.5)."""
        return self.faults.configure(**changes)

    def ground_truth(
        self,
        member: str | None = None,
        start: str | date | datetime | None = None,
        end: str | date | datetime | None = None,
        event_type: str = "bugs",
    ) -> list[dict[str, Any]]:
        """Ground truth for the served dataset; defaults: sample team, dataset window."""
        return ground_truth(
            self.dataset,
            member or self.dataset.sample_team,
            start or self.dataset.window_start,
            end or self.dataset.window_end,
            event_type,
        )

    # -- requests --------------------------------------------------------------------

    def answer(self, method: str, raw_path: str, headers: dict[str, str], body: bytes) -> Reply:
        url = urlsplit(raw_path)
        if url.path.startswith("/_sim/"):
            return self._control(method, url.path, body)
        self.counters.begin()
        try:
            return self._answer_web(method, url, headers)
        finally:
            self.counters.end()

    def _answer_web(self, method: str, url, headers: dict[str, str]) -> Reply:
        started = time.monotonic()
        reply, spareable = self._web_reply(method, url, {k.lower(): v for k, v in headers.items()})
        decision = self.faults.decide(spareable)
        fault = None
        if decision.status == 503:
            reply, fault = (
                _text(503, "Service temporarily unavailable (simulated).", reply.kind),
                "503",
            )
        elif decision.status == 429:
            retry = str(self.faults.settings.retry_after_s)
            reply = _text(429, "Too many requests (simulated).", reply.kind, {"Retry-After": retry})
            fault = "429"
        elif decision.slow:
            fault = "slow"
        remaining = decision.delay_s - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        signed = "oauth_token=" in headers.get("Authorization", headers.get("authorization", ""))
        self.counters.record(reply.kind, reply.status, fault, signed)
        return reply

    def _web_reply(self, method: str, url, headers: dict[str, str]) -> tuple[Reply, bool]:
        if url.path == "/":
            versions = {v: self.service_root + v + "/" for v in VERSIONS}
            return json_reply({"versions": versions}, "versions"), True
        version, _, rest = url.path.lstrip("/").partition("/")
        if version not in VERSIONS:
            return _text(404, f"No such web service version: {version!r}", "not_found"), False
        segments = [unquote(s) for s in rest.split("/") if s]
        spareable = not segments  # the WADL and the service root
        if method not in ("GET", "HEAD"):
            return _text(401, "Anonymous clients may only read (simulated).", "write"), spareable
        query = parse_qsl(url.query, keep_blank_values=True)
        accept = headers.get("accept", "")
        request = Request(
            version=version,
            rest=rest,
            segments=segments,
            query=query,
            wants_wadl=WADL_TYPE in accept or dict(query).get("ws.accept") == WADL_TYPE,
            if_none_match=headers.get("if-none-match"),
        )
        try:
            return self.web.get(request), spareable
        except NotFound as missing:
            return _text(404, f"Object: {url.path}, name: {str(missing)!r}", "not_found"), False
        except BadRequest as error:
            return _text(400, str(error), "bad_request"), False

    def _control(self, method: str, path: str, body: bytes) -> Reply:
        if path == "/_sim/stats" and method == "GET":
            return json_reply(self.stats(), "sim")
        if path == "/_sim/reset-stats" and method == "POST":
            self.reset_stats()
            return json_reply({"ok": True}, "sim")
        if path == "/_sim/faults" and method == "GET":
            return json_reply(settings_dict(self.faults.settings), "sim")
        if path == "/_sim/faults" and method == "POST":
            try:
                changes = json.loads(body or b"{}")
                return json_reply(settings_dict(self.set_faults(**changes)), "sim")
            except (ValueError, TypeError) as error:
                return _text(400, f"Bad fault settings: {error}", "sim")
        if path == "/_sim/info" and method == "GET":
            return json_reply(self.info(), "sim")
        return _text(404, f"No simulator endpoint {method} {path}", "sim")

    def info(self) -> dict[str, Any]:
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


__all__ = ["JSON_TYPE", "LaunchpadSimulator"]
