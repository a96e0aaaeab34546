"""Views of weekly activity per person, team and item: what ``scripts/report.py`` charts.

They belong to the schema so that any SQL tool (Grafana, Metabase, psql) charts the same
numbers as the report. Every view groups events by their UTC ``week`` (a Monday) and joins
the roster (``roster_people``, migration 0002) for names and teams; people the roster does
not know keep their employee id and have no team.

* ``weekly_activity``: events and distinct items per week, source, event type, relation
  type and person (with ``person_name`` and ``teams``).
* ``team_weekly_activity``: the same per team (a person in two teams counts in both),
  with the number of active people.
* ``item_weekly_activity``: events per week, item (``parent_item_id``, with its title, or
  the start of its description, and its link as the source stored them) and person: the
  busiest items.

A schema holds one set of views: they read the events table of the last migration run
(``EVENTS_TABLE``). Dropping that table drops them (CASCADE); they come back with it.
"""

from __future__ import annotations

from psycopg2 import sql

WEEKLY_ACTIVITY = """
CREATE OR REPLACE VIEW weekly_activity AS
SELECT e.week, e.source_kind_id AS source, e.event_type, e.relation_type, e.employee_id,
       p.name AS person_name, COALESCE(p.teams, '{{}}'::varchar[]) AS teams,
       count(*)::int AS events, count(DISTINCT e.parent_item_id)::int AS items
FROM {events} e LEFT JOIN roster_people p ON p.employee_id = e.employee_id
GROUP BY e.week, e.source_kind_id, e.event_type, e.relation_type, e.employee_id,
         p.name, p.teams
"""

TEAM_WEEKLY_ACTIVITY = """
CREATE OR REPLACE VIEW team_weekly_activity AS
SELECT w.week, t.team, w.source, w.event_type, w.relation_type,
       sum(w.events)::int AS events, count(DISTINCT w.employee_id)::int AS people
FROM weekly_activity w CROSS JOIN LATERAL unnest(w.teams) AS t(team)
GROUP BY w.week, t.team, w.source, w.event_type, w.relation_type
"""

ITEM_WEEKLY_ACTIVITY = """
CREATE OR REPLACE VIEW item_weekly_activity AS
SELECT e.week, e.source_kind_id AS source, e.event_type, e.parent_item_id AS item_id,
       e.employee_id, COALESCE(p.teams, '{{}}'::varchar[]) AS teams,
       max(COALESCE(e.event_properties ->> 'title',
                    left(e.event_properties ->> 'description', 80))) AS title,
       max(e.event_properties ->> 'web_link') AS web_link,
       count(*)::int AS events
FROM {events} e LEFT JOIN roster_people p ON p.employee_id = e.employee_id
WHERE e.parent_item_id IS NOT NULL
GROUP BY e.week, e.source_kind_id, e.event_type, e.parent_item_id, e.employee_id, p.teams
"""


def upgrade(cur, ctx) -> None:
    for statement in (WEEKLY_ACTIVITY, TEAM_WEEKLY_ACTIVITY, ITEM_WEEKLY_ACTIVITY):
        cur.execute(sql.SQL(statement).format(events=ctx.events))
