"""scripts/report.py as a user runs it, and the views it reads (migration 0004), on the
example roster and sample-team's Launchpad activity."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from models.settings import PROJECT_ROOT
from tests.observe.report_data import END, START, load_sample

WINDOW = ("--from", START, "--to", END)


@pytest.fixture
def sample(database):
    load_sample(database)
    return database


@pytest.fixture
def run_report(db_settings):
    def run(*args: str) -> subprocess.CompletedProcess:
        env = {"PATH": "/usr/bin:/bin", **db_settings.as_env()}
        return subprocess.run(
            [sys.executable, "scripts/report.py", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


def query(database, statement: str, params=()) -> list[tuple]:
    with database.get_connection() as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


def test_team_table_and_page_match_the_views(sample, run_report, tmp_path):
    page = tmp_path / "report.html"
    result = run_report("--team", "platform", *WINDOW, "--html", str(page))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    print(out)
    totals = dict(
        query(
            sample,
            "SELECT employee_id, sum(events)::int FROM weekly_activity "
            "WHERE 'platform' = ANY(teams) AND week >= %s AND week < %s GROUP BY 1",
            (START, END),
        )
    )
    assert totals, "the platform team has activity in the sample"
    for employee_id, events in totals.items():
        row = next(line for line in out.splitlines() if f"({employee_id})" in line)
        assert row.split()[-1] == str(events), row
    person_total = next(line for line in out.splitlines() if line.startswith("total"))
    assert person_total.split()[-1] == str(sum(totals.values()))
    assert f"report page: {page}" in out
    html = page.read_text()
    assert "default-src 'none'" in html
    # Nothing the browser could fetch: no src/href, no CSS url(), no imports.
    assert not re.search(r"\b(src|href)\s*=|url\(|@import", html)


def test_employees_outside_the_roster_show_by_their_login(sample, run_report):
    result = run_report("--employees", "E1004,vint-parker", *WINDOW)
    assert result.returncode == 0, result.stderr
    rows = dict(
        query(
            sample,
            "SELECT employee_id, count(*)::int FROM " + sample.table + " WHERE employee_id "
            "= ANY(%s) AND event_time_utc >= %s AND event_time_utc < %s GROUP BY 1",
            (["E1004", "vint-parker"], START, END),
        )
    )
    lines = result.stdout.splitlines()
    assert next(line for line in lines if line.startswith("Brian Quinn (E1004)")).split()[-1] == (
        str(rows["E1004"])
    )
    assert next(line for line in lines if line.startswith("vint-parker ")).split()[-1] == str(
        rows["vint-parker"]
    )


def test_team_view_counts_each_members_events(sample):
    """team_weekly_activity, recomputed from the events table and the roster."""
    from_views = query(
        sample,
        "SELECT team, sum(events)::int FROM team_weekly_activity GROUP BY 1 ORDER BY 1",
    )
    from_events = query(
        sample,
        "SELECT t.team, count(*)::int FROM " + sample.table + " e JOIN roster_people p "
        "USING (employee_id) CROSS JOIN LATERAL unnest(p.teams) t(team) GROUP BY 1 ORDER BY 1",
    )
    assert from_views == from_events
    assert {team for team, _ in from_views} >= {"platform", "kernel", "docs"}


def test_a_window_that_ends_before_it_starts_is_refused(sample, run_report):
    result = run_report("--team", "platform", "--from", END, "--to", START)
    assert result.returncode == 2
    assert "--to (2024-01-01) must be after --from (2024-04-01)" in result.stderr


def test_an_unknown_team_is_refused_naming_the_known_ones(sample, run_report):
    result = run_report("--team", "platfrom", *WINDOW)
    assert result.returncode == 2
    assert "no one in the roster is in team 'platfrom'; teams: " in result.stderr
    assert "platform" in result.stderr


def test_a_selection_without_events_says_so(sample, run_report, tmp_path):
    page = tmp_path / "empty.html"
    result = run_report("--employees", "E9999", *WINDOW, "--html", str(page))
    assert result.returncode == 0, result.stderr
    assert "0 events" in result.stdout
    assert "No events for this selection." in page.read_text()
