"""What a Launchpad run asks for: whose activity, over which window, from which server."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from models.etl.query import Query, query_type, validate_window
from models.exceptions import InvalidQueryError
from models.settings import Settings

# Launchpad person and team names: lower-case letters, digits and + - . ; no path or
# query characters, so a name can be put in a URL safely.
_LP_NAME = re.compile(r"^[a-z0-9][a-z0-9+.\-]{0,63}$")
_SERVICE_ROOT_ALIASES = ("production", "staging", "qastaging", "dogfood", "test_dev")


def parse_window_bound(name: str, value: Any) -> datetime:
    """``YYYY-MM-DD`` or ISO-8601 → aware UTC datetime; no offset means UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidQueryError(
                f"{name} must be YYYY-MM-DD or an ISO-8601 timestamp, got {value!r}"
            ) from None
    else:
        raise InvalidQueryError(f"{name} is required (YYYY-MM-DD or ISO-8601), got {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def validate_service_root(value: str) -> str:
    if value in _SERVICE_ROOT_ALIASES or re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", value):
        return value if value in _SERVICE_ROOT_ALIASES or value.endswith("/") else value + "/"
    raise InvalidQueryError(
        f"service_root must be one of {', '.join(_SERVICE_ROOT_ALIASES)} or an http(s) URL, "
        f"got {value!r}"
    )


@query_type("launchpad")
class LaunchpadQuery(Query):
    """Activity of ``member`` (a person, or every participant of a team) in the
    half-open window [``data_date_start``, ``data_date_end``)."""

    def __init__(
        self,
        member: str,
        data_date_start: str,
        data_date_end: str,
        application_name: str = "temporal-etl",
        service_root: str = "production",
        version: str = "devel",
        source_kind_id: str = "launchpad",
        event_type: str = "",
    ):
        super().__init__(source_kind_id, event_type)
        self.application_name = application_name
        self.service_root = service_root
        self.version = version
        self.member = member
        self.data_date_start = data_date_start
        self.data_date_end = data_date_end
        self.start = parse_window_bound("data_date_start", data_date_start)
        self.end = parse_window_bound("data_date_end", data_date_end)
        self._validate()

    def _validate(self) -> None:
        if not isinstance(self.member, str) or not _LP_NAME.match(self.member):
            raise InvalidQueryError(
                "member must be a Launchpad person or team name (lower-case letters, digits, "
                f"'+', '-', '.'), got {self.member!r}"
            )
        validate_window(self.start, self.end, self.data_date_start, self.data_date_end)
        self.service_root = validate_service_root(self.service_root)
        if self.version not in ("devel", "1.0", "beta"):
            raise InvalidQueryError(f"version must be devel, 1.0 or beta, got {self.version!r}")
        if not isinstance(self.application_name, str) or not self.application_name.strip():
            raise InvalidQueryError("application_name must be a non-empty string")

    @staticmethod
    def from_dict(data: dict[str, Any]) -> LaunchpadQuery:
        known = {
            "member",
            "data_date_start",
            "data_date_end",
            "application_name",
            "service_root",
            "version",
            "source_kind_id",
            "event_type",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidQueryError(
                f"unknown Launchpad argument(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        for required in ("member", "data_date_start", "data_date_end"):
            if required not in data:
                raise InvalidQueryError(f"missing required Launchpad argument {required!r}")
        return LaunchpadQuery(**data)

    @classmethod
    def args_for_member(
        cls, member: str, data_date_start: str, data_date_end: str, settings: Settings
    ) -> dict[str, Any]:
        return {
            "application_name": settings.lp_app_id,
            "service_root": settings.lp_web_root,
            "version": settings.lp_api_version,
            "member": member,
            "data_date_start": data_date_start,
            "data_date_end": data_date_end,
        }

    def to_summary_base(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "data_date_start": self.start.isoformat(),
            "data_date_end": self.end.isoformat(),
            "service_root": self.service_root,
            "version": self.version,
        }
