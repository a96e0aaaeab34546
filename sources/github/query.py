"""Query type "github": whose GitHub activity, in which organisations, over which window.

Queries travel in workflow inputs, which are recorded in the workflow history and shown
to everyone with Web UI access: the token is not an argument. The worker reads
``GITHUB_TOKEN`` from its settings (see ``sources.github.client``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from models.etl.query import Query, query_type, validate_window
from models.exceptions import InvalidQueryError

SOURCE = "github"
DEFAULT_SERVICE_ROOT = "https://api.github.com"

REQUIRED_ARGS = ("member", "owners", "data_date_start", "data_date_end")
OPTIONAL_ARGS = ("service_root", "source_kind_id", "event_type")

# GitHub logins: letters, digits and single hyphens, at most 39 characters; team slugs
# are lower-case words joined by hyphens. Nothing that could change a URL or a search.
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_TEAM_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_SERVICE_ROOT = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


def parse_bound(name: str, value: Any) -> datetime:
    """``YYYY-MM-DD`` or ISO-8601 → aware UTC datetime; no offset means UTC."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidQueryError(f"{name} is required (YYYY-MM-DD or ISO-8601), got {value!r}")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidQueryError(
            f"{name} must be YYYY-MM-DD or an ISO-8601 timestamp, got {value!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def validate_owners(value: Any) -> list[str]:
    """A list of organisation or user logins (a comma-separated string is accepted)."""
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple) or not value:
        raise InvalidQueryError(
            "owners must name at least one organisation or user whose repositories are in "
            f"scope (company analytics never means all of GitHub), got {value!r}"
        )
    bad = [owner for owner in value if not isinstance(owner, str) or not _LOGIN.match(owner)]
    if bad:
        raise InvalidQueryError(f"owners must be GitHub logins, got {bad!r}")
    return list(dict.fromkeys(value))


@query_type("github")
class GithubQuery(Query):
    """Activity of ``member`` (a login, or every member of the team ``ORG/TEAM-SLUG``)
    in the repositories of ``owners`` during [``data_date_start``, ``data_date_end``)."""

    def __init__(
        self,
        member: str,
        owners: list[str] | str,
        data_date_start: str,
        data_date_end: str,
        service_root: str = DEFAULT_SERVICE_ROOT,
        source_kind_id: str = SOURCE,
        event_type: str = "",
    ):
        super().__init__(source_kind_id, event_type)
        self.member = member
        self.owners = validate_owners(owners)
        self.data_date_start = data_date_start
        self.data_date_end = data_date_end
        self.start = parse_bound("data_date_start", data_date_start)
        self.end = parse_bound("data_date_end", data_date_end)
        self.service_root = service_root
        self._validate()

    def _validate(self) -> None:
        if not isinstance(self.member, str) or not self.is_valid_member(self.member):
            raise InvalidQueryError(
                f"member must be a GitHub login or a team as ORG/TEAM-SLUG, got {self.member!r}"
            )
        validate_window(self.start, self.end, self.data_date_start, self.data_date_end)
        if not isinstance(self.service_root, str) or not _SERVICE_ROOT.match(self.service_root):
            raise InvalidQueryError(
                f"service_root must be an http(s) URL such as {DEFAULT_SERVICE_ROOT}, "
                f"got {self.service_root!r}"
            )
        self.service_root = self.service_root.rstrip("/")

    @staticmethod
    def is_valid_member(member: str) -> bool:
        org, slash, slug = member.partition("/")
        if slash:
            return bool(_LOGIN.match(org) and _TEAM_SLUG.match(slug))
        return bool(_LOGIN.match(member))

    @property
    def team(self) -> tuple[str, str] | None:
        """``(org, team_slug)`` when the member is a team, else ``None``."""
        org, slash, slug = self.member.partition("/")
        return (org, slug) if slash else None

    @staticmethod
    def from_dict(data: dict[str, Any]) -> GithubQuery:
        """Build the query from a workflow's ``args``; InvalidQueryError names what is wrong."""
        known = REQUIRED_ARGS + OPTIONAL_ARGS
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise InvalidQueryError(
                f"unknown {SOURCE} argument(s): {', '.join(unknown)}; known: {', '.join(known)}"
            )
        missing = [name for name in REQUIRED_ARGS if name not in data]
        if missing:
            raise InvalidQueryError(f"missing required {SOURCE} argument(s): {', '.join(missing)}")
        return GithubQuery(**data)

    @classmethod
    def args_for_member(
        cls, member: str, data_date_start: str, data_date_end: str, settings: Any
    ) -> dict[str, Any]:
        """A child run's args for ``member`` from the worker's settings (the queuer's
        fan-out): the service root is ``GITHUB_API_URL``, the owners ``GITHUB_OWNERS``."""
        return {
            "member": member,
            "owners": list(settings.github_owners),
            "data_date_start": data_date_start,
            "data_date_end": data_date_end,
            "service_root": settings.github_api_url,
        }

    def to_summary_base(self) -> dict[str, Any]:
        """What a run's summary repeats about its query (no secrets: it is shown in the UI)."""
        return {
            "member": self.member,
            "owners": self.owners,
            "data_date_start": self.start.isoformat(),
            "data_date_end": self.end.isoformat(),
            "service_root": self.service_root,
        }
