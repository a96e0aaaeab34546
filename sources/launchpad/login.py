"""Logging in to Launchpad with launchpadlib: anonymously, or from LP_CREDENTIALS_FILE.

A login costs two requests (the WADL and the service root) and parsing a 1.5 MB WADL,
about a quarter of a second of CPU. It yields nothing run-specific, so a worker logs in
once per service root, version, application and credentials and shares the
``Launchpad`` object between runs: sessions only use it to make signed HTTP clients.
"""

from __future__ import annotations

import configparser
import os
import threading
import time
from typing import Any

from launchpadlib.credentials import Credentials
from launchpadlib.launchpad import Launchpad, LaunchpadOAuthAwareHttp
from lazr.restfulclient.errors import CredentialsError, HTTPError

from models import metrics
from models.etl.request_budget import request_slot
from models.exceptions import ConfigurationError, TransientError
from sources.launchpad.transport import (
    GONE_STATUSES,
    NETWORK_ERRORS,
    RETRYABLE_STATUSES,
    RetryPolicy,
)

_logins: dict[tuple, Launchpad] = {}
_logins_lock = threading.Lock()


class RequestCounter:
    """HTTP round trips, counted from any thread (and in the worker's ``requests`` counter)."""

    def __init__(self, start: int = 0) -> None:
        self._lock = threading.Lock()
        self.value = start

    def increment(self) -> None:
        with self._lock:
            self.value += 1
        metrics.inc("requests", source="launchpad")


def _counting_launchpad(counter: RequestCounter, budget: int) -> type[Launchpad]:
    """A ``Launchpad`` whose own HTTP client counts the login's round trips and takes a
    slot of the worker's Launchpad request budget for each."""

    class CountingHttp(LaunchpadOAuthAwareHttp):
        def _request(self, *args: Any) -> Any:
            counter.increment()
            with request_slot("launchpad", budget):
                return super()._request(*args)

    class CountingLaunchpad(Launchpad):
        def httpFactory(self, credentials, cache, timeout, proxy_info):  # noqa: N802
            return CountingHttp(
                self, self.authorization_engine, credentials, cache, timeout, proxy_info
            )

    return CountingLaunchpad


def _from_credentials_file(
    cls: type[Launchpad], path: str, service_root: str, version: str, directory: str, timeout
) -> Launchpad:
    # The file is read here, on the worker, and never logged. The Launchpad object is
    # built without an authorization engine: a worker must fail on a bad token, not
    # open a browser to authorize a new one (which login_with would do).
    try:
        credentials = Credentials.load_from_path(path)
    except (OSError, ValueError, KeyError, configparser.Error, CredentialsError) as exc:
        # Only the type: the message of a parse error may quote the secret.
        raise ConfigurationError(
            f"LP_CREDENTIALS_FILE cannot be read as Launchpad credentials ({type(exc).__name__})"
        ) from None
    _, _, cache_path, _ = Launchpad._get_paths(service_root, directory)
    return cls(
        credentials,
        None,
        None,
        service_root=service_root,
        cache=cache_path,
        timeout=timeout,
        version=version,
    )


def _log_in(
    counter: RequestCounter,
    application: str,
    service_root: str,
    version: str,
    credentials_file: str,
    directory: str,
    timeout: float,
    policy: RetryPolicy,
    budget: int,
) -> Launchpad:
    cls = _counting_launchpad(counter, budget)
    failure = "login was never tried"
    for attempt in range(policy.attempts):
        try:
            if credentials_file:
                return _from_credentials_file(
                    cls, credentials_file, service_root, version, directory, timeout
                )
            return cls.login_anonymously(
                application,
                service_root=service_root,
                launchpadlib_dir=directory,
                timeout=timeout,
                version=version,
            )
        except HTTPError as exc:
            status = exc.response.status
            if status in GONE_STATUSES:
                raise ConfigurationError(
                    f"no Launchpad web service {version!r} at {service_root}"
                ) from None
            if status not in RETRYABLE_STATUSES and status < 500:
                raise ConfigurationError(f"Launchpad login failed with {status}") from None
            failure = f"login answered {status}"
        except NETWORK_ERRORS as exc:
            failure = f"login failed: {type(exc).__name__}: {exc}"
        if attempt + 1 < policy.attempts:
            time.sleep(policy.backoff(attempt))
    raise TransientError(f"{failure} ({policy.attempts} attempts, {service_root})")


def shared_login(
    application: str,
    service_root: str,
    version: str,
    credentials_file: str,
    directory: str,
    timeout: float,
    policy: RetryPolicy,
    budget: int,
) -> tuple[Launchpad, int]:
    """The process's login for these arguments, and the requests it took now (0 when
    an earlier run already logged in). Its requests take slots of the worker's Launchpad
    request budget of ``budget`` slots, as every other request does."""
    stamp = None
    if credentials_file and os.path.exists(credentials_file):
        stamp = os.stat(credentials_file).st_mtime_ns  # a rotated token means a new login
    key = (application, service_root, version, credentials_file, stamp, directory)
    with _logins_lock:
        if key in _logins:
            return _logins[key], 0
        counter = RequestCounter()
        launchpad = _log_in(
            counter,
            application,
            service_root,
            version,
            credentials_file,
            directory,
            timeout,
            policy,
            budget,
        )
        _logins[key] = launchpad
        return launchpad, counter.value


def forget_logins() -> None:
    """Log in afresh next time (tests, or after the service changed)."""
    with _logins_lock:
        _logins.clear()
