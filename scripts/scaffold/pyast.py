"""What the checks need to know about a Python module, read with ``ast`` (never imported),
and the line edits that repair it.

Edits are line-based and small (add an import line, add or complete a decorator, add a
base class) so everything else in the file stays exactly as the user wrote it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

FIRST_PARTY = ("models", "sources")  # the project's packages a source imports from


@dataclass(frozen=True)
class Edit:
    """Insert ``lines`` before line ``line`` (0-based), or, with ``old``, replace the
    first occurrence of ``old`` on that line by ``new``."""

    line: int
    lines: tuple[str, ...] = ()
    old: str = ""
    new: str = ""


@dataclass(frozen=True)
class Finding:
    """One thing a check found: repaired by ``edit`` and/or ``imports``, else reported."""

    line: int | None  # 1-based, for messages
    message: str
    edit: Edit | None = None
    imports: tuple[tuple[str, str], ...] = ()  # (module, name) to import
    note: bool = False  # informational only: needs no attention

    @property
    def fixable(self) -> bool:
        return self.edit is not None or bool(self.imports)


@dataclass
class Module:
    """A parsed module: its top-level names, imports, classes and functions."""

    text: str
    tree: ast.Module
    # local name → "module.attr" (from-imports) or "module" (plain imports)
    imports: dict[str, str] = field(default_factory=dict)
    star_modules: set[str] = field(default_factory=set)
    bound: set[str] = field(default_factory=set)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def indent(self, node: ast.stmt) -> str:
        """The whitespace before ``node`` on its line (tabs stay tabs)."""
        return self.lines[node.lineno - 1][: node.col_offset]

    def is_bound(self, name: str, module: str) -> bool:
        """Whether ``name`` is defined at top level (``module`` may provide it via ``*``)."""
        return name in self.bound or module in self.star_modules

    def origin(self, name: str) -> str | None:
        """Where an imported ``name`` comes from, e.g. ``models.etl.query.Query``."""
        return self.imports.get(name)

    def import_edits(self, wanted: dict[str, set[str]]) -> list[Edit]:
        """Edits adding ``from MODULE import NAMES`` lines, placed where isort would put
        them among the project's imports when there are some, else after the last import
        (or the docstring)."""
        imports = []
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                break
            if isinstance(node, ast.Import | ast.ImportFrom):
                imports.append(node)
        project = [
            node
            for node in imports
            if isinstance(node, ast.ImportFrom)
            and not node.level
            and (node.module or "").split(".")[0] in FIRST_PARTY
        ]
        lines = {
            module: f"from {module} import {', '.join(sorted(names))}"
            for module, names in sorted(wanted.items())
        }
        if not project:  # one block of project imports, after the others
            block = tuple(lines.values())
            if imports:
                return [Edit(imports[-1].end_lineno or imports[-1].lineno, ("", *block))]
            if self.tree.body and is_docstring(self.tree.body[0]):
                return [Edit(self.tree.body[0].end_lineno or 1, ("", *block))]
            return [Edit(0, (*block, ""))]
        edits = []
        for module, line in lines.items():
            later = next((node for node in project if (node.module or "") > module), None)
            if later is not None:
                edits.append(Edit(later.lineno - 1, (line,)))
            else:
                edits.append(Edit(project[-1].end_lineno or project[-1].lineno, (line,)))
        return edits


def is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def parse(text: str, filename: str = "<file>") -> Module:
    """Parse ``text``; raises SyntaxError as ``ast.parse`` does."""
    tree = ast.parse(text, filename=filename)
    module = Module(text=text, tree=tree)
    for node in top_level(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                module.imports[local] = alias.name if alias.asname else local
                module.bound.add(local)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    module.star_modules.add(base)
                    continue
                module.imports[alias.asname or alias.name] = f"{base}.{alias.name}"
                module.bound.add(alias.asname or alias.name)
        elif isinstance(node, ast.ClassDef):
            module.classes.setdefault(node.name, node)
            module.bound.add(node.name)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            module.functions.setdefault(node.name, node)
            module.bound.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        module.bound.add(name.id)
    return module


def top_level(body: list[ast.stmt]):
    """Statements at module level, including those nested in if/try/with blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.Try | ast.With):
            for part in ("body", "orelse", "finalbody"):
                yield from top_level(getattr(node, part, []) or [])
            for handler in getattr(node, "handlers", []) or []:
                yield from top_level(handler.body)


def terminal_name(expr: ast.expr) -> str | None:
    """``query_type`` for ``query_type``, ``q.query_type``, ``query_type("x")``."""
    if isinstance(expr, ast.Call):
        expr = expr.func
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return None


def decorators_named(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef, name: str):
    return [d for d in node.decorator_list if terminal_name(d) == name]


def string_arg(call: ast.expr, keyword: str) -> tuple[bool, str | None]:
    """(is a call, its literal name argument) for ``deco("x")`` / ``deco(name="x")``."""
    if not isinstance(call, ast.Call):
        return False, None
    candidates = [kw.value for kw in call.keywords if kw.arg == keyword] + call.args[:1]
    for value in candidates:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return True, value.value
    return True, None


def first_line(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """0-based index of the node's first decorator line, or of its def/class line."""
    return min([d.lineno for d in node.decorator_list] + [node.lineno]) - 1


def is_generator(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether ``yield`` appears in ``func`` itself (not in nested functions or classes)."""
    todo = list(func.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Yield | ast.YieldFrom):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        todo.extend(ast.iter_child_nodes(node))
    return False


def positional_arity(func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, float]:
    """(required, maximum) number of positional arguments ``func`` accepts."""
    args = func.args
    positional = len(args.posonlyargs) + len(args.args)
    required = positional - len(args.defaults)
    required_kwonly = sum(1 for d in args.kw_defaults if d is None)
    maximum = float("inf") if args.vararg else positional
    return required + 1000 * required_kwonly, maximum


def apply(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` applied: replacements first, then insertions (line numbers
    refer to the original text)."""
    lines = text.splitlines()
    for edit in edits:
        if edit.old:
            lines[edit.line] = lines[edit.line].replace(edit.old, edit.new, 1)
    # Bottom-up; at the same line the later edit goes in first, so the order is kept.
    inserts = sorted(
        ((edit.line, index, edit) for index, edit in enumerate(edits) if not edit.old),
        key=lambda item: item[:2],
        reverse=True,
    )
    for line, _, edit in inserts:
        lines[line:line] = list(edit.lines)
    newline = "\r\n" if "\r\n" in text else "\n"
    return newline.join(lines) + (newline if text.endswith("\n") or not text else "")
