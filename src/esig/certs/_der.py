"""A tiny, defensive BER/DER reader: tag-length-value walking, DER strictness checks and shape
sniffing for inputs that are not certificates.

asn1crypto is the parser esig trusts for structure; this module exists because asn1crypto
accepts (silently) what DER forbids, and because a clear error message ("this is a CRL") needs a
look at the shape of data before any schema is applied.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DerFormatError",
    "Tlv",
    "children",
    "der_problems",
    "describe_der",
    "is_degenerate_certs_only",
    "read_tlv",
    "split_tlvs",
]

#: Depth limit for recursive walks (real certificates nest < 15 levels).
_MAX_DEPTH = 40


@dataclass(frozen=True)
class Tlv:
    """One decoded element: identifier octet(s), content span and encoding facts."""

    tag_class: int  # 0 universal, 1 application, 2 context, 3 private
    constructed: bool
    tag: int
    start: int  # offset of the identifier octet
    content_start: int
    end: int  # offset after the last content octet (definite lengths only)
    minimal_length: bool
    indefinite: bool


class DerFormatError(ValueError):
    """Raised by this module's readers on malformed input (callers convert it)."""


def read_tlv(data: bytes, pos: int = 0, limit: int | None = None) -> Tlv:
    """Decode the element at ``pos``; raise :class:`DerFormatError` if it does not fit."""
    end_limit = len(data) if limit is None else limit
    if pos >= end_limit:
        raise DerFormatError("unexpected end of data")
    first = data[pos]
    tag_class = first >> 6
    constructed = bool(first & 0x20)
    tag = first & 0x1F
    i = pos + 1
    if tag == 0x1F:
        tag = 0
        for _ in range(8):
            if i >= end_limit:
                raise DerFormatError("truncated tag")
            b = data[i]
            i += 1
            tag = (tag << 7) | (b & 0x7F)
            if not b & 0x80:
                break
        else:
            raise DerFormatError("tag number too long")
    if i >= end_limit:
        raise DerFormatError("truncated length")
    lb = data[i]
    i += 1
    minimal = True
    indefinite = False
    if lb < 0x80:
        length = lb
    elif lb == 0x80:
        if not constructed:
            raise DerFormatError("indefinite length on a primitive element")
        indefinite = True
        length = -1
    else:
        n = lb & 0x7F
        if n > 8 or i + n > end_limit:
            raise DerFormatError("bad length octets")
        length = int.from_bytes(data[i : i + n], "big")
        if length < 0x80 or data[i] == 0:
            minimal = False
        i += n
    if indefinite:
        # find the end-of-contents by walking children
        j = i
        depth_guard = 0
        while True:
            if j + 2 > end_limit:
                raise DerFormatError("missing end-of-contents")
            if data[j] == 0 and data[j + 1] == 0:
                end = j + 2
                break
            child = read_tlv(data, j, end_limit)
            j = child.end
            depth_guard += 1
            if depth_guard > 100_000:
                raise DerFormatError("too many elements")
        return Tlv(tag_class, constructed, tag, pos, i, end, minimal, True)
    if i + length > end_limit:
        raise DerFormatError("length runs past the end of the data")
    return Tlv(tag_class, constructed, tag, pos, i, i + length, minimal, False)


def children(data: bytes, tlv: Tlv) -> list[Tlv]:
    """The elements inside a constructed element."""
    out: list[Tlv] = []
    pos = tlv.content_start
    stop = tlv.end - 2 if tlv.indefinite else tlv.end
    while pos < stop:
        child = read_tlv(data, pos, stop)
        out.append(child)
        pos = child.end
    return out


def split_tlvs(data: bytes) -> list[Tlv]:
    """Consecutive top-level elements; raises on the first malformed one."""
    out: list[Tlv] = []
    pos = 0
    while pos < len(data):
        tlv = read_tlv(data, pos)
        out.append(tlv)
        pos = tlv.end
    return out


