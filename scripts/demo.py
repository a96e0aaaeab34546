"""The main job, offline: Launchpad bug activity of a team → Temporal → PostgreSQL.

Starts what it needs (the embedded stack unless one is configured, the Launchpad
simulator, a worker), imports the example roster, runs ``run_bugs_wf.py`` for the
simulator's sample team, prints the events loaded per week and relation type next to the
simulator's ground truth, then the weekly activity report of a roster team (terminal table
and HTML page), and stops everything it started (``--keep`` leaves the stack up to browse
the Web UI, with the search-attribute filters to try).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devstack.net import free_port, port_open  # noqa: E402
from devstack.stack import Stack  # noqa: E402
from devstack.temporal import terminate  # noqa: E402
from models.database import Database  # noqa: E402
from models.etl.runs import ui_link  # noqa: E402
from simulator.launchpad import ground_truth, preset  # noqa: E402

TEAM, START, END = "sample-team", "2024-01-01", "2024-04-01"
ROSTER, ROSTER_TEAM = "examples/roster.yaml", "platform"  # the report's team
# Web UI list filters that find the demo's runs (README: "Seeing runs, metrics and reports").
FILTERS = (
    f'EtlMember = "{TEAM}" AND ExecutionStatus = "Completed"',
    'EtlSource = "launchpad" AND EtlFlow = "bugs"',
    "EtlEvents > 0",
)


def spawn(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )


def week_table(rows: list[dict]) -> str:
    counts = Counter((row["week"], row["relation_type"]) for row in rows)
    relations = sorted({relation for _, relation in counts})
    weeks = sorted({week for week, _ in counts})
    headers = [*relations, "total"]

    def line(label: str, cells: list) -> str:
        return f"{label:<11}" + "".join(
            f" {c:>{len(h)}}" for c, h in zip(cells, headers, strict=True)
        )

    lines = [line("week", headers)]
    for week in weeks:
        cells = [counts.get((week, r), 0) for r in relations]
        lines.append(line(week, [*cells, sum(cells)]))
    totals = [sum(counts.get((w, r), 0) for w in weeks) for r in relations]
    lines.append(line("total", [*totals, sum(totals)]))
    return "\n".join(lines)


def run_script(args: list[str], env: dict[str, str] | None = None) -> int:
    """Run one of the project's scripts as a user would, output straight to the terminal."""
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env).returncode


def report_step(stack: Stack) -> None:
    """The weekly activity report of the roster team: table, and the HTML page's path."""
    page = stack.root / "report.html"
    print(f"\n== python scripts/report.py --team {ROSTER_TEAM} --from {START} --to {END} --html")
    run_script(
        ["scripts/report.py", "--team", ROSTER_TEAM, "--from", START, "--to", END,
         "--html", str(page)],
        env={**os.environ, **stack.env()},
    )  # fmt: skip


def web_ui_hints(stack: Stack) -> None:
    """Where to look in the Web UI, and list filters that find the demo's runs."""
    print(f"Web UI: {ui_link(stack.settings)}")
    for query in FILTERS:
        print(f"  filter: {query}\n          {ui_link(stack.settings)}?query={quote(query)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    args = parser.parse_args()
    stack = Stack()
    logs = stack.root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    print("== starting the stack (scripts/stack.py up)")
    started = [s for s in stack.up() if s.state == "started"]
    for status in stack.status():
        print(f"   {status.name:<9} {status.state:<9} {status.address}")
    worker = simulator = None
    try:
        port = free_port()
        print(f"== Launchpad simulator on http://127.0.0.1:{port}/ (preset 'small')")
        simulator = spawn(
            ["-m", "simulator.launchpad", "serve", "--port", str(port)], logs / "simulator.log"
        )
        while not port_open("127.0.0.1", port):
            if simulator.poll() is not None:
                raise RuntimeError(f"simulator exited; see {logs / 'simulator.log'}")
            time.sleep(0.2)
        print(f"== python scripts/roster.py import {ROSTER}")
        run_script(["scripts/roster.py", "import", ROSTER], env={**os.environ, **stack.env()})
        print(f"== worker (python worker.py), log in {logs / 'worker.log'}")
        worker = spawn(["worker.py"], logs / "worker.log")
        print(f"== python run_bugs_wf.py --member {TEAM} --from {START} --to {END} --wait")
        run = subprocess.run(
            [
                sys.executable,
                "run_bugs_wf.py",
                "--member",
                TEAM,
                "--from",
                START,
                "--to",
                END,
                "--service-root",
                f"http://127.0.0.1:{port}/",
                "--api-version",
                "devel",
                "--wait",
            ],
            cwd=ROOT,
        )
        if run.returncode != 0:
            print(f"the run failed; worker log: {logs / 'worker.log'}")
            return run.returncode
        truth = ground_truth(preset("small"), TEAM, START, END, "bugs")
        ids = [event["event_id"] for event in truth]
        with Database.for_settings(stack.settings.db) as db:
            rows = db.fetch_events(event_id=ids)
            print(f"\n== events table '{stack.settings.db.events_table}': bug events of {TEAM}")
            print(week_table(rows))
        verdict = "equal" if len(rows) == len(ids) else "DIFFERENT"
        print(f"\nloaded {len(rows)} of the simulator's {len(ids)} ground-truth events: {verdict}")
        report_step(stack)
        web_ui_hints(stack)
        print(
            "\nAgainst real Launchpad: scripts/stack.py up; python worker.py &\n"
            "  python run_bugs_wf.py --member <team-or-person> --from 2024-01-01 --to 2024-04-01 --wait"
        )
        return 0 if verdict == "equal" else 1
    finally:
        for process in (worker, simulator):
            if process is not None:
                terminate(process, 20)
        if args.keep:
            print("\n--keep: the stack stays up; stop it with: python scripts/stack.py down")
        elif started:
            stack.down()
            print(f"\n== stopped what the demo started: {', '.join(s.name for s in started)}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C: what the demo started is stopped
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    sys.exit(main())
