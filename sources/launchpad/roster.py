"""The ``launchpad-team`` roster source: a Launchpad team's participants as the roster.

Employee id = Launchpad name (what the events carried before rosters existed), one team
(the one asked for), the ``launchpad`` identity. No time zone: the events keep the one
each person set on Launchpad.

    python scripts/roster.py import --source launchpad-team team=ubuntu-server
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.exceptions import RosterError
from models.roster.people import Person
from models.roster.sources import roster_source
from models.settings import Settings
from sources.launchpad.client import LaunchpadSession
from sources.launchpad.query import LaunchpadQuery


@roster_source("launchpad-team")
def launchpad_team_people(
    settings: Settings, team: str = "", service_root: str = ""
) -> list[Person]:
    """Every participant (direct or indirect) of ``team``, from ``service_root``
    (default: the worker's LP_WEB_ROOT)."""
    if not team:
        raise RosterError("the launchpad-team roster source needs team=NAME")
    today = datetime.now(UTC).date()
    query = LaunchpadQuery(  # the session wants a query; only its member matters here
        member=team,
        data_date_start=(today - timedelta(days=1)).isoformat(),
        data_date_end=today.isoformat(),
        application_name=settings.lp_app_id,
        service_root=service_root or settings.lp_web_root,
        version=settings.lp_api_version,
    )
    with LaunchpadSession(query, settings) as session:
        names = sorted(session.actors())
    return [Person(employee_id=n, teams=[team], identities={"launchpad": n}) for n in names]
