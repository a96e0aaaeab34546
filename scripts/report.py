"""Weekly activity of people and teams: a terminal table, and an HTML page with charts.

python scripts/report.py --team platform --from 2024-01-01 --to 2024-04-01
python scripts/report.py --employees E1001,E1002 --from 2024-01-01 --to 2024-04-01 \\
    --html report.html

Reads the activity views of the events database (DB_* and EVENTS_TABLE settings; see the
weekly_activity view of migration 0004). Weeks start on Monday (UTC); a week is shown when
its Monday lies in [--from, --to), counting the week that contains --from. The HTML page
is one self-contained file: it opens offline and makes no request.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.database import Database  # noqa: E402
from models.exceptions import InvalidQueryError  # noqa: E402
from models.report.data import ReportSelection, load_report  # noqa: E402
from models.report.html import render_html  # noqa: E402
from models.report.terminal import render_text  # noqa: E402
from models.roster.store import RosterStore  # noqa: E402
from models.settings import Settings  # noqa: E402


def parse_day(name: str, value: str | None) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InvalidQueryError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--team", help="a team of the roster")
    parser.add_argument("--employees", default="", help="employee ids, comma-separated")
    parser.add_argument("--from", dest="start", default=settings.from_date or None)
    parser.add_argument("--to", dest="end", default=settings.to_date or None)
    parser.add_argument("--html", metavar="FILE", help="also write the report page here")
    args = parser.parse_args(argv)
    for name, env in (("start", "FROM_DATE"), ("end", "TO_DATE")):
        if not getattr(args, name):
            parser.error(f"--{'from' if name == 'start' else 'to'} is required (or set {env})")
    try:
        selection = ReportSelection(
            start=parse_day("--from", args.start),
            end=parse_day("--to", args.end),
            team=args.team or None,
            employees=tuple(e.strip() for e in args.employees.split(",") if e.strip()),
        )
    except InvalidQueryError as exc:
        parser.error(str(exc))
    with Database.for_settings(settings.db) as database:
        if selection.team and not RosterStore(database).people(selection.team):
            teams = sorted(
                {team for person in RosterStore(database).people() for team in person.teams}
            )
            parser.error(
                f"no one in the roster is in team {selection.team!r}; "
                f"teams: {', '.join(teams) or 'none (import a roster: scripts/roster.py import)'}"
            )
        data = load_report(database, selection)
    print(render_text(data))
    if args.html:
        path = Path(args.html)
        path.write_text(render_html(data, generated=date.today()), encoding="utf-8")
        print(f"\nreport page: {path.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
