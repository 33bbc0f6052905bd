"""Crafted certificates for each real-world encoding quirk (STANDARDS.md §4)."""

from __future__ import annotations

import hashlib

import pytest
from cryptography import x509 as cx509

from esig.certs import read_certificate

from .builder import (
    BMP,
    CN,
    IA5,
    PRINTABLE,
    SERIAL,
    T61,
    UNIVERSAL,
    UTF8,
    C,
    CertSpec,
    O,
    build,
    extension,
    integer,
    key_usage,
    name,
    octet,
)


def _codes(info: object) -> list[str]:
    return [w.code for w in info.warnings]  # type: ignore[attr-defined]


def test_plain_certificate_fields() -> None:
    der = build()
    info = read_certificate(der)
    assert info.der == der
    assert info.sha256 == hashlib.sha256(der).hexdigest()
    assert info.version == 3
    assert info.serial_number == 0x1234
    assert info.serial_hex == "1234"
    assert info.subject.text == "C=EE, CN=Test"
    assert info.issuer.text == "C=EE, CN=Test CA"
    assert info.not_before.isoformat() == "2024-01-01T00:00:00+00:00"
    assert info.signature_algorithm == "sha256_ecdsa"
    assert (info.key.algorithm, info.key.size, info.key.curve) == ("EC", 256, "secp256r1")
    assert info.warnings == ()
    assert info.to_cryptography() is not None
    assert info.to_asn1crypto().subject.native["common_name"] == "Test"
    assert info.to_dict()["not_after"] == "2027-01-01T00:00:00Z"


def test_t61_iso_8859_9_in_turkish_certificate() -> None:
    subject = name((C, PRINTABLE, "TR"), (CN, T61, b"\xde\xdd\xd0"))
    der = build(CertSpec(subject=subject))
    info = read_certificate(der)
    assert info.subject.get("CN") == "ŞİĞ"
    assert info.subject.attributes[1].asn1_type == "TeletexString"
    assert "string.t61-iso-8859-9" in _codes(info)
    assert info.der == der
    # cryptography loads it but refuses to decode the name
    crypto = cx509.load_der_x509_certificate(der)
    with pytest.raises(ValueError):
        _ = crypto.subject
    assert "cryptography.refused" in _codes(info)


def test_t61_utf8_and_latin1_guesses() -> None:
    subject = name((C, PRINTABLE, "DE"), (O, T61, "ŞİĞ".encode()), (CN, T61, b"M\xfcller"))
    info = read_certificate(build(CertSpec(subject=subject)))
    assert info.subject.get("O") == "ŞİĞ"
    assert info.subject.get("CN") == "Müller"
    assert {"string.t61-utf8", "string.t61-latin1"} <= set(_codes(info))


def test_t61_turkish_context_from_issuer_country() -> None:
    issuer = name((C, PRINTABLE, "TR"), (CN, UTF8, "Kök"))
    subject = name((CN, T61, b"Ay\xfee Y\xfdlmaz"))
    info = read_certificate(build(CertSpec(subject=subject, issuer=issuer)))
    assert info.holder_name == "Ayşe Yılmaz"


def test_bmp_universal_and_invalid_utf8() -> None:
    subject = name(
        (C, PRINTABLE, "AZ"),
        (O, BMP, "Əliyev".encode("utf-16-be")),
        (CN, UNIVERSAL, "Ağa".encode("utf-32-be")),
        ("2.5.4.11", UTF8, b"bad \xff\xfe"),
    )
    info = read_certificate(build(CertSpec(subject=subject)))
    assert info.subject.get("O") == "Əliyev"
    assert info.subject.get("CN") == "Ağa"
    assert info.subject.get("OU") == "bad \ufffd\ufffd"
    assert "string.invalid-utf8" in _codes(info)
    assert "cryptography.refused" in _codes(info)


def test_malformed_bmp_string_is_repaired() -> None:
    subject = name((CN, BMP, b"\x00A\x00"))
    info = read_certificate(build(CertSpec(subject=subject)))
    assert info.subject.get("CN") == "A\ufffd"
    assert "string.invalid-bmp" in _codes(info)


