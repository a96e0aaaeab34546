"""The search attributes every ETL run carries, so the Web UI can list runs by them.

A workflow sets them itself (``upsert_search_attributes``), so every starter gets them:
``run_bugs_wf.py``, a queuer's children, schedules. A server must know them before a run
upserts them (an unknown attribute fails the workflow task again and again): the embedded
dev server registers them at start (``devstack.temporal``), a cluster with::

    temporal operator search-attribute create --namespace default --name EtlSource --type Keyword
    ...  # one command per attribute: --type takes one type

(``python -m models.etl.search_attributes`` prints them all; docker-compose's
``temporal-search-attributes`` job runs them.)
"""

from __future__ import annotations

from collections.abc import Sequence

from temporalio import workflow
from temporalio.common import SearchAttributeKey, SearchAttributeUpdate

SOURCE = SearchAttributeKey.for_keyword("EtlSource")  # launchpad, github, ...
FLOW = SearchAttributeKey.for_keyword("EtlFlow")  # bugs, merge-proposals, pull-requests ...
MEMBER = SearchAttributeKey.for_keyword("EtlMember")  # the member or team as given
EMPLOYEE = SearchAttributeKey.for_keyword_list("EtlEmployee")  # roster ids, when known
WINDOW_START = SearchAttributeKey.for_datetime("EtlWindowStart")
WINDOW_END = SearchAttributeKey.for_datetime("EtlWindowEnd")
EVENTS = SearchAttributeKey.for_int("EtlEvents")  # set when the run ends

ALL = (SOURCE, FLOW, MEMBER, EMPLOYEE, WINDOW_START, WINDOW_END, EVENTS)

# Runs started by workers older than these attributes have no upsert in their history;
# ``workflow.patched`` keeps them replaying (and lets them finish) on today's code.
PATCH = "etl-search-attributes"


def upsert(updates: Sequence[SearchAttributeUpdate]) -> None:
    """Set search attributes from workflow code, unless replaying an older run."""
    if workflow.patched(PATCH):
        workflow.upsert_search_attributes(updates)


# The type names the Temporal CLI takes (``--search-attribute NAME=Type``, ``--type``).
_CLI_TYPES = {
    "KEYWORD": "Keyword",
    "KEYWORD_LIST": "KeywordList",
    "DATETIME": "Datetime",
    "INT": "Int",
}


def cli_type(key: SearchAttributeKey) -> str:
    return _CLI_TYPES[key.indexed_value_type.name.removeprefix("INDEXED_VALUE_TYPE_")]


def dev_server_flags() -> list[str]:
    """``temporal server start-dev`` flags that register every attribute."""
    flags: list[str] = []
    for key in ALL:
        flags += ["--search-attribute", f"{key.name}={cli_type(key)}"]
    return flags


def registration_commands(namespace: str = "default", address: str = "localhost:7233") -> list[str]:
    """The commands that register every attribute on a cluster's namespace (the CLI's
    ``--type`` takes one type, so one command per attribute)."""
    return [
        f"temporal operator search-attribute create --address {address} "
        f"--namespace {namespace} --name {key.name} --type {cli_type(key)}"
        for key in ALL
    ]


if __name__ == "__main__":
    print("\n".join(registration_commands()))
