"""Queue Launchpad ETL runs: one workflow per member × flow over one window.

    python run_launchpad_queuer.py --team ubuntu-server --from 2024-01-01 --to 2024-04-01 --wait
    python run_launchpad_queuer.py --members alice,bob --flows bugs questions --from ... --to ...

A thin wrapper of ``run_queuer.py`` for Launchpad names without a roster: each name is its
own employee id. ``--team`` is a Launchpad team, whose participants are read here. The
runs are started by a QueuerFlow on the worker; ids are derived from flow, member and
window, so queuing the same thing twice starts nothing new (``--rerun`` runs finished ones
again; reruns upsert the same rows). With ``--wait`` it follows the queuer with a progress
bar and prints a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from models.etl.queuer_io import QueuerInput
from models.settings import Settings
from run_queuer import add_run_options, check_window, selection_label, split, start_queuer
from sources.launchpad.client import LaunchpadSession
from sources.launchpad.query import LaunchpadQuery
from workers.etl_worker import exit_without_teardown

FLOWS = ("bugs", "merge_proposals", "questions")


def parse_args(argv: list[str] | None, settings: Settings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--team", help="a Launchpad team: one run per participant")
    who.add_argument("--members", help="comma-separated Launchpad names")
    parser.add_argument("--flows", nargs="+", choices=FLOWS, default=list(FLOWS))
    parser.add_argument("--service-root", default=None, help="default: the worker's LP_WEB_ROOT")
    parser.add_argument("--api-version", default=None, help="default: the worker's LP_API_VERSION")
    add_run_options(parser, settings)
    args = parser.parse_args(argv)
    check_window(parser, args)
    return args


def team_participants(args: argparse.Namespace, settings: Settings) -> list[str]:
    """The people in a team (direct and indirect members), read from Launchpad here."""
    query = LaunchpadQuery(
        member=args.team,
        data_date_start=args.start,
        data_date_end=args.end,
        application_name=settings.lp_app_id,
        service_root=args.service_root or settings.lp_web_root,
        version=args.api_version or settings.lp_api_version,
    )
    with LaunchpadSession(query, settings) as session:
        return sorted(session.actors())


def launchpad_overrides(args: argparse.Namespace) -> dict[str, dict[str, str]]:
    """The service options given on the command line; the rest are the worker's."""
    given = {"service_root": args.service_root, "version": args.api_version}
    chosen = {name: value for name, value in given.items() if value}
    return {"launchpad": chosen} if chosen else {}


async def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    args = parse_args(argv, settings)
    members = team_participants(args, settings) if args.team else split(args.members)
    if not members:
        print("no members to queue", file=sys.stderr)
        return 2
    request = QueuerInput(
        sources=["launchpad"],
        logins=members,
        flows=args.flows,
        window_start=args.start,
        window_end=args.end,
        max_in_flight=args.max_in_flight,
        id_prefix=args.id_prefix,
        rerun=args.rerun,
        task_queue=args.task_queue,
        args_overrides=launchpad_overrides(args),
    )
    label = f"lp-team-{args.team}" if args.team else selection_label(None, members)
    return await start_queuer(request, label, settings, args.wait, args.task_queue)


if __name__ == "__main__":
    exit_without_teardown(asyncio.run(main()))
