"""An existing, damaged source: backups first, mechanical repairs, the rest reported."""

from __future__ import annotations

import pytest

from scripts.new import main
from tests.scripts.helpers import FIRST_PARTY, ruff, snapshot


@pytest.fixture
def github(tmp_path, capsys):
    """A freshly generated sources/github with flows issues and releases."""
    folder = tmp_path / "sources"
    folder.mkdir()
    assert main(["--sources-dir", str(folder), "github", "issues", "releases"]) == 0
    capsys.readouterr()
    return folder


def run(sources_dir, capsys, *argv) -> tuple[int, str]:
    code = main(["--sources-dir", str(sources_dir), "github", *argv])
    return code, capsys.readouterr().out


def edit(path, *replacements) -> str:
    text = path.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text)
    return text


def test_missing_imports_and_decorators_are_repaired_after_a_backup(github, capsys):
    query = github / "github" / "query.py"
    issues = github / "github" / "flows" / "issues.py"
    original_query = query.read_text()
    damaged_query = edit(
        query,
        ("from models.etl.query import Query, query_type\n", ""),
        ('@query_type("github")\n', ""),
    )
    damaged_issues = edit(
        issues,
        ("from models.etl.extract_cmd import extract_method\n", ""),
        ('@extract_method(name="github-issues")\n', ""),
        # the user's own logic, which must survive the repair untouched
        ("    events: list[dict[str, Any]] = []\n", "    events = [{'my': 'logic'}]  # mine\n"),
    )
    code, out = run(github, capsys)
    assert code == 0, out
    assert (github / "github" / "query.py.bak").read_text() == damaged_query
    assert (github / "github" / "flows" / "issues.py.bak").read_text() == damaged_issues
    assert query.read_text() == original_query
    repaired = issues.read_text()
    assert "    events = [{'my': 'logic'}]  # mine\n" in repaired
    assert "from models.etl.extract_cmd import extract_method\n" in repaired
    assert '@extract_method(name="github-issues")\ndef extract_data' in repaired
    for expected in (
        "backup     sources/github/query.py.bak: original of sources/github/query.py",
        'fixed      sources/github/query.py:41: added @query_type("github") to class GithubQuery',
        "fixed      sources/github/query.py:41: added missing import: "
        "from models.etl.query import Query",
        "fixed      sources/github/flows/issues.py:17: added "
        '@extract_method(name="github-issues") to extract_data',
        "ok         sources/github/flows/releases.py",
        "2 file(s) repaired (originals kept as .bak)",
    ):
        assert expected in out, out
    # The repaired files pass ruff's checks like generated ones.
    result = ruff("check", "--config", FIRST_PARTY, "--no-cache", str(github / "github"))
    assert result.returncode == 0, result.stdout


def test_the_second_run_after_a_repair_is_a_no_op(github, capsys):
    issues = github / "github" / "flows" / "issues.py"
    edit(issues, ('@extract_method(name="github-issues")\n', ""))
    assert run(github, capsys)[0] == 0
    before = snapshot(github)
    code, out = run(github, capsys, "issues", "releases")
    assert code == 0
    assert snapshot(github) == before
    assert "nothing to do" in out


def test_what_cannot_be_repaired_is_reported_and_left_alone(github, capsys):
    query = github / "github" / "query.py"
    releases = github / "github" / "flows" / "releases.py"
    damaged = edit(
        query,
        ("    def to_summary_base(self)", "    def summary(self)"),
        ("    @staticmethod\n    def from_dict", "    def from_dict"),
    )
    edit(releases, ("def extract_data(query: GithubQuery)", "def extract_data(query, cursor)"))
    before = snapshot(github)
    code, out = run(github, capsys)
    assert code == 1
    assert snapshot(github) == before  # nothing mechanical to fix: no write, no backup
    assert query.read_text() == damaged
    assert "sources/github/query.py:65: GithubQuery.from_dict must be a @staticmethod" in out
    assert "GithubQuery has no to_summary_base(self)" in out
    assert "releases.py:19: extract_data must take (query)" in out
    assert "3 item(s) need attention" in out
    # ...and the report is the same the next time.
    assert run(github, capsys) == (code, out)


def test_repairs_and_attention_together(github, capsys):
    """The README example's shape: seed import path, bare decorator, a wrong name."""
    issues = github / "github" / "flows" / "issues.py"
    releases = github / "github" / "flows" / "releases.py"
    query = github / "github" / "query.py"
    edit(issues, ("from sources.github.query import", "from github.query import"))
    edit(releases, ('@extract_method(name="github-releases")', "@extract_method"))
    edit(
        query,
        ("class GithubQuery(Query):", "class GithubQuery:"),
        ('@query_type("github")', '@query_type("gh")'),
    )
    code, out = run(github, capsys)
    assert code == 1
    assert "from sources.github.query import GithubQuery" in issues.read_text()
    assert '@extract_method(name="github-releases")\ndef' in releases.read_text()
    assert "class GithubQuery(Query):" in query.read_text()
    assert "made GithubQuery derive from Query" in out
    assert "import path fixed: 'from github.query import'" in out
    assert 'completed @extract_method to @extract_method(name="github-releases")' in out
    assert "GithubQuery is registered as query type 'gh', not 'github'" in out
    assert '@query_type("gh")' in query.read_text()  # a name is the user's choice
    assert sorted(p.name for p in github.rglob("*.bak")) == [
        "issues.py.bak",
        "query.py.bak",
        "releases.py.bak",
    ]


def test_existing_backups_are_never_overwritten(github, capsys):
    issues = github / "github" / "flows" / "issues.py"
    for _ in range(3):
        edit(issues, ('@extract_method(name="github-issues")\n', ""))
        assert run(github, capsys)[0] == 0
    names = sorted(p.name for p in issues.parent.glob("issues.py.bak*"))
    assert names == ["issues.py.bak", "issues.py.bak.1", "issues.py.bak.2"]


def test_unparsable_and_empty_files(github, capsys):
    issues = github / "github" / "flows" / "issues.py"
    issues.write_text("def extract_data(query:\n")
    releases = github / "github" / "flows" / "releases.py"
    releases.write_text('"""Nothing here yet."""\n')
    before = snapshot(github)
    code, out = run(github, capsys)
    assert code == 1
    assert snapshot(github) == before
    assert "issues.py:1: cannot be parsed" in out
    assert "releases.py: no extract method: expected 'def extract_data(query)'" in out


def test_a_missing_query_file_is_created_and_flows_are_checked_against_it(github, capsys):
    (github / "github" / "query.py").unlink()
    code, out = run(github, capsys)
    assert code == 0
    assert "created    sources/github/query.py" in out
    assert "ok         sources/github/flows/issues.py" in out


def test_line_endings_and_other_decorators_are_kept(github, capsys):
    query = github / "github" / "query.py"
    text = query.read_text().replace('@query_type("github")\n', "@dataclass\n")
    text = text.replace(
        "from typing import Any\n", "from dataclasses import dataclass\nfrom typing import Any\n"
    )
    query.write_bytes(text.replace("\n", "\r\n").encode())
    code, out = run(github, capsys)
    assert code == 0, out
    repaired = query.read_bytes().decode()
    assert "\n" not in repaired.replace("\r\n", "")  # still CRLF throughout
    assert '@query_type("github")\r\n@dataclass\r\nclass GithubQuery(Query):' in repaired
