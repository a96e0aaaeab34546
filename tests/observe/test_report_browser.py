"""The report page in a real browser (headless Chromium): every chart is drawn with the
numbers the views give, bars are as long as their numbers, and the page asks the network
for nothing. A screenshot of the page is saved under the test's tmp dir."""

from __future__ import annotations

import statistics
from datetime import date

import pytest

from models.report.data import NO_TEAM, ReportSelection, load_report
from models.report.html import render_html
from tests.observe.browser import chromium_binary, inspect_page
from tests.observe.report_data import END, START, load_sample
from tests.observe.test_report import query

pytestmark = pytest.mark.skipif(
    chromium_binary() is None,
    reason="no Chromium binary (Debian: apt-get install chromium; `make test` installs it)",
)

# Runs in the page after it loaded: what every chart drew, as the browser laid it out.
READ_CHARTS = """
(() => [...document.querySelectorAll('figure.chart')].map(figure => ({
  chart: figure.dataset.chart,
  total: Number(figure.dataset.total),
  bars: [...figure.querySelectorAll('rect.bar')].map(bar => {
    const box = bar.getBoundingClientRect();
    return {series: bar.dataset.series, category: bar.dataset.category,
            value: Number(bar.dataset.value),
            size: figure.dataset.measure === 'height' ? box.height : box.width,
            visible: box.width > 0 && box.height > 0};
  }),
})))()
"""

# The report's selections: one team, and everyone (which adds the teams chart).
SELECTIONS = {"team": "'platform' = ANY(teams) AND ", "everyone": ""}


def drawn(chart: dict) -> dict[tuple[str, str], int]:
    return {(bar["series"], bar["category"]): bar["value"] for bar in chart["bars"]}


@pytest.mark.parametrize("who", SELECTIONS)
def test_report_page_renders_every_chart_with_the_sql_numbers(who, database, tmp_path):
    load_sample(database)
    team = "platform" if who == "team" else None
    selection = ReportSelection(date.fromisoformat(START), date.fromisoformat(END), team)
    where = f"WHERE {SELECTIONS[who]}week >= %s AND week < %s"
    page = tmp_path / "report.html"
    page.write_text(render_html(load_report(database, selection)), encoding="utf-8")

    visit = inspect_page(page, READ_CHARTS, tmp_path / "report.png")
    print(f"\nreport screenshot: {visit.screenshot}")

    assert visit.requests == [page.resolve().as_uri()], "the page fetched something"
    assert not visit.failed and not visit.messages, (visit.failed, visit.messages)
    charts = {chart["chart"]: chart for chart in visit.value}
    params = (START, END)
    flows = query(
        database,
        f"SELECT DISTINCT source || ' · ' || event_type FROM weekly_activity {where}",
        params,
    )
    expected = {f"weekly:{flow}" for (flow,) in flows} | {"people", "items"}
    assert set(charts) == expected | ({"teams"} if team is None else set())

    for chart in charts.values():
        assert chart["bars"], f"{chart['chart']} drew nothing"
        assert all(bar["visible"] for bar in chart["bars"]), chart["chart"]
        # Each bar's drawn length is its value times the chart's one scale.
        scale = statistics.median(bar["size"] / bar["value"] for bar in chart["bars"])
        for bar in chart["bars"]:
            assert abs(bar["size"] - bar["value"] * scale) < 0.75, (chart["chart"], bar)
        assert chart["total"] == sum(bar["value"] for bar in chart["bars"])

    for (flow,) in flows:
        rows = query(
            database,
            f"SELECT relation_type, week::text, sum(events)::int FROM weekly_activity {where} "
            "AND source || ' · ' || event_type = %s GROUP BY 1, 2",
            (*params, flow),
        )
        assert drawn(charts[f"weekly:{flow}"]) == {(r, w): n for r, w, n in rows}

    people = query(
        database,
        "SELECT source || ' · ' || event_type, "
        "COALESCE(person_name || ' (' || employee_id || ')', employee_id), "
        f"sum(events)::int FROM weekly_activity {where} GROUP BY 1, 2",
        params,
    )
    assert drawn(charts["people"]) == {(flow, who): n for flow, who, n in people}

    items = query(
        database,
        "SELECT source || ' · ' || event_type, item_id, sum(events)::int "
        f"FROM item_weekly_activity {where} GROUP BY 1, 2 ORDER BY 3 DESC, 2 LIMIT 10",
        params,
    )
    bars = charts["items"]["bars"]
    assert [(b["series"], b["category"].split()[0], b["value"]) for b in bars] == items

    if team is None:
        teams = query(
            database,
            "SELECT team, week::text, sum(events)::int FROM team_weekly_activity "
            f"{where} GROUP BY 1, 2 UNION ALL "
            "SELECT %s, week::text, sum(events)::int FROM weekly_activity "
            f"{where} AND cardinality(teams) = 0 GROUP BY 1, 2",
            (*params, NO_TEAM, *params),
        )
        assert drawn(charts["teams"]) == {(t, w): n for t, w, n in teams}
