"""The built-in sample library: the saved Daily Papers pages shipped inside the package, what
a first start imports and what the tests read."""

from __future__ import annotations

from pathlib import Path


def sample_files() -> list[Path]:
    """The sample's pages, in name order."""
    from importlib import resources

    folder = resources.files("reader") / "sample"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".txt"))
