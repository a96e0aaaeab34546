"""Listing what is registered, from the command line."""

from __future__ import annotations

import json

from models.etl.extract_cmd import ExtractStrategy
from models.etl.query import QueryFactory
from scripts.scaffold import listing
from tests.scripts.helpers import SOURCES, new, run_script


def test_sources_script_lists_query_types_and_extract_methods_with_their_files(tmp_path):
    result = run_script(SOURCES, cwd=tmp_path)  # from anywhere; scripts/ must not shadow
    assert result.returncode == 0, result.stderr
    assert "Query types (" in result.stdout and "Extract methods (" in result.stdout
    assert "launchpad  sources/launchpad/query.py:LaunchpadQuery" in result.stdout
    assert "sources/launchpad/flows/bugs.py:extract_data" in result.stdout


def test_json_output_and_new_py_list_agree():
    data = json.loads(run_script(SOURCES, "--json").stdout)
    assert data["query_types"]["launchpad"] == "sources/launchpad/query.py:LaunchpadQuery"
    assert data["extract_methods"]["launchpad-bugs"].startswith("sources/launchpad/flows/bugs.py")
    listed = new("--list")
    assert listed.returncode == 0
    assert "launchpad-bugs" in listed.stdout and "LaunchpadQuery" in listed.stdout


def test_a_broken_plugin_file_is_reported_not_fatal(monkeypatch):
    real = QueryFactory._registry.module_names
    monkeypatch.setattr(
        QueryFactory._registry, "module_names", lambda: [*real(), "sources.no_such_source.query"]
    )
    found = listing.collect()
    assert "launchpad" in found.query_types
    assert "ModuleNotFoundError" in found.errors["sources.no_such_source.query"]
    assert "error: sources.no_such_source.query cannot be imported" in found.render()
    assert "launchpad-bugs" in ExtractStrategy.available()
