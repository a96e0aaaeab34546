"""The extraction and its ground truth: the team's three Launchpad runs, how to start
them, and every event they must load.

Also used by ``tests/workers/test_scale_out.py``.
"""

from __future__ import annotations

from typing import Any

from temporalio.client import Client

from models.etl.etl_flow import ETLFlow
from models.etl.etl_flow_input import ETLFlowInput
from models.etl.progress import RunOptions
from models.etl.runs import workflow_id_for
from simulator.launchpad import Dataset, ground_truth

TEAM, START, END = "sample-team", "2024-01-01", "2024-04-01"
FLOWS = ("bugs", "merge_proposals", "questions")


def team_truth(dataset: Dataset) -> list[dict[str, Any]]:
    """Every event the team's three runs must load (the simulator's ground truth)."""
    return [event for flow in FLOWS for event in ground_truth(dataset, TEAM, START, END, flow)]


def flow_input(service_root: str, flow: str, options: RunOptions | None = None) -> ETLFlowInput:
    return ETLFlowInput(
        query_type="launchpad",
        extract_strategy=f"launchpad-{flow}",
        args={
            "application_name": "temporal-etl-chaos",
            "service_root": service_root,
            "version": "devel",
            "member": TEAM,
            "data_date_start": START,
            "data_date_end": END,
        },
        options=options,
    )


async def start_team_extraction(
    client: Client,
    service_root: str,
    task_queue: str,
    id_prefix: str,
    options: RunOptions | None = None,
) -> dict[str, str]:
    """Start the three Launchpad runs of the team; {workflow id: first run id}."""
    runs = {}
    for flow in FLOWS:
        workflow_id = id_prefix + workflow_id_for(f"launchpad-{flow}", TEAM, START, END)
        handle = await client.start_workflow(
            ETLFlow.__name__,
            flow_input(service_root, flow, options),
            id=workflow_id,
            task_queue=task_queue,
        )
        runs[workflow_id] = handle.first_execution_run_id or handle.result_run_id
    return runs
