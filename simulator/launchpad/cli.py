"""Command line: serve a simulated Launchpad, print ground truth, list people."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from simulator.cli_common import build_parser as build_parser_common
from simulator.cli_common import print_truth, run, serve_options, serve_until_interrupted
from simulator.launchpad.dataset import Dataset
from simulator.launchpad.ground_truth import EVENT_TYPES, ground_truth
from simulator.launchpad.presets import PRESETS, preset
from simulator.timeutil import iso

_EPILOG = """examples:
  python -m simulator.launchpad serve --port 8085 --size small
  python -m simulator.launchpad serve --size medium --latency-ms 50 --error-rate 0.1 --rate-limit-rate 0.05
  python -m simulator.launchpad truth --member sample-team --from 2024-01-01 --to 2024-04-01 --type bugs
  python -m simulator.launchpad people --size small
"""


def build_parser() -> argparse.ArgumentParser:
    parser, commands = build_parser_common(
        prog="python -m simulator.launchpad",
        description="An offline Launchpad web service (api.launchpad.net) for launchpadlib, "
        "with generated data, known ground truth and injectable faults.",
        epilog=_EPILOG,
        presets=PRESETS,
        event_types=EVENT_TYPES,
        default_port=8085,
        helps={
            "serve": "serve the web service until interrupted",
            "truth": "print the ground-truth events as JSON lines",
            "people": "list people and teams of the dataset",
            "info": "describe the dataset: window, sizes, hard cases",
        },
    )
    serve = commands["serve"]
    serve.add_argument("--page-size", type=int, default=75, help="default ws.size (1-300)")
    serve.add_argument(
        "--bzr-only-requested-reviews",
        action="store_true",
        help="getRequestedReviews ignores git proposals, as on Launchpad",
    )
    commands["truth"].add_argument("--member", default="sample-team", help="person or team name")
    return parser


def _dataset(args: argparse.Namespace) -> Dataset:
    return preset(args.size, seed=args.seed)


def _serve(args: argparse.Namespace) -> int:
    from simulator.launchpad.server import LaunchpadSimulator

    dataset = _dataset(args)
    sim = LaunchpadSimulator(
        dataset,
        page_size=args.page_size,
        bzr_only_requested_reviews=args.bzr_only_requested_reviews,
        **serve_options(args),
    )
    return serve_until_interrupted(
        sim,
        f"# sample team {dataset.sample_team}, sample person {dataset.sample_person}, "
        f"window {iso(dataset.window_start)} .. {iso(dataset.window_end)}; "
        f"stats at {sim.service_root}_sim/stats; Ctrl-C stops",
    )


def _truth(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    return print_truth(
        args, EVENT_TYPES, lambda t: ground_truth(dataset, args.member, args.start, args.end, t)
    )


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
