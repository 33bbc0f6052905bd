"""Verified-signature records of a :class:`~esig.trust.fetch.TrustListCache` (private).

Checking a list's XML signature and parsing its signed content is what makes loading trusted
lists slow; neither depends on the validation time. After a list's signature verified with a
pinned certificate, the cache keeps a *record*: which pinned certificate verified it, the
signature's algorithm URIs, the signed SignedProperties and the model parsed from the signed
content, keyed by the SHA-256 of the list's bytes. A later load of the same bytes uses the
record instead of verifying again, and still runs every check that depends on the validation
time, the policy or the pins (signer validity, NextUpdate, version, algorithm policy, XAdES
SigningCertificate): the record only replaces the time-independent signature check.

A record is used only when

- its HMAC-SHA256 tag verifies with the cache's secret (the caller's ``secret``, else a random
  key esig writes to ``<cache>/verified/.key`` with mode 0600 on first use), before anything is
  unpickled;
- it was written by this version of esig for exactly these bytes;
- the certificate it names is among the certificates pinned for this load;
- it unpickles using only the classes of the trust-list model (a restricted unpickler).

Anything else is a miss: the list is verified from its bytes as if there were no record.
Whoever can write the cache directory *and* read its key can make esig skip a signature check;
keep the directory as private as the configuration, pass ``secret=`` from a secrets store, or
turn records off with ``TrustListCache(..., verified_records=False)``.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from esig.trust.model import SignatureSummary, TrustedList

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["ACTIVE_RECORDS", "SignatureCore", "VerifiedRecords", "using_records"]

_FORMAT = "esig-verified-list/1"
_TAG = 32
_ALLOWED_MODULES = frozenset({"esig.trust.model", "esig.trust.mra"})
_ALLOWED = frozenset(
    {
        ("datetime", "datetime"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
        ("builtins", "frozenset"),
        ("builtins", "set"),
        (__name__, "SignatureCore"),
    }
)


@dataclass(frozen=True)
class SignatureCore:
    """What a trusted list's signature check established, independent of time and policy."""

    verifier: bytes
    """DER of the pinned certificate whose key verified the signature."""
    algorithms: tuple[str, ...]
    """SignatureMethod and DigestMethod URIs of the SignedInfo."""
    signed_properties: bytes | None
    """The signed XAdES SignedProperties (serialised), None for plain XML-DSig."""
    root_id: str | None
    """The document root's ``Id``."""
    summary: SignatureSummary
    trusted_list: TrustedList
    """The model built from the signed content only."""


class _Restricted(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module in _ALLOWED_MODULES or (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a verified record")


def _version() -> str:
    from esig import __version__

    return __version__


class VerifiedRecords:
    """The records directory of one cache."""

    def __init__(self, directory: Path, secret: bytes | None = None) -> None:
        self.directory = directory
        self._secret = secret

    def _key(self, *, create: bool) -> bytes | None:
        if self._secret is not None:
            return self._secret
        path = self.directory / ".key"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            if not create:
                return None
        except OSError:
            return None
        self.directory.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes()
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        self._secret = key
        return key

    def _path(self, digest: str) -> Path:
        return self.directory / f"{digest}.rec"

    def get(self, data: bytes) -> SignatureCore | None:
        """The record for exactly these bytes, or None (missing, forged, stale or unreadable)."""
        digest = hashlib.sha256(data).hexdigest()
        try:
            raw = self._path(digest).read_bytes()
        except OSError:
            return None
        key = self._key(create=False)
        if key is None or len(raw) <= _TAG:
            return None
        tag, payload = raw[:_TAG], raw[_TAG:]
        if not hmac.compare_digest(tag, hmac.new(key, payload, hashlib.sha256).digest()):
            return None
        try:
            fmt, version, recorded, core = _Restricted(io.BytesIO(payload)).load()
        except Exception:  # any unreadable record is a miss
            return None
        if (fmt, version, recorded) != (_FORMAT, _version(), digest):
            return None
        return core if isinstance(core, SignatureCore) else None

    def put(self, data: bytes, core: SignatureCore) -> None:
        """Record ``core`` for ``data``; a cache that cannot be written is left as it is."""
        digest = hashlib.sha256(data).hexdigest()
        try:
            key = self._key(create=True)
            if key is None:
                return
            payload = pickle.dumps((_FORMAT, _version(), digest, core), protocol=5)
            tag = hmac.new(key, payload, hashlib.sha256).digest()
            self.directory.mkdir(parents=True, exist_ok=True)
            target = self._path(digest)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(tag + payload)
            tmp.replace(target)
        except (OSError, pickle.PicklingError):
            return


#: The records the current load may use (set by the trust store's loader).
ACTIVE_RECORDS: ContextVar[VerifiedRecords | None] = ContextVar(
    "esig_verified_trust_list_records", default=None
)


@contextmanager
def using_records(records: VerifiedRecords | None) -> Iterator[None]:
    """Make ``records`` the active ones for the duration of the block."""
    token = ACTIVE_RECORDS.set(records)
    try:
        yield
    finally:
        ACTIVE_RECORDS.reset(token)
