"""Turning input (a path, PEM, DER, PKCS#7, PKCS#12) into certificates' exact bytes."""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path

from esig.certs._der import (
    DerFormatError,
    Tlv,
    children,
    describe_der,
    is_degenerate_certs_only,
    read_tlv,
)
from esig.errors import CertificateError
from esig.report import Finding

__all__ = ["Source", "certificate_blobs", "read_input"]

Source = bytes | bytearray | memoryview | str | os.PathLike[str]

#: Larger inputs are refused: certificate bundles are small.
MAX_INPUT = 64 * 1024 * 1024

_PEM_RE = re.compile(
    rb"-----BEGIN ([A-Z0-9 #._-]+)-----\s*(.*?)-----END ([A-Z0-9 #._-]+)-----", re.DOTALL
)
_PEM_CERT_LABELS = {b"CERTIFICATE", b"X509 CERTIFICATE", b"TRUSTED CERTIFICATE"}
_PEM_P7_LABELS = {b"PKCS7", b"PKCS #7 SIGNED DATA", b"CMS"}
_KIND_TEXT = {
    "crl": "a certificate revocation list (CRL)",
    "csr": "a certificate signing request",
    "private-key": "a private key",
    "public-key": "a bare public key",
    "pkcs12": "a PKCS#12 (.pfx/.p12) file; pass password= to read its certificates",
    "ocsp-response": "an OCSP response",
    "timestamp-response": "an RFC 3161 timestamp response",
    "cms": "a CMS/PKCS#7 object that is not a certificate bundle",
    "pkcs7-signed": "a CMS signed object (e.g. a timestamp token or signature), not a "
    "certificate bundle",
}


