"""The identity step on single events, and the settings that steer it."""

from __future__ import annotations

import pytest

from models.event import Event
from models.exceptions import ConfigurationError, RegistryError
from models.identity import CommentBody, Login, LoginText, PersonLabel
from models.roster import roster_source
from models.roster.identity import IdentityMap, pseudonym
from models.roster.store import IdentityRecord
from models.settings import DEVELOPMENT_PSEUDONYM_KEY, Settings

KEY = "test-key"
RECORDS = [
    IdentityRecord("launchpad", "alice", "E1", "Asia/Tokyo", False),
    IdentityRecord("launchpad", "bob", "E2", None, False),
    IdentityRecord("github", "Alice-GH", "E1", "Asia/Tokyo", False),
    IdentityRecord("launchpad", "carol", "E3", None, True),  # retired: maps nothing
]


def event(actor: str, **relation) -> Event:
    return Event(
        source_kind_id="launchpad",
        event_id=f"e-{actor}",
        event_type="bugs",
        relation_type="commented",
        employee_id=actor,
        event_time_utc="2024-03-01T12:00:00Z",
        timezone="Europe/London",
        relation_properties=relation,
    )


def test_roster_actor_gets_the_roster_id_and_time_zone():
    mapped = IdentityMap(RECORDS, KEY, False).apply(event("alice"))
    assert (mapped.employee_id, mapped.source_actor) == ("E1", "alice")
    assert mapped.timezone == "Asia/Tokyo" and mapped.event_time.hour == 21


def test_actor_outside_the_roster_keeps_login_and_zone():
    mapped = IdentityMap(RECORDS, KEY, False).apply(event("carol"))
    assert (mapped.employee_id, mapped.source_actor, mapped.timezone) == (
        "carol",
        "carol",
        "Europe/London",
    )


def test_people_in_properties_become_ids_or_keyed_pseudonyms():
    identities = IdentityMap(RECORDS, KEY, False)
    mapped = identities.apply(
        event(
            "bob",
            assignee=Login("ALICE"),
            old=PersonLabel("Dave Doe (dave)", "dave"),
            reviewers=[Login("bob"), Login("eve")],
            branch=LoginText("~dave/widget/+git/widget:fix into ~alice/widget", ["dave", "alice"]),
            subject=LoginText("~davey and ~dave.", ["dave"]),  # not inside a longer name
            content=CommentBody("thanks, dave"),
            plain="dave",  # not marked: left alone
        )
    )
    dave, eve = pseudonym(KEY, "launchpad", "dave"), pseudonym(KEY, "launchpad", "eve")
    assert mapped.relation_properties == {
        "assignee": "E1",
        "old": dave,
        "reviewers": ["E2", eve],
        "branch": f"~{dave}/widget/+git/widget:fix into ~E1/widget",
        "subject": f"~davey and ~{dave}.",
        "content": None,
        "plain": "dave",
    }
    assert dave.startswith("anon-") and len(dave) == 21
    assert dave != pseudonym("another-key", "launchpad", "dave")
    assert dave != pseudonym(KEY, "github", "dave")  # one per source


def test_comment_bodies_are_kept_when_the_setting_says_so():
    mapped = IdentityMap(RECORDS, KEY, True).apply(event("bob", content=CommentBody("hi")))
    assert mapped.relation_properties == {"content": "hi"}


def test_settings_for_the_roster():
    defaults = Settings.from_env(env={})
    assert defaults.pseudonym_key == DEVELOPMENT_PSEUDONYM_KEY
    assert (defaults.store_comment_bodies, defaults.db.schema) == (False, "public")
    assert "pseudonym_key" not in repr(defaults)
    custom = Settings.from_env(
        env={"PSEUDONYM_KEY": "s3cret", "STORE_COMMENT_BODIES": "yes", "DB_SCHEMA": "etl"}
    )
    assert (custom.pseudonym_key, custom.store_comment_bodies, custom.db.schema) == (
        "s3cret",
        True,
        "etl",
    )
    assert custom.db.as_env()["DB_SCHEMA"] == "etl"
    for env, message in [
        ({"STORE_COMMENT_BODIES": "maybe"}, "STORE_COMMENT_BODIES must be true or false"),
        ({"DB_SCHEMA": "etl; drop"}, "DB_SCHEMA must be a plain identifier"),
        ({"DB_SCHEMA": "Etl"}, "DB_SCHEMA must be lower case"),
    ]:
        with pytest.raises(ConfigurationError, match=message):
            Settings.from_env(env=env)


def test_a_roster_source_name_is_registered_once():
    with pytest.raises(RegistryError, match="'file' is registered twice"):

        @roster_source("file")
        def another_file_source(settings, path=""):
            return []
