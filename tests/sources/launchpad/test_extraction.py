"""The paging driver's cursor rules and the flows' item pruning (no HTTP)."""

from __future__ import annotations

import pytest

from models.exceptions import InvalidQueryError
from sources.launchpad.extraction import parse_cursor
from sources.launchpad.flows.merge_proposals import proposal_fetches
from sources.launchpad.flows.questions import question_fetches
from tests.sources.launchpad.samples import BEFORE, INSIDE, WINDOW, proposal, question


def test_cursors():
    assert parse_cursor(None) == (0, None)
    assert parse_cursor({"after": 12}) == (12, None)
    assert parse_cursor({"after": 12, "until": 40}) == (12, 40)


@pytest.mark.parametrize(
    "cursor",
    ["done", {"until": 3}, {"after": "12"}, {"after": 1, "until": 2.5}, {"after": 1, "x": 2}],
)
def test_bad_cursors_are_rejected(cursor):
    with pytest.raises(InvalidQueryError, match="cursor"):
        parse_cursor(cursor)


def test_proposals_made_after_the_window_are_not_read():
    assert proposal_fetches(proposal(date_created="2024-04-01T00:00:00+00:00"), WINDOW) is None
    assert proposal_fetches(proposal(date_created=BEFORE), WINDOW) == {
        "comments": proposal_fetches(proposal(), WINDOW)["comments"]
    }


def test_questions_silent_since_before_the_window_are_not_read():
    asked_before = question(created=BEFORE)
    quiet = {**asked_before, "date_last_query": BEFORE, "date_last_response": None}
    assert question_fetches(quiet, WINDOW) is None
    answered = {**quiet, "date_last_response": INSIDE}
    assert question_fetches(answered, WINDOW)["messages"].kind == "collection"
    # Without the dates (an older web service) every question is read.
    assert question_fetches(asked_before, WINDOW) is not None
    assert question_fetches(question(created="2024-04-01T00:00:00+00:00"), WINDOW) is None
