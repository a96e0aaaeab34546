"""Coverage per person and flow, and every gap: what ``scripts/schedule.py status`` shows.

For a schedule, every identity × flow its selection covers is listed, also those never
covered yet; a stretch of coverage ending before the furthest any of them reached is a
gap too (that person is behind).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from models.database import Database
from models.etl import coverage
from models.etl.queuer_activities import flows_of
from models.etl.queuer_io import QueuerInput
from models.etl.queuer_members import people_page

PAGE = 1000


@dataclass
class StatusLine:
    employee_id: str
    source: str
    identity: str
    flow: str
    covered_from: datetime | None = None  # None: never covered
    covered_until: datetime | None = None
    gaps: list[tuple[datetime, datetime]] = field(default_factory=list)

    @property
    def has_gap(self) -> bool:
        return self.covered_until is None or bool(self.gaps)


def _selected(database: Database, request: QueuerInput) -> dict[coverage.Key, str]:
    """Every (source, identity, flow) the request covers, with its employee id."""
    flows = flows_of(request.sources, request.flows)
    wanted: dict[coverage.Key, str] = {}
    after = None
    while True:
        people = people_page(database, request, after, PAGE)
        for person in people:
            for source in request.sources:
                login = person.identities.get(source)
                for flow in flows[source] if login else ():
                    wanted[(source, login, flow)] = person.employee_id
        if len(people) < PAGE:
            return wanted
        after = people[-1].employee_id


def status(database: Database, request: QueuerInput | None = None) -> list[StatusLine]:
    """Coverage lines of ``request``'s scope (a schedule's input), or of everything."""
    with database.get_connection() as conn:
        found = coverage.coverage(conn, request.sources if request else None)
    by_key = {(c.source, c.identity, c.flow): c for c in found}
    scope = (
        _selected(database, request) if request else {k: c.employee_id for k, c in by_key.items()}
    )
    marks = [by_key[key].watermark for key in scope if key in by_key]
    until = max(marks) if marks else None
    lines = []
    for key, employee_id in sorted(scope.items(), key=lambda item: (item[1], item[0])):
        line = StatusLine(employee_id, *key)
        covered = by_key.get(key)
        if covered is not None:
            line.covered_from, line.covered_until = covered.stretches[0][0], covered.watermark
            line.gaps = covered.gaps(until)
        lines.append(line)
    return lines