def read_input(source: Source) -> bytes:
    """The bytes of ``source``: PathLike and existing-file ``str`` are read as files; other
    ``str`` is taken as PEM/base64 text; bytes-like as data."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str):
        if "-----BEGIN" in source or len(source) > 4096:
            return source.encode("utf-8", errors="replace")
        try:
            is_file = os.path.isfile(source)
        except (OSError, ValueError):
            is_file = False
        if not is_file:
            raise CertificateError(f"no such file: {source!r} (pass bytes for certificate data)")
        path: Path = Path(source)
    elif isinstance(source, os.PathLike):
        path = Path(os.fspath(source))
    else:
        raise CertificateError(f"expected bytes or a path, got {type(source).__name__}")
    try:
        size = path.stat().st_size
        if size > MAX_INPUT:
            raise CertificateError(f"{path}: {size} bytes is too large for a certificate file")
        return path.read_bytes()
    except OSError as exc:
        raise CertificateError(f"cannot read {path}: {exc}") from exc


def _sniff_text(data: bytes) -> str | None:
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "a PDF document"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "an HTML page"
    if head.startswith(b"<"):
        return "an XML or HTML document"
    if head.startswith(b"pk\x03\x04"):
        return "a ZIP archive"
    if head.startswith(b"{") or head.startswith(b"["):
        return "a JSON document"
    return None


def certificate_blobs(
    data: bytes, *, password: bytes | None = None
) -> tuple[list[bytes], list[Finding]]:
    """Split input into the exact bytes of each certificate it holds.

    Raises :class:`CertificateError` naming what was found when it holds no certificate.
    """
    if not data or not data.strip():
        raise CertificateError("empty input: no certificate")
    if len(data) > MAX_INPUT:
        raise CertificateError(f"{len(data)} bytes is too large for a certificate input")
    if b"-----BEGIN" in data:
        return _from_pem(data, password)
    if data[:1] != b"\x30":
        text = _sniff_text(data)
        if text is not None:
            raise CertificateError(f"not a certificate: the data looks like {text}")
        stripped = b"".join(data.split())
        if re.fullmatch(rb"[A-Za-z0-9+/=_-]+", stripped) and stripped[:2] == b"MI":
            try:
                decoded = base64.b64decode(stripped + b"=" * (-len(stripped) % 4))
            except (binascii.Error, ValueError) as exc:
                raise CertificateError("not a certificate: invalid base64 text") from exc
            blobs, findings = _from_der(decoded, password)
            return blobs, [Finding("input.base64", "input was bare base64 text"), *findings]
        raise CertificateError(
            f"not a certificate: data starts with byte 0x{data[0]:02x}, not a DER SEQUENCE"
        )
    return _from_der(data, password)


def _from_pem(data: bytes, password: bytes | None) -> tuple[list[bytes], list[Finding]]:
    blobs: list[bytes] = []
    findings: list[Finding] = []
    labels: list[str] = []
    for m in _PEM_RE.finditer(data):
        label = m.group(1).strip()
        labels.append(label.decode("ascii", errors="replace"))
        if label != m.group(3).strip():
            raise CertificateError(f"PEM block BEGIN {labels[-1]} has a mismatched END line")
        if label not in _PEM_CERT_LABELS and label not in _PEM_P7_LABELS:
            continue
        body = m.group(2)
        lines = [ln for ln in body.splitlines() if b":" not in ln]  # drop RFC 1421 headers
        try:
            der = base64.b64decode(b"".join(b"".join(lines).split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CertificateError(f"PEM {labels[-1]} block is not valid base64") from exc
        if not der:
            raise CertificateError(f"PEM {labels[-1]} block is empty")
        if label == b"TRUSTED CERTIFICATE":
            try:
                t = read_tlv(der)
            except DerFormatError as exc:
                raise CertificateError(f"PEM {labels[-1]} block is malformed: {exc}") from exc
            der = der[: t.end]  # OpenSSL appends trust settings after the certificate
        more, more_findings = _from_der(der, password)
        blobs.extend(more)
        findings.extend(more_findings)
    if not blobs:
        if not labels:
            raise CertificateError("not a certificate: malformed PEM (no complete block)")
        found = ", ".join(dict.fromkeys(labels))
        raise CertificateError(f"no certificate in the PEM data; found: {found}")
    return blobs, findings


def _from_der(data: bytes, password: bytes | None) -> tuple[list[bytes], list[Finding]]:
    findings: list[Finding] = []
    if data[:1] != b"\x30":
        start = f"byte 0x{data[0]:02x}" if data else "nothing"
        raise CertificateError(f"not a certificate: data starts with {start}, not a DER SEQUENCE")
    try:
        first = read_tlv(data)
    except DerFormatError as exc:
        raise CertificateError(f"not a certificate: malformed or truncated DER ({exc})") from exc
    kind = describe_der(data, first)
    if kind == "pkcs7":
        if not is_degenerate_certs_only(data, first):
            raise CertificateError("not a certificate: " + _KIND_TEXT["pkcs7-signed"])
        blobs = _pkcs7_certs(data, first)
        if not blobs:
            raise CertificateError("PKCS#7 bundle holds no certificate")
    elif kind == "pkcs12":
        blobs = _pkcs12_certs(data, password)
    elif kind == "certificate":
        blobs = [data[first.start : first.end]]
    else:
        what = _KIND_TEXT.get(kind, "an unrecognised DER structure")
        raise CertificateError(f"not a certificate: the data looks like {what}")
    pos = first.end
    while pos < len(data):
        try:
            nxt = read_tlv(data, pos)
        except DerFormatError:
            nxt = None
        if nxt is None or describe_der(data, nxt) != "certificate":
            findings.append(
                Finding("input.trailing-data", f"{len(data) - pos} bytes after the DER ignored")
            )
            break
        blobs.append(data[nxt.start : nxt.end])
        pos = nxt.end
    return blobs, findings


def _pkcs7_certs(data: bytes, top: Tlv) -> list[bytes]:
    try:
        content = children(data, top)[1]
        sd = children(data, content)[0]
        out = []
        for part in children(data, sd):
            if part.tag_class == 2 and part.tag == 0 and part.constructed:  # [0] certificates
                for c in children(data, part):
                    if c.tag_class == 0 and c.tag == 16:
                        out.append(data[c.start : c.end])
        return out
    except (DerFormatError, IndexError) as exc:
        raise CertificateError(f"malformed PKCS#7 certificate bundle ({exc})") from exc


def _pkcs12_certs(data: bytes, password: bytes | None) -> list[bytes]:
    if password is None:
        raise CertificateError("not a certificate: the data looks like " + _KIND_TEXT["pkcs12"])
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    try:
        p12 = pkcs12.load_pkcs12(data, password)
    except Exception as exc:  # wrong password, unsupported cipher, damaged file
        raise CertificateError(f"cannot open the PKCS#12 file: {exc}") from exc
    certs = []
    if p12.cert is not None:
        certs.append(p12.cert.certificate.public_bytes(Encoding.DER))
    certs.extend(c.certificate.public_bytes(Encoding.DER) for c in p12.additional_certs)
    if not certs:
        raise CertificateError("the PKCS#12 file holds no certificate")
    return certs
