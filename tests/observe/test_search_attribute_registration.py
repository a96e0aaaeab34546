"""Every server a run can meet knows the Etl* search attributes: the embedded dev server
(``scripts/stack.py up``, the tests) and a compose cluster (its one-shot job)."""

from __future__ import annotations

import asyncio
import re

from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client

from models.etl import search_attributes as attrs
from tests.deploy.stack import REPO, services

SCRIPT = REPO / "temporal-config" / "create-search-attributes.sh"


def test_the_dev_server_registers_every_attribute(temporal_server):
    async def listed():
        client = await Client.connect(temporal_server.address)
        answer = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace="default")
        )
        return dict(answer.custom_attributes)

    registered = asyncio.run(listed())
    for key in attrs.ALL:
        assert registered.get(key.name) == key.indexed_value_type, key.name


def test_the_compose_job_registers_the_same_attributes_before_workers_start():
    pairs = dict(re.findall(r"^(Etl\w+)=(\w+)$", SCRIPT.read_text(), re.MULTILINE))
    assert pairs == {key.name: attrs.cli_type(key) for key in attrs.ALL}
    worker_waits_for = services()["worker"]["depends_on"]
    assert worker_waits_for["temporal-search-attributes"] == {
        "condition": "service_completed_successfully"
    }
