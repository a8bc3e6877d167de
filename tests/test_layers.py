"""The import contracts of pyproject.toml hold: no cycles, the faces reach core through the
library, core's rooms import only the rooms below them, and only the index and search import
Whoosh (import-linter checks them; docs/ARCHITECTURE.md draws them)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports")
    assert lint, "import-linter is in the test extra: pip install -e '.[test]'"
    done = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
