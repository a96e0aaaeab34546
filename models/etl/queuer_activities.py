"""The activities behind QueuerFlow: resolve a selection into child runs, record coverage.

Synchronous (they read PostgreSQL with psycopg2) and bounded: one resolution call reads one
page of people, so a company of 10,000 is resolved in pages as the fan-out goes on.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from temporalio import activity

from models.etl import coverage
from models.etl.activities import PERMANENT_ERRORS, ETLActivities, fail_permanently
from models.etl.extract_cmd import ExtractStrategy
from models.etl.query import QueryFactory
from models.etl.queuer_io import (
    RecordCoverageInput,
    RecordCoverageResult,
    ResolvedPage,
    ResolveInput,
    WorkUnit,
)
from models.etl.queuer_members import people_page
from models.etl.queuer_window import iso, parse_moment, widened_start
from models.etl.runs import workflow_id_for
from models.exceptions import InvalidQueryError

logger = logging.getLogger(__name__)


def flows_of(sources: list[str], wanted: list[str]) -> dict[str, list[str]]:
    """Per source, the flows to run: its registered extract methods ``<source>-<flow>``,
    or those of ``wanted`` it has. Unknown sources and flows are refused by name."""
    available = sorted(ExtractStrategy.available())
    by_source: dict[str, list[str]] = {}
    for source in sources:
        QueryFactory.get(source)  # an unknown source kind fails here, naming the known ones
        own = [name.split("-", 1)[1] for name in available if name.startswith(f"{source}-")]
        by_source[source] = [flow for flow in own if not wanted or flow in wanted]
    known = {flow for flows in by_source.values() for flow in flows}
    unknown = sorted(set(wanted) - known)
    if unknown:
        raise InvalidQueryError(
            f"unknown flow(s) {', '.join(unknown)} for {', '.join(sources)}; known: "
            f"{', '.join(name for name in available if name.split('-', 1)[0] in sources)}"
        )
    return by_source


class QueuerActivities:
    """Bound to the worker's settings and database (those of its ``ETLActivities``)."""

    def __init__(self, etl: ETLActivities):
        self.etl = etl
        self.settings = etl.settings

    @activity.defn(name="queuer.resolve")
    def resolve(self, page: ResolveInput) -> ResolvedPage:
        """The next page of people as child runs, each window widened to close gaps."""
        try:
            return self._resolve(page)
        except PERMANENT_ERRORS as exc:
            fail_permanently(exc)

    def _resolve(self, page: ResolveInput) -> ResolvedPage:
        request = page.request
        flows = flows_of(request.sources, request.flows)
        people = people_page(self.etl.database, request, page.after, page.limit)
        with self.etl.database.get_connection() as conn:
            wanted = [
                (source, person.identities[source], flow, person.employee_id)
                for person in people
                for source in request.sources
                if source in person.identities
                for flow in flows[source]
            ]
            marks = coverage.watermarks(conn, [w[:3] for w in wanted]) if page.widen else {}
        start, end = parse_moment(page.window_start), parse_moment(page.window_end)
        max_widen = timedelta(days=self.settings.queuer_max_widen_days)
        lookback = timedelta(days=self.settings.queuer_new_person_lookback_days)
        units = []
        for source, member, flow, employee_id in wanted:
            unit_start = (
                widened_start(start, end, marks.get((source, member, flow)), max_widen, lookback)
                if page.widen
                else start
            )
            first, last = iso(unit_start), iso(end)
            args = QueryFactory.get(source).args_for_member(member, first, last, self.settings)
            args.update(request.args_overrides.get(source, {}))
            units.append(
                WorkUnit(
                    source=source,
                    flow=flow,
                    member=member,
                    employee_id=employee_id,
                    window_start=first,
                    window_end=last,
                    workflow_id=request.id_prefix
                    + workflow_id_for(f"{source}-{flow}", member, first, last),
                    args=args,
                )
            )
        more = len(people) == page.limit
        return ResolvedPage(
            units=units, people=len(people), next_after=people[-1].employee_id if more else None
        )

    @activity.defn(name="queuer.record_coverage")
    def record_coverage(self, request: RecordCoverageInput) -> RecordCoverageResult:
        """Store completed windows: the watermarks the next scheduled run widens to."""
        with self.etl.database.get_connection() as conn:
            return RecordCoverageResult(recorded=coverage.record(conn, request.windows))

    def all(self) -> list:
        return [self.resolve, self.record_coverage]
