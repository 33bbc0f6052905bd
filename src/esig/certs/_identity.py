"""National identifiers in a certificate subject: EN 319 412-1 semantics, Turkish TCKN/VKN,
Azerbaijani FIN, Estonian personal codes.

Confidence: ``certain`` for explicit EN 319 412-1 semantics or a verified checksum, ``likely``
for a value of the right form in the right country without a checksum, ``possible`` for a
serialNumber that merely looks like an identifier (letters/digits with at least one digit,
4-64 characters, in a non-CA certificate).
"""

from __future__ import annotations

import re

from esig.certs._model import DistinguishedName
from esig.report import Finding, NationalIdentity

__all__ = [
    "SEMANTICS_RE",
    "extract_identities",
    "is_valid_estonian_personal_code",
    "is_valid_tckn",
    "is_valid_vkn",
]

#: EN 319 412-1 §5.1.3 / §5.1.4 semantics (the regular expression pkilint uses).
SEMANTICS_RE = re.compile(r"^([A-Z]{2}[A-Z:])([A-Za-z]{2})-(.+)$")
NATURAL_SCHEMES = frozenset({"PNO", "IDC", "PAS", "TIN", "TAX"})
LEGAL_SCHEMES = frozenset({"VAT", "NTR", "PSD", "LEI"})
_FIN_RE = re.compile(r"^[0-9A-Z]{7}$")
_GENERIC_RE = re.compile(r"^(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9:/.\- ]{3,63}$")
_CN_TCKN_RE = re.compile(r"(?<![0-9])([1-9][0-9]{10})(?![0-9])")


def is_valid_tckn(value: str) -> bool:
    """Turkish identity number (T.C. Kimlik No): 11 digits, first non-zero,
    d10 = ((d1+d3+d5+d7+d9)*7 - (d2+d4+d6+d8)) mod 10, d11 = (d1+...+d10) mod 10."""
    if len(value) != 11 or not value.isascii() or not value.isdigit() or value[0] == "0":
        return False
    d = [int(c) for c in value]
    if ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10 != d[9]:
        return False
    return sum(d[:10]) % 10 == d[10]


def is_valid_vkn(value: str) -> bool:
    """Turkish tax number (Vergi Kimlik No), 10 digits, with the Revenue Administration's check
    digit (as python-stdnum ``tr.vkn``; verified on 1000036109, 4540536920, 0850005256)."""
    if len(value) != 10 or not value.isascii() or not value.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(value[:9]), 1):
        c1 = (int(ch) + i) % 10
        if c1:
            total += (c1 * 2**i) % 9 or 9
    return (10 - total) % 10 == int(value[9])


def is_valid_estonian_personal_code(value: str) -> bool:
    """Estonian isikukood: 11 digits, first 1-8, check digit with weights 1..9,1 then 3..9,1,2,3."""
    if len(value) != 11 or not value.isascii() or not value.isdigit() or value[0] not in "12345678":
        return False
    d = [int(c) for c in value]
    check = sum(x * w for x, w in zip(d[:10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 1], strict=True)) % 11
    if check == 10:
        check = sum(x * w for x, w in zip(d[:10], [3, 4, 5, 6, 7, 8, 9, 1, 2, 3], strict=True)) % 11
        if check == 10:
            check = 0
    return check == d[10]


def _semantics(
    value: str, source: str, ids: list[NationalIdentity], findings: list[Finding]
) -> bool:
    m = SEMANTICS_RE.match(value)
    if not m:
        return False
    scheme, country, ref = m.group(1), m.group(2).upper(), m.group(3)
    ids.append(NationalIdentity(scheme, country, ref, source, "certain"))
    if country == "TR" and scheme in ("PNO", "TIN", "TAX") and len(ref) == 11:
        if is_valid_tckn(ref):
            ids.append(NationalIdentity("TCKN", "TR", ref, source, "certain"))
        else:
            findings.append(
                Finding("identity.tckn-checksum", f"{source} {value!r}: TCKN checksum fails")
            )
    elif country == "TR" and scheme in ("VAT", "TIN", "TAX") and len(ref) == 10:
        ok = is_valid_vkn(ref)
        ids.append(NationalIdentity("VKN", "TR", ref, source, "certain" if ok else "likely"))
        if not ok:
            findings.append(
                Finding("identity.vkn-checksum", f"{source} {value!r}: VKN check digit fails")
            )
    elif country == "AZ" and scheme == "PNO" and _FIN_RE.match(ref):
        ids.append(NationalIdentity("FIN", "AZ", ref, source, "certain"))
    return True


def _lower(confidence: str) -> str:
    return {"certain": "likely", "likely": "possible"}.get(confidence, "possible")


def extract_identities(
    subject: DistinguishedName,
    *,
    turkish: bool,
    azerbaijani: bool,
    is_ca: bool,
    findings: list[Finding],
) -> tuple[NationalIdentity, ...]:
    """Identities from subject serialNumber, organizationIdentifier and (Turkey) commonName."""
    ids: list[NationalIdentity] = []
    country = (subject.get("C") or "").upper() or None
    for value in subject.get_all("organizationIdentifier"):
        _semantics(value.strip(), "subject.organizationIdentifier", ids, findings)
    for raw in subject.get_all("serialNumber"):
        source = "subject.serialNumber"
        value = raw.strip()
        if _semantics(value, source, ids, findings):
            continue
        digits = value
        stripped = False
        if turkish and not value.isdigit():
            only = "".join(c for c in value if c.isascii() and c.isdigit())
            if len(only) in (10, 11):
                digits, stripped = only, True
                findings.append(
                    Finding(
                        "identity.non-digits-stripped",
                        f"{source} {value!r}: non-digits removed to read {only}",
                    )
                )
        if turkish and digits.isascii() and digits.isdigit() and len(digits) == 11:
            if is_valid_tckn(digits):
                conf = "certain"
                ids.append(
                    NationalIdentity(
                        "TCKN", "TR", digits, source, _lower(conf) if stripped else conf
                    )
                )
            else:
                ids.append(NationalIdentity("UNKNOWN", "TR", digits, source, "possible"))
                findings.append(
                    Finding(
                        "identity.tckn-checksum",
                        f"{source} {digits}: 11 digits but not a valid TCKN (checksum fails)",
                    )
                )
            continue
        if turkish and digits.isascii() and digits.isdigit() and len(digits) == 10:
            conf = "certain" if is_valid_vkn(digits) else "likely"
            if conf != "certain":
                findings.append(
                    Finding(
                        "identity.vkn-checksum",
                        f"{source} {digits}: 10 digits read as a VKN, but its check digit fails",
                    )
                )
            ids.append(
                NationalIdentity("VKN", "TR", digits, source, _lower(conf) if stripped else conf)
            )
            continue
        if azerbaijani and _FIN_RE.match(value):
            ids.append(NationalIdentity("FIN", "AZ", value, source, "likely"))
            continue
        if country == "EE" and value.isdigit() and len(value) == 11:
            ok = is_valid_estonian_personal_code(value)
            ids.append(NationalIdentity("PNO", "EE", value, source, "certain" if ok else "likely"))
            continue
        if not is_ca and _GENERIC_RE.match(value):
            ids.append(NationalIdentity("serialNumber", country, value, source, "possible"))
    if turkish and not any(i.scheme == "TCKN" for i in ids):
        for cn in subject.get_all("CN"):
            for m in _CN_TCKN_RE.finditer(cn):
                if is_valid_tckn(m.group(1)):
                    ids.append(NationalIdentity("TCKN", "TR", m.group(1), "subject.CN", "likely"))
    return tuple(ids)
