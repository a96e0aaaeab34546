"""The Launchpad simulator's HTTP server, and `LaunchpadSimulator` to run it in-process.

launchpadlib talks to it as to https://api.launchpad.net::

    with LaunchpadSimulator(preset("small"), page_size=5) as sim:
        lp = Launchpad.login_anonymously("demo", service_root=sim.service_root,
                                         version="devel", launchpadlib_dir=tmpdir)

See simulator/launchpad/README.md for the named-operation parameters the flows should
use. Besides the web service (``/1.0/...`` and ``/devel/...``) it answers the shared
``/_sim`` endpoints of simulator/server.py.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any
from urllib.parse import SplitResult, parse_qsl, unquote

from simulator.faults import FaultSettings
from simulator.launchpad.app import WADL_TYPE, Request, WebService
from simulator.launchpad.dataset import Dataset
from simulator.launchpad.ground_truth import ground_truth
from simulator.launchpad.params import BadRequest
from simulator.launchpad.routing import NotFound
from simulator.launchpad.wadl import VERSIONS
from simulator.server import JSON_TYPE, Reply, SimulatorServer, json_reply
from simulator.server import text_reply as _text


class LaunchpadSimulator(SimulatorServer):
    """A simulated api.launchpad.net on 127.0.0.1, serving one dataset.

    :param dataset: the data to serve; a preset name, or None for preset "small".
    :param page_size: entries per page when the client gives no ws.size (Launchpad: 75).
    :param bzr_only_requested_reviews: make getRequestedReviews ignore git proposals,
        as Launchpad's does (off by default: see README, "Deviations").
    Fault options are those of `FaultSettings`; `fault_seed` seeds their RNG.
    """

    server_version = "LaunchpadSimulator/1.0"
    thread_name = "launchpad-simulator"

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
            from simulator.launchpad.presets import preset

            dataset = preset(dataset or "small")
        self.dataset = dataset
        super().__init__(
            host=host,
            port=port,
            faults=FaultSettings(
                latency_ms=latency_ms,
                error_rate=error_rate,
                rate_limit_rate=rate_limit_rate,
                retry_after_s=retry_after_s,
                slow_rate=slow_rate,
                slow_ms=slow_ms,
                spare_service_root=spare_service_root,
            ),
            fault_seed=fault_seed,
            verbose=verbose,
        )
        self.web = WebService(dataset, self.service_root, page_size, bzr_only_requested_reviews)

    # -- control -------------------------------------------------------------------

    def ground_truth(
        self,
        member: str | None = None,
        start: str | date | datetime | None = None,
        end: str | date | datetime | None = None,
        event_type: str = "bugs",
    ) -> list[dict[str, Any]]:
        """Ground truth for the served dataset; defaults: sample team, dataset window."""
        return ground_truth(self.dataset, *self.truth_scope(member, start, end), event_type)

    # -- requests --------------------------------------------------------------------

    def respond(self, method: str, url: SplitResult, headers: dict[str, str], body: bytes) -> Reply:
        started = time.monotonic()
        reply, spareable = self._web_reply(method, url, headers)
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
        signed = "oauth_token=" in headers.get("authorization", "")
        self.counters.record(reply.kind, reply.status, fault, signed)
        return reply

    def _web_reply(
        self, method: str, url: SplitResult, headers: dict[str, str]
    ) -> tuple[Reply, bool]:
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


__all__ = ["JSON_TYPE", "LaunchpadSimulator"]
