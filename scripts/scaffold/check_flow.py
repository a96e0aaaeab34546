"""The structure a flow module (sources/SOURCE/flows/FLOW.py) must have, and its repairs.

It needs a function decorated with ``@extract_method(name="SOURCE-FLOW")``, with
``extract_method`` imported from ``models.etl.extract_cmd``, taking ``(query)``, or
``(query, cursor)`` when it is a generator yielding ``Page`` objects (the paged form).

Mechanical repairs: a missing import of ``extract_method``, ``Page`` or the source's query
class; a missing or argument-less decorator on ``extract_data``; the seed README's import
path ``from SOURCE.query import ...`` (which only works with ``sources/`` on sys.path),
rewritten to ``from sources.SOURCE.query import ...``. Everything else is reported.
"""

from __future__ import annotations

import ast

from scripts.scaffold.check_query import complete_bare_decorator
from scripts.scaffold.names import method_name
from scripts.scaffold.pyast import (
    Edit,
    Finding,
    Module,
    decorators_named,
    first_line,
    is_generator,
    positional_arity,
    string_arg,
)

EXTRACT_MODULE = "models.etl.extract_cmd"
FUNCTION = "extract_data"


class FlowCheck:
    def __init__(
        self,
        module: Module,
        source: str,
        flow: str,
        query_cls: str,
        query_names: set[str] | None = None,
    ):
        self.module, self.source, self.flow = module, source, flow
        self.query_cls = query_cls
        self.query_module = f"sources.{source}.query"
        self.query_names = query_names  # what query.py defines; None: unknown
        self.method = method_name(source, flow)
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        self.check_query_imports()
        functions = self.module.functions.values()
        decorated = [f for f in functions if decorators_named(f, "extract_method")]
        wanted = f'@extract_method(name="{self.method}")'
        target = None
        for func in decorated:
            deco = decorators_named(func, "extract_method")[0]
            is_call, name = string_arg(deco, "name")
            if not is_call:
                self.findings.append(complete_bare_decorator(self.module, deco, wanted))
                target = target or func
            elif name == self.method:
                target = func
            elif name is None:
                self.attention(deco.lineno, f"@extract_method on {func.name} needs name=...")
        if target is None and decorated:
            names = [
                string_arg(decorators_named(f, "extract_method")[0], "name")[1] for f in decorated
            ]
            shown = ", ".join(repr(n) for n in names if n)
            if shown:
                self.attention(
                    decorated[0].lineno,
                    f"registers extract method(s) {shown} but not {self.method!r}: scripts/new.py "
                    "names the method of flows/FLOW.py SOURCE-FLOW; rename it, or keep it "
                    "knowingly (workflows must then ask for the name it has)",
                )
            target = decorated[0]
        if target is None:
            target = self.module.functions.get(FUNCTION)
            if target is None:
                self.attention(
                    None,
                    f"no extract method: expected 'def {FUNCTION}(query)' decorated with "
                    f"{wanted} (see docs/new-source.md)",
                )
                return self.findings
            self.findings.append(
                Finding(
                    target.lineno,
                    f"added {wanted} to {target.name}",
                    Edit(first_line(target), (self.module.indent(target) + wanted,)),
                    ((EXTRACT_MODULE, "extract_method"),),
                )
            )
        if target in decorated:
            deco = decorators_named(target, "extract_method")[0]
            if isinstance(deco, ast.Call):
                deco = deco.func
            if isinstance(deco, ast.Name):
                self.check_import(deco.id, EXTRACT_MODULE)
        self.check_signature(target)
        self.check_annotation(target)
        if any(isinstance(n, ast.Name) and n.id == "Page" for n in ast.walk(self.module.tree)):
            self.check_import("Page", EXTRACT_MODULE)
        return self.findings

    def attention(self, line: int | None, message: str) -> None:
        self.findings.append(Finding(line, message))

    def check_import(self, name: str, module: str) -> None:
        if not self.module.is_bound(name, module):
            self.findings.append(
                Finding(
                    None,
                    f"added missing import: from {module} import {name}",
                    imports=((module, name),),
                )
            )

    def check_query_imports(self) -> None:
        seed_style = f"{self.source}.query"
        for node in ast.walk(self.module.tree):
            if not isinstance(node, ast.ImportFrom) or node.level:
                continue
            if node.module == seed_style:
                old, new = f"from {seed_style} import", f"from {self.query_module} import"
                if old in self.module.lines[node.lineno - 1]:
                    self.findings.append(
                        Finding(
                            node.lineno,
                            f"import path fixed: '{old}' -> '{new}' (the package path)",
                            Edit(node.lineno - 1, old=old, new=new),
                        )
                    )
                else:
                    self.attention(
                        node.lineno, f"import from {self.query_module}, not {seed_style}"
                    )
            if node.module in (seed_style, self.query_module) and self.query_names is not None:
                for alias in node.names:
                    if alias.name != "*" and alias.name not in self.query_names:
                        self.attention(
                            node.lineno,
                            f"imports {alias.name} from {self.query_module}, which does not "
                            f"define it (its query class is {self.query_cls})",
                        )

    def check_signature(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        required, maximum = positional_arity(func)
        generator = is_generator(func)
        if generator and isinstance(func, ast.AsyncFunctionDef):
            self.attention(
                func.lineno,
                f"{func.name} is an async generator, which ExtractMethod cannot run: make the "
                "paged form a plain generator 'def extract_data(query, cursor)'",
            )
        elif generator and (required > 2 or maximum < 2):
            self.attention(
                func.lineno,
                f"{func.name} yields, so it is the paged form: it must take (query, cursor) "
                "and yield Page(events, cursor=...)",
            )
        elif not generator and (required > 1 or maximum < 1):
            self.attention(
                func.lineno,
                f"{func.name} must take (query) and return a list of event dicts; the "
                "(query, cursor) form must be a generator yielding Page objects",
            )

    def check_annotation(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        params = func.args.posonlyargs + func.args.args
        annotation = params[0].annotation if params else None
        if (
            isinstance(annotation, ast.Name)
            and annotation.id == self.query_cls
            and not self.module.is_bound(annotation.id, self.query_module)
        ):
            self.findings.append(
                Finding(
                    annotation.lineno,
                    f"added missing import: from {self.query_module} import {self.query_cls}",
                    imports=((self.query_module, self.query_cls),),
                )
            )
