"""Start, stop and inspect the embedded stack (Temporal dev server + PostgreSQL).

python scripts/stack.py up       # start what is not already running
python scripts/stack.py status
python scripts/stack.py env      # settings for psql, the worker, other tools
python scripts/stack.py down     # stop what 'up' started, nothing else
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devstack.stack import Stack  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["up", "down", "status", "env"])
    args = parser.parse_args(argv)
    stack = Stack()
    if args.command == "env":
        for name, value in stack.env().items():
            print(f"export {name}={shlex.quote(value)}")
        return 0
    statuses = getattr(stack, args.command)()
    for status in statuses:
        print(f"{status.name:<9} {status.state:<9} {status.address:<22} {status.detail}".rstrip())
    if args.command == "up":
        print(f"web ui    {stack.settings.temporal_ui}")
    if args.command == "down" and not statuses:
        print("nothing to stop: this stack started no service")
    return 0


if __name__ == "__main__":
    sys.exit(main())
