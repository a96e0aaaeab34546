"""The structure a source's query.py must have, checked with ``ast``, and its repairs.

query.py needs a class deriving from ``Query``, decorated with ``@query_type("SOURCE")``,
defining ``from_dict`` (static or class method) and ``to_summary_base``, with ``Query``
and ``query_type`` imported from ``models.etl.query``.

Each finding either carries what repairs it mechanically (a missing import, decorator or
base class) or is left for the user ("needs attention"): user logic is never rewritten.
"""

from __future__ import annotations

import ast
import re

from scripts.scaffold.pyast import (
    Edit,
    Finding,
    Module,
    decorators_named,
    first_line,
    string_arg,
    terminal_name,
)

QUERY_MODULE = "models.etl.query"


class QueryCheck:
    def __init__(self, module: Module, source: str, expected_cls: str):
        self.module, self.source, self.expected_cls = module, source, expected_cls
        self.findings: list[Finding] = []
        self.class_name: str | None = None  # the query class the flows should import

    def run(self) -> list[Finding]:
        classes = self.module.classes
        decorated = [c for c in classes.values() if decorators_named(c, "query_type")]
        registered = [c for c in decorated if self.registered_name(c) == self.source]
        if registered:
            target = registered[0]
        elif decorated:
            target = decorated[0]
        else:
            target = classes.get(self.expected_cls) or next(
                (c for c in classes.values() if self.query_base(c) == "yes"), None
            )
        if target is None:
            self.attention(
                None,
                f"no Query class found: expected 'class {self.expected_cls}(Query)' decorated "
                f'with @query_type("{self.source}") (see docs/new-source.md)',
            )
            return self.findings
        self.class_name = target.name
        self.check_decorator(target, decorated)
        if self.check_base(target):
            self.check_methods(target)
        return self.findings

    def attention(self, line: int | None, message: str) -> None:
        self.findings.append(Finding(line, message))

    def registered_name(self, cls: ast.ClassDef) -> str | None:
        return string_arg(decorators_named(cls, "query_type")[0], "name")[1]

    def check_decorator(self, target: ast.ClassDef, decorated: list[ast.ClassDef]) -> None:
        wanted = f'@query_type("{self.source}")'
        for cls in decorated:
            deco = decorators_named(cls, "query_type")[0]
            is_call, name = string_arg(deco, "name")
            if not is_call:
                self.findings.append(complete_bare_decorator(self.module, deco, wanted))
            elif name is None:
                self.attention(deco.lineno, f"@query_type on {cls.name} needs a literal name")
            elif cls is target and name != self.source:
                self.attention(
                    deco.lineno,
                    f"{cls.name} is registered as query type {name!r}, not {self.source!r}: "
                    f"new.py's flows and docs use {self.source!r}; rename it if nothing "
                    f"depends on {name!r}",
                )
        if target not in decorated:
            self.findings.append(
                Finding(
                    target.lineno,
                    f"added {wanted} to class {target.name}",
                    Edit(first_line(target), (self.module.indent(target) + wanted,)),
                    ((QUERY_MODULE, "query_type"),),
                )
            )
        elif terminal_name(decorators_named(target, "query_type")[0]) == "query_type":
            self.need_import(decorators_named(target, "query_type")[0], "query_type")

    def need_import(self, expr: ast.expr, name: str) -> None:
        """Repair a plain ``name`` used but never imported; note odd origins."""
        if isinstance(expr, ast.Call):
            expr = expr.func
        if not isinstance(expr, ast.Name):
            return
        origin = self.module.origin(expr.id)
        if not self.module.is_bound(expr.id, QUERY_MODULE):
            self.findings.append(
                Finding(
                    expr.lineno,
                    f"added missing import: from {QUERY_MODULE} import {name}",
                    imports=((QUERY_MODULE, name),),
                )
            )
        elif origin and origin != f"{QUERY_MODULE}.{name}" and expr.id == name:
            self.findings.append(
                Finding(expr.lineno, f"{name} comes from {origin}, not {QUERY_MODULE}", note=True)
            )

    def query_base(self, cls: ast.ClassDef, seen: frozenset = frozenset()) -> str:
        """Whether ``cls`` derives from Query: "yes", "no", or "unknown" (an imported base)."""
        verdict = "no"
        for base in cls.bases:
            name = terminal_name(base)
            local = self.module.classes.get(name) if isinstance(base, ast.Name) else None
            if name == "Query":
                return "yes"
            if local is not None and local.name not in seen:
                sub = self.query_base(local, seen | {cls.name})
                if sub != "no":
                    return sub
            elif name not in (None, "object", "ABC", "Generic", "Protocol"):
                verdict = "unknown"
        return verdict

    def check_base(self, target: ast.ClassDef) -> bool:
        """Check the base class; True when the methods can be checked too."""
        verdict = self.query_base(target)
        if verdict == "unknown":
            self.findings.append(
                Finding(
                    target.lineno,
                    f"{target.name} derives from an imported class; new.py cannot check that "
                    "it is a Query defining from_dict and to_summary_base",
                    note=True,
                )
            )
            return False
        if verdict == "no":
            header = self.module.lines[target.lineno - 1]
            match = re.match(rf"^(\s*class\s+{target.name})\s*(\(\s*\))?\s*:", header)
            if target.bases or target.keywords or not match:
                self.attention(
                    target.lineno,
                    f"{target.name} must derive from Query (from {QUERY_MODULE} import Query)",
                )
                return True
            self.findings.append(
                Finding(
                    target.lineno,
                    f"made {target.name} derive from Query",
                    Edit(target.lineno - 1, old=match.group(0), new=f"{match.group(1)}(Query):"),
                    ((QUERY_MODULE, "Query"),),
                )
            )
            return True
        for base in target.bases:
            if terminal_name(base) == "Query":
                self.need_import(base, "Query")
        return True

    def methods(self, cls: ast.ClassDef, seen: frozenset = frozenset()) -> dict:
        found = {}
        for base in cls.bases:
            local = self.module.classes.get(terminal_name(base) or "")
            if isinstance(base, ast.Name) and local is not None and local.name not in seen:
                found.update(self.methods(local, seen | {cls.name}))
        for node in cls.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                found[node.name] = node
        return found

    def check_methods(self, target: ast.ClassDef) -> None:
        methods = self.methods(target)
        from_dict = methods.get("from_dict")
        if from_dict is None:
            self.attention(
                target.lineno,
                f"{target.name} has no from_dict(data): add a @staticmethod that builds the "
                "query from a workflow's args and raises InvalidQueryError on bad ones",
            )
        elif not {terminal_name(d) for d in from_dict.decorator_list} & {
            "staticmethod",
            "classmethod",
        }:
            self.attention(
                from_dict.lineno,
                f"{target.name}.from_dict must be a @staticmethod (or @classmethod): "
                "QueryFactory calls it on the class",
            )
        if "to_summary_base" not in methods:
            self.attention(
                target.lineno,
                f"{target.name} has no to_summary_base(self): add it, returning a dict of what "
                "a run's summary should repeat about the query (no secrets)",
            )


def complete_bare_decorator(module: Module, deco: ast.expr, wanted: str) -> Finding:
    """``@query_type`` / ``@extract_method`` without arguments never registers anything."""
    line = module.lines[deco.lineno - 1]
    bare = "@" + ast.get_source_segment(module.text, deco)
    if line.strip() != bare:
        return Finding(deco.lineno, f"{bare} needs its name: write {wanted}")
    return Finding(
        deco.lineno, f"completed {bare} to {wanted}", Edit(deco.lineno - 1, old=bare, new=wanted)
    )
