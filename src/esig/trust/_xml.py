"""Hardened XML reading and small element helpers shared by the trust-list parsers (private)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from datetime import UTC, datetime

from lxml import etree

from esig.errors import TrustListError
from esig.trust.model import (
    CertSubjectDNAttributeCriterion,
    CriteriaAssert,
    CriteriaList,
    ExtendedKeyUsageCriterion,
    KeyUsageBit,
    LangText,
    OtherCriterion,
    QcStatementCriterion,
    QcStatementSetCriterion,
    UnknownCriterion,
)
from esig.trust.uris import NS_MRA, NS_SIE, NS_TSL, NS_TSLX, NS_XADES

#: Largest trusted list accepted (the biggest real national lists are a few MB).
MAX_LIST_BYTES = 64 * 1024 * 1024
#: Deepest nesting of CriteriaList elements accepted.
MAX_CRITERIA_DEPTH = 16

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XINCLUDE = "http://www.w3.org/2001/XInclude"
_XINCLUDE_OLD = "http://www.w3.org/2003/XInclude"


def hardened_parser() -> etree.XMLParser:
    """A parser that never resolves entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
    )


def parse_document(xml_bytes: bytes) -> etree._Element:
    """Parse ``xml_bytes`` with :func:`hardened_parser`; refuse any DOCTYPE, entity or XInclude.

    Raises :class:`TrustListError` for anything that is not a well-formed, DTD-free document.
    """
    if not isinstance(xml_bytes, bytes | bytearray | memoryview):
        raise TrustListError(f"a trusted list must be bytes, not {type(xml_bytes).__name__}")
    data = bytes(xml_bytes)
    if not data.strip():
        raise TrustListError("the trusted list is empty")
    if len(data) > MAX_LIST_BYTES:
        raise TrustListError(f"the trusted list is larger than {MAX_LIST_BYTES} bytes")
    try:
        root = etree.fromstring(data, parser=hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise TrustListError(f"the trusted list is not well-formed XML: {exc}") from exc
    if root is None:
        raise TrustListError("the trusted list has no root element")
    docinfo = root.getroottree().docinfo
    if (
        getattr(docinfo, "doctype", "")
        or docinfo.internalDTD is not None
        or docinfo.externalDTD is not None
    ):
        raise TrustListError("a trusted list must not contain a DOCTYPE declaration")
    for _ in root.iter(etree.Entity):
        raise TrustListError("a trusted list must not contain entity references")
    for _ in root.iter(f"{{{_XINCLUDE}}}*", f"{{{_XINCLUDE_OLD}}}*"):
        raise TrustListError("a trusted list must not contain XInclude elements")
    return root


def tsl(name: str) -> str:
    """Clark tag in the TS 119 612 namespace."""
    return f"{{{NS_TSL}}}{name}"


def sie(name: str) -> str:
    """Clark tag in the service-information-extension namespace."""
    return f"{{{NS_SIE}}}{name}"


def tslx(name: str) -> str:
    """Clark tag in the additional-types namespace."""
    return f"{{{NS_TSLX}}}{name}"


def mra(name: str) -> str:
    """Clark tag in the MRA namespace."""
    return f"{{{NS_MRA}}}{name}"


def xades(name: str) -> str:
    """Clark tag in the XAdES 1.3.2 namespace."""
    return f"{{{NS_XADES}}}{name}"


def elements(elem: etree._Element) -> Iterator[etree._Element]:
    """Element children of ``elem`` (comments and processing instructions skipped)."""
    for item in elem:
        tag: object = item.tag
        if isinstance(tag, str):
            yield item


def children(elem: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Element children of ``elem`` with Clark tag ``tag``."""
    for child in elem:
        if child.tag == tag:
            yield child


def child(elem: etree._Element, tag: str) -> etree._Element | None:
    """First element child with tag ``tag``, or None."""
    return next(children(elem, tag), None)


def text_of(elem: etree._Element | None) -> str | None:
    """Stripped text content of ``elem`` (None for a missing or empty element)."""
    if elem is None:
        return None
    value = "".join(str(t) for t in elem.itertext()).strip()
    return value or None


def child_text(elem: etree._Element, tag: str) -> str | None:
    """Stripped text of the first child ``tag``, or None."""
    return text_of(child(elem, tag))


def required_text(elem: etree._Element, tag: str, what: str) -> str:
    """Text of the first child ``tag``; :class:`TrustListError` naming ``what`` if missing."""
    value = child_text(elem, tag)
    if value is None:
        raise TrustListError(f"{what} is missing or empty")
    return value


def lang_texts(elem: etree._Element | None, tag: str) -> tuple[LangText, ...]:
    """The ``tag`` children (``Name`` or ``URI``) of a multilingual element, as (lang, text)."""
    if elem is None:
        return ()
    out = []
    for item in children(elem, tag):
        value = text_of(item)
        if value is not None:
            out.append(LangText(lang=item.get(_XML_LANG), text=value))
    return tuple(out)


def uris(elem: etree._Element | None) -> tuple[str, ...]:
    """Texts of the ``tsl:URI`` children of ``elem``."""
    if elem is None:
        return ()
    return tuple(v for v in (text_of(u) for u in children(elem, tsl("URI"))) if v is not None)


_FRACTION = re.compile(r"\.(\d+)")


def parse_datetime(value: str, what: str) -> datetime:
    """An ``xs:dateTime`` as an aware UTC datetime (a value with no zone is read as UTC)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python accepts at most microseconds: keep six fraction digits.
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise TrustListError(f"{what} is not a valid date and time: {value!r}") from exc
    if "T" not in text:
        raise TrustListError(f"{what} is not a date and time: {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:
        raise TrustListError(f"{what} is out of range: {value!r}") from exc


def parse_int(value: str, what: str) -> int:
    """A non-negative decimal integer of at most 18 digits."""
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise TrustListError(f"{what} is not a non-negative integer: {value!r}")
    return int(text)


def parse_base64(value: str, what: str) -> bytes:
    """Base64 (whitespace allowed) to bytes."""
    compact = "".join(value.split())
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TrustListError(f"{what} is not valid base64") from exc


def parse_bool(value: str | None, what: str, default: bool = False) -> bool:
    """An ``xs:boolean``."""
    if value is None:
        return default
    text = value.strip()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise TrustListError(f"{what} is not a boolean: {value!r}")


def oid_text(value: str) -> str:
    """An OID written as ``urn:oid:1.2.3`` or ``1.2.3``, in dotted form."""
    text = value.strip()
    if text.lower().startswith("urn:oid:"):
        text = text[8:]
    return text


def xades_identifiers(elem: etree._Element, container: str) -> tuple[str, ...]:
    """OIDs of ``container/xades:Identifier`` children of ``elem`` (e.g. PolicyIdentifier)."""
    out = []
    for item in elem:
        if item.tag != container:
            continue
        ident = text_of(child(item, xades("Identifier")))
        if ident is not None:
            out.append(oid_text(ident))
    return tuple(out)


def parse_criteria_list(elem: etree._Element, depth: int = 0) -> CriteriaList:
    """A ``CriteriaList`` (SIE namespace), including the MRA ``QcStatementSet`` criteria."""
    if depth > MAX_CRITERIA_DEPTH:
        raise TrustListError(f"CriteriaList nested deeper than {MAX_CRITERIA_DEPTH} levels")
    raw_assert = elem.get("assert")
    try:
        assertion = CriteriaAssert(raw_assert.strip()) if raw_assert else CriteriaAssert.ALL
    except ValueError as exc:
        raise TrustListError(f"unknown CriteriaList assert value {raw_assert!r}") from exc
    key_usage = []
    policy_sets = []
    nested = []
    other: list[OtherCriterion] = []
    description = None
    for item in elem:
        if item.tag == sie("KeyUsage"):
            bits = []
            for bit in children(item, sie("KeyUsageBit")):
                name = bit.get("name")
                if not name:
                    raise TrustListError("KeyUsageBit without a name")
                bits.append(KeyUsageBit(name=name, value=parse_bool(text_of(bit), "KeyUsageBit")))
            key_usage.append(tuple(bits))
        elif item.tag == sie("PolicySet"):
            policy_sets.append(xades_identifiers(item, sie("PolicyIdentifier")))
        elif item.tag == sie("CriteriaList"):
            nested.append(parse_criteria_list(item, depth + 1))
        elif item.tag == sie("otherCriteriaList"):
            other.extend(_other_criteria(item))
        elif item.tag == sie("Description"):
            description = text_of(item)
    return CriteriaList(
        assertion=assertion,
        key_usage=tuple(key_usage),
        policy_sets=tuple(policy_sets),
        criteria_lists=tuple(nested),
        other_criteria=tuple(other),
        description=description,
    )


def _other_criteria(elem: etree._Element) -> Iterator[OtherCriterion]:
    for item in elements(elem):
        if item.tag == tslx("ExtendedKeyUsage"):
            yield ExtendedKeyUsageCriterion(xades_identifiers(item, tslx("KeyPurposeId")))
        elif item.tag == tslx("CertSubjectDNAttribute"):
            yield CertSubjectDNAttributeCriterion(xades_identifiers(item, tslx("AttributeOID")))
        elif item.tag == mra("QcStatementSet"):
            yield QcStatementSetCriterion(
                tuple(_qc_statement(s) for s in children(item, mra("QcStatement")))
            )
        else:
            yield UnknownCriterion(tag=item.tag)


def _qc_statement(elem: etree._Element) -> QcStatementCriterion:
    ids = xades_identifiers(elem, mra("QcStatementId"))
    if len(ids) != 1:
        raise TrustListError("mra:QcStatement needs exactly one QcStatementId")
    qc_types: list[str] = []
    legislation: list[str] = []
    for info in children(elem, mra("QcStatementInfo")):
        qc_types.extend(xades_identifiers(info, mra("QcType")))
        legislation.extend(
            v for v in (text_of(c) for c in children(info, mra("QcCClegislation"))) if v
        )
    return QcStatementCriterion(
        statement_id=ids[0], qc_types=tuple(qc_types), cc_legislation=tuple(legislation)
    )
