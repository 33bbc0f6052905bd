"""Batch verification: :func:`verify_many` verifies many documents with one trust store, a shared
cache and several processes, yielding one :class:`~esig.report.ValidationReport` per document in
input order as soon as it (and every earlier one) is ready.

What is shared across documents, and why it cannot change a verdict:

* the trust source: anchors per validation time and qualification per (chain, signing time) are
  asked once; both are pure functions of the trust source's data;
* certificate path outcomes (chain, revocation, validity): memoised under a key made of
  *everything* the path validation reads, i.e. the end-entity certificate, the anchors, every
  certificate, CRL and OCSP response the document offers (in order), the control time, the
  usage and the profile's revocation/budget settings. A document whose embedded data says
  "revoked" has a different key from one whose data says "good", so one never answers for the
  other; an outcome cut short by the path-building budget and online lookups are never cached.

With ``jobs > 1`` the documents are spread over worker processes, each with its own cache. Where
processes fork (Linux), workers inherit the loaded trust source as it is: nothing is serialised
or reloaded. Elsewhere anchors travel as DER and other trust sources must be picklable.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from os import PathLike
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

from esig.errors import InputError
from esig.policy import DEFAULT_PROFILE, ValidationProfile, load_profile
from esig.report import ValidationReport
from esig.trust.source import QualificationOutcome, TrustSource
from esig.validation import AnchorList, as_trust_source, verify
from esig.validation.chain import ACTIVE_CHAIN_CACHE

__all__ = ["CachingTrustSource", "ChainCache", "verify_many"]

Document = bytes | str | PathLike[str]

#: Bound on memoised path outcomes per process (least recently added are dropped first).
MAX_CACHED_CHAINS = 4096


def _fingerprint(cert: x509.Certificate) -> bytes:
    return cert.fingerprint(hashes.SHA256())


class CachingTrustSource:
    """A :class:`~esig.trust.source.TrustSource` that asks the wrapped one once per question."""

    def __init__(self, inner: TrustSource) -> None:
        self.inner = inner
        self._anchors: dict[datetime, tuple[x509.Certificate, ...]] = {}
        self._tsa: dict[datetime, tuple[x509.Certificate, ...]] = {}
        self._qualified: dict[tuple[tuple[bytes, ...], datetime], QualificationOutcome] = {}

    def anchors(self, at: datetime) -> Sequence[x509.Certificate]:
        if at not in self._anchors:
            self._anchors[at] = tuple(self.inner.anchors(at))
        return self._anchors[at]

    def tsa_anchors(self, at: datetime) -> Sequence[x509.Certificate]:
        """The wrapped source's time-stamping anchors; none when it names no TSAs."""
        if at not in self._tsa:
            of = getattr(self.inner, "tsa_anchors", None)
            self._tsa[at] = tuple(of(at)) if callable(of) else ()
        return self._tsa[at]

    def qualify(
        self, chain: Sequence[x509.Certificate], *, signing_time: datetime
    ) -> QualificationOutcome:
        key = (tuple(_fingerprint(c) for c in chain), signing_time)
        if key not in self._qualified:
            self._qualified[key] = self.inner.qualify(chain, signing_time=signing_time)
        return self._qualified[key]


class ChainCache:
    """Memoised certificate path outcomes, keyed by every input of the path validation."""

    def __init__(self, max_entries: int = MAX_CACHED_CHAINS) -> None:
        self._entries: dict[bytes, Any] = {}
        self._max = max_entries
        self.hits = 0
        self.misses = 0

    def get(self, key: bytes) -> Any:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: bytes, outcome: Any) -> None:
        if len(self._entries) >= self._max:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = outcome


# -- worker processes ---------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _trust_payload(trust: TrustSource, method: str) -> tuple[str, Any]:
    if method == "fork":  # forked workers receive their arguments in memory, not pickled
        return "object", trust
    if isinstance(trust, AnchorList):
        return "anchors", [a.public_bytes(Encoding.DER) for a in trust.anchors(datetime.now(UTC))]
    return "pickled", pickle.dumps(trust)


