"""Temporal Schedules that run QueuerFlow: what ``scripts/schedule.py`` creates and reads.

Policies, chosen on purpose:

* **Window**: a run covers the period before its scheduled time plus the overlap (default
  1 day, so late-arriving facts of the previous period's end are picked up; the upsert
  makes re-covered facts change nothing). The time comes from the run's
  ``TemporalScheduledStartTime``, never from the clock.
* **Overlap** (``BUFFER_ONE``): a run that comes due while the previous one still runs
  waits for it; never two queuers of one schedule at once, competing for one budget.
* **Catch-up window** (1 day): a tick missed while the Temporal server was down still runs
  if the server is back within a day. Longer outages, pauses and failed runs are closed by
  the next run instead, which widens each person's window back to their watermark.
* **Backfill** (``BUFFER_ALL``): past ticks run one after another, oldest first, each
  exactly its own window (a run that starts later than the catch-up window after its tick
  does not widen).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleCalendarSpec,
    ScheduleHandle,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleState,
)

from models.etl.queuer_flow import QueuerFlow
from models.etl.queuer_io import QueuerInput
from models.etl.run_labels import queuer_summary
from models.exceptions import InvalidQueryError

CATCH_UP_WINDOW = "1d"
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # Temporal: 0 is Sunday
_AT = re.compile(r"^\s*(?:([A-Za-z]{3})[a-z]*\s+)?(\d{1,2}):(\d{2})\s*$")


def calendar_spec(every: str, at: str, timezone: str = "UTC") -> ScheduleSpec:
    """``every`` day or week, ``at`` "02:00" or (weekly) "Mon 02:00", in ``timezone``."""
    match = _AT.match(at or "")
    if every not in ("day", "week") or not match:
        raise InvalidQueryError(
            f'--every is day or week and --at is "HH:MM" or "Mon HH:MM", got {every!r} {at!r}'
        )
    day, hour, minute = match.group(1), int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise InvalidQueryError(f"--at {at!r} is not a time of day")
    if (every == "week") != bool(day) or (day and day.lower() not in DAYS):
        raise InvalidQueryError(
            f'a weekly schedule needs a day ("Mon 02:00"), a daily one none; got {at!r}'
        )
    calendar = ScheduleCalendarSpec(
        hour=[ScheduleRange(hour)],
        minute=[ScheduleRange(minute)],
        day_of_week=[ScheduleRange(DAYS.index(day.lower()))] if day else [ScheduleRange(0, 6)],
    )
    return ScheduleSpec(calendars=[calendar], time_zone_name=timezone)


def queuer_schedule(
    request: QueuerInput, spec: ScheduleSpec, task_queue: str, name: str
) -> Schedule:
    """A schedule starting QueuerFlow with ``request``; windows come from its ticks."""
    request = dataclasses.replace(
        request, window_start="", window_end="", close_gaps=True, catch_up_window=CATCH_UP_WINDOW
    )
    return Schedule(
        action=ScheduleActionStartWorkflow(
            QueuerFlow.run,
            request,
            id=f"queuer-{name}",
            task_queue=task_queue,
            static_summary=queuer_summary(request),
        ),
        spec=spec,
        policy=SchedulePolicy(
            overlap=ScheduleOverlapPolicy.BUFFER_ONE,
            catchup_window=timedelta(days=1),
        ),
        state=ScheduleState(note=f"QueuerFlow every {request.period}, overlap {request.overlap}"),
    )


async def create(
    client: Client, name: str, request: QueuerInput, spec: ScheduleSpec, task_queue: str
) -> ScheduleHandle:
    return await client.create_schedule(name, queuer_schedule(request, spec, task_queue, name))


async def schedule_input(client: Client, handle: ScheduleHandle) -> QueuerInput:
    """The QueuerInput a schedule starts its runs with."""
    description = await handle.describe()
    action = description.schedule.action
    if not isinstance(action, ScheduleActionStartWorkflow) or action.workflow != "QueuerFlow":
        raise InvalidQueryError(f"schedule {handle.id!r} does not run QueuerFlow")
    (request,) = await client.data_converter.decode(action.args, [QueuerInput])
    return request
