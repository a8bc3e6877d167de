"""No module of reader.tui reaches into another's private names: `x._name` only as
`self._name`, and only for a name that module defines itself (a subclass does not read its
base class's privates from another file either). The exceptions are the seams to a library
that one module owns, each named here with its reason."""

from __future__ import annotations

import ast
from pathlib import Path

import reader.tui

TUI = Path(reader.tui.__file__).parent
SEAMS = {
    ("frame_clock.py", "self._active"): "Textual's Timer: paused or resumed by the screen",
    ("frame_clock.py", "self._interval"): "Textual's Timer: the interval it was made with",
    ("frame_clock.py", "self._tick"): "Textual's Timer: calls the screen's update",
    ("frame_clock.py", "self._start"): "Textual's Timer: how set_interval starts one",
    ("hangup.py", "os._exit"): "os._exit is the os module's public way to end at once",
    ("keymap.py", "cls._merge_bindings"): "the bindings a Textual class declares, merged",
    ("keymap.py", "app._keymap"): "the keymap Textual applies (set_keymap has no getter)",
    ("widgets/key_footer.py", "self._bindings_ready"): "Textual's Footer: a compose is due",
}


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def defined_in(tree: ast.AST) -> set[str]:
    """The names a module defines: functions, assigned attributes, class attributes."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def reaches(path: Path, root: Path = TUI) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = defined_in(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and private(node.attr)):
            continue
        on_self = isinstance(node.value, ast.Name) and node.value.id == "self"
        if on_self and node.attr in own:
            continue
        where = (path.relative_to(root).as_posix(), ast.unparse(node))
        if where not in SEAMS:
            found.append(f"{where[0]}:{node.lineno}: {where[1]}")
    return found


def test_no_module_reaches_into_another_ones_private_names() -> None:
    found = [line for path in sorted(TUI.rglob("*.py")) for line in reaches(path)]
    assert found == []


def test_the_check_sees_what_it_forbids(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    source = "class A(B):\n    def f(self, other):\n        return other._x, self._y, self._z\n"
    source += "    def g(self):\n        self._z = 1\n"
    sample.write_text(source, encoding="utf-8")
    assert reaches(sample, tmp_path) == ["sample.py:3: other._x", "sample.py:3: self._y"]
