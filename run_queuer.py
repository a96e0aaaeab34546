"""Queue ETL runs for people of the roster: one QueuerFlow, one child run per identity × flow.

    python run_queuer.py --all --sources launchpad --from 2024-01-01 --to 2024-04-01 --wait
    python run_queuer.py --team server --sources launchpad,github --flows bugs --from ... --to ...
    python run_queuer.py --employees E1001,E1002 --sources launchpad --from ... --to ...

The fan-out runs on the worker, durably: closing this script changes nothing. Service roots
come from the worker's settings. Child ids are derived from flow, member and window, so
queuing the same thing twice starts nothing new (``--rerun`` runs finished ones again;
reruns upsert the same rows). With ``--wait`` a progress bar follows the queuer and a
summary per source and flow is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
from typing import Any

from temporalio.client import WorkflowFailureError
from tqdm import tqdm

from models.etl.queuer_flow import QueuerFlow
from models.etl.queuer_io import QueuerInput
from models.etl.run_labels import queuer_summary
from models.etl.runs import failure_reason, follow, start_or_attach, ui_link, workflow_id_for
from models.roster import RosterSelection
from models.settings import Settings
from workers.etl_worker import connect, exit_without_teardown


def add_run_options(parser: argparse.ArgumentParser, settings: Settings) -> None:
    """Window, pace and naming options both queuer starters share."""
    parser.add_argument("--from", dest="start", default=settings.from_date or None)
    parser.add_argument("--to", dest="end", default=settings.to_date or None)
    parser.add_argument("--task-queue", default=QueuerFlow.queue_name)
    parser.add_argument("--max-in-flight", type=int, default=50, help="child runs at once")
    parser.add_argument("--rerun", action="store_true", help="run finished runs again")
    parser.add_argument(
        "--id-prefix", default="", help="prepended to workflow ids, e.g. an environment name"
    )
    parser.add_argument("--wait", action="store_true", help="follow the queuer to its end")


def check_window(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if not args.start or not args.end:
        parser.error("--from and --to are required (or set FROM_DATE and TO_DATE)")
    if args.max_in_flight < 1:
        parser.error("--max-in-flight must be at least 1")


def parse_args(argv: list[str] | None, settings: Settings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--all", action="store_true", help="every active person of the roster")
    who.add_argument("--team", help="a roster team")
    who.add_argument("--employees", help="comma-separated employee ids")
    parser.add_argument("--sources", required=True, help="comma-separated source kinds")
    parser.add_argument("--flows", nargs="+", default=[], help="default: every flow of a source")
    parser.add_argument(
        "--close-gaps",
        action="store_true",
        help="widen each person's window back to the end of their last covered one",
    )
    add_run_options(parser, settings)
    args = parser.parse_args(argv)
    check_window(parser, args)
    return args


def split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def selection_label(selection: RosterSelection | None, names: list[str] = ()) -> str:
    """A short, stable name of a selection (or of ``names``) for the queuer's workflow id."""
    if selection is not None and selection.all_active:
        return "all"
    if selection is not None and selection.team:
        return f"team-{selection.team}"
    names = selection.employee_ids if selection is not None else names
    digest = hashlib.sha1(",".join(sorted(names)).encode()).hexdigest()[:10]
    return f"people-{len(names)}-{digest}"


def queuer_input(args: argparse.Namespace) -> QueuerInput:
    return QueuerInput(
        sources=split(args.sources),
        selection=RosterSelection(
            all_active=args.all, team=args.team, employee_ids=split(args.employees)
        ),
        flows=args.flows,
        window_start=args.start,
        window_end=args.end,
        close_gaps=args.close_gaps,
        max_in_flight=args.max_in_flight,
        id_prefix=args.id_prefix,
        rerun=args.rerun,
        task_queue=args.task_queue,
    )


def queuer_id(request: QueuerInput, label: str) -> str:
    sources = "+".join(request.sources)
    return request.id_prefix + workflow_id_for(
        f"queuer-{sources}", label, request.window_start, request.window_end
    )


def show_runs(bar: tqdm, state: dict[str, Any]) -> None:
    """Progress of a QueuerFlow (its ``progress`` query, or its result): child runs."""
    bar.total = state.get("units") or None
    bar.n = state.get("completed", 0) + state.get("failed", 0) + state.get("skipped", 0)
    bar.set_postfix(
        phase=state.get("phase") or state.get("status"),
        in_flight=state.get("in_flight", 0),
        failed=state.get("failed", 0),
        events=state.get("extracted", 0),
    )


def print_summary(result: dict[str, Any]) -> None:
    window = result["window"]
    print(f"\nwindow {window['start']} .. {window['end']}; people: {result['people']}")
    print(f"  {'source':<10} {'flow':<16} {'runs':>6} {'done':>6} {'skipped':>8} "
          f"{'failed':>6} {'events':>8}")  # fmt: skip
    for source, flows in sorted(result["totals"].items()):
        for flow, t in sorted(flows.items()):
            print(
                f"  {source:<10} {flow:<16} {t['units']:>6} {t['completed']:>6} "
                f"{t['skipped']:>8} {t['failed']:>6} {t['extracted']:>8}"
            )
    print(
        f"queued {result['started']} new run(s); {result['skipped']} already queued or done, "
        "not started again"
    )
    print(f"runs: {result['units']}, failed: {result['failed']}")
    if result["failures"]:
        print("failures:")
        for failure in result["failures"]:
            print(f"  {failure['workflow_id']}: {failure['reason']}")
    if result["failures_omitted"]:
        print(f"  ... and {result['failures_omitted']} more")


async def start_queuer(
    request: QueuerInput, label: str, settings: Settings, wait: bool, task_queue: str
) -> int:
    """Start (or attach to) the queuer, then follow it to its summary if ``wait``."""
    client = await connect(settings)
    workflow_id = queuer_id(request, label)
    handle, started = await start_or_attach(
        client,
        QueuerFlow.__name__,
        request,
        workflow_id,
        task_queue,
        summary=queuer_summary(request),
    )
    print(f"queuer: {workflow_id} ({'started' if started else 'already running: attached'})")
    print(f"web ui: {ui_link(settings, workflow_id)}")
    if not wait:
        return 0
    try:
        result = await follow(handle, "runs", show=show_runs, unit=" run")
    except WorkflowFailureError as failure:
        print(f"queuer failed: {failure_reason(failure)}", file=sys.stderr)
        return 1
    print_summary(result)
    return 1 if result["failed"] else 0


async def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    args = parse_args(argv, settings)
    request = queuer_input(args)
    label = selection_label(request.selection)
    return await start_queuer(request, label, settings, args.wait, args.task_queue)


if __name__ == "__main__":
    exit_without_teardown(asyncio.run(main()))
