"""reader/mcp reaches core through `reader.core.library` and `reader.core.model`; anything else
from core comes through core_extras, one import a line, each marked for the re-layout."""

from __future__ import annotations

import ast
from pathlib import Path

import reader.mcp

FACE = Path(reader.mcp.__file__).parent
THROUGH_THE_LIBRARY = {"reader.core.library", "reader.core.model"}
MARK = "# LAYOUT: moves with the re-layout"


def core_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every `reader.core...` import in a file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [
        (node.lineno, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    found += [
        (node.lineno, node.module)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    ]
    return sorted((line, module) for line, module in found if module.startswith("reader.core"))


def test_only_core_extras_imports_more_of_core_and_marks_each_import() -> None:
    files = sorted(FACE.glob("*.py"))
    assert len(files) > 5
    beyond = {
        path.name
        for path in files
        for _, module in core_imports(path)
        if module not in THROUGH_THE_LIBRARY
    }
    assert beyond == {"core_extras.py"}
    lines = (FACE / "core_extras.py").read_text(encoding="utf-8").splitlines()
    marked = core_imports(FACE / "core_extras.py")
    assert len(marked) == 4
    assert all(lines[line - 1].endswith(MARK) for line, _ in marked)
