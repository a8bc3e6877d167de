"""A real HTTP server on 127.0.0.1 for every fetch test; nothing reaches the internet."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "fixtures" / "fetch"))


from reader.core.fetch.cache import ValidatorCache
from reader.core.fetch.http import HttpClient

PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture
def cache(tmp_path: Path) -> ValidatorCache:
    return ValidatorCache(tmp_path / "data")


@pytest.fixture
def client(cache: ValidatorCache) -> HttpClient:
    """Small timeouts and backoff so failure tests stay fast; the logic is the default one."""
    return HttpClient(cache=cache, timeout=2.0, retries=2, backoff=0.01)
