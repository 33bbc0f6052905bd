"""Input forms (PEM, DER, PKCS#7, files, PKCS#12) and refusals of what is not a certificate."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from esig.certs import read_certificate, read_certificates
from esig.errors import CertificateError

from .builder import (
    CN,
    PRINTABLE,
    UTF8,
    C,
    CertSpec,
    build,
    ctx,
    extension,
    integer,
    name,
    oid,
    seq,
    set_,
)

CA_NAME = name((CN, UTF8, "Test CA"), (C, PRINTABLE, "EE"))
CA = build(
    CertSpec(
        subject=CA_NAME,
        issuer=CA_NAME,
        serial=integer(1),
        extensions=[extension("2.5.29.19", seq(b"\x01\x01\xff"), critical=True)],
    )
)
EE = build()


def pem(der: bytes, label: str = "CERTIFICATE") -> bytes:
    body = base64.encodebytes(der).decode().replace("\n", "")
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n".encode()


def p7(*certs: bytes) -> bytes:
    signed_data = seq(integer(1), set_(), seq(oid("1.2.840.113549.1.7.1")), ctx(0, *certs), set_())
    return seq(oid("1.2.840.113549.1.7.2"), ctx(0, signed_data))


def test_pem_and_der_give_same_certificate() -> None:
    a, b = read_certificate(EE), read_certificate(pem(EE))
    assert a == b
    assert b.der == EE


def test_multi_pem_returns_all_and_picks_end_entity() -> None:
    data = pem(CA) + b"some text between\n" + pem(EE)
    infos = read_certificates(data)
    assert [i.subject.get("CN") for i in infos] == ["Test CA", "Test"]
    assert infos[0].is_ca
    assert infos[0].self_issued
    chosen = read_certificate(data)
    assert chosen.der == EE
    assert chosen.warnings == ()


def test_pkcs7_bundle_der_and_pem() -> None:
    bundle = p7(CA, EE)
    assert [i.der for i in read_certificates(bundle)] == [CA, EE]
    assert read_certificate(bundle).der == EE
    assert read_certificate(pem(bundle, "PKCS7")).der == EE


def test_several_end_entities_warns_and_takes_first() -> None:
    other = build(CertSpec(subject=name((CN, UTF8, "Other"))))
    info = read_certificate(p7(EE, other))
    assert info.der == EE
    assert [w.code for w in info.warnings] == ["bundle.several-end-entities"]


def test_files_str_and_pathlike(tmp_path: Path) -> None:
    f = tmp_path / "c.crt"
    f.write_bytes(pem(EE))
    assert read_certificate(str(f)).der == EE
    assert read_certificate(f).der == EE
    with pytest.raises(CertificateError, match="no such file"):
        read_certificate(str(tmp_path / "missing.cer"))


def test_bare_base64_text() -> None:
    info = read_certificate(base64.b64encode(EE))
    assert info.der == EE
    assert [w.code for w in info.warnings] == ["input.base64"]


def test_trailing_garbage_after_der_is_a_warning() -> None:
    info = read_certificate(EE + b"\x00\x01garbage")
    assert info.der == EE
    assert [w.code for w in info.warnings] == ["input.trailing-data"]


def test_concatenated_der_certificates() -> None:
    assert [i.der for i in read_certificates(CA + EE)] == [CA, EE]


_KEY = ec.generate_private_key(ec.SECP256R1())
_NAME = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "x")])


def _crl() -> bytes:
    b = (
        cx509.CertificateRevocationListBuilder()
        .issuer_name(_NAME)
        .last_update(datetime(2024, 1, 1, tzinfo=UTC))
        .next_update(datetime(2024, 2, 1, tzinfo=UTC))
    )
    return b.sign(_KEY, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _csr() -> bytes:
    b = cx509.CertificateSigningRequestBuilder().subject_name(_NAME)
    return b.sign(_KEY, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


_PKCS8 = _KEY.private_bytes(
    serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
_SEC1 = _KEY.private_bytes(
    serialization.Encoding.DER,
    serialization.PrivateFormat.TraditionalOpenSSL,
    serialization.NoEncryption(),
)
_SPKI = _KEY.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty input"),
        (b"   \n", "empty input"),
        (b"hello world", "not a DER SEQUENCE"),
        (b"<!DOCTYPE html><html><body>404</body></html>", "HTML page"),
        (b"%PDF-1.7\n", "PDF document"),
        (EE[:100], "truncated"),
        (b"\x30\x03\x02\x01", "truncated"),
        (b"\x30\x00", "unrecognised DER"),
        (_crl(), "certificate revocation list"),
        (pem(_crl(), "X509 CRL"), "found: X509 CRL"),
        (_csr(), "certificate signing request"),
        (_PKCS8, "private key"),
        (_SEC1, "private key"),
        (_SPKI, "bare public key"),
        (pem(_PKCS8, "PRIVATE KEY"), "found: PRIVATE KEY"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA", "malformed PEM"),
        (b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "not valid base64"),
        (pem(b"\x01\x02\x03"), "not a DER SEQUENCE"),
        (p7(), "holds no certificate"),
        (seq(oid("1.2.840.113549.1.7.1"), ctx(0, b"\x04\x00")), "not a certificate bundle"),
    ],
)
def test_refusals_name_what_was_found(data: bytes, message: str) -> None:
    with pytest.raises(CertificateError, match=message):
        read_certificates(data)


def test_private_key_next_to_certificate_is_ignored() -> None:
    info = read_certificate(pem(_PKCS8, "PRIVATE KEY") + pem(EE))
    assert info.der == EE


def test_wrong_argument_type() -> None:
    with pytest.raises(CertificateError, match="expected bytes or a path"):
        read_certificate(12)  # type: ignore[arg-type]
