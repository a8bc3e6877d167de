"""Whoosh's private names are used in one module (reader/core/index/whoosh_seam.py), and only
the index and search rooms import Whoosh at all."""

from __future__ import annotations

import ast
from pathlib import Path

import reader

ROOT = Path(reader.__file__).parent
SEAM = "core/index/whoosh_seam.py"
WHOOSH_ROOMS = ("core/index/", "core/search/")
# Underscore names that are public API: namedtuple's methods, os._exit, and argparse's
# subparsers type (the standard library gives it no other name; used in annotations only).
PUBLIC_UNDERSCORE = {"_asdict", "_replace", "_fields", "_make", "_exit"}
ALLOWED_EXPRESSIONS = {"argparse._SubParsersAction"}
_ATTRIBUTE_CALLS = {"getattr", "setattr", "hasattr", "delattr"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in PUBLIC_UNDERSCORE


def _is_whoosh(module: str | None) -> bool:
    return module is not None and (module == "whoosh" or module.startswith("whoosh."))


def private_uses(source: str, filename: str) -> list[tuple[int, str]]:
    """(line, what) for each use of a private name that is not the module's own: `x._name`
    on anything but `self` or `cls`, getattr(x, "_name") and its kin, and private names
    imported from Whoosh."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            text = ast.unparse(node)
            if text not in ALLOWED_EXPRESSIONS:
                found.append((node.lineno, text))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in _ATTRIBUTE_CALLS:
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and _private(str(name.value)):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and _is_whoosh(node.module):
            found += [
                (node.lineno, f"{node.module}.{a.name}") for a in node.names if _private(a.name)
            ]
            if any(_private(part) for part in (node.module or "").split(".")):
                found.append((node.lineno, node.module or ""))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _is_whoosh(alias.name) and any(_private(p) for p in alias.name.split(".")):
                    found.append((node.lineno, alias.name))
    return sorted(found)


def whoosh_imports(source: str, filename: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _is_whoosh(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_whoosh(node.module):
            found.append((node.lineno, node.module or ""))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and _is_whoosh(str(arg.value)):
                found.append((node.lineno, str(arg.value)))
    return found


def offenders(root: Path, seam: str = SEAM) -> list[str]:
    bad: list[str] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        if relative != seam:
            bad += [f"{relative}:{line}: {what}" for line, what in private_uses(source, relative)]
        if not relative.startswith(WHOOSH_ROOMS):
            bad += [
                f"{relative}:{line}: imports {module}"
                for line, module in whoosh_imports(source, relative)
            ]
    return bad


def test_only_the_seam_uses_whoosh_private_names() -> None:
    assert len(list(ROOT.rglob("*.py"))) > 50, "the walk must see the whole package"
    assert offenders(ROOT) == []


def test_the_seam_is_where_the_private_names_went() -> None:
    """Not vacuous: the seam itself holds the private uses the other modules gave up."""
    uses = {what for _, what in private_uses((ROOT / SEAM).read_text(), SEAM)}
    assert {"reader._terms", "TOC._latest_generation", "fieldwriter._postfile"} <= uses


def test_the_check_catches_each_form(tmp_path: Path) -> None:
    """Guard the guard: planted offenders are each reported with file and line."""
    (tmp_path / "core" / "index").mkdir(parents=True)
    (tmp_path / "core" / "search").mkdir()
    (tmp_path / "core" / "index" / "whoosh_seam.py").write_text(
        "def f(reader):\n    return reader._terms\n"
    )
    (tmp_path / "core" / "index" / "leaky.py").write_text(
        "from whoosh.index import TOC, _DEF_INDEX_NAME\n"
        "def f(reader, ix):\n"
        "    a = reader._terms._postfile\n"
        "    b = getattr(ix, '_schema')\n"
        "    return self._fine, cls._fine, a.__class__, b._asdict()\n"
    )
    (tmp_path / "core" / "search" / "ok.py").write_text("import whoosh.query\n")
    (tmp_path / "commands.py").write_text(
        "import argparse\n"
        "def register(c: argparse._SubParsersAction) -> None:\n"
        "    import whoosh.fields\n"
        "    from whoosh import query\n"
    )
    (tmp_path / "core" / "model.py").write_text("def f(x):\n    return x._secret\n")
    assert offenders(tmp_path) == [
        "commands.py:3: imports whoosh.fields",
        "commands.py:4: imports whoosh",
        "core/index/leaky.py:1: whoosh.index._DEF_INDEX_NAME",
        "core/index/leaky.py:3: reader._terms",
        "core/index/leaky.py:3: reader._terms._postfile",
        "core/index/leaky.py:4: getattr(ix, '_schema')",
        "core/model.py:2: x._secret",
    ]
