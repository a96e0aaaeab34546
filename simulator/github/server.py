"""`GithubSimulator`: the GitHub REST API on 127.0.0.1 for one generated dataset.

Per request, in order: the credential (``Authorization: Bearer|token …``, else
anonymous), the rate limits (limits.py), injected faults (5xx, secondary limits, slow
answers), the endpoint (api.py), ``ETag``/``If-None-Match`` (a 304 costs nothing), the
rate-limit headers, latency, and a `RequestRecord`. See simulator/README.md.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import time
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from urllib.parse import SplitResult

from simulator.faults import FaultSettings, settings_dict
from simulator.github.api import SEARCH_CAP, RestApi, error
from simulator.github.dataset import GithubDataset
from simulator.github.ground_truth import ground_truth
from simulator.github.limits import (
    Admission,
    LimitSettings,
    RateLimiter,
    RateWindow,
    RequestRecord,
    limit_settings_dict,
)
from simulator.server import Reply, SimulatorServer, json_reply

_SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
    "again. If you reach out to GitHub Support for help, please include the request ID."
)
_FAULT_NAMES = {f.name for f in fields(FaultSettings)} - {"spare_service_root"}


@dataclass
class _Served:
    """One answer and what the limiter must learn once it has been sent."""

    reply: Reply
    fault: str | None = None
    in_closed_window: bool = False
    window: RateWindow | None = None  # the rate-limit window it was counted in
    closes_for: float | None = None  # a secondary refusal: how long it closes the window


def credential_of(headers: dict[str, str]) -> str:
    scheme, _, token = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() in ("bearer", "token") and token.strip():
        return f"token:{token.strip()[-4:]}"
    return "anonymous"


class GithubSimulator(SimulatorServer):
    """A simulated api.github.com; `service_root` is its base URL (no trailing slash).

    :param dataset: a `GithubDataset`, a preset name, or None for preset "small".
    :param search_cap: results one search can page through (GitHub: 1,000).
    :param token: when set, a request with another token gets 401 "Bad credentials".
    :param path_prefix: serve under it, e.g. "/api/v3" as GitHub Enterprise Server does.
    Fault options are `FaultSettings`' (error_rate: 5xx; rate_limit_rate: secondary
    limits, with retry_after_s) and `LimitSettings`' (primary limits and the rest).
    """

    server_version = "GitHub.com"
    thread_name = "github-simulator"

    def __init__(
        self,
        dataset: GithubDataset | str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        search_cap: int = SEARCH_CAP,
        token: str | None = None,
        path_prefix: str = "",
        fault_seed: int = 0,
        verbose: bool = False,
        **faults: Any,
    ):
        if dataset is None or isinstance(dataset, str):
            from simulator.github.presets import preset

            dataset = preset(dataset or "small")
        self.dataset = dataset
        fault_args = {k: v for k, v in faults.items() if k in _FAULT_NAMES}
        limit_args = {k: v for k, v in faults.items() if k in LimitSettings.names()}
        unknown = set(faults) - set(fault_args) - set(limit_args)
        if unknown:
            raise TypeError(f"unknown options: {', '.join(sorted(unknown))}")
        super().__init__(
            host=host,
            port=port,
            faults=FaultSettings(spare_service_root=False, **fault_args),
            fault_seed=fault_seed,
            verbose=verbose,
            url_path=path_prefix.rstrip("/"),
            fault_names=("5xx", "secondary", "primary", "slow"),
        )
        self.limiter = RateLimiter(LimitSettings(**limit_args))
        self.api = RestApi(dataset, self.service_root, search_cap)
        self._token = token
        self._prefix = path_prefix.rstrip("/")
        self._request_ids = itertools.count(1)

    # -- control ----------------------------------------------------------------------

    def set_faults(self, **changes: Any) -> dict[str, Any]:
        """Change fault and limit settings while serving, e.g. set_faults(search_limit=5)."""
        limit_changes = {k: v for k, v in changes.items() if k in LimitSettings.names()}
        fault_changes = {k: v for k, v in changes.items() if k not in limit_changes}
        if set(fault_changes) - _FAULT_NAMES:
            raise ValueError(
                f"unknown fault settings: {', '.join(sorted(set(fault_changes) - _FAULT_NAMES))}"
            )
        self.faults.configure(**fault_changes)
        self.limiter.configure(**limit_changes)
        return self.fault_settings()

    def fault_settings(self) -> dict[str, Any]:
        return settings_dict(self.faults.settings) | limit_settings_dict(self.limiter.settings)

    def reset_stats(self) -> None:
        """Zero the counters, forget the request records and open every rate-limit window."""
        super().reset_stats()
        self.limiter.reset()

    def requests(self) -> list[RequestRecord]:
        """Every request served so far (``/_sim`` excluded), in arrival order."""
        return self.limiter.snapshot()

    def closed_window_requests(self) -> list[RequestRecord]:
        """Requests that arrived while their rate-limit window was closed: a correct client sends none."""
        return [r for r in self.requests() if r.in_closed_window]

    def stats(self) -> dict[str, Any]:
        records = self.requests()
        return super().stats() | {
            "authenticated": sum(r.authenticated for r in records),
            "anonymous": sum(not r.authenticated for r in records),
            "closed_window": sum(r.in_closed_window for r in records),
            "by_resource": {
                res: sum(r.resource == res for r in records) for res in ("core", "search")
            },
        }

    def ground_truth(
        self,
        member: str | None = None,
        start: str | date | datetime | None = None,
        end: str | date | datetime | None = None,
        event_type: str = "issues",
        owners: list[str] | tuple[str, ...] | None = None,
    ) -> list[dict[str, Any]]:
        """Ground truth of the served dataset; defaults: sample team, window, company owners."""
        owners = owners or self.dataset.company_owners
        return ground_truth(self.dataset, *self.truth_scope(member, start, end), event_type, owners)

    def info(self) -> dict[str, Any]:
        return super().info() | {"owners": list(self.dataset.company_owners)}

    # -- requests ---------------------------------------------------------------------

    def respond(self, method: str, url: SplitResult, headers: dict[str, str], body: bytes) -> Reply:
        started, arrived = time.monotonic(), time.time()
        credential = credential_of(headers)
        resource = "search" if url.path.startswith(f"{self._prefix}/search/") else "core"
        if url.path.startswith(f"{self._prefix}/") or url.path == self._prefix:
            below = url._replace(path=url.path[len(self._prefix) :] or "/")
            served = self._serve(method, below, headers, credential, resource)
        else:
            served = _Served(error(404, "Not Found", "not_found"))
        reply = served.reply
        reply.headers["x-github-request-id"] = f"SIM0:{next(self._request_ids):08X}"
        remaining = self._delay(served.fault) - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        if served.window is not None:
            none_left = reply.headers.get("x-ratelimit-remaining") == "0"
            self.limiter.sent(credential, served.window, none_left, served.closes_for)
        path = url.path + (f"?{url.query}" if url.query else "")
        self.limiter.record(
            RequestRecord(
                arrived,
                method,
                path,
                resource,
                credential,
                reply.status,
                served.in_closed_window,
                served.fault,
            )  # fmt: skip
        )
        self.counters.record(reply.kind, reply.status, served.fault, credential != "anonymous")
        return reply

    def _delay(self, fault: str | None) -> float:
        settings = self.faults.settings
        return (settings.latency_ms + (settings.slow_ms if fault == "slow" else 0.0)) / 1000

    def _serve(self, method, url, headers, credential, resource) -> _Served:
        if url.path == "/rate_limit":
            return _Served(self._json_with_etag(self.limiter.status(credential), headers))
        if (
            self._token is not None
            and credential != "anonymous"
            and not headers.get("authorization", "").strip().endswith(self._token)
        ):
            return _Served(error(401, "Bad credentials", "unauthorized"))
        if method not in ("GET", "HEAD"):
            return _Served(error(404, "Not Found", "write"))
        decision = self.faults.decide(False)
        crowded = self.limiter.settings.secondary_max_in_flight
        too_many = crowded is not None and self.counters.in_flight() > crowded
        admission = self.limiter.admit(credential, resource, decision.status == 429 or too_many)
        if admission.refused:
            return self._refusal(admission, credential)
        if decision.status == 503:
            reply = error(503, "Service Unavailable (simulated)", "server_error")
            reply.headers.update(admission.headers)
            return _Served(reply, "5xx", window=admission.window)
        incomplete = (
            resource == "search" and self.faults.draw() < self.limiter.settings.incomplete_rate
        )
        reply = self.api.get(url.path, url.query, incomplete)
        rate_headers = admission.headers
        if reply.status == 200:
            reply = self._with_etag(reply, headers)
            if reply.status == 304:
                rate_headers = self.limiter.refund(credential, resource)
        reply.headers.update(rate_headers)
        return _Served(reply, "slow" if decision.slow else None, window=admission.window)

    def _refusal(self, admission: Admission, credential: str) -> _Served:
        settings = self.limiter.settings
        known = admission.in_closed_window
        if admission.refused == "primary":
            message = "API rate limit exceeded (simulated)."
            reply = error(settings.limit_status, message, "rate_limited")
            reply.headers.update(admission.headers)
            return _Served(reply, "primary", known, admission.window)
        reply = error(settings.limit_status, _SECONDARY, "rate_limited")
        reply.headers.update(admission.headers)
        if admission.seconds_left is not None:  # inside a limit: it closes nothing new
            if settings.secondary_retry_after:
                reply.headers["retry-after"] = str(math.ceil(admission.seconds_left))
            return _Served(reply, "secondary", admission.in_closed_window, admission.window)
        seconds = float(self.faults.settings.retry_after_s)
        if settings.secondary_retry_after:
            reply.headers["retry-after"] = str(self.faults.settings.retry_after_s)
        else:
            seconds = settings.secondary_window_s
        self.limiter.close_secondary(credential, seconds, self._delay(None))
        return _Served(reply, "secondary", False, admission.window, closes_for=seconds)

    def _json_with_etag(self, document: Any, headers: dict[str, str]) -> Reply:
        return self._with_etag(json_reply(document, "rate_limit"), headers)

    @staticmethod
    def _with_etag(reply: Reply, headers: dict[str, str]) -> Reply:
        etag = (
            'W/"'
            + hashlib.sha256(reply.body + reply.headers.get("Link", "").encode()).hexdigest()[:40]
            + '"'
        )
        reply.headers["ETag"] = etag
        reply.headers["Cache-Control"] = "private, max-age=60, s-maxage=60"
        reply.headers["x-github-api-version-selected"] = "2022-11-28"
        wanted = {tag.strip() for tag in headers.get("if-none-match", "").split(",")}
        if etag in wanted or etag.removeprefix("W/") in wanted:
            return Reply(304, b"", reply.content_type, {"ETag": etag}, kind=reply.kind)
        return reply
