"""TEST-ONLY PKIs for esig's tests: declarative national hierarchies with throwaway keys.

``national_pki.toml`` declares Azerbaijani, Turkish and Estonian (EU) hierarchies modelled on the
real certificate profiles; :func:`build_pki` issues them at test time and :class:`TestPki` serves
certificates, keys, chains, CRLs, OCSP responses, time-stamp tokens and PKCS#12 files. Never trust
anything built here outside tests. ``python -m esig.testing write DIR`` writes a PKI to disk.
"""

from __future__ import annotations

from esig.testing.declaration import (
    EntityDeclaration,
    KeyType,
    PkiDeclaration,
    Role,
    load_declaration,
)
from esig.testing.pki import (
    DEFAULT_BASE_URL,
    REFERENCE_TIME,
    TEST_PASSWORD,
    TestPki,
    build_pki,
)
from esig.testing.services import MessageImprint, RevokedSerial

__all__ = [
    "DEFAULT_BASE_URL",
    "REFERENCE_TIME",
    "TEST_PASSWORD",
    "EntityDeclaration",
    "KeyType",
    "MessageImprint",
    "PkiDeclaration",
    "RevokedSerial",
    "Role",
    "TestPki",
    "build_pki",
    "load_declaration",
]
