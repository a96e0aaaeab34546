"""The REST endpoints as a client sees them: paging and Link headers, the search cap,
search qualifiers, errors for unknown and unreadable things, teams and users."""

from __future__ import annotations

import httpx

from simulator.github import GithubSimulator, preset
from tests.simulator.github.conftest import GENEROUS


def test_link_header_pages_through_a_long_timeline(http, small):
    _, _, rest = small.hard_cases["many_pages"].partition(":")
    repo, _, number = rest.partition("#")
    url = f"/repos/{repo}/issues/{number}/timeline"
    seen, response, pages = [], http.get(url, params={"per_page": 100}), 0
    while True:
        pages += 1
        seen += response.json()
        if "next" not in response.links:
            break
        assert 'rel="last"' in response.headers["Link"]
        response = http.get(response.links["next"]["url"])
    assert pages == 3 and len(seen) == 260
    assert len({e["id"] for e in seen}) == 260
    assert [e["created_at"] for e in seen] == sorted(e["created_at"] for e in seen)
    assert 'rel="prev"' in response.headers["Link"] and 'rel="first"' in response.headers["Link"]


def test_per_page_defaults_to_30_and_is_at_most_100(http, small):
    url = "/repos/" + small.hard_cases["many_pages"].split(":")[1].replace("#", "/issues/")
    assert len(http.get(f"{url}/timeline").json()) == 30
    assert len(http.get(f"{url}/timeline", params={"per_page": 500}).json()) == 100
    assert http.get(f"{url}/timeline", params={"page": 99}).json() == []


def test_search_qualifiers(http, small):
    person = small.sample_person

    def numbers(q: str) -> set[str]:
        items = http.get("/search/issues", params={"q": q, "per_page": 100}).json()["items"]
        return {f"{i['repository_url'].split('/repos/')[1].lower()}#{i['number']}" for i in items}

    pr_only = small.hard_cases["reviewed_only"].split(":")[1]
    assert pr_only not in numbers(f"involves:{person} is:pr user:acme")
    assert pr_only in numbers(f"reviewed-by:{person} is:pr user:acme")
    # Logins are case-insensitive; other owners' repositories stay out of user:acme.
    assert numbers(f"involves:{person.lower()} is:issue user:acme") == numbers(
        f"involves:{person.upper()} is:issue user:ACME"
    )
    other = small.hard_cases["other_owner"].split(":")[1]
    assert other not in numbers(f"involves:{person} is:issue user:acme")
    assert other in numbers(f"involves:{person} is:issue user:other-corp")
    # Whole days, inclusive ranges.
    edges = small.hard_cases["edges"].split(":")[1]
    assert edges in numbers(f"involves:{person} is:issue user:acme updated:2024-04-01..2024-04-01")
    assert edges not in numbers(f"involves:{person} is:issue user:acme updated:<2024-04-01")


def test_commit_search_compares_the_commits_own_local_day(http, small):
    person = small.sample_person

    def shas(q: str) -> set[str]:
        items = http.get("/search/commits", params={"q": q, "per_page": 100}).json()["items"]
        return {i["sha"] for i in items}

    local_before = small.hard_cases["commit_local_date_before_start"].split("@")[1]
    found = shas(f"author:{person} user:acme author-date:2024-01-01..2024-01-02")
    assert local_before not in found  # 2023-12-31 in its author's offset
    assert local_before in shas(f"author:{person} user:acme author-date:2023-12-31..2024-01-02")
    unlinked = small.hard_cases["commit_unlinked"].split("@")[1]
    assert unlinked not in shas(f"author:{person} user:acme author-date:2023-01-01..2025-01-01")


def test_unknown_and_unreadable(http, small):
    assert (
        http.get("/search/issues", params={"q": "involves:no-such-login is:pr"}).status_code == 422
    )
    body = http.get("/search/commits", params={"q": "author:x-nobody user:acme"}).json()
    assert body["message"] == "Validation Failed" and body["errors"][0]["field"] == "q"
    assert http.get("/search/issues", params={"q": "hello"}).status_code == 422
    for name, status in (("deleted", 410), ("made_private", 404)):
        repo, _, number = small.hard_cases[name].split(":")[1].partition("#")
        assert http.get(f"/repos/{repo}/issues/{number}").status_code == status
        assert http.get(f"/repos/{repo}/issues/{number}/timeline").status_code == status
    assert http.get("/users/no-such-login").status_code == 404
    assert http.get("/orgs/acme/teams/no-such-team/members").status_code == 404
    assert http.get("/repos/acme/gadget/pulls/1").status_code == 404  # an issue, not a PR


def test_team_members_include_descendant_teams_once(http, small):
    members = http.get("/orgs/acme/teams/sample-team/members", params={"per_page": 100}).json()
    logins = [m["login"] for m in members]
    assert len(logins) == len(set(logins))
    nested = small.hard_cases["nested_member"]
    assert nested in logins and nested not in small.team("acme", "sample-team").members
    children = http.get("/orgs/acme/teams/sample-team/teams").json()
    assert [t["slug"] for t in children] == ["sample-subteam"]
    team = http.get("/orgs/acme/teams/sample-subteam").json()
    assert team["parent"]["slug"] == "sample-team"
    assert http.get(f"/users/{small.sample_person.lower()}").json()["login"] == small.sample_person


def test_search_cap_total_count_true_and_page_past_it_refused():
    dataset = preset("cap")
    q = f"involves:{dataset.hard_cases['cap_person']} is:issue user:acme"
    with (
        GithubSimulator(dataset, **GENEROUS) as sim,
        httpx.Client(base_url=sim.service_root) as http,
    ):
        first = http.get("/search/issues", params={"q": q, "per_page": 100})
        assert first.json()["total_count"] == 1100
        assert 'page=10>; rel="last"' in first.headers["Link"]
        tenth = http.get("/search/issues", params={"q": q, "per_page": 100, "page": 10})
        assert len(tenth.json()["items"]) == 100 and "next" not in tenth.links
        past = http.get("/search/issues", params={"q": q, "per_page": 100, "page": 11})
        assert past.status_code == 422
        assert "first 1000 search results" in past.json()["message"]
        # A page that straddles the cap stops at it.
        straddle = http.get("/search/issues", params={"q": q, "per_page": 30, "page": 34})
        assert len(straddle.json()["items"]) == 10


def test_search_results_are_stable_and_sorted_by_update(http, small):
    q = f"involves:{small.sample_person} is:issue user:acme"
    pages = [
        http.get("/search/issues", params={"q": q, "per_page": 3, "page": n}).json()
        for n in (1, 2, 3)
    ]
    updated = [i["updated_at"] for p in pages for i in p["items"]]
    assert updated == sorted(updated, reverse=True)
    assert all(p["incomplete_results"] is False for p in pages)


def test_served_under_a_prefix_like_github_enterprise_server(small):
    with GithubSimulator(small, path_prefix="/api/v3", **GENEROUS) as sim:
        assert sim.service_root.endswith("/api/v3")
        with httpx.Client(base_url=sim.service_root) as http:
            found = http.get(
                "/search/issues", params={"q": f"involves:{small.sample_person}", "per_page": 2}
            )
            assert found.status_code == 200
            assert found.links["next"]["url"].startswith(f"{sim.service_root}/search/issues?")
            assert found.json()["items"][0]["url"].startswith(f"{sim.service_root}/repos/")
            assert found.headers["x-ratelimit-resource"] == "search"
            assert found.headers["x-github-request-id"]
        assert (
            httpx.get(sim.service_root.removesuffix("/api/v3") + "/users/acme").status_code == 404
        )
