"""The whole story, offline: a roster team's Launchpad and GitHub activity → one QueuerFlow
→ PostgreSQL → the weekly activity report.

Starts what it needs (the embedded stack unless one is configured, the Launchpad and GitHub
simulators, a worker whose settings point at them), imports the example roster, runs one
``run_queuer.py --team platform --sources launchpad,github``, checks the loaded rows of each
source against that simulator's ground truth (through the roster's identities), prints the
team's weekly activity report (terminal table and HTML page), and stops everything it
started, also on failure, Ctrl-C and SIGTERM (``--keep`` leaves the stack up to browse the
runs in the Web UI, with search-attribute filters to try).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devstack.simulator_process import SimulatorProcess  # noqa: E402
from devstack.stack import Stack, worker_env  # noqa: E402
from devstack.temporal import terminate  # noqa: E402
from devstack.truth_check import check_table  # noqa: E402
from models.database import Database  # noqa: E402
from models.etl.runs import ui_link  # noqa: E402
from models.roster.file_source import read_roster_file  # noqa: E402
from models.roster.identity import IdentityMap  # noqa: E402
from models.roster.store import RosterStore  # noqa: E402
from models.settings import Settings  # noqa: E402
from workers.etl_worker import connect  # noqa: E402

ROSTER, TEAM = "examples/roster.yaml", "platform"
START, END = "2024-01-01", "2024-04-01"  # the simulators' data: one quarter
SOURCES = "launchpad,github"
GITHUB_OWNERS = "acme,acme-labs"  # the simulated company's organisations
# The simulated GitHub accepts only this token; limits raised: the demo is not about them.
GITHUB_TOKEN = "demo-token-of-the-simulator"
GITHUB_ARGS = ["--size", "small", "--token", GITHUB_TOKEN,
               "--core-limit", "1000000", "--search-limit", "1000000"]  # fmt: skip
# Web UI list filters that find the demo's runs (README: "Seeing runs, metrics and reports").
FILTERS = (
    'WorkflowType = "QueuerFlow"',
    'EtlSource = "github"',
    'EtlEmployee = "E1001"',
    'EtlSource = "launchpad" AND EtlFlow = "bugs" AND EtlEvents > 0',
    'EtlMember = "alan-jensen-gh" AND ExecutionStatus = "Completed"',
)


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run_script(args: list[str], env: dict[str, str]) -> int:
    """Run one of the project's scripts as a user would, output straight to the terminal."""
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env).returncode


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        # A short grace: on Ctrl-C the demo's runs need not finish (worker.py waits 30 s).
        return subprocess.Popen(
            [sys.executable, "worker.py", "--grace-seconds", "3"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def check_against_truth(settings: Settings) -> bool:
    """The team's rows of each source against its simulator's ground truth."""
    people = [p for p in read_roster_file(ROOT / ROSTER) if p.active and TEAM in p.teams]
    with Database.for_settings(settings.db) as db:
        identities = IdentityMap(RosterStore(db).identities(), "", False)
        table = db.fetch_events()
    checks = check_table(table, people, identities, (START, END))
    for check in checks:
        print(f"   {check.describe()}")
    return all(check.equal for check in checks)


async def count_runs(settings: Settings) -> list[int]:
    client = await connect(settings)
    return [(await client.count_workflows(query)).count for query in FILTERS]


def web_ui_hints(settings: Settings) -> None:
    """Where to look in the Web UI, and list filters (with what they find) for the runs."""
    print(f"Web UI: {ui_link(settings)}")
    for query, count in zip(FILTERS, asyncio.run(count_runs(settings)), strict=True):
        print(f"  {query}  ({count} found)\n    {ui_link(settings)}?query={quote(query)}")


def story(stack: Stack, services: contextlib.ExitStack, logs: Path) -> int:
    settings, env = stack.settings, {**os.environ, **stack.env()}
    launchpad = services.enter_context(SimulatorProcess("simulator.launchpad", []))
    github = services.enter_context(SimulatorProcess("simulator.github", GITHUB_ARGS))
    step(f"simulators (preset 'small'): Launchpad {launchpad.service_root}/, "
         f"GitHub {github.service_root}")  # fmt: skip
    step(f"python scripts/roster.py import {ROSTER}")
    if run_script(["scripts/roster.py", "import", ROSTER], env):
        return 1
    sources = {
        "LP_WEB_ROOT": f"{launchpad.service_root}/",
        "GITHUB_API_URL": github.service_root,
        "GITHUB_OWNERS": GITHUB_OWNERS,
    }
    step(f"worker: python worker.py with {' '.join(f'{k}={v}' for k, v in sources.items())}")
    print(f"   log: {logs / 'worker.log'}")
    worker_settings = worker_env(
        settings.temporal_host, settings.db, **sources, GITHUB_TOKEN=GITHUB_TOKEN
    )
    worker = start_worker(worker_settings, logs / "worker.log")
    services.callback(terminate, worker, 20)
    # --rerun: a second demo on a kept stack runs the children again instead of finding
    # them done (the rerun upserts the same rows).
    queuer = ["run_queuer.py", "--team", TEAM, "--sources", SOURCES,
              "--from", START, "--to", END, "--rerun", "--wait"]  # fmt: skip
    step("python " + " ".join(queuer))
    if run_script(queuer, env):
        print(f"the queuer failed; worker log: {logs / 'worker.log'}")
        return 1
    step(f"events table '{settings.db.events_table}' against both simulators' ground truth")
    equal = check_against_truth(settings)
    page = stack.root / "report.html"
    step(f"python scripts/report.py --team {TEAM} --from {START} --to {END} --html {page}")
    run_script(
        ["scripts/report.py", "--team", TEAM, "--from", START, "--to", END, "--html", str(page)],
        env,
    )
    step("the runs in the Web UI, by search attribute")
    web_ui_hints(settings)
    return 0 if equal else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the stack running")
    args = parser.parse_args()
    stack = Stack()
    logs = stack.root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    step("starting the stack (scripts/stack.py up)")
    # Services a kept demo left running are the stack's own too: `down` would stop them.
    kept = any(s.state == "running" for s in stack.status())
    started = []
    try:
        try:
            statuses = stack.up()
        except BaseException as error:  # one service started, the next failed (or Ctrl-C)
            if not kept and not args.keep:
                stack.down()
            if isinstance(error, RuntimeError):  # a setting names a server that is not there
                print(f"the stack did not start: {error}", file=sys.stderr)
                return 1
            raise
        started = [s for s in statuses if s.state == "started"]
        for status in statuses:
            print(f"   {status.name:<9} {status.state:<9} {status.address}  {status.detail}")
        with contextlib.ExitStack() as services:  # the worker, then the simulators, stop
            return story(stack, services, logs)
    except KeyboardInterrupt:
        print("\ninterrupted: stopping what the demo started")
        return 130
    finally:
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