def der_problems(data: bytes, tlv: Tlv | None = None, *, max_problems: int = 5) -> list[str]:
    """Where ``data`` breaks DER (walking constructed elements only): non-minimal or indefinite
    lengths, non-minimal INTEGERs, BOOLEANs other than 00/FF. An empty list means none found."""
    problems: list[str] = []

    def walk(t: Tlv, depth: int) -> None:
        if len(problems) >= max_problems:
            return
        if depth > _MAX_DEPTH:
            problems.append("nesting too deep")
            return
        if t.indefinite:
            problems.append(f"indefinite length at offset {t.start}")
        elif not t.minimal_length:
            problems.append(f"non-minimal length at offset {t.start}")
        body = data[t.content_start : t.end]
        if t.tag_class == 0 and not t.constructed:
            if t.tag == 2 and len(body) >= 2:
                if (body[0] == 0 and body[1] < 0x80) or (body[0] == 0xFF and body[1] >= 0x80):
                    problems.append(f"non-minimal INTEGER at offset {t.start}")
            elif t.tag == 1 and body not in (b"\x00", b"\xff"):
                problems.append(f"BOOLEAN not encoded as 00/FF at offset {t.start}")
        if t.constructed:
            for c in children(data, t):
                walk(c, depth + 1)

    walk(tlv if tlv is not None else read_tlv(data), 0)
    return problems


def _sig(data: bytes, t: Tlv) -> list[tuple[int, bool, int]]:
    return [(c.tag_class, c.constructed, c.tag) for c in children(data, t)]


_SEQ = (0, True, 16)
_INT = (0, False, 2)
_OID = (0, False, 6)
_OCT = (0, False, 4)
_BIT = (0, False, 3)
_ENUM = (0, False, 10)
_CTX0 = (2, True, 0)

_OID_SIGNED_DATA = b"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02"
_OID_DATA = b"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01"


def describe_der(data: bytes, t: Tlv) -> str:
    """A guess at what a DER element is: ``certificate``, ``pkcs7``, ``crl``, ``csr``,
    ``private-key``, ``public-key``, ``pkcs12``, ``ocsp-response``, ``timestamp-response``,
    ``cms`` or ``unknown``. Never raises on well-formed TLVs; malformed -> ``unknown``."""
    try:
        return _describe(data, t)
    except (DerFormatError, IndexError, ValueError):
        return "unknown"


def _describe(data: bytes, t: Tlv) -> str:
    if (t.tag_class, t.constructed, t.tag) != _SEQ:
        return "unknown"
    kids = children(data, t)
    sig = [(c.tag_class, c.constructed, c.tag) for c in kids]
    if len(sig) >= 2 and sig[0] == _OID:
        if data[kids[0].content_start : kids[0].end] == _OID_SIGNED_DATA:
            return "pkcs7"
        return "cms"
    if len(sig) == 3 and sig[0] == _SEQ and sig[1] == _SEQ and sig[2] == _BIT:
        tbs = _sig(data, kids[0])
        if not tbs:
            return "unknown"
        if tbs[0] == _CTX0:
            return "certificate"
        if tbs[0] == _INT and len(tbs) >= 4:
            if tbs[3] == _SEQ:
                return "certificate"  # v1: serial, algorithm, issuer, validity
            if tbs[3] == _CTX0:
                return "csr"  # version, subject, subjectPKInfo, [0] attributes
            if tbs[3] in ((0, False, 23), (0, False, 24)):
                return "crl"  # version, algorithm, issuer, thisUpdate
        if tbs[0] == _SEQ:
            return "crl"
        return "unknown"
    if len(sig) == 2 and sig[0] == _SEQ and sig[1] == _BIT:
        return "public-key"
    if len(sig) >= 3 and sig[0] == _INT and sig[1] == _SEQ and sig[2] == _OCT:
        return "private-key"
    if len(sig) >= 3 and sig[0] == _INT and sig[1] == _INT:
        return "private-key"  # PKCS#1 RSAPrivateKey / DSA
    if len(sig) >= 2 and sig[0] == _INT and sig[1] == _OCT:
        return "private-key"  # SEC 1 ECPrivateKey
    if len(sig) >= 2 and sig[0] == _INT and sig[1] == _SEQ:
        return "pkcs12"
    if sig and sig[0] == _ENUM:
        return "ocsp-response"
    if len(sig) >= 1 and sig[0] == _SEQ:
        first = _sig(data, kids[0])
        if first and first[0] == _INT and (len(sig) == 1 or sig[1] == _SEQ):
            return "timestamp-response"
    return "unknown"


def is_degenerate_certs_only(data: bytes, t: Tlv) -> bool:
    """True for a PKCS#7 SignedData with no signerInfos and no encapsulated content
    (a "certs-only" bundle, .p7c/.p7b)."""
    try:
        content = children(data, t)[1]  # [0] EXPLICIT
        sd = children(data, content)[0]
        parts = children(data, sd)
        encap = children(data, parts[2])
        if data[encap[0].content_start : encap[0].end] != _OID_DATA or len(encap) > 1:
            return False
        last = parts[-1]
        return (last.tag_class, last.tag) == (0, 17) and last.end == last.content_start
    except (DerFormatError, IndexError):
        return False
