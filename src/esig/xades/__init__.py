"""XAdES: XML signatures (ETSI EN 319 132-1) from B-B to B-LTA, and UBL-TR e-invoices.

Signing: :func:`sign_xml` (B-B through signxml, then esig's own B-T/B-LT/B-LTA properties) and
:func:`extend_xml`. Verifying: :func:`verify_xml` returns a
:class:`~esig.report.ValidationReport`; :func:`verify_xml_signed` also returns the signed content,
the only content a caller should read. Parsing is hardened: a DOCTYPE, an entity, XInclude or
malformed XML is a :class:`~esig.errors.DocumentError`; everything else is a verdict.
See ``docs/xml-signatures.md``.
"""

from __future__ import annotations

from esig.xades._api import extend_xml, verify_xml, verify_xml_signed
from esig.xades._sign import sign_xml
from esig.xades._types import (
    UBL_TR_LENIENT,
    UBL_TR_STRICT,
    XML_DEFAULT,
    LegacyMode,
    Placement,
    RevocationData,
    RevocationSource,
    SignatureLocation,
    SignaturePolicy,
    SignedContent,
    Timestamper,
    XmlConstraints,
    XmlVerification,
)

__all__ = [
    "UBL_TR_LENIENT",
    "UBL_TR_STRICT",
    "XML_DEFAULT",
    "LegacyMode",
    "Placement",
    "RevocationData",
    "RevocationSource",
    "SignatureLocation",
    "SignaturePolicy",
    "SignedContent",
    "Timestamper",
    "XmlConstraints",
    "XmlVerification",
    "extend_xml",
    "sign_xml",
    "verify_xml",
    "verify_xml_signed",
]
