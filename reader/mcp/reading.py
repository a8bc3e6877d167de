"""The read tools: each takes the library and the tool's arguments and returns the JSON object
the agent gets. They make the calls the CLI's commands make, so a result equals the
matching `reader ... --json` output (search, similar, saved list, export --format json)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import quote

from reader.core.library import Library, annotate, render_export
from reader.core.model import Paper
from reader.mcp.access import ToolFailure
from reader.mcp.params import (
    BibtexIds,
    Kind,
    Limit,
    Offset,
    PaperId,
    Query,
    SavedName,
    Sort,
    WithAbstracts,
)

Data = dict[str, object]
NO_QUEUE = "the reading queue is not available in this version"


def listed(paper: Paper, abstracts: bool) -> Data:
    """A paper in a list: who, what and when; the abstract only when asked for."""
    entry: Data = {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "date": paper.date,
    }
    if abstracts:
        entry["abstract"] = paper.abstract
    return entry


def paper_of(library: Library, paper_id: str) -> Paper:
    paper = library.get(paper_id)
    if paper is None:
        raise ToolFailure(f"unknown paper: {paper_id}")
    return paper


def search(
    library: Library,
    query: Query,
    limit: Limit = 10,
    offset: Offset = 0,
    sort: Sort = "relevance",
    abstracts: WithAbstracts = False,
) -> Data:
    result = library.search(query, limit=limit, offset=offset, sort=sort)
    data = result.to_dict()
    if abstracts:
        papers = library.papers([hit.id for hit in result.results])
        data["results"] = [
            {**hit.to_dict(), "abstract": papers[hit.id].abstract if hit.id in papers else ""}
            for hit in result.results
        ]
    return data


def get_paper(library: Library, id: PaperId) -> Data:
    (item,) = annotate([paper_of(library, id)], library.user)
    return {**item.to_dict(), "resource": paper_uri(item.paper.id)}


def paper_uri(paper_id: str) -> str:
    """reader://paper/{id} filled in: an old-style id's / escaped, as the template wants."""
    return "reader://paper/" + quote(paper_id, safe=":")


def similar_papers(library: Library, id: PaperId, limit: Limit = 10) -> Data:
    result = library.similar(id, limit=limit)
    if result is None:
        raise ToolFailure(f"unknown paper: {id}")
    return result.to_dict()


def for_you(library: Library, limit: Limit = 10) -> Data:
    """Listed only when the library has `for_you` (see tools.TOOLS)."""
    return library.for_you(limit=limit).to_dict()


def list_saved_searches(library: Library) -> Data:
    """`reader saved list --json`, with each search's count and how many are new to the user,
    as the app's sidebar shows them."""
    user = library.user
    searches: list[Data] = []
    for saved in user.saved_searches():
        ids, _ = library.search_ids(saved.query, sort=saved.sort)
        new = user.new_since_opened(saved.name, ids)
        searches.append({**saved.to_dict(), "total": len(ids), "new": new})
    return {"saved_searches": searches}


def new_in_saved_search(
    library: Library, name: SavedName, limit: Limit = 10, abstracts: WithAbstracts = False
) -> Data:
    """What the saved search finds that it did not show when the user last opened it. Only
    opening it in the app marks papers seen; this reads and changes nothing."""
    user = library.user
    saved = next((s for s in user.saved_searches() if s.name == name.strip()), None)
    if saved is None:
        raise ToolFailure(f"no saved search named {name!r} (list_saved_searches names them)")
    ids, _ = library.search_ids(saved.query, sort=saved.sort)
    ids = list(ids)
    new = user.new_since_opened(saved.name, ids)
    first = first_new(lambda some: user.new_since_opened(saved.name, some), ids, new, limit)
    papers = library.papers(first)
    return {
        **saved.to_dict(),
        "total": len(ids),
        "new": new,
        "results": [listed(papers[pid], abstracts) for pid in first if pid in papers],
    }


def first_new(
    count_new: Callable[[Sequence[str]], int], ids: Sequence[str], new: int, limit: int
) -> list[str]:
    """The first `limit` of `ids`, in order, that are new. UserData tells only how many of a
    set of ids are new (each id counts on its own, so counts add up over parts): halves with
    none are skipped and halves that are all new are taken whole, so finding k new papers
    costs about 2k·log2(len(ids)) counts, never one per id."""
    found: list[str] = []

    def walk(part: Sequence[str], part_new: int) -> None:
        if part_new == 0 or len(found) >= limit:
            return
        if part_new == len(part):
            found.extend(part[: limit - len(found)])
            return
        middle = len(part) // 2
        left_new = count_new(part[:middle])
        walk(part[:middle], left_new)
        walk(part[middle:], part_new - left_new)

    walk(ids, new)
    return found


def reading_list(
    library: Library, kind: Kind = "bookmarked", limit: Limit = 50, abstracts: WithAbstracts = False
) -> Data:
    ids = list_ids(library, kind)
    papers = sorted(library.papers(sorted(ids)).values(), key=date_order, reverse=True)
    return {
        "kind": kind,
        "total": len(papers),
        "results": [listed(paper, abstracts) for paper in papers[:limit]],
    }


def list_ids(library: Library, kind: str) -> set[str]:
    """The ids a reading list holds. A new kind of list is one more branch here."""
    user = library.user
    if kind == "bookmarked":
        return user.bookmarks()
    if kind == "queue":
        raise ToolFailure(NO_QUEUE)
    if kind.startswith("tag:") and kind[4:].strip():
        tag = kind[4:].strip()
        return {pid for pid, tags in user.tagged().items() if tag in tags}
    raise ToolFailure(f"unknown kind {kind!r}: use bookmarked, queue or tag:NAME")


def date_order(paper: Paper) -> tuple[bool, str, str]:
    """Reversed, the store's date order: papers with a date first, newest first, then by id."""
    return (bool(paper.date), paper.date, paper.id)


def export_bibtex(
    library: Library,
    ids: BibtexIds | None = None,
    query: Query | None = None,
    limit: Limit = 100,
) -> Data:
    """BibTeX as `reader export --format bibtex` writes it, for given ids or a search."""
    if (ids is None) == (query is None):
        raise ToolFailure("give either ids or query")
    if ids is not None:
        papers = [paper_of(library, pid) for pid in dict.fromkeys(ids)]
        total = len(papers)
    else:
        found, result = library.search_ids(query or "", sort="date")
        if result.note:
            raise ToolFailure(result.note)
        chosen = list(found[:limit])
        by_id = library.papers(chosen)
        papers = [by_id[pid] for pid in chosen if pid in by_id]
        total = len(found)
    papers = list({paper.id: paper for paper in papers}.values())  # two ids, one paper
    return {
        "count": len(papers),
        "total": total,
        "bibtex": render_export(annotate(papers, library.user), "bibtex"),
    }
