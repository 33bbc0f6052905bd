"""Getting trusted lists: a :class:`Fetcher` interface, an explicit on-disk cache, and two fetchers.

A list is trusted because its signature verifies with a pinned certificate, never because of
where it came from: fetchers are transport only. :class:`MemoryFetcher` serves bytes from a
mapping (tests, documentation, air-gapped set-ups); :class:`UrllibFetcher` downloads over HTTP(S)
with a size and time budget (never used by the tests). :class:`TrustListCache` is a directory
the caller names; :meth:`esig.trust.store.TrustStore.load` reads it when no fetcher is given
(offline use) and writes it after every successful download.
"""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

from esig.errors import ConfigurationError, FetchError, ResourceLimitError
from esig.trust._verified import VerifiedRecords

__all__ = [
    "CacheEntry",
    "Fetcher",
    "MemoryFetcher",
    "TrustListCache",
    "UrllibFetcher",
]

#: Largest list esig downloads (the EU LOTL is ~0.5 MB, the largest national lists ~10 MB).
MAX_LIST_BYTES = 32 * 1024 * 1024


@runtime_checkable
class Fetcher(Protocol):
    """Anything that turns a list location (URL) into bytes, or raises :class:`FetchError`."""

    def fetch(self, location: str) -> bytes:
        """The bytes at ``location``; :class:`~esig.errors.FetchError` when unavailable."""
        ...


class MemoryFetcher:
    """A :class:`Fetcher` serving a fixed mapping of location -> bytes (no network)."""

    def __init__(self, documents: Mapping[str, bytes]) -> None:
        self._documents = dict(documents)
        self.requested: list[str] = []
        """Every location asked for, in order (for tests)."""

    def fetch(self, location: str) -> bytes:
        self.requested.append(location)
        try:
            return self._documents[location]
        except KeyError:
            raise FetchError(f"no document for {location}") from None


class UrllibFetcher:
    """A :class:`Fetcher` over ``urllib`` (HTTP and HTTPS only), with a time and size budget.

    TLS protects the download only; the list's signature and the pinned certificates decide
    whether it is trusted. ``ssl_context`` defaults to Python's default context.
    """

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        max_bytes: int = MAX_LIST_BYTES,
        ssl_context: ssl.SSLContext | None = None,
        user_agent: str = "esig-trust-list-fetcher",
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.ssl_context = ssl_context
        self.user_agent = user_agent

    def fetch(self, location: str) -> bytes:  # pragma: no cover - network, never in tests
        if not location.startswith(("http://", "https://")):
            raise FetchError(f"unsupported list location {location!r} (http or https only)")
        request = urllib.request.Request(location, headers={"User-Agent": self.user_agent})
        try:
            with urllib.request.urlopen(
                request, timeout=self.timeout, context=self.ssl_context
            ) as response:
                data = bytes(response.read(self.max_bytes + 1))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise FetchError(f"{location}: {exc}") from exc
        if len(data) > self.max_bytes:
            raise ResourceLimitError(f"{location}: larger than {self.max_bytes} bytes")
        return data


@dataclass(frozen=True)
class CacheEntry:
    """What the cache knows about one location."""

    location: str
    """The list's URL (or any location string)."""
    path: Path
    """File holding the bytes."""
    fetched_at: datetime
    """When the bytes were stored, UTC."""
    sha256: str
    """Hex SHA-256 of the bytes."""
    size: int
    """Length in bytes."""


class TrustListCache:
    """An explicit on-disk cache of list bytes, one file per location, in ``directory``.

    Files are named by the SHA-256 of the location; ``index.json`` maps them back. The cache
    stores exactly the downloaded bytes.

    It also keeps, under ``verified/``, a record for each list whose signature verified with a
    pinned certificate, so that loading the same bytes again skips the signature check and the
    parse (the slow, time-independent part) while every check that depends on the validation
    time, the policy or the pins runs again. Records are authenticated with HMAC-SHA256 under
    ``secret`` (default: a random key kept in ``verified/.key``, mode 0600) and only used for
    the exact bytes and a pinned certificate they name; ``verified_records=False`` turns them off
    (every load verifies every list). See ``docs/trust-store.md``.
    """

    INDEX = "index.json"

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        verified_records: bool = True,
        secret: bytes | None = None,
    ) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise ConfigurationError(f"trust-list cache {self.directory} is not a directory")
        if secret is not None and len(secret) < 16:
            raise ConfigurationError("the trust-list cache secret must be at least 16 bytes")
        self.records: VerifiedRecords | None = (
            VerifiedRecords(self.directory / "verified", secret) if verified_records else None
        )
        """The verified-signature records, None when turned off."""

    def _file(self, location: str) -> Path:
        return self.directory / (hashlib.sha256(location.encode("utf-8")).hexdigest() + ".xml")

    def _index(self) -> dict[str, dict[str, str | int]]:
        path = self.directory / self.INDEX
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"trust-list cache index {path} is unreadable: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigurationError(f"trust-list cache index {path} is not a JSON object")
        return data

    def put(self, location: str, data: bytes, *, fetched_at: datetime) -> CacheEntry:
        """Store ``data`` for ``location`` (replacing what was there)."""
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self._file(location)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        index = self._index()
        digest = hashlib.sha256(data).hexdigest()
        index[location] = {
            "file": target.name,
            "fetched_at": fetched_at.astimezone(UTC).isoformat(),
            "sha256": digest,
            "size": len(data),
        }
        (self.directory / self.INDEX).write_text(
            json.dumps(index, indent=2, sort_keys=True), encoding="utf-8"
        )
        return CacheEntry(location, target, fetched_at.astimezone(UTC), digest, len(data))

    def get(self, location: str) -> bytes | None:
        """The cached bytes for ``location``, or None."""
        path = self._file(location)
        return path.read_bytes() if path.is_file() else None

    def entry(self, location: str) -> CacheEntry | None:
        """Metadata for ``location``, or None when nothing is cached."""
        raw = self._index().get(location)
        if raw is None or not self._file(location).is_file():
            return None
        return CacheEntry(
            location=location,
            path=self._file(location),
            fetched_at=datetime.fromisoformat(str(raw["fetched_at"])),
            sha256=str(raw["sha256"]),
            size=int(raw["size"]),
        )

    def entries(self) -> tuple[CacheEntry, ...]:
        """Every cached location, sorted by location."""
        out = [self.entry(loc) for loc in sorted(self._index())]
        return tuple(e for e in out if e is not None)
