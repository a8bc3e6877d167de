"""The validator cache: survives runs, stays small, and a damaged file only costs a refetch."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

from reader.core.fetch import cache as cache_module
from reader.core.fetch.cache import ValidatorCache, Validators


def test_validators_survive_a_new_cache_object(tmp_path: Path) -> None:
    ValidatorCache(tmp_path).remember("http://a/1", Validators('"e1"', "Mon, 11 Mar 2024"))
    again = ValidatorCache(tmp_path)
    assert again.get("http://a/1") == Validators('"e1"', "Mon, 11 Mar 2024")
    assert again.get("http://a/2") == Validators()
    assert not again.get("http://a/2")


def test_a_response_without_validators_forgets_the_url(tmp_path: Path) -> None:
    cache = ValidatorCache(tmp_path)
    cache.remember("http://a/1", Validators('"e1"'))
    cache.remember("http://a/1", Validators())
    assert cache.get("http://a/1") == Validators()
    assert json.loads(cache.path.read_text())["urls"] == {}


def test_damaged_file_reads_as_empty_and_is_replaced_whole(tmp_path: Path) -> None:
    cache = ValidatorCache(tmp_path)
    cache.path.write_text('{"version": 1, "urls": {"http://a/1": {"etag": ', encoding="utf-8")
    assert cache.get("http://a/1") == Validators()
    cache.remember("http://a/2", Validators('"e2"'))
    assert json.loads(cache.path.read_text())["urls"]["http://a/2"]["etag"] == '"e2"'
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".fetch-validators.")]
    assert leftovers == []  # the temp file of the atomic write was renamed into place


def test_the_oldest_entries_go_first(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 3)
    cache = ValidatorCache(tmp_path)
    for n in range(4):
        cache.remember(f"http://a/{n}", Validators(f'"{n}"'))
    cache.remember("http://a/1", Validators('"1b"'))  # refreshed: now the newest
    cache.remember("http://a/4", Validators('"4"'))
    assert list(json.loads(cache.path.read_text())["urls"]) == [
        "http://a/3",
        "http://a/1",
        "http://a/4",
    ]


def _remember_many(data_dir: str, prefix: str) -> None:
    cache = ValidatorCache(Path(data_dir))
    for n in range(20):
        cache.remember(f"http://a/{prefix}{n}", Validators(f'"{prefix}{n}"'))


def test_two_processes_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_remember_many, args=(str(tmp_path), p)) for p in "xy"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert len(json.loads(ValidatorCache(tmp_path).path.read_text())["urls"]) == 40
