"""Start an ETLFlow for a Launchpad member's bug activity over a date window.

    python run_bugs_wf.py --member ubuntu-server --from 2024-01-01 --to 2024-04-01 --wait

Prints the workflow id and its Web UI link; with --wait, follows it with a progress bar
and prints the summary. Credentials are never passed here: the worker holds them.
"""

from __future__ import annotations

import argparse
import asyncio

from models.etl.etl_flow import ETLFlow
from models.etl.etl_flow_input import ETLFlowInput
from models.etl.runs import follow_to_summary, start_or_attach, ui_link, workflow_id_for
from models.settings import Settings
from workers.etl_worker import connect, exit_without_teardown


def launchpad_run_parser(settings: Settings, **parser_options) -> argparse.ArgumentParser:
    """The options every Launchpad run starter shares (window, member, service, queue)."""
    parser = argparse.ArgumentParser(**parser_options)
    parser.add_argument("--member", required=True, help="Launchpad person or team name")
    parser.add_argument(
        "--from",
        dest="start",
        default=settings.from_date or None,
        help="window start, included (YYYY-MM-DD or ISO-8601; FROM_DATE)",
    )
    parser.add_argument(
        "--to",
        dest="end",
        default=settings.to_date or None,
        help="window end, excluded (YYYY-MM-DD or ISO-8601; TO_DATE)",
    )
    parser.add_argument(
        "--service-root",
        default=settings.lp_web_root,
        help="production, staging, ... or a URL (LP_WEB_ROOT)",
    )
    parser.add_argument(
        "--api-version",
        default=settings.lp_api_version,
        help="Launchpad API version (LP_API_VERSION)",
    )
    parser.add_argument("--task-queue", default=None, help="default: the flow's own queue")
    parser.add_argument("--workflow-id", default=None, help="default: derived from the query")
    parser.add_argument("--wait", action="store_true", help="follow the run to its end")
    return parser


def parse_launchpad_run(parser: argparse.ArgumentParser, argv: list[str] | None):
    """Parse, insisting on a window (from the options or FROM_DATE / TO_DATE)."""
    args = parser.parse_args(argv)
    for name, env in (("start", "FROM_DATE"), ("end", "TO_DATE")):
        if not getattr(args, name):
            parser.error(f"--{'from' if name == 'start' else 'to'} is required (or set {env})")
    return args


def launchpad_input(args: argparse.Namespace, settings: Settings, flow: str) -> ETLFlowInput:
    return ETLFlowInput(
        query_type="launchpad",
        extract_strategy=f"launchpad-{flow}",
        args={
            "application_name": settings.lp_app_id,
            "service_root": args.service_root,
            "version": args.api_version,
            "member": args.member,
            "data_date_start": args.start,
            "data_date_end": args.end,
        },
    )


async def launch(flow: str, argv: list[str] | None = None, workflow=ETLFlow) -> int:
    settings = Settings.from_env()
    parser = launchpad_run_parser(settings, description=__doc__.split("\n\n")[0])
    args = parse_launchpad_run(parser, argv)
    flow_input = launchpad_input(args, settings, flow)
    workflow_id = args.workflow_id or workflow_id_for(
        f"launchpad-{flow}", args.member, args.start, args.end
    )
    client = await connect(settings)
    handle, started = await start_or_attach(
        client, workflow.__name__, flow_input, workflow_id, args.task_queue or workflow.queue_name
    )
    print(f"workflow id: {workflow_id} ({'started' if started else 'already running: attached'})")
    print(f"web ui:      {ui_link(settings, workflow_id)}")
    if not args.wait:
        return 0
    return await follow_to_summary(handle, f"launchpad-{flow} {args.member}")


if __name__ == "__main__":
    exit_without_teardown(asyncio.run(launch("bugs")))
