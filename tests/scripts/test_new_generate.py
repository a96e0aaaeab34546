"""What new.py creates, offline: files, structure, lint, idempotence, --check."""

from __future__ import annotations

import ast

import pytest

from scripts.new import main
from scripts.scaffold.names import MAX_LENGTH
from tests.scripts.helpers import FIRST_PARTY, new, ruff, snapshot


@pytest.fixture
def sources_dir(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    return folder


def generate(sources_dir, *argv) -> int:
    return main(["--sources-dir", str(sources_dir), *argv])


def decorator_names(tree: ast.Module) -> list[str]:
    return [ast.unparse(d) for node in tree.body for d in getattr(node, "decorator_list", [])]


def test_no_arguments_create_sample_source_with_sample_flow(sources_dir, capsys):
    assert generate(sources_dir) == 0
    source = sources_dir / "sample_source"
    assert sorted(str(p.relative_to(source)) for p in source.rglob("*.py")) == [
        "__init__.py",
        "flows/__init__.py",
        "flows/sample_flow.py",
        "query.py",
    ]
    query = ast.parse((source / "query.py").read_text())
    (cls,) = [n for n in query.body if isinstance(n, ast.ClassDef)]
    assert cls.name == "SampleSourceQuery"
    assert [ast.unparse(b) for b in cls.bases] == ["Query"]
    assert decorator_names(query) == ["query_type('sample_source')"]
    methods = {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}
    assert {"__init__", "from_dict", "to_summary_base"} <= set(methods)
    assert [ast.unparse(d) for d in methods["from_dict"].decorator_list] == ["staticmethod"]
    flow = (source / "flows" / "sample_flow.py").read_text()
    assert decorator_names(ast.parse(flow)) == ["extract_method(name='sample_source-sample_flow')"]
    assert "from sources.sample_source.query import SampleSourceQuery" in flow
    assert "def extract_data(query: SampleSourceQuery) -> list[dict[str, Any]]:" in flow
    out = capsys.readouterr().out
    assert "created    sources/sample_source/query.py" in out
    assert "4 file(s) created" in out


def test_a_source_without_flows_gets_the_events_flow(sources_dir):
    assert generate(sources_dir, "github") == 0
    flows = sources_dir / "github" / "flows"
    assert sorted(p.name for p in flows.glob("*.py")) == ["__init__.py", "events.py"]
    assert '@extract_method(name="github-events")' in (flows / "events.py").read_text()


def test_several_flows_and_the_readme_example(sources_dir):
    assert generate(sources_dir, "github", "issues", "pull_requests") == 0
    flows = sources_dir / "github" / "flows"
    assert sorted(p.stem for p in flows.glob("[!_]*.py")) == ["issues", "pull_requests"]
    text = (flows / "pull_requests.py").read_text()
    assert '@extract_method(name="github-pull_requests")' in text
    assert "GithubQuery" in text
    assert '@query_type("github")' in (sources_dir / "github" / "query.py").read_text()


def test_generated_docs_say_what_to_fill_in_and_keep_secrets_out(sources_dir):
    assert generate(sources_dir, "github", "issues") == 0
    query = (sources_dir / "github" / "query.py").read_text()
    assert "never make a token, password or other secret a query" in query
    assert "api_token" not in query
    flow = (sources_dir / "github" / "flows" / "issues.py").read_text()
    for required in ("event_id", "relation_type", "employee_id", "event_time_utc"):
        assert f"``{required}``" in flow
    assert "parent_item_id" in flow and "deterministic" in flow
    assert "extract_data(query, cursor)" in flow and "Page(" in flow  # the paged form


@pytest.mark.parametrize(
    "source, flows",
    [("sample_source", ["sample_flow"]), ("a" * MAX_LENGTH, ["b" * MAX_LENGTH, "c"])],
    ids=["typical", "longest-names"],
)
def test_generated_code_passes_ruff(sources_dir, source, flows):
    assert generate(sources_dir, source, *flows) == 0
    checked = ruff("check", "--config", FIRST_PARTY, "--no-cache", str(sources_dir / source))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    formatted = ruff("format", "--check", "--no-cache", str(sources_dir / source))
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_a_second_run_changes_nothing(sources_dir, capsys):
    assert generate(sources_dir, "github", "issues", "releases") == 0
    before = snapshot(sources_dir)
    capsys.readouterr()
    assert generate(sources_dir, "github", "issues", "releases") == 0
    assert snapshot(sources_dir) == before
    out = capsys.readouterr().out
    assert "nothing to do" in out
    assert "created" not in out and "backup" not in out
    assert generate(sources_dir, "github") == 0  # checking only
    assert snapshot(sources_dir) == before


def test_an_existing_source_gets_only_its_missing_flows(sources_dir, capsys):
    assert generate(sources_dir, "github", "issues") == 0
    issues = sources_dir / "github" / "flows" / "issues.py"
    issues.write_text(issues.read_text().replace("events: list", "items = 1\n    events: list"))
    edited = issues.read_bytes()
    capsys.readouterr()
    assert generate(sources_dir, "github", "issues", "releases") == 0
    out = capsys.readouterr().out
    assert "ok         sources/github/flows/issues.py" in out
    assert "created    sources/github/flows/releases.py" in out
    assert issues.read_bytes() == edited
    assert not list(sources_dir.rglob("*.bak*"))


def test_a_missing_package_file_is_added_back(sources_dir):
    assert generate(sources_dir, "github") == 0
    (sources_dir / "github" / "flows" / "__init__.py").unlink()
    assert generate(sources_dir, "github") == 0
    assert (sources_dir / "github" / "flows" / "__init__.py").exists()


def test_new_flows_import_the_class_query_py_really_defines(sources_dir, capsys):
    assert generate(sources_dir, "github") == 0
    query = sources_dir / "github" / "query.py"
    query.write_text(query.read_text().replace("GithubQuery", "HubQuery"))
    capsys.readouterr()
    # events.py still imports the old name: reported, not rewritten.
    assert generate(sources_dir, "github", "issues") == 1
    out = capsys.readouterr().out
    assert (
        "attention  sources/github/flows/events.py:13: imports GithubQuery from "
        "sources.github.query, which does not define it (its query class is HubQuery)"
    ) in out
    flow = (sources_dir / "github" / "flows" / "issues.py").read_text()
    assert "from sources.github.query import HubQuery" in flow


def test_check_mode_writes_nothing_and_says_what_it_would_do(sources_dir, capsys):
    assert generate(sources_dir, "--check", "github", "issues") == 1
    assert not (sources_dir / "github").exists()
    assert "would be created" in capsys.readouterr().out
    assert generate(sources_dir, "github", "issues") == 0
    assert generate(sources_dir, "--check", "github", "issues") == 0


def test_the_script_runs_from_any_directory(sources_dir, tmp_path):
    result = new("github", "issues", sources_dir=sources_dir, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (sources_dir / "github" / "flows" / "issues.py").exists()
    assert "next steps" in result.stdout


def test_help_names_the_default_flow_and_the_exit_codes():
    result = new("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "without flows: events" in text
    assert "sample_source, with flow sample_flow" in text
    assert "0 all good, 1 something needs attention" in text and "2 bad input" in text
