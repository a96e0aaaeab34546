"""Create a source, or complete and check an existing one: what ``scripts/new.py`` does.

Everything is decided before anything is written, so bad input writes nothing. New files
are created, never overwritten; an existing file is only rewritten to repair it, after a
backup. A second run over the same source finds nothing to do.
"""

from __future__ import annotations

import ast
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from scripts.scaffold import templates
from scripts.scaffold.names import (
    DEFAULT_FLOW,
    SOURCES_DIR,
    BadName,
    check_names,
    method_name,
    query_class_name,
)
from scripts.scaffold.pyast import decorators_named, parse, string_arg
from scripts.scaffold.repair import (
    Outcome,
    check_flow_file,
    check_query_file,
    create_file,
    write_with_backup,
)

EXIT_OK, EXIT_ATTENTION, EXIT_BAD_INPUT = 0, 1, 2


@dataclass
class Report:
    root: Path  # paths are shown relative to this (the parent of the sources folder)
    lines: list[tuple[str, str]] = field(default_factory=list)
    created: int = 0
    repaired: int = 0
    attention: int = 0
    pending: int = 0  # --check: files that would be created or repaired

    def add(self, tag: str, path: Path, text: str = "", line: int | None = None) -> None:
        shown = self.show(path) + (f":{line}" if line else "")
        self.lines.append((tag, f"{shown}: {text}" if text else shown))

    def show(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    @property
    def exit_code(self) -> int:
        return EXIT_ATTENTION if self.attention or self.pending else EXIT_OK

    def render(self) -> str:
        out = [f"  {tag:<10} {text}" for tag, text in self.lines]
        if self.attention:
            out.append(f"{self.attention} item(s) need attention (see 'attention' above)")
        done = []
        if self.created:
            done.append(f"{self.created} file(s) created")
        if self.repaired:
            done.append(f"{self.repaired} file(s) repaired (originals kept as .bak)")
        if self.pending:
            done.append(f"{self.pending} file(s) would be created or repaired (--check)")
        if done:
            out.append(", ".join(done))
        elif not self.attention:
            out.append("nothing to do: the source is complete")
        return "\n".join(out)


@dataclass
class Plan:
    creates: list[tuple[Path, str]] = field(default_factory=list)
    checked: list[Outcome] = field(default_factory=list)
    steps: list[tuple[str, object]] = field(default_factory=list)  # in display order

    def create(self, path: Path, text: str) -> None:
        self.creates.append((path, text))
        self.steps.append(("create", (path, text)))

    def check(self, outcome: Outcome) -> None:
        self.checked.append(outcome)
        self.steps.append(("check", outcome))


def scaffold(
    source: str, flows: list[str], sources_dir: Path = SOURCES_DIR, check_only: bool = False
) -> Report:
    """Create or complete ``sources_dir/source``; raises BadName on bad input."""
    check_names(source, flows)
    sources_dir = Path(sources_dir)
    if not sources_dir.is_dir():
        raise BadName(f"sources folder {sources_dir} does not exist")
    source_dir, flows_dir = sources_dir / source, sources_dir / source / "flows"
    for folder in (source_dir, flows_dir):
        if folder.exists() and not folder.is_dir():
            raise BadName(f"{folder} exists and is not a folder")
    existing = sorted(p for p in flows_dir.glob("*.py") if not p.name.startswith("_"))
    if not flows and not existing:
        flows = [DEFAULT_FLOW]
    for flow in flows:
        if (flows_dir / f"{flow}.py").is_dir():
            raise BadName(f"{flows_dir / flow}.py exists and is a folder")
    check_conflicts(sources_dir, source, flows)
    plan = make_plan(source, flows, source_dir, existing)
    report = Report(sources_dir.parent)
    if source_dir.exists() or check_only:
        execute(plan, report, check_only)
    else:
        create_whole(plan, report, source_dir)
    return report


def create_whole(plan: Plan, report: Report, source_dir: Path) -> None:
    """Write a new source in a staging folder beside ``sources/``, then move it in with one
    rename: a worker or a listing scanning ``sources/`` meanwhile never sees half of it."""
    staging = Path(tempfile.mkdtemp(prefix=".new-source-", dir=source_dir.parent.parent))
    try:
        staged = staging / source_dir.name
        moved = Plan()
        for _, (path, text) in plan.steps:
            moved.create(staged / path.relative_to(source_dir), text)
        execute(moved, Report(staging), check_only=False)
        os.rename(staged, source_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for _, (path, _text) in plan.steps:
        report.add("created", path)
        report.created += 1


def make_plan(source: str, flows: list[str], source_dir: Path, existing: list[Path]) -> Plan:
    plan = Plan()
    flows_dir = source_dir / "flows"
    if not (source_dir / "__init__.py").exists():
        plan.create(source_dir / "__init__.py", templates.package_init(source))
    query_path, cls = source_dir / "query.py", query_class_name(source)
    if query_path.exists():
        outcome, found_cls, query_names = check_query_file(query_path, source, cls)
        plan.check(outcome)
        cls = found_cls or cls
    else:
        text = templates.query_module(source, cls)
        plan.create(query_path, text)
        query_names = parse(text).bound
    if not (flows_dir / "__init__.py").exists():
        plan.create(flows_dir / "__init__.py", templates.package_init(source, "flows"))
    for path in existing:
        plan.check(check_flow_file(path, source, cls, query_names))
    for flow in flows:
        path = flows_dir / f"{flow}.py"
        if path not in existing:
            plan.create(path, templates.flow_module(source, flow, cls))
    return plan


def execute(plan: Plan, report: Report, check_only: bool) -> None:
    for kind, item in plan.steps:
        if kind == "create":
            path, text = item
            if check_only:
                report.add("missing", path, "would be created")
                report.pending += 1
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            create_file(path, text)
            report.add("created", path)
            report.created += 1
            continue
        outcome: Outcome = item
        if outcome.new_text is not None:
            if check_only:
                report.pending += 1
                for finding in outcome.fixed:
                    report.add("repairable", outcome.path, finding.message, finding.line)
            else:
                backup = write_with_backup(outcome.path, outcome.new_text)
                report.add("backup", backup, f"original of {report.show(outcome.path)}")
                for finding in outcome.fixed:
                    report.add("fixed", outcome.path, finding.message, finding.line)
                report.repaired += 1
        elif not outcome.remaining:
            report.add("ok", outcome.path)
        for finding in outcome.remaining:
            report.add(
                "note" if finding.note else "attention", outcome.path, finding.message, finding.line
            )
        report.attention += len(outcome.attention)


def registered_names(path: Path, decorator: str) -> list[str]:
    """Literal names ``path`` registers with ``@decorator(...)`` (ast only, no import)."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in decorators_named(node, decorator):
                name = string_arg(deco, "name")[1]
                if name:
                    names.append(name)
    return names


def check_conflicts(sources_dir: Path, source: str, flows: list[str]) -> None:
    """Refuse names another file already registers (they would clash at import)."""
    for path in sorted(sources_dir.glob("*/query.py")):
        if path.parent.name != source and source in registered_names(path, "query_type"):
            raise BadName(
                f"query type {source!r} is already registered by {path}; choose another source name"
            )
    wanted = {method_name(source, flow): flow for flow in flows}
    for path in sorted(sources_dir.glob("*/flows/*.py")):
        for name in registered_names(path, "extract_method"):
            flow = wanted.get(name)
            if flow and path != sources_dir / source / "flows" / f"{flow}.py":
                raise BadName(
                    f"extract method {name!r} is already registered by {path}; "
                    f"choose another flow name"
                )
