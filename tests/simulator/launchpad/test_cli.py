"""The command line: truth as JSON lines, people, info, help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.launchpad import ground_truth, preset
from simulator.launchpad.cli import main


def test_truth_prints_json_lines(capsys):
    assert (
        main(
            [
                "truth",
                "--member",
                "sample-team",
                "--from",
                "2024-01-01",
                "--to",
                "2024-04-01",
                "--type",
                "questions",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    events = [json.loads(line) for line in lines]
    expected = ground_truth(preset("small"), "sample-team", "2024-01-01", "2024-04-01", "questions")
    assert events == expected


def test_people_lists_teams_and_people(capsys):
    assert main(["people"]) == 0
    out = capsys.readouterr().out
    assert "team    sample-team" in out and f"person  {preset('small').sample_person}" in out


def test_info_describes_the_dataset(capsys):
    assert main(["info", "--size", "small"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["sample_team"] == "sample-team" and info["hard_cases"]
    assert all(count > 0 for count in info["sample_team_events"].values())


def test_unknown_member_is_an_error(capsys):
    assert main(["truth", "--member", "nobody-at-all"]) == 2
    assert "nobody-at-all" in capsys.readouterr().err


def test_help_mentions_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(command in out for command in ("serve", "truth", "people", "info"))


def test_generation_does_not_depend_on_hash_randomisation():
    def run(hash_seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        command = [sys.executable, "-m", "simulator", "truth", "--type", "bugs"]
        repo = Path(__file__).resolve().parents[3]
        done = subprocess.run(
            command, env=env, cwd=repo, capture_output=True, text=True, check=True
        )
        return done.stdout

    assert run("1") == run("2") != ""
