"""A worker started with METRICS_PORT serves Prometheus metrics that move during a run:
the project's counters (events per source and flow; requests, retries and rate-limit
waits per source) and the Temporal SDK's own, scraped on one port like Prometheus would."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
import urllib.request
import uuid

from temporalio.client import Client

from devstack.net import free_port, port_open
from devstack.stack import worker_env
from devstack.temporal import terminate
from models.settings import PROJECT_ROOT
from simulator.launchpad import LaunchpadSimulator, preset
from tests.observe.test_run_visibility import bugs_input

SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?:\{(?P<labels>[^}]*)\})? (?P<value>\S+)$")


def scrape(port: int) -> dict[tuple[str, str], float]:
    """``{(metric name, labels text): value}`` from one scrape of ``/metrics``."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain")
        text = answer.read().decode()
    samples = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if match:
            samples[(match["name"], match["labels"] or "")] = float(match["value"])
    return samples


def total(samples: dict, name: str, **labels: str) -> float:
    wanted = [f'{key}="{value}"' for key, value in labels.items()]
    return sum(
        value
        for (sample, text), value in samples.items()
        if sample == name and all(label in text for label in wanted)
    )


def test_worker_metrics_move_during_a_run(temporal_server, task_queue, db_settings, database):
    port = free_port()
    env = worker_env(temporal_server.address, db_settings, METRICS_PORT=str(port))
    with LaunchpadSimulator(
        preset("small"), page_size=10, latency_ms=5, rate_limit_rate=0.05, error_rate=0.05,
        retry_after_s=0, fault_seed=3,
    ) as sim:  # fmt: skip
        worker = subprocess.Popen(
            [sys.executable, "worker.py", "--task-queue", task_queue],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while not port_open("127.0.0.1", port):
                assert worker.poll() is None, worker.stderr.read().decode()
                assert time.monotonic() < deadline, "no metrics endpoint"
                time.sleep(0.2)
            before = scrape(port)
            scrapes = []

            async def run():
                client = await Client.connect(temporal_server.address)
                handle = await client.start_workflow(
                    "ETLFlow",
                    bugs_input("sample-team", sim.service_root),
                    id=f"metrics-{uuid.uuid4().hex[:8]}",
                    task_queue=task_queue,
                )
                result = asyncio.ensure_future(handle.result())
                while not result.done():
                    scrapes.append(await asyncio.to_thread(scrape, port))
                    await asyncio.wait({result}, timeout=0.3)
                return result.result()

            summary = asyncio.run(run())
            after = scrape(port)
        finally:
            terminate(worker, 30)

    requests_seen = [total(s, "temporaletl_requests_total", source="launchpad") for s in scrapes]
    print(f"requests seen while running: {requests_seen}")
    assert len(set(requests_seen)) >= 2, "the counters did not move while the run went on"
    labels = {"source": "launchpad", "flow": "bugs"}
    assert total(before, "temporaletl_events_extracted_total", **labels) == 0
    extracted = total(after, "temporaletl_events_extracted_total", **labels)
    assert extracted == summary["extracted"] == database.count_events() > 0
    assert total(after, "temporaletl_events_inserted_total", **labels) == summary["inserted"]
    assert total(after, "temporaletl_events_updated_total", **labels) == 0
    assert total(after, "temporaletl_requests_total", source="launchpad") > max(requests_seen[:1])
    assert total(after, "temporaletl_retries_total", source="launchpad") > 0
    assert total(after, "temporaletl_rate_limit_waits_total", source="launchpad") > 0
    # The SDK's own metrics come through the same port.
    assert total(after, "temporal_workflow_completed", task_queue=task_queue) == 1
    assert total(after, "temporal_activity_execution_latency_count", task_queue=task_queue) >= 2
