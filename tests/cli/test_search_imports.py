"""A cold `reader search` loads only what a search needs: imports are most of its start-up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from reader.cli import main

# What a search never uses: the fetch stack, YAML and file locks (user data), zip (backups),
# XML (importers), rapidfuzz (only typos and `word~`), numpy (only queries over big posting
# lists), worker processes and segment writing (only writes), other commands' code (similar
# papers, export, the note editor, For you), Whoosh's query parser (plain words do without it),
# platformdirs (a data dir is given), the MCP server, and search by meaning: the model
# (tokenizers, safetensors) and the vectors load only for a query of many words. Not listed:
# what Whoosh's own modules import when they load (urllib.request and html by whoosh.compat,
# asyncio and with it subprocess by the cached_property package, calendar by
# whoosh.util.times, whoosh.lang.morph_en by whoosh.query): reader imports Whoosh as it is.
NOT_FOR_A_SEARCH = (
    "yaml",
    "filelock",
    "zipfile",
    "defusedxml",
    "rapidfuzz",
    "numpy",
    "textual",
    "multiprocessing",
    "whoosh.qparser",
    "platformdirs",
    "reader.core.fetch",
    "reader.core.importers",
    "reader.core.userdata",
    "reader.core.backup.archive",
    "reader.core.index.segment_build",
    "reader.core.index.segment_write",
    "reader.core.index.segment_merge",
    "reader.core.search.similar",
    "reader.core.exporters.formats",
    "reader.core.durable",
    "csv",
    "reader.mcp",  # `reader mcp` and the MCP SDK it loads
    "mcp",
    "pydantic",
    "anyio",
    "tokenizers",
    "safetensors",
    "wordllama",
    "reader.core.vectors.model",
    "reader.core.vectors.files",
    "reader.core.index.segment_vectors",
    "reader.core.search.meaning",
    "reader.core.recommend",
)
SCRIPT = """
import json, sys
from reader.cli import main
code = main(["--data-dir", sys.argv[1], "search", sys.argv[2], "--json"])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def imported(data_dir: Path, seeds: list[Path]) -> None:
    """The sample imported and its index built (the first search after an import builds it)."""
    assert main(["--data-dir", str(data_dir), "import", *map(str, seeds), "--json"]) == 0
    assert main(["--data-dir", str(data_dir), "search", "pruning", "--json"]) == 0


def search_in_new_process(data_dir: Path, query: str) -> tuple[dict, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(data_dir), query],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.splitlines()
    state = json.loads(lines[-1])
    assert state["code"] == 0, done.stderr
    return json.loads("\n".join(lines[:-1])), set(state["modules"])


def loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_a_search_loads_nothing_it_does_not_use(data_dir: Path, seeds: list[Path]) -> None:
    imported(data_dir, seeds)
    result, modules = search_in_new_process(data_dir, "lottery ticket pruning")
    assert result["total"] > 0
    assert [name for name in NOT_FOR_A_SEARCH if loaded(modules, name)] == []


def test_a_misspelled_word_still_finds_its_paper(data_dir: Path, seeds: list[Path]) -> None:
    """rapidfuzz loads when a word needs it."""
    imported(data_dir, seeds)
    result, modules = search_in_new_process(data_dir, "lotery tiket")
    assert result["suggestion"] == "lottery ticket"
    assert "rapidfuzz" in modules


def test_a_long_query_loads_the_model_but_never_wordllama_itself(
    data_dir: Path, seeds: list[Path]
) -> None:
    """A description is searched by meaning too: the model's files are read with tokenizers
    and safetensors; wordllama's own code (which would ask the network) is never run."""
    imported(data_dir, seeds)
    query = "small helper network picks useful web text as the main network learns"
    result, modules = search_in_new_process(data_dir, query)
    assert result["total"] > 0 and result["note"] is None
    assert {"tokenizers", "safetensors", "reader.core.vectors.model"} <= modules
    assert not loaded(modules, "wordllama") and not loaded(modules, "huggingface_hub")
