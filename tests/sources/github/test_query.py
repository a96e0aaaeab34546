"""GithubQuery: the contract's arguments, validated; the queuer's args from settings."""

from __future__ import annotations

import pytest

from models.etl.query import QueryFactory
from models.exceptions import InvalidQueryError
from models.settings import Settings
from sources.github.query import GithubQuery

ARGS = {
    "member": "octocat",
    "owners": ["canonical"],
    "data_date_start": "2024-01-01",
    "data_date_end": "2024-02-01",
}


def test_a_login_and_a_team():
    query = QueryFactory.create("github", {**ARGS, "service_root": "http://127.0.0.1:9/"})
    assert query.team is None and query.service_root == "http://127.0.0.1:9"
    team = QueryFactory.create("github", {**ARGS, "member": "canonical/snapd-devs"})
    assert team.team == ("canonical", "snapd-devs")
    assert team.to_summary_base()["owners"] == ["canonical"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"member": "a b"}, "member must be"),
        ({"member": "org/"}, "member must be"),
        ({"owners": []}, "owners must"),
        ({"owners": ["ok", "no/slash"]}, "owners must be GitHub logins"),
        ({"data_date_end": "2023-12-31"}, "must be after"),
        ({"service_root": "ftp://x"}, "service_root"),
        ({"token": "x"}, "unknown github argument"),
    ],
)
def test_bad_arguments_are_named(change, message):
    with pytest.raises(InvalidQueryError, match=message):
        QueryFactory.create("github", {**ARGS, **change})


def test_missing_owners_is_refused():
    args = {k: v for k, v in ARGS.items() if k != "owners"}
    with pytest.raises(InvalidQueryError, match="owners"):
        QueryFactory.create("github", args)


def test_args_for_member_come_from_the_worker_settings():
    settings = Settings.from_env(
        {
            "GITHUB_API_URL": "https://ghe.example.com/api/v3",
            "GITHUB_OWNERS": "canonical, ubuntu",
            "GITHUB_TOKEN": "secret",
        }
    )
    args = GithubQuery.args_for_member("octocat", "2024-01-01", "2024-02-01", settings)
    assert args == {
        "member": "octocat",
        "owners": ["canonical", "ubuntu"],
        "data_date_start": "2024-01-01",
        "data_date_end": "2024-02-01",
        "service_root": "https://ghe.example.com/api/v3",
    }
    assert "secret" not in repr(args) and "secret" not in repr(settings)
    assert QueryFactory.create("github", args).owners == ["canonical", "ubuntu"]