def _trust_from(payload: tuple[str, Any]) -> TrustSource:
    kind, data = payload
    if kind == "object":
        inherited: TrustSource = data
        return inherited
    if kind == "anchors":
        return AnchorList([x509.load_der_x509_certificate(d) for d in data])
    loaded = pickle.loads(data)  # produced by the parent process just now: not untrusted
    return as_trust_source(loaded)


def _worker_init(
    payload: tuple[str, Any], profile: ValidationProfile, when: datetime, use_cache: bool
) -> None:
    _WORKER["trust"] = CachingTrustSource(_trust_from(payload))
    _WORKER["profile"] = profile
    _WORKER["when"] = when
    _WORKER["cache"] = ChainCache() if use_cache else None


def _worker_verify(document: Document) -> ValidationReport:
    token = ACTIVE_CHAIN_CACHE.set(_WORKER["cache"])
    try:
        return verify(
            document,
            trust=_WORKER["trust"],
            profile=_WORKER["profile"],
            validation_time=_WORKER["when"],
        )
    finally:
        ACTIVE_CHAIN_CACHE.reset(token)


def _resolve_profile(profile: ValidationProfile | str | None) -> ValidationProfile:
    if profile is None:
        return DEFAULT_PROFILE
    if isinstance(profile, ValidationProfile):
        return profile
    return load_profile(profile)


def verify_many(
    documents: Iterable[Document],
    *,
    trust: object,
    profile: ValidationProfile | str | None = None,
    validation_time: datetime | None = None,
    jobs: int = 1,
    cache: bool = True,
) -> Iterator[ValidationReport]:
    """Verify each of ``documents`` (paths or bytes) and yield its report, in input order.

    Every report equals what :func:`esig.verify` returns for that document alone with the same
    ``trust``, ``profile`` and ``validation_time``. The validation time defaults to *now*, taken
    once for the whole batch.

    :param jobs: worker processes (1: in this process; 0 or less: one per CPU). The trust
        source is inherited by forked workers; where processes cannot fork, it must be picklable
        (anchor lists are).
    :param cache: share trust answers and path outcomes across documents (see the module
        documentation for why a cached answer cannot change a verdict); False re-validates
        every path (for measurements).
    :raises EsigError: as :func:`esig.verify`, for the first unusable document, when its turn
        comes (reports of earlier documents have been yielded by then).
    """
    source = as_trust_source(trust)
    prof = _resolve_profile(profile)
    when = validation_time or datetime.now(UTC)
    if when.tzinfo is None:
        raise InputError("validation_time must be timezone-aware")
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    docs = list(documents)
    if jobs == 1 or len(docs) <= 1:
        return _in_process(docs, source, prof, when, cache)
    return _in_workers(docs, source, prof, when, cache, min(jobs, len(docs)))


def _in_process(
    docs: list[Document],
    source: TrustSource,
    prof: ValidationProfile,
    when: datetime,
    use_cache: bool,
) -> Iterator[ValidationReport]:
    trust = CachingTrustSource(source) if use_cache else source
    chain_cache = ChainCache() if use_cache else None
    for document in docs:
        token = ACTIVE_CHAIN_CACHE.set(chain_cache)
        try:
            report = verify(document, trust=trust, profile=prof, validation_time=when)
        finally:
            ACTIVE_CHAIN_CACHE.reset(token)
        yield report


def _in_workers(
    docs: list[Document],
    source: TrustSource,
    prof: ValidationProfile,
    when: datetime,
    use_cache: bool,
    jobs: int,
) -> Iterator[ValidationReport]:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    payload = _trust_payload(source, method)
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_worker_init,
        initargs=(payload, prof, when, use_cache),
    ) as pool:
        # small chunks keep both workers busy and results streaming in order
        chunk = max(1, min(16, len(docs) // (jobs * 8)))
        # Forked workers share the parent's objects copy-on-write; their garbage collector
        # would touch (copy) every inherited page: freeze the parent's objects while forking.
        # (Not when the caller froze objects itself: unfreeze() would undo that.)
        freeze = method == "fork" and gc.get_freeze_count() == 0
        if freeze:
            gc.freeze()
        try:
            results = pool.map(_worker_verify, docs, chunksize=chunk)
        finally:
            if freeze:
                gc.unfreeze()
        yield from results
