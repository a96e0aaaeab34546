"""The three flows against the simulator: exactly its ground truth, resumable, splittable."""

from __future__ import annotations

import time

import pytest
from launchpadlib.credentials import AccessToken, Credentials

from models.exceptions import ConfigurationError, InvalidQueryError, NotFoundError
from simulator.launchpad import LaunchpadSimulator, preset
from sources.launchpad import client, extraction
from sources.launchpad.flows import bugs, merge_proposals, questions
from sources.launchpad.transport import ItemGoneError
from tests.sources.launchpad.conftest import END, START, by_id

FLOWS = {"bugs": bugs, "merge_proposals": merge_proposals, "questions": questions}


def extract(flow, query, cursor=None):
    pages = list(flow.extract_data(query, cursor))
    return [event for page in pages for event in page.events], pages


@pytest.fixture(params=["team", "person"])
def member(request, sim):
    return sim.dataset.sample_team if request.param == "team" else sim.dataset.sample_person


@pytest.mark.parametrize("event_type", sorted(FLOWS))
def test_flow_equals_ground_truth(sim, make_query, member, event_type):
    sim.reset_stats()
    events, pages = extract(FLOWS[event_type], make_query(member))
    assert by_id(events) == by_id(sim.ground_truth(member, START, END, event_type))
    assert events, "the preset has events of every type for its team and person"
    # Every request was counted, and people were looked up once.
    stats = sim.stats()
    assert sum(page.stats["requests"] for page in pages) == stats["total"]
    assert stats["by_kind"].get("team", 0) + stats["by_kind"].get("person", 0) == 1
    # Cursors move forward and end at the last item.
    afters = [page.cursor["after"] for page in pages]
    assert afters == sorted(set(afters))
    assert afters[-1] == FLOWS[event_type].list_item_ids(make_query(member))[-1]


def test_long_collections_are_read_page_by_page(sim, make_query, client_options, monkeypatch):
    # Pages of 7 entries: the 90-entry collections and the team's participants take
    # many pages each, followed through next_collection_link.
    monkeypatch.setattr(
        client, "DEFAULT_OPTIONS", client.SessionOptions(**{**vars(client_options), "page_size": 7})
    )
    team = sim.dataset.sample_team
    for event_type, flow in FLOWS.items():
        events, _ = extract(flow, make_query(team))
        assert by_id(events) == by_id(sim.ground_truth(team, START, END, event_type))


@pytest.mark.parametrize("event_type", sorted(FLOWS))
def test_resume_from_a_cursor_gives_the_rest_without_overlap(
    sim, make_query, event_type, monkeypatch
):
    flow, query = FLOWS[event_type], make_query(sim.dataset.sample_team)
    monkeypatch.setattr(extraction, "PAGE_ITEMS", 10)  # several pages on the small preset
    events, pages = extract(flow, query)
    assert len(pages) >= 3
    cursor = pages[1].cursor
    extraction.forget_listings()  # as a resumed run on another worker: list afresh
    rest, _ = extract(flow, query, cursor)
    first = [event for page in pages[:2] for event in page.events]
    assert by_id(first + rest) == by_id(events)
    assert not {e["event_id"] for e in first} & {e["event_id"] for e in rest}
    assert all(int(e["parent_item_id"].split(":")[1]) > cursor["after"] for e in rest)


