"""A small DER writer for crafting certificates with exactly the encoding a test needs.

Real-world quirks (T61String in ISO-8859-9, non-minimal INTEGERs, BER lengths, "_" in
PrintableString, duplicate extensions...) are produced directly and then signed, so the
certificates are otherwise genuine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

# tag numbers
UTF8, PRINTABLE, T61, IA5, VISIBLE, UNIVERSAL, BMP = 12, 19, 20, 22, 26, 28, 30

_KEY = ec.derive_private_key(0x1234567890ABCDEF, ec.SECP256R1())


def length(n: int, *, long_form: bool = False) -> bytes:
    if n < 0x80 and not long_form:
        return bytes([n])
    body = n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
    if long_form:
        body = b"\x00" + body  # non-minimal: a leading zero length octet
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, body: bytes, *, long_form: bool = False) -> bytes:
    return bytes([tag]) + length(len(body), long_form=long_form) + body


def seq(*parts: bytes, long_form: bool = False) -> bytes:
    return tlv(0x30, b"".join(parts), long_form=long_form)


def set_(*parts: bytes) -> bytes:
    return tlv(0x31, b"".join(parts))


def ctx(n: int, *parts: bytes) -> bytes:
    return tlv(0xA0 | n, b"".join(parts))


def integer(value: int, *, pad: bool = False) -> bytes:
    size = (value.bit_length() + 8) // 8 if value >= 0 else ((~value).bit_length() + 8) // 8
    body = value.to_bytes(size, "big", signed=True)
    if pad:
        body = b"\x00" + body  # non-minimal
    return tlv(0x02, body)


def oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    first = arcs[0] * 40 + arcs[1]
    body = b""
    for arc in [first, *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return tlv(0x06, body)


def string(tag: int, raw: bytes | str) -> bytes:
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    return tlv(tag, raw)


def octet(body: bytes) -> bytes:
    return tlv(0x04, body)


def boolean(value: bool) -> bytes:
    return tlv(0x01, b"\xff" if value else b"\x00")


def utctime(t: datetime) -> bytes:
    return tlv(0x17, t.strftime("%y%m%d%H%M%SZ").encode())


def name(*attrs: tuple[str, int, bytes | str]) -> bytes:
    """A Name from (attribute OID, string tag, raw value) in certificate order."""
    return seq(*(set_(seq(oid(o), string(tag, v))) for o, tag, v in attrs))


def extension(ext_oid: str, value: bytes, *, critical: bool = False) -> bytes:
    return seq(oid(ext_oid), *([boolean(True)] if critical else []), octet(value))


def key_usage(*bits: int) -> bytes:
    """keyUsage extension value with the given bit numbers (0 = digitalSignature)."""
    top = max(bits)
    nbytes = top // 8 + 1
    v = bytearray(nbytes)
    for b in bits:
        v[b // 8] |= 0x80 >> (b % 8)
    unused = 7 - top % 8
    return tlv(0x03, bytes([unused]) + bytes(v))


def qc_statement(stmt_oid: str, info: bytes | None = None) -> bytes:
    return seq(oid(stmt_oid), *([info] if info is not None else []))


def policies(*items: tuple[str, Sequence[bytes]]) -> bytes:
    """certificatePolicies value from (policy OID, [qualifier DER...])."""
    return seq(*(seq(oid(p), *([seq(*q)] if q else [])) for p, q in items))


CN, C, O, SERIAL, GIVEN, SURNAME, ORG_ID = (
    "2.5.4.3",
    "2.5.4.6",
    "2.5.4.10",
    "2.5.4.5",
    "2.5.4.42",
    "2.5.4.4",
    "2.5.4.97",
)
ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"))


@dataclass
class CertSpec:
    """What to put in a crafted certificate; defaults give a plain valid end-entity cert."""

    subject: bytes = field(default_factory=lambda: name((CN, UTF8, "Test"), (C, PRINTABLE, "EE")))
    issuer: bytes = field(default_factory=lambda: name((CN, UTF8, "Test CA"), (C, PRINTABLE, "EE")))
    serial: bytes = field(default_factory=lambda: integer(0x1234))
    extensions: list[bytes] = field(default_factory=list)
    not_before: datetime = datetime(2024, 1, 1, tzinfo=UTC)
    not_after: datetime = datetime(2027, 1, 1, tzinfo=UTC)
    long_form_tbs: bool = False


def build(spec: CertSpec | None = None) -> bytes:
    """Sign and encode a certificate from ``spec`` (ECDSA P-256 / SHA-256)."""
    spec = spec or CertSpec()
    spki = _KEY.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    parts = [
        ctx(0, integer(2)),
        spec.serial,
        ECDSA_SHA256,
        spec.issuer,
        seq(utctime(spec.not_before), utctime(spec.not_after)),
        spec.subject,
        spki,
    ]
    if spec.extensions:
        parts.append(ctx(3, seq(*spec.extensions)))
    tbs = seq(*parts, long_form=spec.long_form_tbs)
    signature = _KEY.sign(tbs, ec.ECDSA(hashes.SHA256()))
    return seq(tbs, ECDSA_SHA256, tlv(0x03, b"\x00" + signature))
