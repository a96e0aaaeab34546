"""The three GitHub flows against the simulator: exactly its ground truth, for a person
and a team, with the contract's hard cases, resumable and splittable."""

from __future__ import annotations

import pytest

from models.etl.extract_cmd import item_ranges
from models.exceptions import NotFoundError
from simulator.github import GithubSimulator
from sources.github import extraction, items, search
from sources.github.flows import commits, issues, pull_requests
from tests.sources.github.conftest import END, NO_LIMITS, START, by_id, extract

FLOWS = {"issues": issues, "pull_requests": pull_requests, "commits": commits}


@pytest.fixture(params=["team", "person"])
def member(request, sim):
    return sim.dataset.sample_team if request.param == "team" else sim.dataset.sample_person


@pytest.mark.parametrize("event_type", sorted(FLOWS))
def test_flow_equals_ground_truth(sim, make_query, member, event_type):
    sim.reset_stats()
    events, pages = extract(FLOWS[event_type], make_query(member))
    truth = sim.ground_truth(member, START, END, event_type)
    assert truth, "the preset has events of every type for its team and person"
    assert by_id(events) == by_id(truth)
    stats = sim.stats()
    # Every request was counted, and every one carried the token.
    assert sum(page.stats["requests"] for page in pages) == stats["total"]
    assert stats["authenticated"] == stats["total"] and stats["anonymous"] == 0
    assert stats["closed_window"] == 0
    # Items found by several searches or several people were read once.
    reads = [r.path for r in sim.requests() if "/timeline" in r.path or "/pulls/" in r.path]
    assert len(reads) == len(set(reads))
    # Cursors move forward and end at the last item.
    afters = [page.cursor["after"] for page in pages]
    assert afters == sorted(set(afters))
    assert afters[-1] == FLOWS[event_type].list_item_ids(make_query(member))[-1]


def test_the_contracts_hard_cases_are_in_the_team_runs(sim, make_query):
    team, cases = sim.dataset.sample_team, sim.dataset.hard_cases
    emitted = {}
    for event_type, flow in FLOWS.items():
        events, _ = extract(flow, make_query(team))
        emitted[event_type] = {e["event_id"]: e for e in events}
    rows = [row for flow in emitted.values() for row in flow.values()]
    parents = {row["parent_item_id"] for row in rows}
    # A fact at the start instant is in, one at the end instant is out.
    assert any(r["event_time_utc"] == "2024-01-01T00:00:00+00:00" for r in rows)
    assert not any(r["event_time_utc"] >= "2024-04-01T00:00:00+00:00" for r in rows)
    # Other owners' repositories and deleted items give nothing; items read once.
    assert cases["other_owner"] not in parents
    assert cases["many_pages"] in parents
    assert len(rows) == len({r["event_id"] for r in rows})
    pending = [
        r
        for r in emitted["pull_requests"].values()
        if r["parent_item_id"] == cases["pending_review"]
        and r["relation_type"] in ("reviewed", "review_commented")
    ]
    truth = [
        r
        for r in sim.ground_truth(team, START, END, "pull_requests")
        if r["parent_item_id"] == cases["pending_review"]
        and r["relation_type"] in ("reviewed", "review_commented")
    ]
    assert by_id(pending) == by_id(truth)


def test_many_page_timelines_and_team_pages(sim, make_query, monkeypatch):
    # Pages of 3: every timeline and the team's members take many pages, followed
    # through the Link header.
    monkeypatch.setattr(items, "PER_PAGE", 3)
    monkeypatch.setattr(extraction, "PER_PAGE", 3)
    team = sim.dataset.sample_team
    for event_type in ("issues", "pull_requests"):
        sim.reset_stats()
        events, _ = extract(FLOWS[event_type], make_query(team))
        assert by_id(events) == by_id(sim.ground_truth(team, START, END, event_type))
        assert sim.stats()["by_kind"]["timeline"] > len({e["parent_item_id"] for e in events})


def test_a_search_above_the_cap_is_split_until_complete(make_query, monkeypatch, caplog):
    # A cap of 6 results in pages of 3: the small preset's person is above it.
    monkeypatch.setattr(search, "SEARCH_CAP", 6)
    monkeypatch.setattr(search, "PER_PAGE", 3)
    monkeypatch.setattr(search, "MAX_PAGES", 2)
    caplog.set_level("INFO", logger=search.__name__)
    with GithubSimulator("small", search_cap=6, **NO_LIMITS) as capped:
        person = capped.dataset.sample_person
        for event_type, flow in FLOWS.items():
            query = make_query(person)
            query.service_root = capped.service_root
            capped.reset_stats()
            events, _ = extract(flow, query)
            assert by_id(events) == by_id(capped.ground_truth(person, START, END, event_type))
            # No page past the cap was asked for: the simulator would have said 422.
            assert capped.stats()["by_status"].get("422", 0) == 0
    assert "split at" in caplog.text


@pytest.mark.parametrize("who", ["person", "team"])
def test_commits_above_the_real_cap(make_query, who):
    # The "cap" preset's person authored more than 1,000 commits in the window; they are
    # alone in the team acme/bulk-team.
    with GithubSimulator("cap", **NO_LIMITS) as capped:
        person = capped.dataset.hard_cases["cap_person"]
        member = person if who == "person" else "acme/bulk-team"
        query = make_query(member)
        query.service_root = capped.service_root
        events, _ = extract(commits, query)
        truth = capped.ground_truth(member, START, END, "commits")
        assert len(truth) > 1000
        assert by_id(events) == by_id(truth)
        assert capped.stats()["by_status"].get("422", 0) == 0


@pytest.mark.parametrize("event_type", sorted(FLOWS))
def test_resume_from_a_cursor_gives_the_rest_without_overlap(
    sim, make_query, event_type, monkeypatch
):
    flow, query = FLOWS[event_type], make_query(sim.dataset.sample_team)
    monkeypatch.setattr(extraction, "PAGE_ITEMS", 5)
    events, pages = extract(flow, query)
    assert len(pages) >= 3
    cursor = pages[1].cursor
    extraction.forget_listings()  # as a resumed run on another worker: search afresh
    rest, _ = extract(flow, query, cursor)
    first = [event for page in pages[:2] for event in page.events]
    assert by_id(first + rest) == by_id(events)
    assert all(e["parent_item_id"] > cursor["after"] for e in rest)


@pytest.mark.parametrize("event_type", sorted(FLOWS))
def test_until_ranges_split_the_run(sim, make_query, event_type):
    flow, query = FLOWS[event_type], make_query(sim.dataset.sample_team)
    ids = flow.list_item_ids(query)
    assert ids == sorted(set(ids)) and len(ids) > 4
    ranges = item_ranges(ids, max(1, len(ids) // 3))
    assert len(ranges) >= 3
    parts = [event for cursor in ranges for event in extract(flow, query, cursor)[0]]
    assert by_id(parts) == by_id(sim.ground_truth(sim.dataset.sample_team, START, END, event_type))


def test_unknown_member_fails_at_once(sim, make_query):
    with pytest.raises(NotFoundError, match="no team"):
        extract(issues, make_query("acme/no-such-team"))
    with pytest.raises(NotFoundError, match="cannot search"):
        extract(commits, make_query("no-such-person-xyz"))
