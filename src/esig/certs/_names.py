"""Reading distinguished names from their raw encoding, with esig's own string decoding."""

from __future__ import annotations

from collections.abc import Iterable

from esig.certs._der import children, read_tlv
from esig.certs._model import DistinguishedName, NameAttribute
from esig.certs._strings import STRING_TYPES, decode_string
from esig.report import Finding

__all__ = ["ATTRIBUTE_NAMES", "decode_oid", "parse_name", "raw_name_values"]

#: Attribute type OID -> short name (RFC 4514 names where it defines one, else X.520's).
ATTRIBUTE_NAMES: dict[str, str] = {
    "2.5.4.3": "CN",
    "2.5.4.4": "surname",
    "2.5.4.5": "serialNumber",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.9": "STREET",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.12": "title",
    "2.5.4.13": "description",
    "2.5.4.15": "businessCategory",
    "2.5.4.17": "postalCode",
    "2.5.4.41": "name",
    "2.5.4.42": "givenName",
    "2.5.4.43": "initials",
    "2.5.4.44": "generationQualifier",
    "2.5.4.46": "dnQualifier",
    "2.5.4.65": "pseudonym",
    "2.5.4.97": "organizationIdentifier",
    "1.2.840.113549.1.9.1": "emailAddress",
    "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
    "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
    "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
    "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC",
}


def decode_oid(body: bytes) -> str:
    """Dotted form of an OBJECT IDENTIFIER's content octets (raises ValueError if malformed)."""
    if not body or body[-1] & 0x80:
        raise ValueError("malformed OBJECT IDENTIFIER")
    arcs: list[int] = []
    value = 0
    for b in body:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            arcs.append(value)
            value = 0
    first = arcs[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return ".".join(str(a) for a in head + arcs[1:])


def raw_name_values(der: bytes) -> Iterable[tuple[str, int, bytes]]:
    """(attribute OID, universal tag, content octets) of every attribute of an encoded Name."""
    top = read_tlv(der)
    for rdn in children(der, top):
        for atv in children(der, rdn):
            parts = children(der, atv)
            if len(parts) != 2 or parts[0].tag != 6:
                raise ValueError("malformed AttributeTypeAndValue")
            oid = decode_oid(der[parts[0].content_start : parts[0].end])
            v = parts[1]
            yield oid, (v.tag if v.tag_class == 0 else -1), der[v.content_start : v.end]


def parse_name(
    der: bytes, *, turkish: bool, where: str, findings: list[Finding]
) -> DistinguishedName:
    """Decode an encoded Name (the bytes as they appear in the certificate).

    Raises ValueError (or DerFormatError) on structural damage; string problems become
    findings appended to ``findings``.
    """
    top = read_tlv(der)
    if top.tag != 16 or not top.constructed:
        raise ValueError(f"{where} is not a SEQUENCE")
    rdns: list[tuple[NameAttribute, ...]] = []
    for rdn in children(der, top):
        if rdn.tag != 17 or not rdn.constructed:
            raise ValueError(f"{where}: an RDN is not a SET")
        attrs: list[NameAttribute] = []
        for atv in children(der, rdn):
            parts = children(der, atv)
            if len(parts) != 2 or parts[0].tag != 6 or parts[0].tag_class != 0:
                raise ValueError(f"{where}: malformed AttributeTypeAndValue")
            oid = decode_oid(der[parts[0].content_start : parts[0].end])
            name = ATTRIBUTE_NAMES.get(oid, oid)
            v = parts[1]
            body = der[v.content_start : v.end]
            if v.tag_class == 0 and not v.constructed and v.tag in STRING_TYPES:
                text, finding = decode_string(v.tag, body, turkish=turkish, where=f"{where} {name}")
                if finding is not None:
                    findings.append(finding)
                asn1_type = STRING_TYPES[v.tag]
            else:
                text = "#" + der[v.start : v.end].hex()
                asn1_type = (
                    f"tag {v.tag}" if v.tag_class == 0 else f"class {v.tag_class} tag {v.tag}"
                )
                findings.append(
                    Finding(
                        "name.non-string-value",
                        f"{where} {name} is not a character string ({asn1_type}); shown as hex",
                    )
                )
            attrs.append(NameAttribute(oid=oid, name=name, value=text, asn1_type=asn1_type))
        rdns.append(tuple(attrs))
    return DistinguishedName(rdns=tuple(rdns), der=der[top.start : top.end])
