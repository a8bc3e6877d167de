"""arXiv's query API (Atom), paged, newest submissions first, at arXiv's requested pace."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from reader.core.fetch.cache import Validators
from reader.core.fetch.http import FetchedPage, FetchError, HttpClient, Pacer

ARXIV_URL = "http://export.arxiv.org/api/query"
MIN_DELAY = 3.0  # arXiv asks for no more than one request every three seconds
PAGE_SIZE = 200  # entries per request: few 3 s waits, pages small enough to import whole
MAX_RESULTS = 10_000  # arXiv serves at most 30000 per query; far more than a reading list needs
_ATOM = "{http://www.w3.org/2005/Atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2,})?")


def check_category(category: str) -> str:
    """An arXiv category such as cs.LG, hep-th or q-bio.NC, or ValueError."""
    if not _CATEGORY.fullmatch(category):
        raise ValueError(f"not an arXiv category (like cs.LG or hep-th): {category!r}")
    return category


def search_query(query: str, category: str | None = None) -> str:
    """arXiv search_query syntax: the user's query, narrowed to one category if given."""
    query = query.strip()
    if not category:
        return query
    check_category(category)
    return f"({query}) AND cat:{category}" if query else f"cat:{category}"


def page_url(base_url: str, query: str, start: int, size: int) -> str:
    params = {
        "search_query": query,
        "start": start,
        "max_results": size,
        "sortBy": "submittedDate",
        "sortOrder": "descending",
    }
    return f"{base_url}?{urlencode(params)}"


def feed_counts(page: FetchedPage) -> tuple[int, int | None]:
    """(entries on this page, total results of the query) read from the Atom feed."""
    ids, total = feed_ids(page)
    return len(ids), total


def feed_ids(page: FetchedPage) -> tuple[list[str], int | None]:
    """(the id of each entry on this page, total results of the query) from the Atom feed.

    Only enough reading to page; a truncated or malformed feed is a FetchError, so a broken
    page never reaches the importers. arXiv reports a bad query as an entry named Error.
    """
    root = _parse(page)
    ids = [(entry.findtext(f"{_ATOM}id") or "").strip() for entry in root.findall(f"{_ATOM}entry")]
    for pid, entry in zip(ids, root.findall(f"{_ATOM}entry"), strict=True):
        if "/api/errors" in pid:
            said = (entry.findtext(f"{_ATOM}summary") or "an unexplained error").strip()
            raise FetchError(page.url, f"arXiv says: {said}", verb="read")
    total = (root.findtext(f"{_OPENSEARCH}totalResults") or "").strip()
    return ids, int(total) if total.isdigit() else None


def _parse(page: FetchedPage) -> Element:
    try:
        root = fromstring(page.body)
    except ParseError as error:
        raise FetchError(
            page.url, f"the response is not well-formed XML ({error})", verb="read"
        ) from None
    except DefusedXmlException as error:
        raise FetchError(
            page.url, f"the response uses forbidden XML ({error})", verb="read"
        ) from None
    if root.tag != f"{_ATOM}feed":
        raise FetchError(page.url, "the response is not an Atom feed", verb="read")
    return root


def fetch_arxiv(
    client: HttpClient,
    base_url: str,
    query: str,
    *,
    category: str | None = None,
    max_results: int = 100,
    pacer: Pacer,
    page_size: int = PAGE_SIZE,
    conditional: bool = True,
) -> Iterator[FetchedPage]:
    """The query's pages in turn, as they arrive (a generator: import each as it comes).

    Paging goes on while arXiv says more results exist, up to max_results. arXiv sometimes
    serves a short page mid-query, so the next start follows what came, not what was asked.
    A 304 ends the paging: newest-first order means an unchanged first page has nothing new.
    So does a page with no entry that an earlier page did not have: a server that ignores
    `start` (or inflates totalResults) would otherwise serve the same papers until max.
    """
    if not 1 <= max_results <= MAX_RESULTS:
        raise ValueError(f"max must be between 1 and {MAX_RESULTS}, not {max_results}")
    wanted = search_query(query, category)
    if not wanted:
        raise ValueError("an arXiv query needs search terms or a category")
    start = 0
    seen: set[str] = set()
    while start < max_results:
        url = page_url(base_url, wanted, start, min(page_size, max_results - start))
        try:
            page = client.get(url, pacer=pacer, conditional=conditional)
        except FetchError as error:
            raise _explained(error) from None
        if page.not_modified:
            yield page
            return
        ids, total = feed_ids(page)
        if ids and seen.issuperset(ids):
            return  # nothing new: this page was served before
        seen.update(ids)
        yield page
        start += len(ids)
        if not ids or (total is not None and start >= total):
            return


def _explained(error: FetchError) -> FetchError:
    """arXiv answers a bad query with HTTP 400 and an Atom error entry: quote its words."""
    if error.status is None or not error.body:
        return error
    try:
        feed_counts(FetchedPage(error.url, error.status, error.body, Validators()))
    except FetchError as explained:
        if explained.reason.startswith("arXiv says"):
            return FetchError(error.url, f"{error.reason}; {explained.reason}", status=error.status)
    return error
