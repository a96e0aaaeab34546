"""``python -m simulator.github``: truth, info, people, serve; and the service switch of
``python -m simulator``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from simulator.github import ground_truth
from simulator.github.cli import main

REPO = Path(__file__).resolve().parents[3]


def test_truth_prints_ground_truth_as_json_lines(capsys, small):
    assert main(["truth", "--member", small.sample_person, "--type", "commits"]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert printed == ground_truth(
        small, small.sample_person, "2024-01-01", "2024-04-01", "commits"
    )
    assert (
        main(
            ["truth", "--owners", "other-corp", "--type", "issues", "--member", small.sample_person]
        )
        == 0
    )
    assert capsys.readouterr().out


def test_info_people_and_errors(capsys, small):
    assert main(["info"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["sample_team"] == "acme/sample-team" and info["hard_cases"] == small.hard_cases
    assert all(info["sample_team_rows"].values())
    assert main(["people"]) == 0
    assert "acme/sample-nested-team" in capsys.readouterr().out
    assert main(["truth", "--member", "nobody-at-all"]) == 2
    assert "nobody-at-all" in capsys.readouterr().err


def test_serve_and_service_switch():
    command = [
        sys.executable,
        "-m",
        "simulator",
        "github",
        "serve",
        "--port",
        "0",
        "--search-limit-anonymous",
        "5",
    ]
    server = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        root = server.stdout.readline().strip()
        answer = httpx.get(f"{root}/search/commits", params={"q": "user:acme"}, timeout=10)
        assert answer.status_code == 200 and answer.headers["x-ratelimit-limit"] == "5"
    finally:
        server.terminate()
        server.wait(timeout=10)
    for module in (["simulator.launchpad"], ["simulator", "launchpad"]):
        done = subprocess.run(
            [sys.executable, "-m", *module, "truth", "--type", "bugs"],
            cwd=REPO, capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert done.stdout.count("\n") == 229
