"""Verified-signature records of the trust-list cache: used only when they are exactly right.

A record lets a warm load skip the signature check and the parse; every check that depends on
the validation time, the policy or the pins must still run, and a record that is forged, stale,
for other bytes or for another pin must be ignored (the list is verified from its bytes).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import esig.trust.tlsig as tlsig
from esig.errors import ConfigurationError
from esig.report import SignatureQualification as SQ
from esig.trust.fetch import MemoryFetcher, TrustListCache
from esig.trust.store import LotlSource, TrustedListSource, TrustStore
from esig.trust.tlsig import LEGACY_TRUST_LIST_POLICY
from tests.trust_store.conftest import AZ_IDCARD, BASE, LOAD_TIME, chain, operator_cert

AZ_LIST = f"{BASE}/az/az-tl.xml"
RECOGNITION = f"{BASE}/mra/tr-recognition.xml"
SIGNING = datetime(2026, 5, 20, 9, 30, tzinfo=UTC)
no_signature_check_original = tlsig._try_verify


def _outcome(store: TrustStore) -> list[tuple[Any, ...]]:
    return [
        (
            x.location,
            x.kind,
            x.usable,
            x.sequence_number,
            x.services,
            x.signer,
            tuple(f.code for f in x.reasons),
            tuple(f.code for f in x.warnings),
        )
        for x in store.lists
    ]


@pytest.fixture
def no_signature_check(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count signature checks instead of doing them: a load that needs one then fails."""
    calls: list[str] = []

    def refuse(data: bytes, cert: object) -> tuple[str, None]:
        calls.append("checked")
        return "key", None

    monkeypatch.setattr(tlsig, "_try_verify", refuse)
    return calls


def _warm(tmp_path: Path, fetcher: MemoryFetcher, **kwargs: Any) -> TrustListCache:
    cache = TrustListCache(tmp_path / "cache", **kwargs)
    source = LotlSource(RECOGNITION, (operator_cert("tr"),))
    TrustStore.load([source], at=LOAD_TIME, fetcher=fetcher, cache=cache)
    return cache


