"""A generated source, in the real sources/ folder, run through ETLFlow end to end.

Workers discover plugins only below the project's sources/, so these tests generate a
uniquely named source there and remove it afterwards (files, registry entries, modules).
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

import sources
from models.etl.etl_flow_input import ETLFlowInput
from models.etl.extract_cmd import ExtractStrategy
from models.etl.query import QueryFactory
from models.exceptions import InvalidQueryError
from scripts.scaffold.names import SOURCES_DIR, query_class_name
from tests.scripts.helpers import SOURCES, new, ruff, run_script, snapshot

ARGS = {"target": "demo", "since": "2024-01-01", "until": "2024-02-01"}

# What the user writes in place of the generated ``events = []``.
THREE_EVENTS = """\
    events: list[dict[str, Any]] = [
        {
            "event_id": f"{query.target}-item-{n}-created",
            "relation_type": "created",
            "employee_id": f"user{n}",
            "event_time_utc": f"2024-01-0{n + 1}T12:00:00Z",
            "parent_item_id": f"item-{n}",
            "event_properties": {"n": n},
        }
        for n in range(3)
    ]
"""


def forget(name: str) -> None:
    """Remove every trace of ``sources/<name>`` from disk, the registries and imports.

    The folder leaves ``sources/`` in one rename, so a worker of another test scanning
    it meanwhile sees the whole source or none of it."""
    folder = SOURCES_DIR / name
    if folder.exists():
        trash = Path(tempfile.mkdtemp(prefix=".old-source-", dir=SOURCES_DIR.parent))
        os.rename(folder, trash / name)
        shutil.rmtree(trash, ignore_errors=True)
    for registry in (QueryFactory._registry, ExtractStrategy._registry):
        with registry._lock:
            for key, entry in list(registry._entries.items()):
                if entry.location.startswith(f"sources/{name}/"):
                    del registry._entries[key]
    for module in list(sys.modules):
        if module == f"sources.{name}" or module.startswith(f"sources.{name}."):
            del sys.modules[module]
    if hasattr(sources, name):
        delattr(sources, name)
    importlib.invalidate_caches()


def remove_stale_sources(max_age_seconds: float = 3600) -> None:
    """Sources left by an interrupted earlier session (a killed run skips finalizers)."""
    for folder in SOURCES_DIR.glob("test_gen_*"):
        if time.time() - folder.stat().st_mtime > max_age_seconds:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def generated(request):
    """Generate ``sources/test_gen_<hex>`` with flow ``events``; returns its name."""
    remove_stale_sources()
    name = f"test_gen_{uuid.uuid4().hex[:10]}"
    request.addfinalizer(lambda: forget(name))  # before generating: cleaned even if it fails
    result = new(name)
    assert result.returncode == 0, result.stdout + result.stderr
    importlib.invalidate_caches()  # the files are newer than the import system's view
    return name


def flow_input(name: str) -> ETLFlowInput:
    return ETLFlowInput(query_type=name, extract_strategy=f"{name}-events", args=dict(ARGS))


def completed(outcome) -> dict:
    assert isinstance(outcome, dict), f"ETLFlow failed: {outcome!r} caused by {outcome.__cause__!r}"
    assert outcome["status"] == "completed"
    return outcome


def test_generated_code_lints_imports_and_is_discovered(generated):
    folder = SOURCES_DIR / generated
    checked = ruff("check", "--no-cache", str(folder))
    assert checked.returncode == 0, checked.stdout
    assert ruff("format", "--check", "--no-cache", str(folder)).returncode == 0
    cls = query_class_name(generated)
    assert QueryFactory.available()[generated] == f"sources/{generated}/query.py:{cls}"
    methods = ExtractStrategy.available()
    assert methods[f"{generated}-events"] == f"sources/{generated}/flows/events.py:extract_data"
    query = QueryFactory.create(generated, dict(ARGS))
    assert type(query).__name__ == cls
    assert query.source_kind_id == generated
    assert query.to_summary_base() == {
        "target": "demo",
        "since": "2024-01-01T00:00:00+00:00",
        "until": "2024-02-01T00:00:00+00:00",
    }
    assert ExtractStrategy.create(f"{generated}-events")(query) == []
    with pytest.raises(InvalidQueryError, match=r"missing required .* argument\(s\): since, until"):
        QueryFactory.create(generated, {"target": "demo"})
    with pytest.raises(InvalidQueryError, match=r"unknown .* argument\(s\): api_token"):
        QueryFactory.create(generated, {**ARGS, "api_token": "secret"})
    with pytest.raises(InvalidQueryError, match="until .* must be after since"):
        QueryFactory.create(generated, {**ARGS, "until": "2023-12-01"})
    with pytest.raises(InvalidQueryError, match="since must be YYYY-MM-DD"):
        QueryFactory.create(generated, {**ARGS, "since": "last tuesday"})
    listed = run_script(SOURCES)
    assert f"sources/{generated}/flows/events.py:extract_data" in listed.stdout


def test_a_generated_flow_returning_nothing_completes_with_zero_events(
    generated, run_workflow, settings, database
):
    outcome, _ = run_workflow(flow_input(generated), settings, database)
    summary = completed(outcome)
    assert summary["query_type"] == generated
    assert summary["extract_strategy"] == f"{generated}-events"
    assert summary["target"] == "demo"
    assert (summary["extracted"], summary["inserted"], summary["updated"]) == (0, 0, 0)
    assert database.count_events() == 0


def test_the_same_flow_edited_to_return_events_lands_them_in_postgres(
    generated, run_workflow, settings, database
):
    flow = SOURCES_DIR / generated / "flows" / "events.py"
    text = flow.read_text()
    placeholder = "    events: list[dict[str, Any]] = []\n"
    assert placeholder in text
    flow.write_text(text.replace(placeholder, THREE_EVENTS))
    importlib.invalidate_caches()
    # The edited source is still well-formed: new.py finds nothing to do.
    before = snapshot(SOURCES_DIR / generated)
    checked = new(generated)
    assert checked.returncode == 0 and "nothing to do" in checked.stdout, checked.stdout
    assert snapshot(SOURCES_DIR / generated) == before

    summary = completed(run_workflow(flow_input(generated), settings, database)[0])
    assert (summary["extracted"], summary["inserted"]) == (3, 3)
    rows = database.fetch_events(source_kind_id=generated)
    assert [row["event_id"] for row in rows] == [f"demo-item-{n}-created" for n in range(3)]
    assert {row["event_type"] for row in rows} == {"events"}  # defaulted to the flow's name
    assert rows[1]["employee_id"] == "user1" and rows[1]["parent_item_id"] == "item-1"
    assert rows[2]["event_properties"] == {"n": 2}

    # Deterministic event ids: running it again changes nothing.
    again = completed(run_workflow(flow_input(generated), settings, database)[0])
    assert (again["extracted"], again["inserted"], again["unchanged"]) == (3, 0, 3)
    assert database.count_events() == 3