@pytest.mark.parametrize("event_type", sorted(FLOWS))
def test_until_ranges_split_the_run(sim, make_query, event_type):
    flow, query = FLOWS[event_type], make_query(sim.dataset.sample_team)
    ids = flow.list_item_ids(query)
    assert ids == sorted(set(ids)) and len(ids) > 4
    bounds = [0, ids[len(ids) // 3], ids[2 * len(ids) // 3], ids[-1]]
    ranges = [{"after": low, "until": high} for low, high in zip(bounds, bounds[1:], strict=False)]
    seen: list[dict] = []
    for cursor in ranges:
        events, pages = extract(flow, query, cursor)
        for event in events:
            item_id = int(event["parent_item_id"].split(":")[1])
            assert cursor["after"] < item_id <= cursor["until"]
        assert all(page.cursor["until"] == cursor["until"] for page in pages)
        seen.extend(events)
    assert by_id(seen) == by_id(sim.ground_truth(query.member, START, END, event_type))


@pytest.mark.parametrize("event_type", ["bugs", "merge_proposals"])
def test_bugs_and_proposals_work_on_the_1_0_web_service(sim, make_query, event_type):
    team = sim.dataset.sample_team
    query = make_query(team, version="1.0")
    events, _ = extract(FLOWS[event_type], query)
    assert by_id(events) == by_id(sim.ground_truth(team, START, END, event_type))


def test_questions_need_devel(make_query):
    query = make_query("anyone", version="1.0")
    with pytest.raises(InvalidQueryError, match="needs version 'devel'"):
        extract(questions, query)


def test_unknown_member_raises_not_found(make_query):
    with pytest.raises(NotFoundError, match="Launchpad has no person or team named 'nobody-here'"):
        extract(bugs, make_query("nobody-here"))


def test_result_equals_ground_truth_despite_503_and_429(sim, make_query):
    team = sim.dataset.sample_team
    sim.set_faults(error_rate=0.15, rate_limit_rate=0.05, retry_after_s=0)
    sim.reset_stats()
    try:
        for event_type, flow in FLOWS.items():
            events, _ = extract(flow, make_query(team))
            assert by_id(events) == by_id(sim.ground_truth(team, START, END, event_type))
    finally:
        faults = sim.stats()["faults"]
        sim.set_faults(error_rate=0.0, rate_limit_rate=0.0, retry_after_s=1)
    assert faults["503"] > 10 and faults["429"] > 2


def test_429_retry_after_is_honoured(make_query):
    # A server of its own, with seeded faults: about one answer in four is a 429.
    with LaunchpadSimulator(preset("small"), rate_limit_rate=0.25, fault_seed=3) as limited:
        person = limited.dataset.sample_person
        query = make_query(person, service_root=limited.service_root)
        started = time.monotonic()
        events, _ = extract(questions, query)
        elapsed = time.monotonic() - started
        assert by_id(events) == by_id(limited.ground_truth(person, START, END, "questions"))
        assert limited.stats()["faults"]["429"] > 0
    # The tests' own backoff is at most 0.05 s: only Retry-After (1 s) takes this long.
    assert elapsed >= 1.0


def test_timeouts_are_retried(make_query, client_options, monkeypatch):
    short = client.SessionOptions(**{**vars(client_options), "timeout": 0.25})
    monkeypatch.setattr(client, "DEFAULT_OPTIONS", short)
    # One answer in five takes 1 s, four times the client's timeout.
    with LaunchpadSimulator(preset("small"), slow_rate=0.2, slow_ms=1000, fault_seed=5) as slow:
        person = slow.dataset.sample_person
        events, _ = extract(bugs, make_query(person, service_root=slow.service_root))
        assert by_id(events) == by_id(slow.ground_truth(person, START, END, "bugs"))
        assert slow.stats()["faults"]["slow"] > 0


def test_item_gone_between_search_and_fetch_is_skipped(sim, make_query, monkeypatch):
    team = sim.dataset.sample_team
    gone = int(sim.dataset.hard_cases["bug_old_with_activity_in_window"].split(":")[1])
    real_get = client.LaunchpadSession.get

    def get(self, url):
        if f"/bugs/{gone}/activity" in url:
            raise ItemGoneError(url, 404)
        return real_get(self, url)

    monkeypatch.setattr(client.LaunchpadSession, "get", get)
    events, _ = extract(bugs, make_query(team))
    expected = [
        e
        for e in sim.ground_truth(team, START, END, "bugs")
        if e["parent_item_id"] != f"bug:{gone}"
    ]
    assert by_id(events) == by_id(expected)


def test_authenticated_from_credentials_file(sim, make_query, tmp_path, monkeypatch):
    path = tmp_path / "credentials.txt"
    Credentials("temporal-etl", access_token=AccessToken("token", "secret")).save_to_path(str(path))
    monkeypatch.setenv("LP_CREDENTIALS_FILE", str(path))
    person = sim.dataset.sample_person
    events, _ = extract(questions, make_query(person))
    assert by_id(events) == by_id(sim.ground_truth(person, START, END, "questions"))


def test_unreadable_credentials_file_is_a_configuration_error(make_query, tmp_path, monkeypatch):
    path = tmp_path / "credentials.txt"
    path.write_text("not credentials")
    monkeypatch.setenv("LP_CREDENTIALS_FILE", str(path))
    with pytest.raises(ConfigurationError, match="LP_CREDENTIALS_FILE") as raised:
        extract(questions, make_query("anyone"))
    assert "not credentials" not in str(raised.value)
