"""The part of the Launchpad source that talks HTTP: one ``LaunchpadSession`` per run.

launchpadlib logs in (anonymously, or from ``LP_CREDENTIALS_FILE``: see ``login``) and
signs every request; the flows then read plain JSON through the session. httplib2 is not
thread-safe, so each of the session's threads gets its own signed HTTP client built from
the logged-in ``Launchpad`` object. Every request takes a slot of the worker's Launchpad
budget (``models.etl.request_budget``): at most ``lp_max_concurrency`` requests are in
flight from the whole worker, however many runs it has going. Collections are read with the largest page Launchpad serves, people are looked
up once per session, and every HTTP round trip is counted (``requests``) so benchmarks
can check the cost.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from httplib2 import proxy_info_from_environment
from launchpadlib.launchpad import LaunchpadOAuthAwareHttp
from lazr.restfulclient._json import DatetimeJSONEncoder

from models.etl.request_budget import request_slot
from models.exceptions import NotFoundError
from models.settings import PROJECT_ROOT, Settings
from sources.launchpad.events import actor_timezone
from sources.launchpad.login import RequestCounter, shared_login
from sources.launchpad.query import LaunchpadQuery
from sources.launchpad.transport import (
    NETWORK_ERRORS,
    ItemGoneError,
    NullCache,
    RetryPolicy,
    get_json,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_PAGE_SIZE = 300  # the largest ws.size Launchpad serves
SERVICE = "launchpad"  # the request budget this source's requests count against


@dataclass(frozen=True)
class SessionOptions:
    """Knobs that are not user settings; tests and the benchmark replace them."""

    launchpadlib_dir: str = str(PROJECT_ROOT / ".data" / "launchpadlib")
    timeout: float | None = None  # seconds per HTTP exchange; None: Settings.lp_timeout
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    page_size: int = MAX_PAGE_SIZE
    # The worker's request budget (and each session's thread count); None:
    # Settings.lp_max_concurrency.
    max_concurrency: int | None = None


DEFAULT_OPTIONS = SessionOptions()


def configure(**changes: Any) -> SessionOptions:
    """Change the defaults every new session uses (returns the previous ones)."""
    global DEFAULT_OPTIONS
    previous = DEFAULT_OPTIONS
    DEFAULT_OPTIONS = replace(DEFAULT_OPTIONS, **changes)
    return previous


@dataclass(frozen=True)
class Actor:
    """A person whose activity is extracted."""

    name: str
    self_link: str
    time_zone: str  # resolved: "UTC" when unset or unreadable


def operation_url(resource_url: str, operation: str, params: Mapping[str, Any], size: int) -> str:
    """URL of a named GET operation, encoded as lazr.restfulclient encodes it (values
    JSON-encoded, names sorted), asking for pages of ``size`` entries."""
    query = {name: json.dumps(value, cls=DatetimeJSONEncoder) for name, value in params.items()}
    query["ws.op"] = operation
    query["ws.size"] = str(size)
    return f"{resource_url}?{urlencode(sorted(query.items()))}"


def with_page_size(url: str, size: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "ws.size"]
    query.append(("ws.size", str(size)))
    return urlunsplit(parts._replace(query=urlencode(query)))


class LaunchpadSession:
    """Logged-in access to Launchpad for one run. Use as a context manager."""

    def __init__(
        self,
        query: LaunchpadQuery,
        settings: Settings | None = None,
        options: SessionOptions | None = None,
    ):
        self.query = query
        self.settings = settings or Settings.from_env()
        self.options = options or DEFAULT_OPTIONS
        self.max_concurrency = self.options.max_concurrency or self.settings.lp_max_concurrency
        self.timeout = self.options.timeout or self.settings.lp_timeout
        self._local = threading.local()
        self._people: dict[str, dict[str, Any]] = {}
        self._actors: dict[str, Actor] | None = None
        self.launchpad, self.login_requests = shared_login(
            query.application_name or self.settings.lp_app_id,
            query.service_root,
            query.version,
            self.settings.lp_credentials_file,
            self.options.launchpadlib_dir,
            self.timeout,
            self.options.retry,
            self.max_concurrency,
        )
        self._counter = RequestCounter(start=self.login_requests)
        self.root_url = str(self.launchpad._root_uri.ensureSlash())
        self._user_agent = self.launchpad._user_agent
        self._pool = ThreadPoolExecutor(self.max_concurrency, thread_name_prefix="launchpad")

    # -- life cycle -------------------------------------------------------------------
    def __enter__(self) -> LaunchpadSession:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    @property
    def requests(self) -> int:
        """HTTP round trips so far, retries included, and the login's if this session
        logged in (see ``login_requests``)."""
        return self._counter.value

    # -- HTTP -------------------------------------------------------------------------
    def _request(self, *args: Any, **kwargs: Any) -> Any:
        # httplib2 is not thread-safe: one signed client per thread. No authorization
        # engine: a bad token must fail the run, not start an interactive login.
        http = getattr(self._local, "http", None)
        if http is None:
            lp = self.launchpad
            http = LaunchpadOAuthAwareHttp(
                lp,
                None,
                lp.credentials,
                NullCache(),
                self.timeout,
                proxy_info_from_environment,
            )
            self._local.http = http
        self._counter.increment()
        try:
            # Politeness is owed per service, not per run: the slot is the worker's.
            with request_slot(SERVICE, self.max_concurrency):
                return http.request(*args, **kwargs)
        except NETWORK_ERRORS:
            # After a timeout httplib2 keeps the connection, with an answer that may
            # still arrive on it: start the retry on a new client.
            self._local.http = None
            raise

    def get(self, url: str) -> Any:
        """The JSON at ``url`` (an entry, a collection page or an operation result)."""
        return get_json(
            self._request, url, self.options.retry, headers={"User-Agent": self._user_agent}
        )

    def collection(self, url: str, keep: Callable[[dict], Any] | None = None) -> list[Any]:
        """Every entry of a collection, following ``next_collection_link`` page by page.

        ``keep`` reduces each entry as its page arrives, so a long listing holds only what
        the caller needs instead of every full entry."""
        entries: list[Any] = []
        next_url: str | None = with_page_size(url, self.options.page_size)
        while next_url:
            page = self.get(next_url)
            page_entries = page.get("entries", [])
            entries.extend(map(keep, page_entries) if keep else page_entries)
            next_url = page.get("next_collection_link")
        return entries

    def first_entry(self, url: str) -> dict[str, Any] | None:
        """The first entry of a collection, read as a page of one."""
        entries = self.get(with_page_size(url, 1)).get("entries", [])
        return entries[0] if entries else None

    def operation(
        self,
        resource_url: str,
        operation: str,
        keep: Callable[[dict], Any] | None = None,
        **params: Any,
    ) -> list[Any]:
        """Every entry a named GET operation returns (reduced by ``keep``, if given)."""
        return self.collection(
            operation_url(resource_url, operation, params, self.options.page_size), keep
        )

    # -- concurrency ------------------------------------------------------------------
    def submit(self, func: Callable[..., T], *args: Any) -> Future[T]:
        return self._pool.submit(func, *args)

    def map(self, func: Callable[[Any], T], items: Iterable[Any]) -> list[T]:
        """``func`` over ``items`` on the session's threads; results in input order."""
        futures = [self._pool.submit(func, item) for item in items]
        return [future.result() for future in futures]

    # -- people -----------------------------------------------------------------------
    def person(self, name: str) -> dict[str, Any]:
        """A person's or team's entry, fetched at most once per session."""
        if name not in self._people:
            try:
                self._people[name] = self.get(f"{self.root_url}~{name}")
            except ItemGoneError:
                raise NotFoundError(f"Launchpad has no person or team named {name!r}") from None
        return self._people[name]

    def actors(self) -> dict[str, Actor]:
        """Whose activity counts, by name: the member, or every participant of the team
        (direct and indirect), read once per session."""
        if self._actors is None:
            member = self.person(self.query.member)
            if member.get("is_team"):
                entries = self.collection(member["participants_collection_link"])
                people = [entry for entry in entries if not entry.get("is_team")]
            else:
                people = [member]
            self._actors = {
                entry["name"]: Actor(
                    entry["name"], entry["self_link"], actor_timezone(entry.get("time_zone"))
                )
                for entry in people
            }
            log.info("%s: %d actor(s)", self.query.member, len(self._actors))
        return self._actors


def open_session(query: LaunchpadQuery) -> LaunchpadSession:
    """A session with the worker's settings and the module defaults."""
    return LaunchpadSession(query)
