"""A Document as an import's index worker receives it: pickled by the queue, every field kept."""

from __future__ import annotations

import pickle
from dataclasses import fields
from multiprocessing.reduction import ForkingPickler

from reader.core.index.fields import Document


def every_field_set() -> Document:
    return Document(
        id="2401.00001",
        title="Graphs [/b] and trees",
        abstract="We study graphs.\nAnd trees.",
        authors=["Ada Lovelace", "Alan Turing"],
        date="2024-01-02",
        sources=["2024-01.txt"],
        categories=["cs.lg"],
        tags=["to-read"],
        note="A note",
        bookmarked=True,
        read=True,
        summary="A summary",
        vector=(b"\x01\x02", b"\x03"),
        columns=(b"stored", b"graphs", b"digest"),
    )


def test_a_document_survives_the_workers_queue_whole() -> None:
    document = every_field_set()
    back = pickle.loads(ForkingPickler.dumps(document))
    assert back == document
    assert all(getattr(back, f.name) == getattr(document, f.name) for f in fields(Document))


def test_a_document_without_a_vector_or_columns_comes_back_without() -> None:
    document = Document("t:abc", "Title", "", [], "", [], [], [], "", False, False)
    back = pickle.loads(pickle.dumps([document, document], protocol=5))
    assert back == [document, document]
    assert back[0].vector is None and back[0].columns is None
