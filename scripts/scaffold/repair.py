"""Check one existing file, compute its repaired text, and write it after a backup."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from scripts.scaffold.check_flow import FlowCheck
from scripts.scaffold.check_query import QueryCheck
from scripts.scaffold.pyast import Finding, Module, apply, parse


@dataclass
class Outcome:
    """What checking one file found, and its repaired text if it needs writing."""

    path: Path
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)  # attention and notes
    new_text: str | None = None

    @property
    def attention(self) -> list[Finding]:
        return [f for f in self.remaining if not f.note]


def with_imports(module: Module, findings: list[Finding]) -> str:
    """The module's text with every finding's edit applied and its imports added."""
    # Replacements keep line numbers: apply them first, so that a rewritten import path
    # counts among the project's imports when placing the new ones.
    text = apply(module.text, [f.edit for f in findings if f.edit is not None and f.edit.old])
    module = parse(text)
    wanted: dict[str, set[str]] = {}
    for finding in findings:
        for source_module, name in finding.imports:
            if not module.is_bound(name, source_module):
                wanted.setdefault(source_module, set()).add(name)
    # Imports first: at the same line, they go above an added decorator.
    inserts = [f.edit for f in findings if f.edit is not None and not f.edit.old]
    return apply(text, module.import_edits(wanted) + inserts)


def check_text(path: Path, text: str, make_check) -> tuple[Outcome, object | None]:
    """Run ``make_check(module)`` on ``text``; repair, re-check, and keep what remains.

    Returns the outcome and the check object of the final text (None if unparsable).
    """
    try:
        module = parse(text, str(path))
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        message = f"cannot be parsed ({where}{exc.msg}); fix it, then run new.py again"
        return Outcome(path, remaining=[Finding(exc.lineno, message)]), None
    check = make_check(module)
    findings = check.run()
    fixable = [f for f in findings if f.fixable]
    if not fixable:
        return Outcome(path, remaining=findings), check
    new_text = with_imports(module, fixable)
    try:
        second = make_check(parse(new_text, str(path)))
    except SyntaxError:  # a repair must never break a file: leave it alone
        failed = [Finding(f.line, f"could not repair: {f.message}") for f in fixable]
        return Outcome(path, remaining=failed + [f for f in findings if not f.fixable]), check
    again = second.run()
    left = [f for f in again if not f.fixable]
    left += [Finding(f.line, f"could not repair: {f.message}") for f in again if f.fixable]
    return Outcome(path, fixed=fixable, remaining=left, new_text=new_text), second


def read(path: Path) -> str:
    """The file's text, line endings kept (raises UnicodeDecodeError if not UTF-8)."""
    return path.read_bytes().decode("utf-8")


def unreadable(path: Path, exc: Exception) -> Outcome:
    return Outcome(path, remaining=[Finding(None, f"cannot be read: {exc}")])


def check_query_file(path: Path, source: str, expected_cls: str):
    """(outcome, query class name or None, names query.py defines or None)."""
    try:
        text = read(path)
    except (OSError, UnicodeDecodeError) as exc:
        return unreadable(path, exc), None, None
    outcome, check = check_text(path, text, lambda m: QueryCheck(m, source, expected_cls))
    if check is None:
        return outcome, None, None
    return outcome, check.class_name, set(check.module.bound)


def check_flow_file(path: Path, source: str, query_cls: str, query_names) -> Outcome:
    try:
        text = read(path)
    except (OSError, UnicodeDecodeError) as exc:
        return unreadable(path, exc)
    check = lambda m: FlowCheck(m, source, path.stem, query_cls, query_names)  # noqa: E731
    return check_text(path, text, check)[0]


def backup_path(path: Path) -> Path:
    """``file.bak``, or ``file.bak.N`` with the first free N if that exists."""
    candidate = path.with_name(path.name + ".bak")
    number = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak.{number}")
        number += 1
    return candidate


def write_with_backup(path: Path, new_text: str) -> Path:
    """Copy ``path`` to a fresh backup, then replace it atomically; returns the backup."""
    backup = backup_path(path)
    with open(backup, "xb") as out, open(path, "rb") as original:
        shutil.copyfileobj(original, out)
    shutil.copystat(path, backup)
    write_atomic(path, new_text)
    return backup


def write_atomic(path: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if path.exists():
            shutil.copymode(path, temp)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def create_file(path: Path, text: str) -> None:
    """Write a new file; refuses to replace one that appeared meanwhile."""
    with open(path, "x", encoding="utf-8", newline="") as out:
        out.write(text)
