"""scripts/roster.py as an operator uses it: import, list, show, diff; refusals."""

from __future__ import annotations

import scripts.roster as roster_cli
from models.roster import RosterStore
from tests.models.roster.test_import import EXAMPLE_CSV, EXAMPLE_YAML


def test_import_list_show_and_diff(settings, database, tmp_path, capsys):
    assert roster_cli.main(["diff", str(EXAMPLE_YAML)], settings) == 0
    assert "13 added" in capsys.readouterr().out
    assert RosterStore(database).people() == []  # diff writes nothing

    assert roster_cli.main(["import", str(EXAMPLE_YAML)], settings) == 0
    assert "added E1001" in capsys.readouterr().out
    assert roster_cli.main(["import", str(EXAMPLE_CSV)], settings) == 0  # the same people
    assert capsys.readouterr().out.strip() == "0 added, 0 changed, 0 deactivated, 13 unchanged"

    assert roster_cli.main(["list", "--team", "design"], settings) == 0
    listed = capsys.readouterr().out.splitlines()
    assert (
        len(listed) == 1
        and listed[0].startswith("E1011")
        and "launchpad:ingrid-carter" in listed[0]
    )

    assert roster_cli.main(["show", "E1099"], settings) == 0
    assert "inactive" in capsys.readouterr().out
    assert roster_cli.main(["show", "E4040"], settings) == 1


def test_a_refused_file_exits_2_naming_every_bad_line(settings, database, tmp_path, capsys):
    bad = tmp_path / "roster.yaml"
    bad.write_text(
        "people:\n"
        "  - employee_id: E1\n"
        "    timezone: Europe/Lndon\n"
        "  - name: No Id\n"
        "  - employee_id: E2\n"
        "    identities: {launchpad: ann}\n"
    )
    assert roster_cli.main(["import", str(bad)], settings) == 2
    err = capsys.readouterr().err
    assert "nothing imported" in err
    assert "roster.yaml:2: unknown time zone 'Europe/Lndon'" in err
    assert "roster.yaml:4: missing employee_id" in err
    assert RosterStore(database).people() == []
