"""Vectors live and die with the index's segments: built, merged, re-indexed, checked, repaired."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from reader.core.index import segment_merge as merging
from reader.core.index.paper_index import PaperIndex
from reader.core.index.segment_vectors import vector_parts, vectors_differ
from reader.core.index.vector_files import VECTORS_EXT
from reader.core.library.facade import Library
from reader.core.model import Paper
from reader.core.paths import DataPaths
from reader.core.vectors import paper_text, shared_model, unit, vectors_of
from reader.core.vectors.header import HEADER_SIZE


def paper(i: int, words: str = "graphs") -> Paper:
    return Paper(
        id=f"2401.{i:05d}",
        title=f"Paper {i} on {words}",
        abstract=f"We study {words} in paper {i}, with experiments on sparse {words}.",
    )


def stored_vectors(index: PaperIndex) -> dict[str, np.ndarray]:
    """Every live paper's vector as the index holds it."""
    out = {}
    with index.reading() as searcher:
        parts = vector_parts(searcher.reader())
        for docnum in range(searcher.doc_count_all()):
            if searcher.reader().is_deleted(docnum):
                continue
            row = vectors_of(parts, np.array([docnum]))[0]
            out[searcher.stored_fields(docnum)["id"]] = row
    return out


def assert_vectors_are_the_papers(index: PaperIndex, papers: dict[str, Paper]) -> None:
    held = stored_vectors(index)
    assert set(held) == set(papers)
    texts = [paper_text(p.title, p.abstract) for p in papers.values()]
    fresh = unit(shared_model().embed(texts))
    for (paper_id, _), vector in zip(papers.items(), fresh, strict=True):
        assert float(held[paper_id] @ vector) > 0.999, paper_id


@pytest.fixture
def index(tmp_path: Path) -> PaperIndex:
    ix = PaperIndex(tmp_path / "index", lock_timeout=0.5)
    ix.open()
    yield ix
    ix.close()


def test_every_segment_has_a_vector_file_with_a_row_per_document(index: PaperIndex) -> None:
    papers = {p.id: p for p in (paper(i) for i in range(30))}
    index.rebuild(papers.values(), len(papers))
    index.upsert([paper(100, "optics")])
    papers["2401.00100"] = paper(100, "optics")
    files = sorted(index.index_dir.glob(f"*{VECTORS_EXT}"))
    assert len(files) == index.segment_count() == 2
    assert_vectors_are_the_papers(index, papers)


def test_updates_deletes_and_merges_keep_each_vector_with_its_paper(index: PaperIndex) -> None:
    papers = {p.id: p for p in (paper(i) for i in range(20))}
    index.rebuild(papers.values(), len(papers))
    for i in range(merging.FANOUT + 2):  # enough small segments for a merge
        changed = paper(i, f"topic {i} of optics")
        papers[changed.id] = changed
        index.upsert([changed])
    index.delete(["2401.00019"])
    del papers["2401.00019"]
    index.optimize()
    assert index.segment_count() == 1
    assert len(list(index.index_dir.glob(f"*{VECTORS_EXT}"))) == 1  # old files went too
    assert_vectors_are_the_papers(index, papers)


def test_a_worker_built_index_has_the_same_vectors(index: PaperIndex) -> None:
    papers = {p.id: p for p in (paper(i, f"subject {i % 7}") for i in range(60))}
    index.rebuild(papers.values(), len(papers), workers=2)
    assert_vectors_are_the_papers(index, papers)


def test_workers_get_the_vectors_a_build_alone_makes_exactly(tmp_path: Path) -> None:
    """Two workers embed their own papers; one worker gets them embedded by the calling
    process: the rows are the ones a build in one process writes, byte for byte."""
    papers = [paper(i, f"subject {i % 7}") for i in range(150)]
    held = []
    for workers in (0, 1, 2):
        ix = PaperIndex(tmp_path / f"index-{workers}")
        ix.open()
        ix.rebuild(papers, len(papers), workers=workers)
        held.append({pid: row.tobytes() for pid, row in stored_vectors(ix).items()})
        ix.close()
    assert len(held[0]) == len(papers) and held[0] == held[1] == held[2]


BUILD = """
import sys
from pathlib import Path
from reader.core.index.paper_index import PaperIndex
from reader.core.model import Paper
from reader.core.vectors import model
index = PaperIndex(Path(sys.argv[1]))
index.open()
papers = [Paper(id=f"2401.{i:05d}", title=f"Paper {i}", abstract="We study graphs.")
          for i in range(200)]
index.rebuild(papers, len(papers), workers=int(sys.argv[2]))
print(index.doc_count(), model._shared.cache_info().currsize,
      model._weighted_table.cache_info().currsize)
"""


