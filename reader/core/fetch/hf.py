"""Hugging Face Daily Papers: one JSON page (or a few) per day from /api/daily_papers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import urlencode

from reader.core.fetch.http import FetchedPage, FetchError, HttpClient

HF_URL = "https://huggingface.co"
PAGE_SIZE = 100  # the API's largest page; a day rarely has more papers than that
MAX_PAGES = 10  # per day: a server that ignores `p` must not keep us paging forever
MAX_DAYS = 60
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(text: str) -> date:
    """A YYYY-MM-DD date, or ValueError with a message fit for the user."""
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a real date: {text!r}") from None


def days_back(days: int, today: date) -> list[date]:
    """The `days` days ending today, newest first (today's list is the one that moves)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}, not {days}")
    return [today - timedelta(days=n) for n in range(days)]


def page_url(base_url: str, day: date, page: int = 0, limit: int = PAGE_SIZE) -> str:
    query = urlencode({"date": day.isoformat(), "limit": limit, "p": page})
    return f"{base_url.rstrip('/')}/api/daily_papers?{query}"


def paper_ids(page: FetchedPage) -> list[str]:
    """The arXiv ids listed on a page; FetchError when the page is not the API's JSON list.

    Only enough reading to page; the importers turn the page into records.
    """
    try:
        data = json.loads(page.body)
    except (UnicodeDecodeError, ValueError) as error:
        raise FetchError(
            page.url, f"the response is not valid JSON ({error})", verb="read"
        ) from None
    except RecursionError:
        raise FetchError(page.url, "the response's JSON is nested too deep", verb="read") from None
    if not isinstance(data, list):
        raise FetchError(page.url, "the response is not a JSON list of papers", verb="read")
    ids: list[str] = []
    for item in data:
        paper = item.get("paper") if isinstance(item, dict) else None
        pid = paper.get("id") if isinstance(paper, dict) else None
        ids.append(pid if isinstance(pid, str) else "")
    return ids


def fetch_hf(
    client: HttpClient,
    base_url: str,
    days: list[date],
    *,
    page_size: int = PAGE_SIZE,
    conditional: bool = True,
) -> Iterator[FetchedPage]:
    """Each day's pages in turn, as they arrive (a generator: stop early or import as you go).

    A day's next page is asked for only while pages come back full and bring new papers. A 304
    ends the day's paging as well: a page we did not get cannot tell whether more follow.
    """
    for day in days:
        seen: set[str] = set()
        for number in range(MAX_PAGES):
            page = client.get(page_url(base_url, day, number, page_size), conditional=conditional)
            if page.not_modified:
                yield page
                break
            ids = paper_ids(page)
            fresh = set(ids) - seen
            if number and not fresh:
                break  # the server ignored `p` and served the first page again
            seen.update(ids)
            yield page
            if len(ids) < page_size:
                break
