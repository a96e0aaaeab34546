"""The REST endpoints: one GET in, one `Reply` out, with GitHub's paging (``per_page``,
``page``, ``Link``), errors and the search API's 1,000-result cap.

Rate limits, faults, ETags and latency are the server's business (server.py).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

from simulator.github.dataset import GithubDataset
from simulator.github.search import SearchError, search_commits, search_items, unknown_logins
from simulator.github.timeline_payloads import TimelineRenderer
from simulator.server import Reply, json_reply

DOCS = "https://docs.github.com/rest"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 30
SEARCH_CAP = 1000


def error(status: int, message: str, kind: str, **extra: Any) -> Reply:
    document = {"message": message, "documentation_url": DOCS, "status": str(status), **extra}
    return json_reply(document, kind, status)


_ROUTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), name)
    for p, name in (
        (r"^/search/issues$", "search_issues"),
        (r"^/search/commits$", "search_commits"),
        (r"^/repos/([^/]+)/([^/]+)/issues/(\d+)$", "issue"),
        (r"^/repos/([^/]+)/([^/]+)/issues/(\d+)/timeline$", "timeline"),
        (r"^/repos/([^/]+)/([^/]+)/pulls/(\d+)$", "pull"),
        (r"^/orgs/([^/]+)/teams/([^/]+)$", "team"),
        (r"^/orgs/([^/]+)/teams/([^/]+)/members$", "team_members"),
        (r"^/orgs/([^/]+)/teams/([^/]+)/teams$", "child_teams"),
        (r"^/users/([^/]+)$", "user"),
    )
]


class RestApi:
    def __init__(self, dataset: GithubDataset, api: str, search_cap: int = SEARCH_CAP):
        self.ds = dataset
        self.api = api.rstrip("/")
        self.render = TimelineRenderer(dataset, self.api)
        self.search_cap = search_cap
        self._searches: OrderedDict[tuple[str, str], Sequence[Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: str, query: str, incomplete: bool = False) -> Reply:
        params = dict(parse_qsl(query, keep_blank_values=True))
        for pattern, name in _ROUTES:
            match = pattern.match(path)
            if match:
                return getattr(self, f"_{name}")(match.groups(), params, path, incomplete)
        if path in ("", "/"):
            return json_reply({"current_user_url": f"{self.api}/user"}, "root")
        return error(404, "Not Found", "not_found")

    # -- paging -------------------------------------------------------------------------

    def _page_args(self, params: dict[str, str]) -> tuple[int, int] | Reply:
        try:
            per_page = int(params.get("per_page", DEFAULT_PER_PAGE))
            page = int(params.get("page", 1))
        except ValueError:
            return error(400, "Invalid per_page or page", "bad_request")
        return max(1, min(per_page, MAX_PER_PAGE)), max(page, 1)

    def _link(self, path: str, params: dict[str, str], page: int, last: int, per_page: int) -> str:
        def url(number: int) -> str:
            return f"{self.api}{path}?{urlencode({**params, 'per_page': per_page, 'page': number})}"

        links = []
        if page < last:
            links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
        if page > 1:
            links += [f'<{url(1)}>; rel="first"', f'<{url(min(page - 1, last))}>; rel="prev"']
        return ", ".join(links)

    def _paged(
        self,
        items: Sequence[Any],
        render: Callable[[Any], Any],
        params: dict[str, str],
        path: str,
        kind: str,
        wrap: Callable[[list[Any]], Any] = lambda page: page,
        reachable: int | None = None,
    ) -> Reply:
        args = self._page_args(params)
        if isinstance(args, Reply):
            return args
        per_page, page = args
        reachable = len(items) if reachable is None else reachable
        if reachable and (page - 1) * per_page >= reachable and reachable < len(items):
            return error(
                422,
                f"Only the first {self.search_cap} search results are available",
                kind,
                documentation_url="https://docs.github.com/v3/search/",
            )
        # Past the cap nothing is served, even on a page that starts before it.
        chunk = items[:reachable][(page - 1) * per_page : page * per_page]
        reply = json_reply(wrap([render(x) for x in chunk]), kind)
        last = max(1, -(-reachable // per_page))
        link = self._link(path, params, page, last, per_page)
        if link:
            reply.headers["Link"] = link
        return reply

    # -- search ------------------------------------------------------------------------

    def _search(self, what: str, q: str) -> Sequence[Any]:
        with self._lock:
            if (what, q) in self._searches:
                self._searches.move_to_end((what, q))
                return self._searches[(what, q)]
        found = search_items(self.ds, q) if what == "issues" else search_commits(self.ds, q)
        with self._lock:
            self._searches[(what, q)] = found
            while len(self._searches) > 512:
                self._searches.popitem(last=False)
        return found

    def _search_reply(
        self, what: str, params: dict[str, str], path: str, incomplete: bool
    ) -> Reply:
        kind = f"search_{what}"
        q = params.get("q", "").strip()
        if not q:
            return error(422, "Validation Failed", kind, errors=[
                {"resource": "Search", "field": "q", "code": "missing"}])  # fmt: skip
        try:
            missing = unknown_logins(
                self.ds, [(n.lower(), v) for n, _, v in (t.partition(":") for t in q.split())]
            )
            if missing:
                return error(422, "Validation Failed", kind, errors=[{
                    "message": "The listed users and repositories cannot be searched either "
                    "because the resources do not exist or you do not have permission to "
                    "view them.", "resource": "Search", "field": "q", "code": "invalid"}])  # fmt: skip
            found = self._search(what, q)
        except SearchError as refused:
            return error(422, "Validation Failed", kind, errors=[
                {"message": str(refused), "resource": "Search", "field": "q", "code": "invalid"}])  # fmt: skip
        render = self.render.search_item if what == "issues" else self.render.commit_search_item

        def wrap(page: list[Any]) -> dict[str, Any]:
            document = {"total_count": len(found), "incomplete_results": incomplete, "items": page}
            if what == "issues":
                document["search_type"] = "lexical"
            return document

        reachable = min(len(found), self.search_cap)
        return self._paged(found, render, params, path, kind, wrap, reachable)

    def _search_issues(self, groups, params, path, incomplete) -> Reply:
        return self._search_reply("issues", params, path, incomplete)

    def _search_commits(self, groups, params, path, incomplete) -> Reply:
        return self._search_reply("commits", params, path, incomplete)

    # -- items ---------------------------------------------------------------------------

    def _item(self, groups: tuple[str, ...], kind: str):
        owner, repo, number = groups
        item = self.ds.item(owner, repo, int(number))
        if item is None or (kind == "pull" and item.kind != "pr"):
            return error(404, "Not Found", kind)
        if item.gone == 410:
            return error(410, "This issue was deleted", kind)
        if item.gone:
            return error(404, "Not Found", kind)
        return item

    def _issue(self, groups, params, path, incomplete) -> Reply:
        item = self._item(groups, "issue")
        return item if isinstance(item, Reply) else json_reply(self.render.issue(item), "issue")

    def _pull(self, groups, params, path, incomplete) -> Reply:
        item = self._item(groups, "pull")
        return item if isinstance(item, Reply) else json_reply(self.render.pull(item), "pull")

    def _timeline(self, groups, params, path, incomplete) -> Reply:
        item = self._item(groups, "timeline")
        if isinstance(item, Reply):
            return item
        entries = sorted(item.timeline, key=lambda e: (e.at or item.updated_at, e.id or 0))
        return self._paged(
            entries, lambda e: self.render.timeline_entry(item, e), params, path, "timeline"
        )

    # -- people --------------------------------------------------------------------------

    def _team_or_404(self, org: str, slug: str):
        team = self.ds.team(org, slug)
        return team if team is not None else error(404, "Not Found", "team")

    def _team(self, groups, params, path, incomplete) -> Reply:
        team = self._team_or_404(*groups)
        return (
            team if isinstance(team, Reply) else json_reply(self.render.team_full(*groups), "team")
        )

    def _team_members(self, groups, params, path, incomplete) -> Reply:
        team = self._team_or_404(*groups)
        if isinstance(team, Reply):
            return team
        members = self.ds.team_members(team)
        return self._paged(members, self.render.simple_user, params, path, "team_members")

    def _child_teams(self, groups, params, path, incomplete) -> Reply:
        team = self._team_or_404(*groups)
        if isinstance(team, Reply):
            return team
        children = self.ds.child_teams(team)
        return self._paged(
            children, lambda t: self.render.team(t.org, t.slug), params, path, "child_teams"
        )

    def _user(self, groups, params, path, incomplete) -> Reply:
        account = self.ds.account(groups[0])
        if account is None:
            return error(404, "Not Found", "user")
        return json_reply(self.render.public_user(account), "user")
