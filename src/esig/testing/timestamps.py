"""A TEST-ONLY in-process time-stamping authority for a :class:`~esig.testing.TestPki`.

:func:`local_timestamper` returns a pyHanko ``TimeStamper`` that signs RFC 3161 tokens with a
test TSA's key in the same process: what the offline demo and tests use when no loopback server
runs. ``at`` fixes genTime (None: the current time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import Encoding

from esig.testing.pki import TestPki

__all__ = ["local_timestamper"]


def local_timestamper(pki: TestPki, tsa: str, *, at: datetime | None = None) -> Any:
    """A pyHanko TimeStamper acting as ``tsa`` of ``pki`` (genTime ``at`` or now)."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    chain = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in pki.chain(tsa)]
    key = asn1_keys.PrivateKeyInfo.load(
        pki.key(tsa).private_bytes(
            Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    store = SimpleCertificateStore.from_certs(chain[1:])  # type: ignore[no-untyped-call]
    return DummyTimeStamper(tsa_cert=chain[0], tsa_key=key, certs_to_embed=store, fixed_dt=at)
