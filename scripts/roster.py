"""The roster: import people, look at them, re-apply the roster to stored events.

python scripts/roster.py import examples/roster.yaml     # YAML or CSV; idempotent
python scripts/roster.py import --source launchpad-team team=ubuntu-server
python scripts/roster.py list [--team kernel]
python scripts/roster.py show E1001
python scripts/roster.py diff examples/roster.csv        # what an import would change
python scripts/roster.py remap                           # stored rows ← the roster now

Import makes the roster equal to the file (or source): people missing from it become
inactive, never deleted. A file with errors is refused whole, every error named by line.
Settings (database, DB_SCHEMA, EVENTS_TABLE, PSEUDONYM_KEY) come from the environment
and .env, as for the worker.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.database import Database  # noqa: E402
from models.exceptions import InputError  # noqa: E402
from models.roster import Person, RosterStore, get_roster_source  # noqa: E402
from models.roster.identity import IdentityMap  # noqa: E402
from models.roster.remap import remap_events  # noqa: E402
from models.settings import Settings  # noqa: E402


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n")[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    load = commands.add_parser("import", help="make the roster equal a file or roster source")
    load.add_argument("file", nargs="?", help="a YAML or CSV roster file")
    load.add_argument("--source", help="a registered roster source instead of a file")
    load.add_argument("options", nargs="*", default=[], metavar="KEY=VALUE")
    listing = commands.add_parser("list", help="everyone, active or not")
    listing.add_argument("--team")
    show = commands.add_parser("show", help="one person, with identities")
    show.add_argument("employee_id")
    diff = commands.add_parser("diff", help="what importing FILE would change")
    diff.add_argument("file")
    commands.add_parser("remap", help="re-apply the roster to the stored events")
    return parser


def read_people(args: argparse.Namespace, settings: Settings) -> list[Person]:
    if args.source:
        # argparse hands the first KEY=VALUE to the optional FILE positional
        given = ([args.file] if args.file else []) + args.options
        malformed = [option for option in given if "=" not in option]
        if malformed:
            raise InputError(f"roster source options are KEY=VALUE, got {malformed[0]!r}")
        options = dict(option.split("=", 1) for option in given)
        return get_roster_source(args.source)(settings, **options)
    if not args.file:
        raise InputError("import needs a FILE or --source NAME")
    return get_roster_source("file")(settings, path=args.file)


def describe(person: Person) -> str:
    identities = " ".join(f"{kind}:{login}" for kind, login in sorted(person.identities.items()))
    return (
        f"{person.employee_id:<10} {'active' if person.active else 'inactive':<8} "
        f"{person.name or '-':<24} {person.timezone or '-':<20} "
        f"{','.join(person.teams) or '-':<20} {identities}"
    ).rstrip()


def run(args: argparse.Namespace, settings: Settings, store: RosterStore) -> int:
    if args.command in ("import", "diff"):
        if args.command == "diff":
            args.source, args.options = None, []
        people = read_people(args, settings)
        changes = store.replace_all(people) if args.command == "import" else store.diff(people)
        for line in changes.lines():
            print(line)
    elif args.command == "list":
        for person in store.people(team=args.team):
            print(describe(person))
    elif args.command == "show":
        person = store.get(args.employee_id)
        if person is None:
            print(f"no person {args.employee_id!r} in the roster", file=sys.stderr)
            return 1
        print(describe(person))
        for record in store.identities():
            if record.employee_id == person.employee_id and record.retired:
                print(f"  retired identity {record.source_kind}:{record.login}")
    else:
        identities = IdentityMap(
            store.identities(), settings.pseudonym_key, settings.store_comment_bodies
        )
        counts = remap_events(store.database, identities)
        print(f"remap of {store.database.table}: {counts.line()}")
    return 0


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings or Settings.from_env()
    try:
        with Database.for_settings(settings.db) as database:
            return run(args, settings, RosterStore(database))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
