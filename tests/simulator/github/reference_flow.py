"""A minimal, strictly sequential GitHub extraction over plain HTTP, written from the
contract (shared/spec/github-events.md) and simulator/README.md, not from the
simulator's ground-truth code: if both agree, the payloads carry what the flows need
and the contract's searches reach every fact.

It honours rate limits as the contract says (wait for the reset when remaining is 0,
`retry-after` on secondary limits) and retries 5xx, so that tests can also check that
a well-behaved client never hits a closed window.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import httpx

SAME = {"commented", "closed", "reopened", "merged"}
RELATIONS = {
    "assigned": "assignee_changed",
    "unassigned": "assignee_changed",
    "labeled": "labels_changed",
    "unlabeled": "labels_changed",
    "review_requested": "review_requested",
    "review_request_removed": "review_requested",
}
CHANGED = {
    "renamed", "milestoned", "demilestoned", "locked", "unlocked", "pinned", "unpinned",
    "transferred", "marked_as_duplicate", "unmarked_as_duplicate",
}  # fmt: skip
PR_CHANGED = {
    "ready_for_review", "convert_to_draft", "base_ref_changed", "head_ref_force_pushed",
    "head_ref_deleted", "head_ref_restored", "auto_merge_enabled", "auto_merge_disabled",
}  # fmt: skip
CAP = 1000


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class ReferenceClient:
    def __init__(self, root: str, token: str | None = None):
        headers = {"Accept": "application/vnd.github+json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(base_url=root, headers=headers, timeout=30)
        self.blocked_until = {"core": 0.0, "search": 0.0}
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    def get(self, url: str, params: dict | None = None) -> httpx.Response:
        resource = "search" if "/search/" in url else "core"
        for _ in range(50):
            pause = self.blocked_until[resource] - time.time()
            if pause > 0:
                time.sleep(pause)
            response = self.http.get(url, params=params)
            self.requests += 1
            headers = response.headers
            if headers.get("x-ratelimit-remaining") == "0":
                self.blocked_until[resource] = float(headers["x-ratelimit-reset"])
            if response.status_code in (403, 429):
                if "secondary rate limit" in response.json()["message"]:
                    wait = float(headers.get("retry-after", 60))
                    for name in self.blocked_until:
                        self.blocked_until[name] = max(self.blocked_until[name], time.time() + wait)
                continue
            if response.status_code >= 500:
                time.sleep(0.01)
                continue
            return response
        raise RuntimeError(f"gave up on {url}")

    def pages(self, url: str, params: dict | None = None):
        response = self.get(url, params)
        yield response
        while "next" in response.links:
            response = self.get(response.links["next"]["url"])
            yield response


def people_of(client: ReferenceClient, member: str) -> set[str]:
    if "/" not in member:
        return {member.lower()}
    org, _, slug = member.partition("/")
    found = set()
    for page in client.pages(f"/orgs/{org}/teams/{slug}/members", {"per_page": 100}):
        found |= {u["login"].lower() for u in page.json()}
    return found


def search_all(client: ReferenceClient, kind: str, query: str, low: date, high: date) -> list:
    """Every result of `query` with a date range low..high, split while above the cap."""
    qualifier = "author-date" if kind == "commits" else "updated"
    params = {"q": f"{query} {qualifier}:{low}..{high}", "per_page": 100}
    first = client.get(f"/search/{kind}", params)
    assert first.status_code == 200, first.text
    if first.json()["total_count"] > CAP and low < high:
        middle = low + (high - low) // 2
        return search_all(client, kind, query, low, middle) + search_all(
            client, kind, query, middle + timedelta(days=1), high
        )
    items = list(first.json()["items"])
    response = first
    while "next" in response.links:
        response = client.get(response.links["next"]["url"])
        items += response.json()["items"]
    return items


def _timeline_facts(kind: str, item: dict, entries: list[dict]):
    yield "created", item["user"]["login"], item["created_at"], "-created"
    pending = {e["id"] for e in entries if e["event"] == "reviewed" and e["state"] == "pending"}
    for e in entries:
        name = e["event"]
        if name == "reviewed":
            if e["state"] != "pending":
                yield "reviewed", e["user"]["login"], e["submitted_at"], f"-review-{e['id']}"
        elif name == "line-commented":
            for c in e["comments"]:
                if c["pull_request_review_id"] not in pending:
                    yield (
                        "review_commented",
                        c["user"]["login"],
                        c["created_at"],
                        f"-review_comment-{c['id']}",
                    )
        elif (
            name in SAME
            or name in RELATIONS
            or name in CHANGED
            or (kind == "pr" and name in PR_CHANGED)
        ):
            relation = name if name in SAME else RELATIONS.get(name, "changed")
            suffix = f"-comment-{e['id']}" if name == "commented" else f"-event-{e['id']}"
            yield relation, e["actor"]["login"], e["created_at"], suffix


def extract(client, member, owners, start, end, event_type, today: date) -> list[tuple]:
    """The contract's KEY_COLUMNS of every row, sorted like ground truth."""
    people = people_of(client, member)
    low = start.date() - timedelta(days=1)
    last = (end - timedelta(microseconds=1)).date() + timedelta(days=1)
    rows = set()
    if event_type == "commits":
        for login in sorted(people):
            for owner in owners:
                for c in search_all(client, "commits", f"author:{login} user:{owner}", low, last):
                    at = instant(c["commit"]["author"]["date"])
                    if c["author"] and c["author"]["login"].lower() in people and start <= at < end:
                        parent = f"commit:{c['repository']['full_name'].lower()}@{c['sha']}"
                        rows.add(
                            (
                                "github-" + parent.replace(":", "-", 1),
                                parent,
                                "authored",
                                c["author"]["login"].lower(),
                                at,
                            )
                        )
        return _sorted(rows)
    is_ = "issue" if event_type == "issues" else "pr"
    found: dict[str, str] = {}
    for login in sorted(people):
        for owner in owners:
            queries = [f"involves:{login} is:{is_} user:{owner}"]
            if is_ == "pr":
                queries.append(f"reviewed-by:{login} is:pr user:{owner}")
            for query in queries:
                for hit in search_all(client, "issues", query, low, today):
                    found[hit["url"]] = hit["url"]
    for url in sorted(found):
        response = client.get(url)
        if response.status_code in (404, 410):
            continue
        item = response.json()
        full = item["repository_url"].split("/repos/")[1].lower()
        parent = f"{is_}:{full}#{item['number']}"
        entries = [
            e for page in client.pages(f"{url}/timeline", {"per_page": 100}) for e in page.json()
        ]
        for relation, actor, when, suffix in _timeline_facts(is_, item, entries):
            at = instant(when)
            if actor.lower() in people and start <= at < end:
                rows.add(
                    (
                        f"github-{parent.replace(':', '-', 1)}{suffix}",
                        parent,
                        relation,
                        actor.lower(),
                        at,
                    )
                )
    return _sorted(rows)


def _sorted(rows: set[tuple]) -> list[tuple]:
    keyed = [(r[0], r[1], r[2], r[3], r[4].isoformat()) for r in rows]
    return sorted(keyed, key=lambda r: (r[4], r[0]))
