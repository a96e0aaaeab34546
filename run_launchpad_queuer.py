"""Queue Launchpad ETL runs: one workflow per member × flow over one window.

    python run_launchpad_queuer.py --team ubuntu-server --from 2024-01-01 --to 2024-04-01 --wait
    python run_launchpad_queuer.py --members alice,bob --flows bugs questions --from ... --to ...

Workflow ids are derived from flow, member and window, so queuing the same thing twice
starts nothing new (``--rerun`` runs finished ones again; reruns upsert the same rows).
With ``--wait`` it follows every run with one progress bar and prints a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from dataclasses import dataclass

from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.common import WorkflowIDReusePolicy
from tqdm import tqdm

from models.etl.etl_flow import ETLFlow
from models.etl.runs import failure_reason, start_or_attach, ui_link, workflow_id_for
from models.settings import Settings
from run_bugs_wf import launchpad_input
from sources.launchpad.client import LaunchpadSession
from sources.launchpad.query import LaunchpadQuery
from workers.etl_worker import connect, exit_without_teardown

FLOWS = ("bugs", "merge_proposals", "questions")


@dataclass
class QueuedRun:
    member: str
    flow: str
    workflow_id: str
    handle: WorkflowHandle
    started: bool


def parse_args(argv: list[str] | None, settings: Settings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--team", help="a Launchpad team: one run per participant")
    who.add_argument("--members", help="comma-separated Launchpad names")
    parser.add_argument("--flows", nargs="+", choices=FLOWS, default=list(FLOWS))
    parser.add_argument("--from", dest="start", default=settings.from_date or None)
    parser.add_argument("--to", dest="end", default=settings.to_date or None)
    parser.add_argument("--service-root", default=settings.lp_web_root)
    parser.add_argument("--api-version", default=settings.lp_api_version)
    parser.add_argument("--task-queue", default=ETLFlow.queue_name)
    parser.add_argument("--rerun", action="store_true", help="run finished runs again")
    parser.add_argument(
        "--id-prefix", default="", help="prepended to workflow ids, e.g. an environment name"
    )
    parser.add_argument("--wait", action="store_true", help="follow every run to its end")
    args = parser.parse_args(argv)
    if not args.start or not args.end:
        parser.error("--from and --to are required (or set FROM_DATE and TO_DATE)")
    return args


def team_participants(args: argparse.Namespace, settings: Settings) -> list[str]:
    """The people in a team (direct and indirect members), read from Launchpad here."""
    query = LaunchpadQuery(
        member=args.team,
        data_date_start=args.start,
        data_date_end=args.end,
        application_name=settings.lp_app_id,
        service_root=args.service_root,
        version=args.api_version,
    )
    with LaunchpadSession(query, settings) as session:
        return sorted(session.actors())


async def queue_runs(
    client: Client, args: argparse.Namespace, settings: Settings, members: list[str]
) -> list[QueuedRun]:
    policy = (
        WorkflowIDReusePolicy.ALLOW_DUPLICATE
        if args.rerun
        else WorkflowIDReusePolicy.REJECT_DUPLICATE
    )
    runs = []
    for member in members:
        for flow in args.flows:
            member_args = argparse.Namespace(**{**vars(args), "member": member})
            workflow_id = args.id_prefix + workflow_id_for(
                f"launchpad-{flow}", member, args.start, args.end
            )
            handle, started = await start_or_attach(
                client,
                ETLFlow.__name__,
                launchpad_input(member_args, settings, flow),
                workflow_id,
                args.task_queue,
                id_reuse_policy=policy,
            )
            runs.append(QueuedRun(member, flow, workflow_id, handle, started))
    return runs


async def outcome(run: QueuedRun) -> tuple[QueuedRun, dict | None, str | None]:
    try:
        return run, await run.handle.result(), None
    except WorkflowFailureError as failure:
        return run, None, failure_reason(failure)


async def follow_all(runs: list[QueuedRun]) -> list[tuple[QueuedRun, dict | None, str | None]]:
    results = []
    events = 0
    with tqdm(total=len(runs), desc="runs", unit=" run", dynamic_ncols=True) as bar:
        for finished in asyncio.as_completed([outcome(run) for run in runs]):
            run, result, error = await finished
            events += (result or {}).get("extracted", 0)
            bar.update(1)
            bar.set_postfix(events=events, failed=sum(1 for *_, e in results if e) + bool(error))
            results.append((run, result, error))
    return results


def print_summary(results: list[tuple[QueuedRun, dict | None, str | None]]) -> None:
    per_flow: Counter = Counter()
    failures = []
    for run, result, error in results:
        if error:
            failures.append(f"  {run.workflow_id}: {error}")
        else:
            per_flow[run.flow] += result.get("extracted", 0)
    print("\nevents per flow:")
    for flow in FLOWS:
        if flow in {run.flow for run, *_ in results}:
            print(f"  {flow:<16} {per_flow[flow]}")
    print(f"runs: {len(results)}, failed: {len(failures)}")
    if failures:
        print("failures:")
        print("\n".join(failures))


async def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    args = parse_args(argv, settings)
    members = (
        team_participants(args, settings)
        if args.team
        else [name.strip() for name in args.members.split(",") if name.strip()]
    )
    if not members:
        print("no members to queue", file=sys.stderr)
        return 2
    client = await connect(settings)
    runs = await queue_runs(client, args, settings, members)
    new = sum(run.started for run in runs)
    print(f"queued {new} new run(s); {len(runs) - new} already queued or done, not started again")
    print(f"web ui: {ui_link(settings)}")
    if not args.wait:
        return 0
    results = await follow_all(runs)
    print_summary(results)
    return 1 if any(error for *_, error in results) else 0


if __name__ == "__main__":
    exit_without_teardown(asyncio.run(main()))
