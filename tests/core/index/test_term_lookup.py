"""A segment's term records read straight from its terms file give what Whoosh's reader gives,
for every term of the sample, for terms it lacks, and never through a closed file."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.index import open_dir

from reader.core.index import whoosh_seam as seam
from reader.core.library.facade import Library


def test_every_term_of_the_sample_reads_as_whoosh_reads_it(sample_library: Library) -> None:
    with sample_library.index.reading() as searcher:
        leaves = searcher.reader().leaf_readers()
        checked = 0
        for reader, _ in leaves:
            for fieldname, btext in reader.all_terms():
                found = seam.term_info(reader, fieldname, btext)
                assert found is not None, (fieldname, btext)
                assert vars(found) == vars(reader.term_info(fieldname, btext))
                checked += 1
        assert checked > 5000


def test_a_record_longer_than_the_first_read_is_read_whole(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seam, "_VALUE_GUESS", 4)  # every record is longer than this
    with sample_library.index.reading() as searcher:
        (reader, _), *_ = searcher.reader().leaf_readers()
        for fieldname, btext in list(reader.all_terms())[:500]:
            assert vars(seam.term_info(reader, fieldname, btext)) == vars(
                reader.term_info(fieldname, btext)
            )


def test_terms_a_segment_lacks_are_none(sample_library: Library) -> None:
    with sample_library.index.reading() as searcher:
        (reader, _), *_ = searcher.reader().leaf_readers()
        terms = set(reader.all_terms())
        for fieldname, btext in sorted(terms)[:3000]:
            for absent in (btext + b"qx", b"qx" + btext, btext[:-1] + b"\xff"):
                if (fieldname, absent) not in terms:
                    assert seam.term_info(reader, fieldname, absent) is None
        assert seam.term_info(reader, "no such field", b"model") is None


def test_a_closed_reader_is_never_read_through_a_reused_descriptor(
    sample_library: Library, tmp_path: Path
) -> None:
    assert sample_library.index.doc_count()  # built
    (reader, _), *_ = open_dir(sample_library.paths.index_dir, "MAIN").reader().leaf_readers()
    fieldname, btext = next(t for t in reader.all_terms() if t[0] == "abstract")
    assert seam.term_info(reader, fieldname, btext) is not None
    reader.close()
    other = tmp_path / "other"
    other.write_bytes(b"\0" * 65536)
    with other.open("rb"), pytest.raises(ValueError):  # the file likely has the old number
        seam.term_info(reader, fieldname, btext)
