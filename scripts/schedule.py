"""Temporal Schedules that run QueuerFlow: every employee, every week, unattended.

    python scripts/schedule.py create weekly --all --sources launchpad --every week --at "Mon 02:00"
    python scripts/schedule.py list | describe NAME | pause NAME | unpause NAME | trigger NAME
    python scripts/schedule.py backfill NAME --from 2024-01-01 --to 2024-02-01
    python scripts/schedule.py status [NAME]     # coverage per person and flow, every gap
    python scripts/schedule.py delete NAME

A run's window is the period before its scheduled time plus ``--overlap``; each person's
window widens back to the end of their last covered one (see models/etl/queuer_schedule.py
for the overlap, catch-up and backfill policies). Service roots come from the worker.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from temporalio.client import Client, ScheduleBackfill, ScheduleOverlapPolicy  # noqa: E402
from temporalio.service import RPCError  # noqa: E402

from models.database import Database  # noqa: E402
from models.etl import queuer_schedule  # noqa: E402
from models.etl.coverage_status import status  # noqa: E402
from models.etl.queuer_flow import QueuerFlow  # noqa: E402
from models.etl.queuer_io import QueuerInput  # noqa: E402
from models.etl.queuer_window import parse_duration, parse_moment  # noqa: E402
from models.exceptions import InputError  # noqa: E402
from models.roster import RosterSelection  # noqa: E402
from models.settings import Settings  # noqa: E402
from workers.etl_worker import connect, exit_without_teardown  # noqa: E402

PERIOD = {"day": "1d", "week": "1w"}


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="a schedule running QueuerFlow")
    create.add_argument("name")
    who = create.add_mutually_exclusive_group(required=True)
    who.add_argument("--all", action="store_true", help="every active person of the roster")
    who.add_argument("--team", help="a roster team")
    who.add_argument("--employees", help="comma-separated employee ids")
    create.add_argument("--sources", required=True, help="comma-separated source kinds")
    create.add_argument("--flows", nargs="+", default=[], help="default: every flow")
    create.add_argument("--every", choices=sorted(PERIOD), required=True)
    create.add_argument("--at", required=True, help='"Mon 02:00" (weekly) or "02:00" (daily)')
    create.add_argument("--timezone", default="UTC", help="IANA zone of --at")
    create.add_argument("--overlap", default="1d", help="added before each window (e.g. 1d)")
    create.add_argument("--max-in-flight", type=int, default=50)
    create.add_argument("--task-queue", default=QueuerFlow.queue_name)
    commands.add_parser("list", help="every schedule")
    for name, text in (
        ("describe", "spec, state, recent and next runs"),
        ("pause", "stop starting runs (the next run after unpause closes the gap)"),
        ("unpause", "start runs again"),
        ("trigger", "run now (window: the period before now)"),
        ("delete", "remove the schedule (runs and coverage stay)"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("name")
        if name in ("pause", "unpause"):
            command.add_argument("--note", default=f"{name}d with scripts/schedule.py")
    backfill = commands.add_parser("backfill", help="run the ticks of a past range")
    backfill.add_argument("name")
    backfill.add_argument("--from", dest="start", required=True)
    backfill.add_argument("--to", dest="end", required=True)
    state = commands.add_parser("status", help="coverage per person and flow, every gap")
    state.add_argument("name", nargs="?")
    return parser


def split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


async def create(client: Client, args: argparse.Namespace) -> None:
    parse_duration(args.overlap)
    request = QueuerInput(
        sources=split(args.sources),
        selection=RosterSelection(
            all_active=args.all, team=args.team, employee_ids=split(args.employees)
        ).validate(),
        flows=args.flows,
        period=PERIOD[args.every],
        overlap=args.overlap,
        max_in_flight=args.max_in_flight,
    )
    spec = queuer_schedule.calendar_spec(args.every, args.at, args.timezone)
    handle = await queuer_schedule.create(client, args.name, request, spec, args.task_queue)
    description = await handle.describe()
    print(f"created schedule {args.name}: {args.every} at {args.at} {args.timezone}")
    print("next runs: " + ", ".join(t.isoformat() for t in description.info.next_action_times[:3]))


def describe_selection(request: QueuerInput) -> str:
    selection = request.selection
    if selection is None:
        return "logins " + ", ".join(request.logins)
    if selection.all_active:
        return "all active people"
    if selection.team:
        return f"team {selection.team}"
    return "employees " + ", ".join(selection.employee_ids)


async def describe(client: Client, name: str) -> None:
    handle = client.get_schedule_handle(name)
    description = await handle.describe()
    request = await queuer_schedule.schedule_input(client, handle)
    state, info = description.schedule.state, description.info
    who = describe_selection(request)
    print(f"schedule {name}: {'paused' if state.paused else 'active'} ({state.note or ''})")
    print(f"  who: {who}; sources: {', '.join(request.sources)}; flows: {request.flows or 'all'}")
    print(f"  window: {request.period} before each run, plus overlap {request.overlap}")
    print(f"  runs: {info.num_actions}, missed (catch-up window): "
          f"{info.num_actions_missed_catchup_window}, buffered/skipped (overlap): "
          f"{info.num_actions_skipped_overlap}")  # fmt: skip
    for action in info.recent_actions[-5:]:
        print(f"  ran   {action.scheduled_at.isoformat()} -> {action.action.workflow_id}")
    for running in info.running_actions:
        print(f"  running {running.workflow_id}")
    for moment in info.next_action_times[:3]:
        print(f"  next  {moment.isoformat()}")


async def list_schedules(client: Client) -> None:
    async for entry in await client.list_schedules():
        info = entry.info
        upcoming = info.next_action_times[0].isoformat() if info and info.next_action_times else "-"
        print(f"{entry.id:<24} next {upcoming}")


def print_status(name: str | None, request: QueuerInput | None, settings: Settings) -> int:
    with Database.for_settings(settings.db) as database:
        lines = status(database, request)
    print(f"{'employee':<14} {'source':<10} {'identity':<22} {'flow':<16} "
          f"{'covered from':<26} {'covered until':<26} gaps")  # fmt: skip
    gaps = 0
    for line in lines:
        shown = [f"{a.isoformat()}..{b.isoformat()}" for a, b in line.gaps]
        if line.covered_until is None:
            shown = ["never covered"]
        gaps += len(shown)
        print(
            f"{line.employee_id:<14} {line.source:<10} {line.identity:<22} {line.flow:<16} "
            f"{line.covered_from.isoformat() if line.covered_from else '-':<26} "
            f"{line.covered_until.isoformat() if line.covered_until else '-':<26} "
            f"{'; '.join(shown) or 'none'}"
        )
    print(f"{len(lines)} person x flow line(s), {gaps} gap(s){' in ' + name if name else ''}")
    return 0


async def run(args: argparse.Namespace, settings: Settings) -> int:
    client = await connect(settings)
    if args.command == "create":
        await create(client, args)
    elif args.command == "list":
        await list_schedules(client)
    elif args.command == "describe":
        await describe(client, args.name)
    elif args.command == "status":
        handle = client.get_schedule_handle(args.name) if args.name else None
        request = await queuer_schedule.schedule_input(client, handle) if handle else None
        return print_status(args.name, request, settings)
    else:
        handle = client.get_schedule_handle(args.name)
        if args.command == "pause":
            await handle.pause(note=args.note)
        elif args.command == "unpause":
            await handle.unpause(note=args.note)
        elif args.command == "trigger":
            await handle.trigger(overlap=ScheduleOverlapPolicy.ALLOW_ALL)
        elif args.command == "delete":
            await handle.delete()
        elif args.command == "backfill":
            await handle.backfill(
                ScheduleBackfill(
                    start_at=parse_moment(args.start),
                    end_at=parse_moment(args.end),
                    overlap=ScheduleOverlapPolicy.BUFFER_ALL,
                )
            )
        print(f"{args.command}: {args.name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return asyncio.run(run(args, settings))
    except (InputError, RPCError) as error:
        print(f"schedule.py {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    exit_without_teardown(main())
