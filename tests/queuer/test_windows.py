"""The windows a queuer covers: from a scheduled time, and widened to close gaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.etl.queuer_window import parse_duration, scheduled_window, widened_start
from models.exceptions import InvalidQueryError

MONDAY = datetime(2024, 1, 15, 2, tzinfo=UTC)
WEEK, DAY = timedelta(days=7), timedelta(days=1)


def test_the_run_scheduled_for_monday_covers_the_week_before_plus_the_overlap():
    assert scheduled_window(MONDAY, WEEK, DAY) == (MONDAY - 8 * DAY, MONDAY)


@pytest.mark.parametrize(
    "watermark, expected",
    [
        (MONDAY - 9 * DAY, MONDAY - 9 * DAY),  # covered up to before the window: widen to it
        (MONDAY - 2 * DAY, MONDAY - WEEK),  # covered into the window: the window as it is
        (MONDAY - 200 * DAY, MONDAY - WEEK - 91 * DAY),  # far behind: at most the limit
        (None, MONDAY - 28 * DAY),  # never covered: the look-back
    ],
)
def test_a_window_widens_back_to_the_watermark_within_the_limit(watermark, expected):
    start = widened_start(MONDAY - WEEK, MONDAY, watermark, timedelta(days=91), 28 * DAY)
    assert start == expected


def test_durations():
    assert parse_duration("1d") == DAY and parse_duration("2w") == 2 * WEEK
    assert parse_duration("90s") == timedelta(seconds=90) and parse_duration("0") == timedelta(0)
    with pytest.raises(InvalidQueryError, match="e.g. 1d"):
        parse_duration("a week")
