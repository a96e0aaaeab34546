"""The numbers of the weekly activity report, read from the activity views (migration 0004).

Everything the report shows comes from ``weekly_activity`` and ``item_weekly_activity``,
filtered by the same selection (weeks, team, employees), so the terminal table, the HTML
charts and a Grafana panel over the same views agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from psycopg2 import sql

from models.database import Database
from models.exceptions import InvalidQueryError

BUSIEST_ITEMS = 10
NO_TEAM = "(no team)"


@dataclass(frozen=True)
class ReportSelection:
    """Whose activity, over which weeks: those whose Monday lies in [``start``, ``end``),
    counting the week that contains ``start``."""

    start: date
    end: date
    team: str | None = None
    employees: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidQueryError(f"--to ({self.end}) must be after --from ({self.start})")

    @property
    def first_week(self) -> date:
        return week_of_date(self.start)

    def weeks(self) -> list[date]:
        weeks, week = [], self.first_week
        while week < self.end:
            weeks.append(week)
            week += timedelta(days=7)
        return weeks

    def where(self) -> tuple[sql.Composable, list]:
        """The WHERE clause every report query shares, and its parameters."""
        clauses = [sql.SQL("week >= %s AND week < %s")]
        params: list = [self.first_week, self.end]
        if self.team:
            clauses.append(sql.SQL("%s = ANY(teams)"))
            params.append(self.team)
        if self.employees:
            clauses.append(sql.SQL("employee_id = ANY(%s)"))
            params.append(list(self.employees))
        return sql.SQL(" WHERE ") + sql.SQL(" AND ").join(clauses), params

    def describe(self) -> str:
        who = [f"team {self.team}"] if self.team else []
        if self.employees:
            who.append(", ".join(self.employees))
        return f"{' · '.join(who) or 'everyone'} · {self.start} → {self.end}"


def week_of_date(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Person:
    employee_id: str
    name: str | None
    by_week: dict[date, int] = field(default_factory=dict)
    by_flow: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.employee_id})" if self.name else self.employee_id

    @property
    def total(self) -> int:
        return sum(self.by_week.values())


@dataclass
class Item:
    source: str
    event_type: str
    item_id: str
    title: str | None
    web_link: str | None
    events: int
    people: int

    @property
    def label(self) -> str:
        return f"{self.item_id} {self.title}" if self.title else self.item_id


@dataclass
class ReportData:
    selection: ReportSelection
    weeks: list[date]
    # flow ("source · event_type") → relation type → week → events
    flows: dict[str, dict[str, dict[date, int]]]
    people: list[Person]  # busiest first
    items: list[Item]  # busiest first
    # team → week → events (a person in two teams counts in both; NO_TEAM: not in the roster)
    teams: dict[str, dict[date, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(person.total for person in self.people)

    def flow_names(self) -> list[str]:
        return sorted(self.flows)


def flow_name(source: str, event_type: str) -> str:
    return f"{source} · {event_type}"


def load_report(database: Database, selection: ReportSelection) -> ReportData:
    """Read the report's numbers for ``selection`` from the views."""
    where, params = selection.where()
    weekly = sql.SQL(
        "SELECT week, source, event_type, relation_type, employee_id, person_name, teams, "
        "sum(events)::int FROM weekly_activity{} GROUP BY 1, 2, 3, 4, 5, 6, 7"
    ).format(where)
    items = sql.SQL(
        "SELECT source, event_type, item_id, max(title), max(web_link), sum(events)::int, "
        "count(DISTINCT employee_id)::int FROM item_weekly_activity{} GROUP BY 1, 2, 3 "
        "ORDER BY 6 DESC, 3 LIMIT %s"
    ).format(where)
    with database.get_connection() as conn, conn.cursor() as cur:
        cur.execute(weekly, params)
        weekly_rows = cur.fetchall()
        cur.execute(items, [*params, BUSIEST_ITEMS])
        item_rows = cur.fetchall()

    flows: dict[str, dict[str, dict[date, int]]] = defaultdict(lambda: defaultdict(dict))
    people: dict[str, Person] = {}
    teams: dict[str, dict[date, int]] = defaultdict(dict)
    for week, source, event_type, relation, employee_id, name, in_teams, events in weekly_rows:
        flow = flow_name(source, event_type)
        series = flows[flow][relation]
        series[week] = series.get(week, 0) + events
        person = people.setdefault(employee_id, Person(employee_id, name))
        person.by_week[week] = person.by_week.get(week, 0) + events
        person.by_flow[flow] = person.by_flow.get(flow, 0) + events
        for team in in_teams or [NO_TEAM]:
            teams[team][week] = teams[team].get(week, 0) + events
    return ReportData(
        selection=selection,
        weeks=selection.weeks(),
        flows={flow: dict(relations) for flow, relations in flows.items()},
        people=sorted(people.values(), key=lambda p: (-p.total, p.employee_id)),
        items=[Item(*row) for row in item_rows],
        teams=dict(teams),
    )
