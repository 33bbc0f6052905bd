"""Fetchers and the on-disk cache."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from esig.errors import ConfigurationError, FetchError
from esig.trust.fetch import Fetcher, MemoryFetcher, TrustListCache, UrllibFetcher

WHEN = datetime(2026, 6, 1, tzinfo=UTC)


def test_memory_fetcher() -> None:
    fetcher = MemoryFetcher({"https://a.invalid/x.xml": b"<x/>"})
    assert isinstance(fetcher, Fetcher)
    assert fetcher.fetch("https://a.invalid/x.xml") == b"<x/>"
    with pytest.raises(FetchError, match=r"no document for https://b\.invalid"):
        fetcher.fetch("https://b.invalid")
    assert fetcher.requested == ["https://a.invalid/x.xml", "https://b.invalid"]


def test_urllib_fetcher_refuses_other_schemes() -> None:
    assert isinstance(UrllibFetcher(), Fetcher)
    with pytest.raises(FetchError, match="http or https only"):
        UrllibFetcher().fetch("file:///etc/passwd")


def test_cache_round_trip(tmp_path: Path) -> None:
    cache = TrustListCache(tmp_path / "c")
    assert cache.get("https://a.invalid/x.xml") is None
    assert cache.entries() == ()
    entry = cache.put("https://a.invalid/x.xml", b"one", fetched_at=WHEN)
    cache.put("https://a.invalid/x.xml", b"two", fetched_at=WHEN)
    assert cache.get("https://a.invalid/x.xml") == b"two"
    (stored,) = cache.entries()
    assert (stored.location, stored.size, stored.fetched_at) == ("https://a.invalid/x.xml", 3, WHEN)
    assert stored.path == entry.path
    with pytest.raises(ValueError, match="timezone-aware"):
        cache.put("x", b"", fetched_at=datetime(2026, 1, 1))


def test_cache_errors(tmp_path: Path) -> None:
    file = tmp_path / "f"
    file.write_text("x")
    with pytest.raises(ConfigurationError, match="not a directory"):
        TrustListCache(file)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "index.json").write_text("[1]")
    with pytest.raises(ConfigurationError, match="not a JSON object"):
        TrustListCache(tmp_path / "d").entries()
