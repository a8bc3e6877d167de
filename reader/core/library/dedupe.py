"""Identity and dedupe: one row per paper, however many listings mention it.

A record is the same paper as a stored one when it has, in this order: the same id (or an
alias of it), the same DOI, the same normalized title, or a near-identical title whose abstract
agrees too. A record with an arXiv id never merges by DOI or title into a paper with another
arXiv id: two arXiv ids are two papers. Near titles are compared
with rapidfuzz's `ratio` (normalized Indel similarity, 0 to 100) on normalized titles:
TITLE_THRESHOLD = 90 accepts about one edit per ten characters ("Parametrized" /
"Parameterized", a dropped word in a long title) and rejects titles that differ in a word of
their own. A title match alone is not enough there: the abstracts must agree as well
(ABSTRACT_THRESHOLD = 90 on their first 1,000 characters), and titles whose numbers differ
("... Part 1" / "... Part 2", "v2") never merge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from reader.core.ids import arxiv_id, is_title_id, norm_title_id, title_id
from reader.core.model import Paper, Record
from reader.core.store import Store, TitleKeys, now_iso
from reader.core.text import normalize_title

TITLE_THRESHOLD = 90.0
ABSTRACT_THRESHOLD = 90.0
_ABSTRACT_PREFIX = 1000
_NUMBERS = re.compile(r"\b(?:\d+|[ivx]+)\b")
ARXIV_DOI = "10.48550/arxiv."  # the DOI arXiv gives every paper (DOIs are kept lower case)


class Outcome(Enum):
    ADDED = "added"
    UPDATED = "updated"
    DUPLICATE = "duplicate"


@dataclass(slots=True)
class Merged:
    outcome: Outcome
    paper: Paper
    old_id: str | None = None  # set when the paper changed id (its old id is now an alias)
    written: bool = True  # False for a duplicate that left the stored row as it was


def same_numbers(a: str, b: str) -> bool:
    """'Part 1' and 'Part 2' are different papers however alike the rest of the title is."""
    return _NUMBERS.findall(a) == _NUMBERS.findall(b)


def near_duplicate(norm: str, abstract: str, other_norm: str, other_abstract: str) -> bool:
    if not abstract or not other_abstract or not same_numbers(norm, other_norm):
        return False
    from rapidfuzz import fuzz  # loaded at the first near title: most imports never meet one

    if fuzz.ratio(norm, other_norm) < TITLE_THRESHOLD:
        return False
    a = " ".join(abstract[:_ABSTRACT_PREFIX].split())
    b = " ".join(other_abstract[:_ABSTRACT_PREFIX].split())
    return fuzz.ratio(a, b) >= ABSTRACT_THRESHOLD


def find_existing(store: Store, record: Record, norm: str) -> str | None:
    """The id of the stored paper this record describes, or None for a new paper."""
    rid = arxiv_id(record.arxiv_id)
    if rid:
        found = store.resolve(rid)
        if found:
            return found
    if record.doi:
        found = store.find_by_doi(record.doi)
        if found and (rid is None or is_title_id(found)):
            return found
    found = store.resolve(norm_title_id(norm))
    if found:
        return found
    found = store.find_by_norm_title(norm)
    if found and (rid is None or is_title_id(found)):
        return found
    for cand_id, cand_norm, cand_abstract in store.near_title_candidates(norm):
        if rid and not is_title_id(cand_id):
            continue  # two different arXiv ids are two papers
        if near_duplicate(norm, record.abstract, cand_norm, cand_abstract):
            return cand_id
    return None


def paper_from(record: Record, stamp: str) -> Paper:
    return Paper(
        id=arxiv_id(record.arxiv_id) or title_id(record.title),
        title=record.title,
        abstract=record.abstract,
        authors=list(record.authors),
        published=record.published,
        updated=record.updated,
        listed=record.listed,
        categories=list(record.categories),
        links=list(record.links),
        sources=[record.source.rsplit(":", 1)[0]] if record.source else [],
        upvotes=record.upvotes,
        added_at=stamp,
        updated_at=stamp,
        doi=record.doi,
        journal=record.journal,
        citekey=record.citekey,
    )


def _doi(old: str, new: str) -> str:
    """The paper's DOI: the one it had, unless that was only arXiv's (10.48550/arXiv.*) and the
    record brings the published version's."""
    if old and not (new and old.startswith(ARXIV_DOI) and not new.startswith(ARXIV_DOI)):
        return old
    return new


def _union(old: list[str], new: list[str]) -> list[str]:
    return list(dict.fromkeys([*old, *new]))


