"""Decoding ASN.1 character strings from their raw content octets, never crashing.

asn1crypto decodes TeletexString as cp1252 (Turkish "Ş" comes out as "Þ") and raises on invalid
UTF-8, so esig decodes the content octets itself. Patching asn1crypto globally is not an option:
pyHanko shares it. Every guess is reported as a :class:`~esig.report.Finding`.
"""

from __future__ import annotations

from esig.report import Finding

__all__ = ["STRING_TYPES", "decode_string"]

#: Universal tag number -> ASN.1 type name, for the string types a name or notice may use.
STRING_TYPES: dict[int, str] = {
    12: "UTF8String",
    18: "NumericString",
    19: "PrintableString",
    20: "TeletexString",
    21: "VideotexString",
    22: "IA5String",
    25: "GraphicString",
    26: "VisibleString",
    27: "GeneralString",
    28: "UniversalString",
    30: "BMPString",
}

_PRINTABLE = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"
)
#: Bytes that, in ISO-8859-9, are the Turkish letters Ğ İ Ş ğ ı ş (cp1252/latin-1: Ð Ý Þ ð ý þ).
TURKISH_BYTES = frozenset(b"\xd0\xdd\xde\xf0\xfd\xfe")


def _ascii_or_guess(raw: bytes, type_name: str, where: str) -> tuple[str, Finding | None]:
    try:
        return raw.decode("ascii"), None
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("utf-8")
        return text, Finding(
            "string.non-ascii-utf8",
            f"{where}: {type_name} holds non-ASCII bytes; decoded as UTF-8",
        )
    except UnicodeDecodeError:
        return raw.decode("latin-1"), Finding(
            "string.non-ascii-latin1",
            f"{where}: {type_name} holds non-ASCII bytes that are not UTF-8; decoded as Latin-1",
        )


def _teletex(raw: bytes, turkish: bool, where: str, type_name: str) -> tuple[str, Finding | None]:
    try:
        return raw.decode("ascii"), None
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("utf-8")
        return text, Finding(
            "string.t61-utf8",
            f"{where}: {type_name} holds UTF-8 bytes; decoded as UTF-8 (guessed)",
        )
    except UnicodeDecodeError:
        pass
    if turkish:
        return raw.decode("iso-8859-9"), Finding(
            "string.t61-iso-8859-9",
            f"{where}: {type_name} decoded as ISO-8859-9 (Turkish; guessed from the certificate)",
        )
    return raw.decode("latin-1"), Finding(
        "string.t61-latin1", f"{where}: {type_name} decoded as Latin-1 (guessed)"
    )


def decode_string(
    tag: int, raw: bytes, *, turkish: bool = False, where: str = "string"
) -> tuple[str, Finding | None]:
    """Decode the content octets ``raw`` of a universal string type ``tag``.

    Returns the text and a finding when something was guessed or repaired. ``turkish`` selects
    ISO-8859-9 for TeletexString bytes that are neither ASCII nor UTF-8. ``where`` names the
    field in the finding's message. Unknown tags decode as Latin-1 with a finding.
    """
    type_name = STRING_TYPES.get(tag, f"universal tag {tag}")
    if tag == 12:
        try:
            return raw.decode("utf-8"), None
        except UnicodeDecodeError:
            return raw.decode("utf-8", errors="replace"), Finding(
                "string.invalid-utf8",
                f"{where}: UTF8String holds invalid UTF-8; bad bytes replaced with U+FFFD",
            )
    if tag == 30:
        text = raw.decode("utf-16-be", errors="replace")
        if len(raw) % 2 or ("\ufffd" in text and "\ufffd".encode("utf-16-be") not in raw):
            return text, Finding(
                "string.invalid-bmp", f"{where}: malformed BMPString; bad code units replaced"
            )
        return text, None
    if tag == 28:
        text = raw.decode("utf-32-be", errors="replace")
        if len(raw) % 4 or ("\ufffd" in text and "\ufffd".encode("utf-32-be") not in raw):
            return text, Finding(
                "string.invalid-universal",
                f"{where}: malformed UniversalString; bad code points replaced",
            )
        return text, None
    if tag in (20, 21, 25, 27):
        return _teletex(raw, turkish, where, type_name)
    if tag == 19:
        text, finding = _ascii_or_guess(raw, type_name, where)
        if finding is None and not set(raw) <= _PRINTABLE:
            bad = "".join(sorted({chr(b) for b in raw if b not in _PRINTABLE}))
            finding = Finding(
                "string.printable-invalid-char",
                f"{where}: PrintableString contains characters it does not allow: {bad!r}",
            )
        return text, finding
    if tag in (18, 22, 26):
        return _ascii_or_guess(raw, type_name, where)
    return raw.decode("latin-1"), Finding(
        "string.unexpected-type", f"{where}: {type_name} is not a string type; read as Latin-1"
    )
