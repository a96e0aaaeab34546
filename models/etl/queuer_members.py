"""Who a queuer run covers: one page of people of its selection, with their identities."""

from __future__ import annotations

from models.database import Database
from models.etl.queuer_io import QueuerInput
from models.exceptions import InvalidQueryError
from models.roster import Person, RosterStore


def people_page(
    database: Database, request: QueuerInput, after: str | None, limit: int
) -> list[Person]:
    """Up to ``limit`` people of the selection whose employee id sorts after ``after``,
    in employee id order (a stable cursor while the roster changes)."""
    if (request.selection is None) == (not request.logins):
        raise InvalidQueryError("a queuer needs exactly one of a roster selection and logins")
    if request.selection is not None:
        return RosterStore(database).select(request.selection, after=after, limit=limit)
    logins = sorted({login.strip() for login in request.logins if login.strip()})
    page = [login for login in logins if after is None or login > after][:limit]
    return [Person(login, identities=dict.fromkeys(request.sources, login)) for login in page]
