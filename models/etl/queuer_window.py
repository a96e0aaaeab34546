"""The windows a queuer covers: from a schedule's tick, and widened back to close gaps.

Pure functions of their arguments (no clock), so ``QueuerFlow`` can call them in workflow
code and the scripts and tests can compute the same windows.

* A scheduled run covers the period before its scheduled time plus the overlap:
  scheduled Monday 02:00, weekly, overlap 1 day → [previous Sunday 02:00, Monday 02:00).
  A backfill of past weeks computes exactly those past windows.
* To leave no gaps, a run whose window starts after an identity × flow's watermark (the end
  of its last completed window) starts at the watermark instead, but reaches back at most
  ``max_widen``; an identity × flow with no watermark yet (a new person) starts
  ``lookback`` before the window's end.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from models.exceptions import InvalidQueryError

PERIODS = {"day": timedelta(days=1), "week": timedelta(days=7)}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """``30s``, ``15m``, ``6h``, ``1d``, ``2w`` (or ``0``) → timedelta."""
    if str(text).strip() == "0":
        return timedelta(0)
    match = _DURATION.match(str(text))
    if not match:
        raise InvalidQueryError(
            f"a duration is a number and s, m, h, d or w (e.g. 1d), got {text!r}"
        )
    return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_moment(text: str) -> datetime:
    """``YYYY-MM-DD`` or ISO-8601 → aware UTC datetime (no offset means UTC)."""
    try:
        return as_utc(datetime.fromisoformat(str(text).strip().replace("Z", "+00:00")))
    except ValueError:
        raise InvalidQueryError(f"expected YYYY-MM-DD or ISO-8601, got {text!r}") from None


def iso(moment: datetime) -> str:
    return as_utc(moment).isoformat()


def scheduled_window(
    scheduled: datetime, period: timedelta, overlap: timedelta
) -> tuple[datetime, datetime]:
    """The window of the run a schedule started for ``scheduled``."""
    end = as_utc(scheduled)
    return end - period - overlap, end


def widened_start(
    start: datetime,
    end: datetime,
    watermark: datetime | None,
    max_widen: timedelta,
    lookback: timedelta,
) -> datetime:
    """Where one identity × flow's window starts so that it leaves no gap (see above)."""
    if watermark is None:
        return min(start, end - lookback)
    if watermark >= start:
        return start  # covered up to here already: the overlap re-covers, nothing to close
    return max(watermark, start - max_widen)
