"""What the index holds per paper, read in bulk: the live documents' ids, each one's digest,
and which documents carry the user's data.

`reader index check` and the catch-up at open compare these with the store and the user's
files. For every paper, columns are read whole per segment (one read each, cached while the
segment exists); a few (the papers with user data, when the user's files changed) are found by
their id terms (SegmentData.holding_ids) and their values read alone, where reading the columns
whole took a second at 1M papers. The user's data is found through the posting lists of its
fields, so neither looks at a million stored documents one by one.
"""

from __future__ import annotations

from whoosh.reading import IndexReader

from reader.core.index.segment_read import live_holders, segment_data

# Fields holding the user's data, and the terms that mean "has some" (None: any term).
_USER_TERMS = (
    ("tag", None),
    ("note", None),
    ("summary", None),
    ("read", [b"t"]),
    ("bookmarked", [b"t"]),
)


def live_digests(reader: IndexReader, wanted: set[str] | None = None) -> dict[str, bytes]:
    """Paper id -> the digest of its live document, for every paper or the `wanted` ones."""
    out: dict[str, bytes] = {}
    keys = None if wanted is None else {paper_id.encode("utf-8") for paper_id in wanted}
    for leaf, _ in reader.leaf_readers():
        if leaf.segment() is None:  # an empty index
            continue
        data = segment_data(leaf)
        held = enumerate(data.column(leaf, "id")) if keys is None else data.holding_ids(leaf, keys)
        deleted = set(leaf.segment().deleted_docs()) if leaf.has_deletions() else set()
        digests = None
        for docnum, paper_id in held:
            if paper_id and docnum not in deleted:
                if digests is None:
                    digests = data.values(leaf, "digest")
                out[paper_id.decode("utf-8")] = digests[docnum]
    return out


def live_ids(reader: IndexReader) -> set[str]:
    """The ids of the live documents. Whoosh keeps a deleted document's terms until its
    segment is merged away, so an id whose every document is deleted is left out."""
    found = {term.decode("utf-8") for term in reader.lexicon("id")}
    for leaf, _ in reader.leaf_readers():
        for docnum in leaf.segment().deleted_docs() if leaf.has_deletions() else ():
            paper_id = leaf.stored_fields(docnum).get("id")
            if paper_id in found and not live_holders(reader, "id", paper_id.encode()):
                found.discard(paper_id)
    return found


def ids_with_user_data(reader: IndexReader) -> set[str]:
    """The papers whose live document holds a tag, a note, a summary, a read mark or a bookmark."""
    out: set[str] = set()
    for leaf, _ in reader.leaf_readers():
        if leaf.segment() is None:
            continue
        data = segment_data(leaf)
        docs: set[int] = set()
        for fieldname, terms in _USER_TERMS:
            for btext in leaf.lexicon(fieldname) if terms is None else terms:
                found = data.postings(leaf, fieldname, btext)
                if found is not None:
                    docs.update(found[0])
        if leaf.has_deletions():
            docs.difference_update(leaf.segment().deleted_docs())
        if docs:
            ids = data.values(leaf, "id")
            out.update(ids[docnum].decode("utf-8") for docnum in docs)
    return out