@pytest.mark.parametrize(("workers", "models_here"), [(2, ["0", "0"]), (1, ["0", "1"])])
def test_two_workers_embed_for_themselves_one_shares_the_model(
    tmp_path: Path, workers: int, models_here: list[str]
) -> None:
    """Two workers each load the model, and the calling process (during an import it parses
    and stores too) loads none of it; with one worker, the worker tokenises the texts it
    splits for its analysis and the calling process makes the table and sums the rows, so
    the two processes share the work: the calling process never loads the tokenizer."""
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(tmp_path / "index"), str(workers)],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert done.stdout.split() == ["200", *models_here]
    index = PaperIndex(tmp_path / "index")
    index.open()
    assert len(stored_vectors(index)) == 200
    index.close()


REINDEX = """
import json, sys
from reader.core.library.facade import Library
library = Library.open(sys.argv[1])
library.user.set_bookmark(sys.argv[2], True)
library.user.add_tags(sys.argv[2], ["kept"])
from reader.core.vectors import model
print(json.dumps({"model_loaded": model._shared.cache_info().currsize > 0}))
library.close()
"""


def test_a_bookmark_or_tag_reindexes_without_embedding_again(paths: DataPaths) -> None:
    library = Library(paths)
    library.import_sample()
    target = next(iter(library.store.iter_papers()))
    before = stored_vectors(library.index)[target.id]
    library.close()
    done = subprocess.run(
        [sys.executable, "-c", REINDEX, str(paths.data_dir), target.id],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout) == {"model_loaded": False}
    library = Library(paths)
    assert library.user.is_bookmarked(target.id)
    assert (stored_vectors(library.index)[target.id] == before).all()
    library.close()


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (Path.unlink, ".vec is missing"),
        (lambda path: path.write_bytes(path.read_bytes()[:-100]), "cut short"),
    ],
)
def test_a_missing_or_cut_vector_file_is_damage_the_next_open_repairs(
    paths: DataPaths, damage, said: str
) -> None:
    library = Library(paths)
    library.import_sample()
    assert library.index.doc_count()  # built (a small import leaves it to the first use)
    library.close()
    for path in paths.index_dir.glob(f"*{VECTORS_EXT}"):
        damage(path)
    library = Library(paths)
    assert library.search("pruning").total > 0
    assert library.index_message and "damaged" in library.index_message
    assert said in library.index_message
    assert list(paths.index_dir.glob(f"*{VECTORS_EXT}"))
    library.close()


def test_an_index_from_before_vectors_is_rebuilt(paths: DataPaths) -> None:
    library = Library(paths)
    library.import_sample()
    assert library.index.doc_count()
    library.close()
    record = paths.index_dir / "READER_FORMAT"
    record.write_text(json.dumps({**json.loads(record.read_text()), "format": 2}))
    for path in paths.index_dir.glob(f"*{VECTORS_EXT}"):
        path.unlink()
    library = Library(paths)
    assert library.search("pruning").total > 0
    assert "older format (2)" in (library.index_message or "")
    assert list(paths.index_dir.glob(f"*{VECTORS_EXT}"))
    library.close()


def test_index_check_finds_wrong_vectors_and_fix_embeds_them_again(paths: DataPaths) -> None:
    library = Library(paths)
    library.import_sample()
    assert library.check_index().ok
    (vec,) = paths.index_dir.glob(f"*{VECTORS_EXT}")
    data = bytearray(vec.read_bytes())
    count = (len(data) - HEADER_SIZE) // (32 + 256)
    rows_at = HEADER_SIZE + count * 32
    data[rows_at : rows_at + 256 * 3] = data[rows_at : rows_at + 256 * 3][::-1]  # 3 papers
    vec.write_bytes(bytes(data))
    library.close()
    library = Library(paths)
    check = library.check_index()
    assert not check.ok
    assert 1 <= len(check.differ["vector"]) <= 3
    fixed = library.check_index(fix=True)
    assert fixed.fixed and fixed.fixed_ok
    with library.index.reading() as searcher:
        every = {p.id: paper_text(p.title, p.abstract) for p in library.store.iter_papers()}
        assert vectors_differ(searcher.reader(), every) == []
    library.close()
