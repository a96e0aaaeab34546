"""The report as one self-contained HTML page: inline CSS and SVG, no script, no fetch.

The Content-Security-Policy (``default-src 'none'``) makes the browser refuse any request
the page might try, so it opens the same offline, from a mail attachment or a file share.
"""

from __future__ import annotations

from datetime import date
from html import escape

from models.report.data import ReportData
from models.report.svg import horizontal_bars, stacked_columns

CSP = "default-src 'none'; style-src 'unsafe-inline'"

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 800px;
       color: #222; background: #fff; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 32px; }
.meta { color: #555; margin-top: 0; }
.figures { display: flex; gap: 24px; margin: 12px 0; }
.figures div { background: #f4f6f8; border-radius: 6px; padding: 8px 14px; }
.figures b { display: block; font-size: 20px; }
figure { margin: 16px 0 28px; } figcaption { font-weight: 600; margin-bottom: 6px; }
figcaption small { font-weight: 400; color: #666; margin-left: 6px; }
svg { display: block; max-width: 100%; height: auto; }
svg .grid { stroke: #e3e3e3; } svg .tick, svg .label { font-size: 11px; fill: #444; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; margin-top: 6px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px;
            border-radius: 2px; }
table.heat { border-collapse: collapse; font-size: 11px; margin-top: 8px; }
table.heat th, table.heat td { padding: 3px 5px; text-align: right; white-space: nowrap; }
table.heat th:first-child { text-align: left; }
.empty { color: #777; font-style: italic; }
"""


def weekly_charts(data: ReportData) -> list[str]:
    """One stacked column chart per source and event type: events per week by relation."""
    categories = [week.isoformat() for week in data.weeks]
    charts = []
    for flow in data.flow_names():
        relations = data.flows[flow]
        series = {
            relation: [relations[relation].get(week, 0) for week in data.weeks]
            for relation in sorted(relations)
        }
        charts.append(
            stacked_columns(f"weekly:{flow}", f"{flow}: events per week", categories, series)
        )
    return charts


def teams_chart(data: ReportData) -> str | None:
    """Events per week of each team, when the selection is not one team already."""
    if data.selection.team or not data.teams:
        return None
    categories = [week.isoformat() for week in data.weeks]
    series = {
        team: [data.teams[team].get(week, 0) for week in data.weeks] for team in sorted(data.teams)
    }
    title = "Events per week by team (a person in two teams counts in both)"
    return stacked_columns("teams", title, categories, series)


def people_chart(data: ReportData) -> str:
    rows = [(person.label, person.by_flow) for person in data.people]
    return horizontal_bars("people", "Events per person", rows, data.flow_names())


def items_chart(data: ReportData) -> str:
    flows = sorted({f"{item.source} · {item.event_type}" for item in data.items})
    rows = [
        (item.label, {f"{item.source} · {item.event_type}": item.events}) for item in data.items
    ]
    return horizontal_bars("items", f"The {len(rows)} items with the most events", rows, flows)


def heat_table(data: ReportData) -> str:
    """People × weeks, each cell shaded by its share of the busiest cell."""
    busiest = max((n for p in data.people for n in p.by_week.values()), default=0) or 1
    head = "".join(f"<th>{week:%m-%d}</th>" for week in data.weeks)
    rows = []
    for person in data.people:
        cells = []
        for week in data.weeks:
            n = person.by_week.get(week, 0)
            shade = f"background:rgba(78,121,167,{0.08 + 0.82 * n / busiest:.2f})" if n else ""
            cells.append(f'<td style="{shade}" data-value="{n}">{n or ""}</td>')
        rows.append(
            f"<tr><th>{escape(person.label)}</th>{''.join(cells)}<td>{person.total}</td></tr>"
        )
    return (
        f'<table class="heat"><tr><th>person</th>{head}<th>total</th></tr>{"".join(rows)}</table>'
    )


def render_html(data: ReportData, generated: date | None = None) -> str:
    selection = data.selection
    body = [
        f"<h1>Weekly activity</h1><p class=meta>{escape(selection.describe())}"
        f"{f' · made {generated}' if generated else ''}</p>",
        '<div class="figures">'
        f"<div><b>{data.total}</b>events</div><div><b>{len(data.people)}</b>people</div>"
        f"<div><b>{len(data.weeks)}</b>weeks</div></div>",
    ]
    if not data.people:
        body.append('<p class="empty">No events for this selection.</p>')
    else:
        body += ["<h2>Events per week by source and relation type</h2>", *weekly_charts(data)]
        teams = teams_chart(data)
        if teams:
            body += ["<h2>Teams</h2>", teams]
        body += ["<h2>People</h2>", people_chart(data), heat_table(data)]
        body += ["<h2>Busiest items</h2>", items_chart(data)]
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Weekly activity · {escape(selection.describe())}</title>"
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )
