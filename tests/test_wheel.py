"""The wheel ships what reader reads at run time: themes, the sample library, the TUI's CSS.

Builds the wheel from this checkout, installs it in a fresh venv, and loads the themes there,
from the installed package (not from the checkout's themes/ folder).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path) -> str:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def build_inputs(into: Path) -> Path:
    """A copy of what the build reads, so building never writes into the checkout."""
    source = into / "source"
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("reader", "themes"):
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    for path in ROOT.iterdir():
        if path.is_file() and (
            path.suffix in (".toml", ".md", ".cfg", ".py") or path.stem == "LICENSE"
        ):
            shutil.copy2(path, source / path.name)
    return source


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = build_inputs(out)
    run(sys.executable, "-m", "pip", "wheel", source, "-w", out, "--no-deps", "-q", cwd=out)
    (built,) = out.glob("reader-*.whl")
    return built


def test_wheel_holds_themes_sample_css_and_every_module(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    themes = {f"reader/themes/{path.name}" for path in (ROOT / "themes").glob("*.yaml")}
    assert len(themes) >= 4 and themes <= names
    samples = {f"reader/sample/{path.name}" for path in (ROOT / "reader" / "sample").glob("*.txt")}
    assert len(samples) == 4 and samples <= names
    shipped_from_tree = {
        path.relative_to(ROOT).as_posix()
        for pattern in ("*.py", "*.tcss")
        for path in (ROOT / "reader").rglob(pattern)
        if "__pycache__" not in path.parts
    }
    assert shipped_from_tree - names == set()  # a package folder missing from pyproject shows here
    assert any(name.endswith(".tcss") for name in names)


def test_installed_wheel_loads_its_own_themes(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", wheel, cwd=tmp_path)
    probe = (
        "from importlib import resources\n"
        "from pathlib import Path\n"
        "from reader.core.settings.themes import bundled_themes, load_themes\n"
        "from reader.tui.theming import build_themes\n"
        "themes, notices = load_themes()\n"
        "built, problems = build_themes(themes)\n"
        "assert notices == problems == [], (notices, problems)\n"
        "print(Path(str(next(iter(bundled_themes().iterdir())))).resolve())\n"
        "print(','.join(sorted(theme.name for theme in built)))\n"
        "sample = resources.files('reader') / 'sample'\n"
        "print(sum(entry.name.endswith('.txt') for entry in sample.iterdir()))\n"
    )
    where, names, samples = run(python, "-c", probe, cwd=tmp_path).split()
    assert Path(where).is_relative_to(venv.resolve())  # the installed copy, not the checkout
    assert {"reader-dark", "reader-light", "reader-sepia", "reader-contrast"} <= set(
        names.split(",")
    )
    assert samples == "4"
