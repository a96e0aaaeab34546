"""Create a data source, or complete and check an existing one.

    python scripts/new.py                          # sources/sample_source, flow sample_flow
    python scripts/new.py github                   # sources/github, flow "events"
    python scripts/new.py github issues releases   # sources/github, two flows
    python scripts/new.py --list                   # what is registered (= scripts/sources.py)

A new source gets sources/SOURCE/{__init__.py, query.py, flows/__init__.py, flows/FLOW.py}:
a Query subclass registered with @query_type("SOURCE") and one extract method per flow,
registered with @extract_method(name="SOURCE-FLOW"). Workers discover them by themselves.

On an existing source, missing flows and files are added and the existing files are
checked: a missing import, decorator or base class is repaired after the file is backed up
(FILE.bak, FILE.bak.1, ...); anything else is reported as needing attention, never
rewritten. Without FLOW names, an existing source only gets checked (a source with no
flow at all gets "events"). Running it again changes nothing.

Exit status: 0 all good, 1 something needs attention (or, with --check, would change),
2 bad input (nothing written). See docs/new-source.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts scripts/ first on sys.path, where scripts/sources.py would
# shadow the sources package: the project root goes there instead.
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "scripts":
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.scaffold.generator import EXIT_BAD_INPUT, scaffold  # noqa: E402
from scripts.scaffold.names import (  # noqa: E402
    DEFAULT_FLOW,
    DEFAULT_SOURCE,
    DEFAULT_SOURCE_FLOW,
    MAX_LENGTH,
    SOURCES_DIR,
    BadName,
)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="new.py",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "source",
        nargs="?",
        metavar="SOURCE",
        help=f"source name: lower-case letters, digits and _, at most {MAX_LENGTH} characters "
        f"(default: {DEFAULT_SOURCE}, with flow {DEFAULT_SOURCE_FLOW})",
    )
    parser.add_argument(
        "flows",
        nargs="*",
        metavar="FLOW",
        help=f"flows to add, same rules (default for a source without flows: {DEFAULT_FLOW})",
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="list the registered query types and extract methods, and exit",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a file would be created or repaired, or needs attention",
    )
    parser.add_argument(
        "--sources-dir",
        type=Path,
        default=SOURCES_DIR,
        metavar="DIR",
        help="where sources live (default: the project's sources/; workers discover only that)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.list:
        from scripts.sources import main as list_main

        return list_main([])
    source, flows = args.source, list(args.flows)
    if source is None:
        source, flows = DEFAULT_SOURCE, [DEFAULT_SOURCE_FLOW]
    try:
        existing = (Path(args.sources_dir) / source).is_dir()
        report = scaffold(source, flows, args.sources_dir, check_only=args.check)
    except BadName as exc:
        print(f"new.py: error: {exc}; nothing was written", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # e.g. a read-only folder: say so instead of a traceback
        print(f"new.py: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    verb = "checking" if existing or args.check else "creating"
    print(f"new.py: {verb} source {source!r} in {report.show(Path(args.sources_dir) / source)}")
    print(report.render())
    if not existing and not args.check:
        print(next_steps(source, report))
    if Path(args.sources_dir).resolve() != SOURCES_DIR:
        print(f"note: workers discover sources only in {SOURCES_DIR}")
    return report.exit_code


def next_steps(source: str, report) -> str:
    return (
        "next steps:\n"
        f"  1. fill in sources/{source}/query.py (the run's arguments, no secrets) and\n"
        f"     sources/{source}/flows/*.py (extract_data: fetch, map to event dicts)\n"
        "  2. python scripts/sources.py    # shows it registered\n"
        "  3. run it through ETLFlow: see docs/new-source.md"
    )


if __name__ == "__main__":
    sys.exit(main())
