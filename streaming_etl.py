"""Streaming ETL: run the StreamingETLFlow worker, or start a streaming Launchpad run.

    python streaming_etl.py [worker] [--task-queue Q] [--max-concurrent-activities 16]
    python streaming_etl.py run --member ubuntu-server --from 2024-01-01 --to 2024-04-01 \\
        [--flow bugs|merge_proposals|questions] [--chunk-size 200] [--load-batch-size 1000] \\
        [--max-chunks-in-flight 4] [--memory-threshold-mb 1024] [--wait]

``run`` takes the options of run_bugs_wf.py (--member --from --to --service-root
--api-version --task-queue --workflow-id --wait) plus the flow and the StreamingConfig
knobs; it prints the workflow id and its Web UI link and, with --wait, follows the run
with a progress bar over its chunks and prints the summary. A run of the same flow, member
and window that is still going is attached to instead of started twice.

Change a running run's memory threshold with
``temporal workflow signal --workflow-id ID --name set_memory_threshold --input 2048``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from typing import Any

from tqdm import tqdm

from models.etl.runs import follow_to_summary, start_or_attach, ui_link, workflow_id_for
from models.etl.streaming_config import StreamingConfig, StreamingETLFlowInput
from models.etl.streaming_etl_flow import StreamingETLFlow
from models.exceptions import InvalidQueryError
from models.settings import Settings
from run_bugs_wf import launchpad_input, launchpad_run_parser, parse_launchpad_run
from workers.etl_worker import connect, exit_without_teardown

FLOWS = ("bugs", "merge_proposals", "questions")


def parse_run_args(argv: list[str] | None, settings: Settings) -> argparse.Namespace:
    defaults = StreamingConfig()
    parser = launchpad_run_parser(
        settings, prog="streaming_etl.py run", description="Start a StreamingETLFlow for Launchpad."
    )
    parser.add_argument("--flow", choices=FLOWS, default="bugs", help="what to extract")
    knobs = parser.add_argument_group("streaming (StreamingConfig)")
    knobs.add_argument("--chunk-size", type=int, default=defaults.chunk_size, help="items")
    knobs.add_argument(
        "--load-batch-size", type=int, default=defaults.load_batch_size, help="events"
    )
    knobs.add_argument("--max-chunks-in-flight", type=int, default=defaults.max_chunks_in_flight)
    knobs.add_argument(
        "--memory-threshold-mb",
        type=float,
        default=defaults.memory_threshold_mb,
        help="no new chunk starts while the worker's RSS is above this; 0: off",
    )
    knobs.add_argument(
        "--chunk-time-budget",
        type=float,
        default=defaults.chunk_time_budget_seconds,
        help="seconds before a chunk activity returns at a page boundary",
    )
    knobs.add_argument(
        "--activities-per-run",
        type=int,
        default=defaults.activities_per_run,
        help="continue-as-new after this many chunk activities at the latest",
    )
    args = parse_launchpad_run(parser, argv)
    args.config = StreamingConfig(
        chunk_size=args.chunk_size,
        load_batch_size=args.load_batch_size,
        max_chunks_in_flight=args.max_chunks_in_flight,
        memory_threshold_mb=args.memory_threshold_mb,
        chunk_time_budget_seconds=args.chunk_time_budget,
        activities_per_run=args.activities_per_run,
    )
    try:
        args.config.validate()
    except InvalidQueryError as exc:
        parser.error(str(exc))
    return args


def streaming_input(args: argparse.Namespace, settings: Settings) -> StreamingETLFlowInput:
    base = launchpad_input(args, settings, args.flow)
    return StreamingETLFlowInput(base.query_type, base.extract_strategy, base.args, args.config)


def show_chunks(bar: tqdm, state: dict[str, Any]) -> None:
    """Progress of a StreamingETLFlow (its ``progress`` query, or its result): chunks."""
    bar.total = state.get("chunks_total") or state.get("chunks") or bar.total
    bar.n = state.get("chunks_done", state.get("chunks", bar.n))
    bar.set_postfix(
        phase=state.get("phase") or state.get("status"),
        in_flight=state.get("chunks_in_flight", 0),
        events=state.get("extracted", 0),
        rss_mb=state.get("worker_rss_mb"),
    )


async def start_run(argv: list[str] | None) -> int:
    settings = Settings.from_env()
    args = parse_run_args(argv, settings)
    flow_input = streaming_input(args, settings)
    workflow_id = args.workflow_id or workflow_id_for(
        f"streaming-launchpad-{args.flow}", args.member, args.start, args.end
    )
    client = await connect(settings)
    handle, started = await start_or_attach(
        client,
        "StreamingETLFlow",
        flow_input,
        workflow_id,
        args.task_queue or StreamingETLFlow.queue_name,
    )
    print(f"workflow id: {workflow_id} ({'started' if started else 'already running: attached'})")
    print(f"web ui:      {ui_link(settings, workflow_id)}")
    print(f"config:      {json.dumps(asdict(args.config), sort_keys=True)}")
    if not args.wait:
        return 0
    label = f"launchpad-{args.flow} {args.member}"
    return await follow_to_summary(handle, label, show=show_chunks, unit=" chunks")


async def run_worker(argv: list[str]) -> int:
    from worker import configure_logging, serve
    from workers.streaming_etl_worker import StreamingETLWorker

    parser = argparse.ArgumentParser(
        prog="streaming_etl.py worker", description="Run the StreamingETLFlow worker."
    )
    parser.add_argument("--task-queue", default=None, help="default: streaming-etl-task-queue")
    parser.add_argument("--max-concurrent-activities", type=int, default=16)
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    configure_logging(args.log_level)
    await serve([(StreamingETLWorker, args.task_queue, args.max_concurrent_activities)])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    command = argv.pop(0) if argv and argv[0] in ("worker", "run") else "worker"
    if command == "run":
        return asyncio.run(start_run(argv))
    return asyncio.run(run_worker(argv))


if __name__ == "__main__":
    exit_without_teardown(main())
