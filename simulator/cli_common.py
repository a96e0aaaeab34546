"""Command-line plumbing every simulator shares: the four commands (serve, truth, people,
info) with their dataset and fault options, printing ground truth, serving until Ctrl-C,
and turning errors into exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from simulator.presets import PRESET_WINDOW
from simulator.server import SimulatorServer


def build_parser(
    prog: str,
    description: str,
    epilog: str,
    presets: Collection[str],
    event_types: Collection[str],
    default_port: int,
    helps: Mapping[str, str],
) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser of ``python -m simulator.SERVICE`` and its commands by name: ``serve``
    (with the fault options), ``truth`` (with the window and the event type), ``people``
    and ``info``, each with ``--size`` and ``--seed``; ``helps`` holds each command's
    help. The service adds its own options to the commands."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = {}
    for name in ("serve", "truth", "people", "info"):
        command = commands[name] = subparsers.add_parser(name, help=helps[name])
        command.add_argument(
            "--size",
            choices=sorted(presets),
            default="small",
            help="dataset preset (default: small)",
        )
        command.add_argument(
            "--seed", type=int, default=None, help="generation seed (default: the preset's, 1)"
        )
    add_serve_options(commands["serve"], default_port)
    truth = commands["truth"]
    truth.add_argument("--from", dest="start", default=PRESET_WINDOW[0], help="window start")
    truth.add_argument("--to", dest="end", default=PRESET_WINDOW[1], help="window end")
    truth.add_argument("--type", dest="event_type", choices=[*event_types, "all"], default="all")
    return parser, commands


def print_truth(
    args: argparse.Namespace,
    event_types: Iterable[str],
    rows_of: Callable[[str], Iterable[dict[str, Any]]],
) -> int:
    """The ground truth of ``truth``'s event type (or of all), one JSON line per row."""
    for event_type in event_types if args.event_type == "all" else (args.event_type,):
        for row in rows_of(event_type):
            print(json.dumps(row, sort_keys=True))
    return 0


def add_serve_options(serve: argparse.ArgumentParser, default_port: int) -> None:
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=default_port, help="port; 0 picks a free one")
    serve.add_argument("--latency-ms", type=float, default=0.0, help="delay added to requests")
    serve.add_argument(
        "--error-rate", type=float, default=0.0, help="share of requests answered 503"
    )
    serve.add_argument(
        "--rate-limit-rate",
        type=float,
        default=0.0,
        help="share of requests answered with a rate limit and Retry-After",
    )
    serve.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds")
    serve.add_argument("--slow-rate", type=float, default=0.0, help="share of slow answers")
    serve.add_argument("--slow-ms", type=float, default=0.0, help="delay of slow answers")
    serve.add_argument("--fault-seed", type=int, default=0, help="seed of the fault RNG")
    serve.add_argument("--verbose", action="store_true", help="log every request to stderr")


def serve_options(args: argparse.Namespace) -> dict[str, Any]:
    """What ``add_serve_options`` reads (address, faults, latency, logging) as keyword
    arguments of a `SimulatorServer` subclass."""
    return {
        "host": args.host,
        "port": args.port,
        "fault_seed": args.fault_seed,
        "verbose": args.verbose,
        "latency_ms": args.latency_ms,
        "error_rate": args.error_rate,
        "rate_limit_rate": args.rate_limit_rate,
        "retry_after_s": args.retry_after,
        "slow_rate": args.slow_rate,
        "slow_ms": args.slow_ms,
    }


def serve_until_interrupted(sim: SimulatorServer, banner: str) -> int:
    """Print the service root (stdout) and `banner` (stderr), serve until Ctrl-C."""
    print(sim.service_root, flush=True)
    print(banner, file=sys.stderr, flush=True)
    try:
        sim.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


def run(handlers: dict[str, Callable[[argparse.Namespace], int]], args: argparse.Namespace) -> int:
    try:
        return handlers[args.command](args)
    except (KeyError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit
        return 0
