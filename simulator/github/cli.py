"""Command line: serve a simulated GitHub, print ground truth, list people, describe."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

from simulator.cli_common import build_parser as build_parser_common
from simulator.cli_common import print_truth, run, serve_options, serve_until_interrupted
from simulator.github.dataset import GithubDataset
from simulator.github.ground_truth import EVENT_TYPES, ground_truth
from simulator.github.presets import PRESETS, preset
from simulator.timeutil import iso

_EPILOG = """examples:
  python -m simulator.github serve --port 8086 --size small
  python -m simulator.github serve --latency-ms 50 --error-rate 0.05 --rate-limit-rate 0.02 \\
      --search-limit 30 --token s3cret
  python -m simulator.github truth --member acme/sample-team --type pull_requests
  python -m simulator.github truth --member vint-parker-gh --owners acme,acme-labs --type commits
  python -m simulator.github people --size small
"""


def build_parser() -> argparse.ArgumentParser:
    parser, commands = build_parser_common(
        prog="python -m simulator.github",
        description="An offline GitHub REST API (api.github.com) with generated data, "
        "known ground truth, rate limits and injectable faults.",
        epilog=_EPILOG,
        presets=PRESETS,
        event_types=EVENT_TYPES,
        default_port=8086,
        helps={
            "serve": "serve the REST API until interrupted",
            "truth": "print the ground-truth rows as JSON lines",
            "people": "list users and teams of the dataset",
            "info": "describe the dataset: window, sizes, hard cases",
        },
    )
    serve = commands["serve"]
    serve.add_argument("--search-cap", type=int, default=1000, help="results one search serves")
    serve.add_argument("--core-limit", type=int, default=5000, help="core requests per window")
    serve.add_argument("--core-window", type=float, default=3600.0, help="seconds")
    serve.add_argument("--core-limit-anonymous", type=int, default=60, help="without a token")
    serve.add_argument("--search-limit", type=int, default=30, help="searches per window")
    serve.add_argument("--search-limit-anonymous", type=int, default=10, help="without a token")
    serve.add_argument("--search-window", type=float, default=60.0, help="seconds")
    serve.add_argument("--limit-status", type=int, choices=(403, 429), default=403)
    serve.add_argument("--token", default=None, help="the only token accepted (else any)")
    truth = commands["truth"]
    truth.add_argument("--member", default=None, help="login or ORG/TEAM-SLUG (sample team)")
    truth.add_argument("--owners", default=None, help="comma-separated (default acme,acme-labs)")
    return parser


def _dataset(args: argparse.Namespace) -> GithubDataset:
    return preset(args.size, seed=args.seed)


def _serve(args: argparse.Namespace) -> int:
    from simulator.github.server import GithubSimulator

    dataset = _dataset(args)
    sim = GithubSimulator(
        dataset,
        search_cap=args.search_cap,
        token=args.token,
        core_limit=args.core_limit,
        core_window_s=args.core_window,
        search_limit=args.search_limit,
        core_limit_anonymous=args.core_limit_anonymous,
        search_limit_anonymous=args.search_limit_anonymous,
        search_window_s=args.search_window,
        limit_status=args.limit_status,
        **serve_options(args),
    )
    return serve_until_interrupted(
        sim,
        f"# team {dataset.sample_team}, person {dataset.sample_person}, owners "
        f"{','.join(dataset.company_owners)}, window {iso(dataset.window_start)} .. "
        f"{iso(dataset.window_end)}; stats at {sim.service_root}/_sim/stats; Ctrl-C stops",
    )


def _truth(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    owners = args.owners.split(",") if args.owners else dataset.company_owners
    member = args.member or dataset.sample_team
    return print_truth(
        args, EVENT_TYPES, lambda t: ground_truth(dataset, member, args.start, args.end, t, owners)
    )


def _people(args: argparse.Namespace) -> int:
    dataset = _dataset(args)
    for (org, slug), team in sorted(dataset.teams.items()):
        members = dataset.team_members(team)
        parent = f"child of {team.parent}" if team.parent else "-"
        print(
            f"team    {org}/{slug:28} {len(team.members):3} direct, {len(members):3} people  {parent}"
        )
    for _, user in sorted(dataset.users.items()):
        print(f"{user.type.lower():7} {user.login:34} {user.name}")
    return 0


def _info(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    start, end = ds.window_start, ds.window_end
    document = {
        "seed": ds.seed,
        "window": [iso(start), iso(end)],
        "owners": list(ds.company_owners),
        "sample_team": ds.sample_team,
        "sample_person": ds.sample_person,
        "counts": ds.counts(),
        "sample_team_rows": {
            t: len(ground_truth(ds, ds.sample_team, start, end, t)) for t in EVENT_TYPES
        },
        "hard_cases": ds.hard_cases,
    }
    print(json.dumps(document, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run({"serve": _serve, "truth": _truth, "people": _people, "info": _info}, args)