def combine(old: Paper, new: Paper) -> tuple[Paper, bool, bool]:
    """The merged paper, whether anything a reader would notice changed, and whether the row
    changed at all (sources, listing dates and the citation key are bookkeeping: gaining only
    them is still a duplicate, but they are kept)."""
    merged = Paper(
        id=new.id if is_title_id(old.id) and not is_title_id(new.id) else old.id,
        title=old.title or new.title,
        abstract=new.abstract if len(new.abstract) > len(old.abstract) else old.abstract,
        authors=old.authors or new.authors,
        published=old.published or new.published,
        updated=max(old.updated, new.updated),
        listed=old.listed or new.listed,
        categories=_union(old.categories, new.categories),
        links=_union(old.links, new.links),
        sources=_union(old.sources, new.sources),
        upvotes=new.upvotes if new.upvotes is not None else old.upvotes,
        added_at=old.added_at,
        updated_at=old.updated_at,
        doi=_doi(old.doi, new.doi),
        journal=old.journal or new.journal,
        citekey=old.citekey or new.citekey,  # bookkeeping, as sources: the key it is cited by
    )
    noticed = (
        merged.id,
        merged.abstract,
        merged.authors,
        merged.published,
        merged.updated,
        merged.categories,
        merged.links,
        merged.upvotes,
        merged.doi,
        merged.journal,
    )
    before = (
        old.id,
        old.abstract,
        old.authors,
        old.published,
        old.updated,
        old.categories,
        old.links,
        old.upvotes,
        old.doi,
        old.journal,
    )
    changed = noticed != before
    if changed:
        merged.updated_at = new.updated_at
    bookkeeping = (merged.sources, merged.listed, merged.citekey)
    dirty = changed or bookkeeping != (old.sources, old.listed, old.citekey)
    return merged, changed, dirty


def merge_record(store: Store, record: Record, stamp: str | None = None) -> Merged:
    """Add or merge one record inside the caller's transaction."""
    stamp = stamp or now_iso()
    norm = normalize_title(record.title)
    incoming = paper_from(record, stamp)
    existing_id = find_existing(store, record, norm)
    if existing_id is None:
        store.insert(incoming)
        return Merged(Outcome.ADDED, incoming)
    old = store.get(existing_id)
    assert old is not None  # find_existing only returns ids of stored rows
    merged, changed, dirty = combine(old, incoming)
    if dirty:
        store.replace(old, merged)
    outcome = Outcome.UPDATED if changed else Outcome.DUPLICATE
    return Merged(outcome, merged, old.id if merged.id != old.id else None, dirty)


class _Keys:
    """What a batch's records could match: the store's answer for the batch's keys (one
    query per kind of key), plus the keys of the records merged so far in the batch."""

    def __init__(
        self, store: Store, ids: list[str], keyed: list[TitleKeys], dois: list[str]
    ) -> None:
        self.ids = store.known_ids(ids)
        self.dois = store.known_dois(dois) if dois else set()
        # For each title key column: key -> whether a paper with a title id has that key
        self.titles = tuple(
            store.title_keys(column, [keys[place] for keys in keyed])
            for place, column in enumerate(TitleKeys.COLUMNS)
        )

    def may_match(self, rid: str | None, tid: str, keys: TitleKeys, doi: str) -> bool:
        """False only when find_existing() would surely return None: no id or alias to
        resolve, no DOI a paper has, and no title key shared with a paper it could merge with
        (with an arXiv id, only papers with a title id can take the record)."""
        if (rid and rid in self.ids) or tid in self.ids or (doi and doi in self.dois):
            return True
        flags = [found.get(key) for found, key in zip(self.titles, keys, strict=True)]
        return any(flag is not None and (rid is None or flag) for flag in flags)

    def add(self, merged: Merged, keys: TitleKeys, title: str) -> None:
        """Note a merged record, whose own title had `keys` (the paper may keep another)."""
        paper = merged.paper
        self.ids.update(filter(None, (paper.id, merged.old_id)))
        if paper.doi:
            self.dois.add(paper.doi)
        titled = is_title_id(paper.id)
        every = [keys]
        if paper.title != title:  # a merge kept the stored paper's title
            every.append(TitleKeys.of(normalize_title(paper.title)))
        for each in every:
            for found, key in zip(self.titles, each, strict=True):
                found[key] = found.get(key, False) or titled


def merge_batch(store: Store, records: list[Record], stamp: str) -> list[Merged]:
    """merge_record() for each record in order, with the same outcomes, inside the caller's
    transaction; but a record that cannot match anything (nearly every record of a big
    import) costs no query of its own: the batch's keys are looked up together and new
    papers are inserted together. Each title is normalized and keyed once, for the lookups
    and the row alike."""
    keyed = [TitleKeys.of(normalize_title(record.title)) for record in records]
    rids = [arxiv_id(record.arxiv_id) for record in records]
    tids = [norm_title_id(keys.norm) for keys in keyed]
    dois = [record.doi for record in records if record.doi]
    known = _Keys(store, [i for i in (*rids, *tids) if i], keyed, dois)
    out: list[Merged] = []
    new: list[tuple[Paper, TitleKeys]] = []
    for record, keys, rid, tid in zip(records, keyed, rids, tids, strict=True):
        if known.may_match(rid, tid, keys, record.doi):
            store.insert_many(new)  # merge_record must see the papers before it
            new = []
            merged = merge_record(store, record, stamp)
        else:
            merged = Merged(Outcome.ADDED, paper_from(record, stamp))
            new.append((merged.paper, keys))
        known.add(merged, keys, record.title)
        out.append(merged)
    store.insert_many(new)
    return out
