"""Who a queuer run covers: one page of people of its selection, with their identities."""

from __future__ import annotations

from dataclasses import dataclass

from models.etl.queuer_io import QueuerInput
from models.exceptions import InvalidQueryError


@dataclass(frozen=True)
class Member:
    employee_id: str
    identities: dict[str, str]  # source kind -> login


def selection_kind(request: QueuerInput) -> str:
    """Which selection the input makes; exactly one is allowed."""
    given = [
        name
        for name, value in (
            ("all_active", request.all_active),
            ("team", request.team),
            ("employee_ids", request.employee_ids),
            ("logins", request.logins),
        )
        if value
    ]
    if len(given) != 1:
        raise InvalidQueryError(
            "select exactly one of all_active, team, employee_ids or logins; got "
            + (", ".join(given) or "none")
        )
    return given[0]


def people_page(conn, request: QueuerInput, after: str | None, limit: int) -> list[Member]:
    """Up to ``limit`` people of the selection whose employee id sorts after ``after``,
    in employee id order (a stable cursor while the roster changes)."""
    kind = selection_kind(request)
    if kind == "logins":
        logins = sorted({login.strip() for login in request.logins if login.strip()})
        page = [login for login in logins if after is None or login > after][:limit]
        return [Member(login, {source: login for source in request.sources}) for login in page]
    raise InvalidQueryError(f"selection by {kind} needs the roster")
