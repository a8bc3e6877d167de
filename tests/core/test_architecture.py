"""The core stays free of Textual: the CLI, scripts and tests use it without a UI toolkit."""

from __future__ import annotations

import ast
from pathlib import Path

import reader.core

CORE = Path(reader.core.__file__).parent
FORBIDDEN = "textual"


def imported_modules(source: str, filename: str) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, at any depth (functions, TYPE_CHECKING)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((node.lineno, arg.value))
    return found


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in {"import_module", "__import__"} and bool(node.args)


def offenders(root: Path) -> list[str]:
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        for line, module in imported_modules(path.read_text(encoding="utf-8"), str(path)):
            if module == FORBIDDEN or module.startswith(FORBIDDEN + "."):
                bad.append(f"{path.relative_to(root.parent)}:{line}: imports {module}")
    return bad


def test_no_core_module_imports_textual() -> None:
    files = list(CORE.rglob("*.py"))
    assert len(files) > 5, "the walk must actually see the core package"
    assert offenders(CORE) == []


def test_the_check_catches_every_import_form(tmp_path: Path) -> None:
    """Guard the guard: each way of importing Textual is reported with its file and line."""
    core = tmp_path / "core"
    (core / "sub").mkdir(parents=True)
    (core / "a.py").write_text("import os\nimport textual\n", encoding="utf-8")
    (core / "sub" / "b.py").write_text(
        "def f():\n    from textual.widgets import Static\n", encoding="utf-8"
    )
    (core / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import textual.app\n",
        encoding="utf-8",
    )
    (core / "d.py").write_text(
        "import importlib\nimportlib.import_module('textual.app')\n", encoding="utf-8"
    )
    (core / "ok.py").write_text("import textualize_not_it\nfrom . import textual\n")
    assert offenders(core) == [
        "core/a.py:2: imports textual",
        "core/c.py:3: imports textual.app",
        "core/d.py:2: imports textual.app",
        "core/sub/b.py:2: imports textual.widgets",
    ]
