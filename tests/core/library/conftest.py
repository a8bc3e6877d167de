"""The library tests' helpers: a small library of known papers, the local HTTP server, PDFs
made in code."""

from __future__ import annotations

import sys
from pathlib import Path

FIXTURES = Path(__file__).parents[2] / "fixtures"
for folder in ("daily", "fetch"):
    sys.path.insert(0, str(FIXTURES / folder))