def test_warm_load_uses_records_and_equals_a_fresh_load(
    fetcher: MemoryFetcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = _warm(tmp_path, fetcher)
    source = LotlSource(RECOGNITION, (operator_cert("tr"),))
    fresh = TrustStore.load([source], at=LOAD_TIME, fetcher=fetcher)
    records = sorted(p.name for p in (tmp_path / "cache" / "verified").iterdir())
    assert len(records) == 3  # .key and one record per list (recognition list, AZ list)
    assert records[0] == ".key"
    calls: list[str] = []
    monkeypatch.setattr(tlsig, "_try_verify", lambda *a: calls.append("x") or ("key", None))
    warm = TrustStore.load([source], at=LOAD_TIME, cache=cache)
    assert calls == []
    assert _outcome(warm) == _outcome(fresh)
    assert warm.problems == ()
    assert warm.qualify(chain(*AZ_IDCARD), signing_time=SIGNING).signature is SQ.QESIG


def test_key_file_is_private(fetcher: MemoryFetcher, tmp_path: Path) -> None:
    _warm(tmp_path, fetcher)
    mode = stat.S_IMODE(os.stat(tmp_path / "cache" / "verified" / ".key").st_mode)
    assert mode == 0o600


@pytest.mark.parametrize(
    ("at", "policy", "reasons", "warnings"),
    [
        # After NextUpdate (2027-12-31): the record does not hide the expiry.
        (datetime(2028, 2, 1, tzinfo=UTC), None, ("tl.expired",), ()),
        (datetime(2028, 2, 1, tzinfo=UTC), LEGACY_TRUST_LIST_POLICY, (), ("tl.expired",)),
        # Before the list's issue date (2026-01-01).
        (datetime(2025, 12, 1, tzinfo=UTC), None, ("tl.not-yet-issued",), ()),
    ],
)
def test_time_and_policy_checks_run_on_records(
    fetcher: MemoryFetcher,
    tmp_path: Path,
    no_signature_check: list[str],
    at: datetime,
    policy: Any,
    reasons: tuple[str, ...],
    warnings: tuple[str, ...],
) -> None:
    cache = TrustListCache(tmp_path / "cache")
    source = TrustedListSource(AZ_LIST, (operator_cert("az"),))
    cache.put(AZ_LIST, fetcher.fetch(AZ_LIST), fetched_at=LOAD_TIME)
    assert cache.records is not None
    with pytest.MonkeyPatch.context() as real:  # record it with the real check
        real.setattr(tlsig, "_try_verify", no_signature_check_original)
        TrustStore.load([source], at=LOAD_TIME, cache=cache)
    if policy is not None:
        source = TrustedListSource(AZ_LIST, (operator_cert("az"),), policy=policy)
    (loaded,) = TrustStore.load([source], at=at, cache=cache).lists
    assert no_signature_check == []
    assert tuple(f.code for f in loaded.reasons) == reasons
    assert tuple(f.code for f in loaded.warnings) == warnings
    assert loaded.usable is (reasons == ())


def test_record_is_not_used_for_another_pin(
    fetcher: MemoryFetcher, tmp_path: Path, no_signature_check: list[str]
) -> None:
    cache = TrustListCache(tmp_path / "cache")
    with pytest.MonkeyPatch.context() as real:
        real.setattr(tlsig, "_try_verify", no_signature_check_original)
        TrustStore.load(
            [TrustedListSource(AZ_LIST, (operator_cert("az"),))],
            at=LOAD_TIME,
            fetcher=fetcher,
            cache=cache,
        )
    # The AZ list pinned to the TR operator: the record names the AZ operator, so it is
    # ignored and the list is checked from its bytes (here: refused by the stub).
    (loaded,) = TrustStore.load(
        [TrustedListSource(AZ_LIST, (operator_cert("tr"),))], at=LOAD_TIME, cache=cache
    ).lists
    assert no_signature_check == ["checked", "checked"]  # the pin, then the list's KeyInfo
    assert not loaded.usable


def test_changed_bytes_are_verified_again(fetcher: MemoryFetcher, tmp_path: Path) -> None:
    cache = _warm(tmp_path, fetcher)
    data = fetcher.fetch(AZ_LIST)
    tampered = data.replace(b"<SchemeTerritory>AZ<", b"<SchemeTerritory>TR<")
    assert tampered != data
    cache.put(AZ_LIST, tampered, fetched_at=LOAD_TIME)
    store = TrustStore.load(
        [LotlSource(RECOGNITION, (operator_cert("tr"),))], at=LOAD_TIME, cache=cache
    )
    (problem,) = store.problems
    assert problem.location == AZ_LIST
    assert [f.code for f in problem.reasons] == ["tl.signature-invalid"]


def _record_path(cache: TrustListCache, data: bytes) -> Path:
    assert cache.records is not None
    return cache.records.directory / f"{hashlib.sha256(data).hexdigest()}.rec"


def test_forged_record_is_ignored(
    fetcher: MemoryFetcher, tmp_path: Path, no_signature_check: list[str]
) -> None:
    with pytest.MonkeyPatch.context() as real:
        real.setattr(tlsig, "_try_verify", no_signature_check_original)
        cache = _warm(tmp_path, fetcher)
    path = _record_path(cache, fetcher.fetch(AZ_LIST))
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0x01  # payload changed, tag kept
    path.write_bytes(bytes(raw))
    store = TrustStore.load(
        [LotlSource(RECOGNITION, (operator_cert("tr"),))], at=LOAD_TIME, cache=cache
    )
    assert no_signature_check == ["checked", "checked"]  # only the AZ list is checked again
    assert [x.location for x in store.problems] == [AZ_LIST]


def test_record_under_another_secret_is_ignored(
    fetcher: MemoryFetcher, tmp_path: Path, no_signature_check: list[str]
) -> None:
    with pytest.MonkeyPatch.context() as real:
        real.setattr(tlsig, "_try_verify", no_signature_check_original)
        _warm(tmp_path, fetcher, secret=b"s" * 32)
    other = TrustListCache(tmp_path / "cache", secret=b"t" * 32)
    store = TrustStore.load(
        [LotlSource(RECOGNITION, (operator_cert("tr"),))], at=LOAD_TIME, cache=other
    )
    assert no_signature_check == ["checked", "checked"]  # the LOTL itself, pin then KeyInfo
    assert [x.usable for x in store.lists] == [False]


class _Boom:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("touch pwned",))


def test_authentic_record_with_foreign_classes_is_not_unpickled(
    fetcher: MemoryFetcher,
    tmp_path: Path,
    no_signature_check: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Even with the key, a record can only rebuild trust-list model classes.
    secret = b"k" * 32
    with pytest.MonkeyPatch.context() as real:
        real.setattr(tlsig, "_try_verify", no_signature_check_original)
        cache = _warm(tmp_path, fetcher, secret=secret)
    data = fetcher.fetch(AZ_LIST)
    digest = hashlib.sha256(data).hexdigest()
    from esig import __version__

    payload = pickle.dumps(("esig-verified-list/1", __version__, digest, _Boom()))
    tag = hmac.new(secret, payload, hashlib.sha256).digest()
    _record_path(cache, data).write_bytes(tag + payload)
    monkeypatch.chdir(tmp_path)
    TrustStore.load([LotlSource(RECOGNITION, (operator_cert("tr"),))], at=LOAD_TIME, cache=cache)
    assert not (tmp_path / "pwned").exists()
    assert no_signature_check == ["checked", "checked"]


def test_records_can_be_turned_off(
    fetcher: MemoryFetcher, tmp_path: Path, no_signature_check: list[str]
) -> None:
    with pytest.MonkeyPatch.context() as real:
        real.setattr(tlsig, "_try_verify", no_signature_check_original)
        cache = _warm(tmp_path, fetcher, verified_records=False)
    assert cache.records is None
    assert not (tmp_path / "cache" / "verified").exists()
    TrustStore.load([LotlSource(RECOGNITION, (operator_cert("tr"),))], at=LOAD_TIME, cache=cache)
    assert no_signature_check == ["checked", "checked"]


def test_short_secret_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="at least 16 bytes"):
        TrustListCache(tmp_path, secret=b"short")
