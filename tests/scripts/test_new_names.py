"""Bad names are refused with a clear message, exit status 2, and nothing written."""

from __future__ import annotations

import pytest

from scripts.new import main
from scripts.scaffold.names import SOURCES_DIR, query_class_name
from tests.scripts.helpers import new, snapshot

BAD_SOURCES = {
    "my-source": "not usable as a module name",
    "MySource": "not usable as a module name",
    "1source": "not usable as a module name",
    "_private": "not usable as a module name",
    "café": "not usable as a module name",
    "has space": "not usable as a module name",
    "a/b": "looks like a path",
    "../escape": "looks like a path",
    "sources/github": "looks like a path",
    "/tmp/abs": "looks like a path",
    "github.py": "looks like a path",
    "..": "looks like a path",
    "": "source name is empty",
    "   ": "source name is empty",
    "class": "Python keyword",
    "import": "Python keyword",
    "models": "project's own top-level package",
    "sources": "project's own top-level package",
    "workers": "project's own top-level package",
    "scripts": "project's own top-level package",
    "tests": "project's own top-level package",
    "simulator": "project's own top-level package",
    "devstack": "project's own top-level package",
    "bench": "project's own top-level package",
    "os": "standard-library module 'os'",
    "json": "standard-library module 'json'",
    "logging": "standard-library module",
    "temporalio": "installed package 'temporalio'",
    "psycopg2": "installed package",
    "pytest": "installed package",
    "x" * 31: "longer than 30 characters",
}

BAD_FLOWS = {
    "": "flow name is empty",
    "issues/open": "looks like a path",
    "pull-requests": "not usable as a module name",
    "for": "Python keyword",
    "json": "standard-library module",
    "models": "project's own top-level package",
    "__init__": "not usable as a module name",
}


@pytest.fixture
def sources_dir(tmp_path):
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    return folder


def refused(capsys, argv, expected, folders):
    before = [snapshot(folder) for folder in folders]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "nothing was written" in err
    assert [snapshot(folder) for folder in folders] == before


@pytest.mark.parametrize("name", list(BAD_SOURCES), ids=repr)
def test_bad_source_names_are_refused(name, sources_dir, capsys):
    refused(capsys, ["--sources-dir", str(sources_dir), name], BAD_SOURCES[name], [sources_dir])


@pytest.mark.parametrize("flow", list(BAD_FLOWS), ids=repr)
def test_bad_flow_names_are_refused_before_anything_is_written(flow, sources_dir, capsys):
    argv = ["--sources-dir", str(sources_dir), "fine_source", "issues", flow]
    refused(capsys, argv, BAD_FLOWS[flow], [sources_dir])
    assert not (sources_dir / "fine_source").exists()


def test_bad_names_leave_the_real_sources_folder_alone(capsys):
    for name in ("json", "a/b", "class", "models"):
        refused(capsys, [name], "", [SOURCES_DIR])


def test_a_flow_given_twice_is_refused(sources_dir, capsys):
    argv = ["--sources-dir", str(sources_dir), "twice", "issues", "issues"]
    refused(capsys, argv, "flow 'issues' is given twice", [sources_dir])


def test_an_empty_flow_among_others_is_refused_on_an_existing_source(sources_dir, capsys):
    assert main(["--sources-dir", str(sources_dir), "existing"]) == 0
    capsys.readouterr()
    refused(
        capsys,
        ["--sources-dir", str(sources_dir), "existing", "a", "", "b"],
        "empty",
        [sources_dir],
    )


def test_a_query_type_registered_by_another_file_is_refused(sources_dir, capsys):
    other = sources_dir / "other"
    other.mkdir()
    (other / "query.py").write_text(
        "from models.etl.query import Query, query_type\n\n\n"
        '@query_type("github")\nclass Hub(Query):\n    pass\n'
    )
    argv = ["--sources-dir", str(sources_dir), "github"]
    refused(capsys, argv, "query type 'github' is already registered by", [sources_dir])


def test_an_extract_method_registered_by_another_file_is_refused(sources_dir, capsys):
    assert main(["--sources-dir", str(sources_dir), "github", "issues"]) == 0
    capsys.readouterr()
    issues = sources_dir / "github" / "flows" / "issues.py"
    issues.write_text(issues.read_text().replace('"github-issues"', '"github-releases"'))
    argv = ["--sources-dir", str(sources_dir), "github", "releases"]
    refused(capsys, argv, "'github-releases' is already registered by", [sources_dir])


def test_a_file_where_the_source_folder_should_be_is_refused(sources_dir, capsys):
    (sources_dir / "github").write_text("not a folder")
    refused(capsys, ["--sources-dir", str(sources_dir), "github"], "not a folder", [sources_dir])


def test_the_command_line_refuses_too(sources_dir):
    before = snapshot(sources_dir)
    result = new("temporalio", sources_dir=sources_dir)
    assert result.returncode == 2
    assert "collides with the installed package 'temporalio'" in result.stderr
    assert snapshot(sources_dir) == before


def test_class_names_follow_the_source_name():
    assert query_class_name("github") == "GithubQuery"
    assert query_class_name("sample_source") == "SampleSourceQuery"
    assert query_class_name("web2_api") == "Web2ApiQuery"
