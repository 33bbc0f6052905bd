"""The certificate encoding the chain engine hands to pyhanko-certvalidator: the bytes as read.

asn1crypto's ``dump()`` re-encodes a value whose length ends in 0x80 (it takes it for an indefinite
length, wbond/asn1crypto#249), in place and not always faithfully; NIST PKITS 4.3.6 failed so.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from asn1crypto import core as asn1_core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509.oid import NameOID

from esig import Indication
from esig.testing import REFERENCE_TIME
from esig.validation.chain import (
    RevocationMaterial,
    Usage,
    chain_cache_key,
    to_crypto,
    trim_candidates,
    validate_chain,
)

AT = REFERENCE_TIME

ED25519 = b"\x30\x05\x06\x03\x2b\x65\x70"  # AlgorithmIdentifier id-Ed25519


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _sequence(content: bytes) -> bytes:
    return b"\x30" + _der_length(len(content)) + content


def _unique_id_certificate() -> tuple[x509.Certificate, bytes]:
    """A root and a signer certificate of exactly 4 + 896 bytes (``30 82 03 80``: a header that
    asn1crypto's ``dump()`` mistakes for an indefinite length) whose subjectUniqueID is a BIT
    STRING with 5 unused bits (``82 02 05 20``), which asn1crypto cannot re-encode faithfully."""
    root_key = ed25519.Ed25519PrivateKey.generate()
    root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "UID root")])
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(1)
        .not_valid_before(AT - timedelta(days=30))
        .not_valid_after(AT + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(root_key, None)
    )
    leaf_key = ed25519.Ed25519PrivateKey.generate()
    spki = leaf_key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)

    def time(at: datetime) -> asn1_x509.Time:
        return asn1_x509.Time({"utc_time": at})

    for pad in range(1, 800):
        tbs = asn1_x509.TbsCertificate(
            {
                "version": "v3",
                "serial_number": 2,
                "signature": {"algorithm": "ed25519"},
                "issuer": asn1_x509.Name.load(root_name.public_bytes()),
                "validity": {
                    "not_before": time(AT - timedelta(days=1)),
                    "not_after": time(AT + timedelta(days=1)),
                },
                "subject": asn1_x509.Name.build(
                    {"common_name": "UID signer", "organizational_unit_name": "x" * pad}
                ),
                "subject_public_key_info": asn1_keys.PublicKeyInfo.load(spki),
                "subject_unique_id": asn1_core.OctetBitString(b"\x20"),
                "extensions": [
                    {
                        "extn_id": "key_usage",
                        "critical": True,
                        "extn_value": asn1_x509.KeyUsage({"digital_signature"}),
                    }
                ],
            }
        ).dump()
        assert tbs.count(b"\x82\x02\x00\x20") == 1
        tbs = tbs.replace(b"\x82\x02\x00\x20", b"\x82\x02\x05\x20")  # 3 significant bits: 001
        signature = b"\x03\x41\x00" + root_key.sign(tbs)  # BIT STRING, no unused bits
        der = _sequence(tbs + ED25519 + signature)
        if der[:4] == b"\x30\x82\x03\x80":
            return root, der
    raise AssertionError("no padding gives a 896-byte certificate")


def test_a_certificate_whose_length_ends_in_0x80_keeps_its_signed_bytes() -> None:
    """NIST PKITS 4.3.6: asn1crypto's dump() re-encodes such a certificate in place and loses the
    unique identifier's unused bits; the chain engine must not call it on the caller's objects."""
    root, der = _unique_id_certificate()
    leaf = asn1_x509.Certificate.load(der)
    out = asyncio.run(
        validate_chain(
            leaf,
            anchors=[root],
            material=RevocationMaterial(),
            control_time=AT,
            usage=Usage.SIGNING,
            require_revocation=False,
        )
    )
    assert (out.indication, out.sub_indication) == (Indication.TOTAL_PASSED, None), out.reasons
    assert out.chain[0].public_bytes(Encoding.DER) == der
    assert leaf["tbs_certificate"].dump() in der  # the caller's object is unaltered


def test_encoding_helpers_do_not_alter_a_certificate() -> None:
    _root, der = _unique_id_certificate()
    cert = asn1_x509.Certificate.load(der)
    assert to_crypto(cert).public_bytes(Encoding.DER) == der
    kept, _ = trim_candidates([cert, asn1_x509.Certificate.load(der)], 4)
    assert len(kept) == 1
    chain_cache_key(cert, [], RevocationMaterial((cert,)))
    assert cert["tbs_certificate"].dump() in der
