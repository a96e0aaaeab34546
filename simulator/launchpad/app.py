"""Answers one web-service GET: WADL, service root, entries, collections and named
operations, paged like lazr.restful pages them.

Kept apart from the HTTP plumbing in simulator/server.py so it reads as the web service's
behaviour: each method takes the parsed request and returns a `Reply`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from simulator.launchpad.dataset import Dataset
from simulator.launchpad.params import BadRequest, OperationParams
from simulator.launchpad.representations import Representer
from simulator.launchpad.routing import Collection, Entry, NotFound, Resolver
from simulator.launchpad.search import (
    DatasetIndex,
    merge_proposals_of,
    requested_reviews_of,
    search_questions,
    search_tasks,
)
from simulator.launchpad.wadl import VERSIONS, service_root_fields, wadl_document
from simulator.server import Reply, json_reply

MAX_PAGE_SIZE = 300
WADL_TYPE = "application/vnd.sun.wadl+xml"
_BATCH_PARAMS = ("ws.start", "ws.size", "memo", "ws.show")


@dataclass
class Request:
    version: str
    rest: str  # the path below the version root, as sent
    segments: list[str]
    query: list[tuple[str, str]]
    wants_wadl: bool
    if_none_match: str | None = None

    def values(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, value in self.query:
            out.setdefault(key, []).append(value)
        return out

    def first(self, name: str) -> str | None:
        return next((v for k, v in self.query if k == name), None)


class WebService:
    """The simulated web service for one dataset, under one base URL."""

    def __init__(self, dataset: Dataset, base: str, page_size: int, bzr_only_reviews: bool):
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        self.ds = dataset
        self.base = base  # "http://127.0.0.1:PORT/"
        self.page_size = page_size
        self.bzr_only_reviews = bzr_only_reviews
        self.index = DatasetIndex(dataset)
        self.resolvers = {
            v: Resolver(
                dataset, self.index, Representer(dataset, self.root(v), v, self.index.duplicates)
            )
            for v in VERSIONS
        }
        self._results: OrderedDict[tuple, Sequence[Any]] = OrderedDict()
        self._results_lock = threading.Lock()

    def root(self, version: str) -> str:
        return f"{self.base}{version}/"

    # -- dispatch ------------------------------------------------------------------

    def get(self, request: Request) -> Reply:
        if not request.segments:
            return self._service_root(request)
        resolved = self.resolvers[request.version].resolve(request.segments)
        op = request.first("ws.op")
        if op is not None:
            if not isinstance(resolved, Entry) or resolved.person is None:
                raise BadRequest(f"No such operation: {op}")
            return self._operation(request, resolved.person, op)
        if isinstance(resolved, Entry):
            return json_reply(resolved.render(), resolved.kind)
        return self._collection(request, resolved)

    def _service_root(self, request: Request) -> Reply:
        root = self.root(request.version)
        if request.wants_wadl:
            body, etag = wadl_document(request.version, root)
            if request.if_none_match == etag:
                return Reply(304, b"", WADL_TYPE, {"ETag": etag}, kind="wadl")
            return Reply(200, body, WADL_TYPE, {"ETag": etag}, kind="wadl")
        document: dict[str, Any] = {}
        for name in service_root_fields(request.version):
            if name.endswith("_collection_link"):
                document[name] = root + name.removesuffix("_collection_link")
            elif name == "me_link":
                document[name] = root + "people/+me"
            elif name.endswith("_link") and name != "resource_type_link":
                document[name] = root + name.removesuffix("_link")
        document["resource_type_link"] = f"{root}#service-root"
        return json_reply(document, "service_root")

    # -- collections and operations --------------------------------------------------

    def _collection(self, request: Request, collection: Collection) -> Reply:
        root = self.root(request.version)
        page = self._page(request, collection.items, collection.render, size_link=False)
        page["resource_type_link"] = f"{root}#{collection.page_type}"
        return json_reply(page, collection.kind)

    def _operation(self, request: Request, person: str, op: str) -> Reply:
        rep = self._rep(request)
        searches: dict[str, tuple[Callable[[OperationParams], Sequence[Any]], Callable]] = {
            "searchTasks": (
                lambda p: search_tasks(self.index, person, p),
                lambda hit: rep.bug_task(*hit),
            ),
            "getMergeProposals": (
                lambda p: merge_proposals_of(self.ds, person, p),
                rep.merge_proposal,
            ),
            "getRequestedReviews": (
                lambda p: requested_reviews_of(self.ds, person, p, self.bzr_only_reviews),
                rep.merge_proposal,
            ),
        }
        if request.version == "devel":
            searches["searchQuestions"] = (
                lambda p: search_questions(self.ds, person, p),
                rep.question,
            )
        if op not in searches:
            raise BadRequest(f"No such operation: {op}")
        search, render = searches[op]
        items = self._cached_search(request, person, op, search)
        kind = f"op_{op}"
        if request.first("ws.show") == "total_size":
            return json_reply(len(items), f"{kind}_total_size")
        size_link = request.version == "devel"
        return json_reply(self._page(request, items, render, size_link=size_link), kind)

    def _cached_search(self, request: Request, person: str, op: str, search) -> Sequence[Any]:
        """Run a search once per distinct query: paging through it asks again and again."""
        clean = tuple(pair for pair in request.query if pair[0] not in _BATCH_PARAMS)
        key = (person, op, clean)
        with self._results_lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
        items = search(OperationParams(request.values(), self.ds))
        with self._results_lock:
            self._results[key] = items
            while len(self._results) > 256:
                self._results.popitem(last=False)
        return items

    def _rep(self, request: Request) -> Representer:
        return self.resolvers[request.version].rep

    def _page(self, request: Request, items: Sequence[Any], render, size_link: bool) -> dict:
        start = self._int_param(request, "ws.start", 0)
        size = self._int_param(request, "ws.size", self.page_size)
        if start < 0:
            raise BadRequest('Invalid value for "ws.start": must not be negative.')
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise BadRequest(f'Maximum for "ws.size" parameter is {MAX_PAGE_SIZE}.')
        total = len(items)
        url = f"{self.root(request.version)}{request.rest}"
        clean = [pair for pair in request.query if pair[0] not in _BATCH_PARAMS]
        page: dict[str, Any] = {}
        has_next = start + size < total
        if size_link and has_next:
            # Like lazr.restful in devel: the size of a named operation's result is
            # only linked to, unless this page is the last one.
            page["total_size_link"] = f"{url}?{urlencode([*clean, ('ws.show', 'total_size')])}"
        else:
            page["total_size"] = total
        page["start"] = start
        if has_next:
            page["next_collection_link"] = self._page_url(url, clean, start + size, size)
        if start > 0:
            page["prev_collection_link"] = self._page_url(url, clean, max(start - size, 0), size)
        page["entries"] = [render(item) for item in items[start : start + size]]
        return page

    @staticmethod
    def _page_url(url: str, clean: list[tuple[str, str]], start: int, size: int) -> str:
        return f"{url}?{urlencode([*clean, ('ws.size', str(size)), ('ws.start', str(start))])}"

    @staticmethod
    def _int_param(request: Request, name: str, default: int) -> int:
        raw = request.first(name)
        if raw is None:
            return default
        try:
            return int(raw)
        except ValueError:
            raise BadRequest(f'Invalid value for "{name}": {raw!r}') from None


__all__ = ["BadRequest", "NotFound", "Reply", "Request", "WebService", "json_reply"]