def test_underscore_in_printable_string() -> None:
    subject = name((C, PRINTABLE, "EE"), (CN, PRINTABLE, "svc_account"))
    der = build(CertSpec(subject=subject))
    with pytest.raises(ValueError):
        cx509.load_der_x509_certificate(der)
    info = read_certificate(der)
    assert info.subject.get("CN") == "svc_account"
    assert "string.printable-invalid-char" in _codes(info)
    assert "cryptography.refused" in _codes(info)
    assert info.to_cryptography() is None


def test_non_minimal_integer_serial() -> None:
    der = build(CertSpec(serial=integer(5, pad=True)))
    assert b"\x02\x02\x00\x05" in der
    with pytest.raises(ValueError):
        cx509.load_der_x509_certificate(der)
    info = read_certificate(der)
    assert info.serial_number == 5
    assert info.der == der
    assert info.sha256 == hashlib.sha256(der).hexdigest()
    assert {"der.not-strict", "cryptography.refused"} <= set(_codes(info))
    assert any("non-minimal INTEGER" in w.message for w in info.warnings)


def test_ber_long_form_length() -> None:
    der = build(CertSpec(long_form_tbs=True))
    with pytest.raises(ValueError):
        cx509.load_der_x509_certificate(der)
    info = read_certificate(der)
    assert info.der == der
    assert info.sha256 == hashlib.sha256(der).hexdigest()
    assert any(
        w.code == "der.not-strict" and "non-minimal length" in w.message for w in info.warnings
    )


@pytest.mark.parametrize(("serial", "code"), [(-5, "serial.negative"), (0, "serial.zero")])
def test_negative_and_zero_serial(serial: int, code: str) -> None:
    info = read_certificate(build(CertSpec(serial=integer(serial))))
    assert info.serial_number == serial
    assert code in _codes(info)
    assert info.serial_hex == ("-05" if serial < 0 else "00")


def test_duplicate_extension_warns_and_first_wins() -> None:
    exts = [
        extension("2.5.29.14", octet(b"\x01" * 20)),
        extension("2.5.29.14", octet(b"\x02" * 20)),
        extension("2.5.29.15", key_usage(1), critical=True),
    ]
    info = read_certificate(build(CertSpec(extensions=exts)))
    assert info.subject_key_identifier == "01" * 20
    assert info.extension_oids == ("2.5.29.14", "2.5.29.14", "2.5.29.15")
    assert "ext.duplicate" in _codes(info)
    assert info.key_usage == ("nonRepudiation",)


def test_malformed_extension_value_costs_a_warning_not_the_certificate() -> None:
    exts = [
        extension("2.5.29.15", b"\x03\x05\x00"),
        extension("2.5.29.19", b"\x30\x03\x01\x01\xff"),
    ]
    info = read_certificate(build(CertSpec(extensions=exts)))
    assert "ext.unparsable" in _codes(info)
    assert info.key_usage == ()
    assert info.is_ca is True


def test_non_string_name_value_is_shown_as_hex() -> None:
    subject = name((CN, UTF8, "x"))
    # replace the CN value with an INTEGER 7
    subject = subject.replace(b"\x0c\x01x", b"\x02\x01\x07")
    info = read_certificate(build(CertSpec(subject=subject)))
    assert info.subject.get("CN") == "#020107"
    assert "name.non-string-value" in _codes(info)


def test_ia5_with_non_ascii() -> None:
    subject = name(("1.2.840.113549.1.9.1", IA5, "ş@x.tr".encode()))
    info = read_certificate(build(CertSpec(subject=subject)))
    assert info.subject.get("emailAddress") == "ş@x.tr"
    assert "string.non-ascii-utf8" in _codes(info)


def test_rfc4514_escaping_and_get_aliases() -> None:
    subject = name(
        (C, PRINTABLE, "EE"), (SERIAL, PRINTABLE, "PNOEE-38001085718"), (CN, UTF8, "A,B+C")
    )
    info = read_certificate(build(CertSpec(subject=subject)))
    assert info.subject.text == r"CN=A\,B\+C, serialNumber=PNOEE-38001085718, C=EE"
    assert info.subject.get("commonName") == "A,B+C"
    assert info.subject.get("2.5.4.6") == "EE"
    assert info.subject.get_all("countryName") == ("EE",)
    assert info.subject.get("O") is None
