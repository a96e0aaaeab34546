"""List what is registered: query types, extract methods and the files defining them.

    python scripts/sources.py          # a table; broken or silent plugin files are flagged
    python scripts/sources.py --json   # the same, as JSON

Every sources/*/query.py and sources/*/flows/*.py is imported, as a worker does at start.
Exit status: 0, or 1 if a plugin file cannot be imported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts scripts/ first on sys.path, where this very file would
# shadow the sources package: the project root goes there instead.
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "scripts":
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.scaffold.listing import collect  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sources.py",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    listing = collect()
    print(listing.to_json() if args.json else listing.render())
    return 1 if listing.errors else 0


if __name__ == "__main__":
    sys.exit(main())
