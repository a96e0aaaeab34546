"""Command line: serve a simulated Launchpad, print ground truth, list people."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from simulator.cli_common import add_serve_options, fault_options, run, serve_until_interrupted
from simulator.launchpad.dataset import Dataset
from simulator.launchpad.ground_truth import EVENT_TYPES, ground_truth
from simulator.launchpad.presets import PRESET_WINDOW, PRESETS, preset
from simulator.timeutil import iso

_EPILOG = """examples:
  python -m simulator.launchpad serve --port 8085 --size small
  python -m simulator.launchpad serve --size medium --latency-ms 50 --error-rate 0.1 --rate-limit-rate 0.05
  python -m simulator.launchpad truth --member sample-team --from 2024-01-01 --to 2024-04-01 --type bugs
  python -m simulator.launchpad people --size small
"""


def _add_dataset_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--size",
        choices=sorted(PRESETS),
        default="small",
        help="dataset preset (default: small)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="generation seed (default: the preset's, 1)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulator.launchpad",
        description="An offline Launchpad web service (api.launchpad.net) for launchpadlib, "
        "with generated data, known ground truth and injectable faults.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the web service until interrupted")
    _add_dataset_options(serve)
    add_serve_options(serve, default_port=8085)
    serve.add_argument("--page-size", type=int, default=75, help="default ws.size (1-300)")
    serve.add_argument(
        "--bzr-only-requested-reviews",
        action="store_true",
        help="getRequestedReviews ignores git proposals, as on Launchpad",
    )

    truth = commands.add_parser("truth", help="print the ground-truth events as JSON lines")
    _add_dataset_options(truth)
    truth.add_argument("--member", default="sample-team", help="person or team name")
    truth.add_argument("--from", dest="start", default=PRESET_WINDOW[0], help="window start")
    truth.add_argument("--to", dest="end", default=PRESET_WINDOW[1], help="window end")
    truth.add_argument("--type", dest="event_type", choices=[*EVENT_TYPES, "all"], default="all")

    people = commands.add_parser("people", help="list people and teams of the dataset")
    _add_dataset_options(people)

    info = commands.add_parser("info", help="describe the dataset: window, sizes, hard cases")
    _add_dataset_options(info)
    return parser


def _dataset(args: argparse.Namespace) -> Dataset:
    return preset(args.size, seed=args.seed)


def _serve(args: argparse.Namespace) -> int:
    from simulator.launchpad.server import LaunchpadSimulator

    dataset = _dataset(args)
    sim = LaunchpadSimulator(
        dataset,
        host=args.host,
        port=args.port,
        page_size=args.page_size,
        fault_seed=args.fault_seed,
        bzr_only_requested_reviews=args.bzr_only_requested_reviews,
        verbose=args.verbose,
        **fault_options(args),
    )
    return serve_until_interrupted(
        sim,
        f"# sample team {dataset.sample_team}, sample person {dataset.sample_person}, "
        f"window {iso(dataset.window_start)} .. {iso(dataset.window_end)}; "
        f"stats at {sim.service_root}_sim/stats; Ctrl-C stops",
    )


def _truth(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    types = EVENT_TYPES if args.event_type == "all" else (args.event_type,)
    for event_type in types:
        for event in ground_truth(dataset, args.member, args.start, args.end, event_type):
            print(json.dumps(event, sort_keys=True))
    return 0


def _people(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    for name, team in sorted(dataset.teams.items()):
        people = dataset.actors(name)
        print(f"team    {name:28} {len(team.members):3} direct, {len(people):3} people")
    for name, person in sorted(dataset.people.items()):
        zone = person.served_time_zone or "-"
        teams = ",".join(t for t in dataset.super_teams(name)) or "-"
        print(f"person  {name:28} {zone:32} {teams}")
    return 0


def _info(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    start, end = dataset.window_start, dataset.window_end
    document = {
        "seed": dataset.seed,
        "window": [iso(dataset.window_start), iso(dataset.window_end)],
        "sample_team": dataset.sample_team,
        "sample_person": dataset.sample_person,
        "counts": dataset.counts(),
        "sample_team_events": {
            t: len(ground_truth(dataset, dataset.sample_team, start, end, t)) for t in EVENT_TYPES
        },
        "hard_cases": dataset.hard_cases,
    }
    print(json.dumps(document, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"serve": _serve, "truth": _truth, "people": _people, "info": _info}
    return run(handlers, args)
