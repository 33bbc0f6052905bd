"""Public value types of esig.xades: placements, levels, policies, validation-data sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Protocol, runtime_checkable

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from lxml import etree

from esig.errors import DocumentError, SigningError
from esig.report import SignatureLevel, ValidationReport

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
    "level_of",
]


class Placement(StrEnum):
    """Where the ``ds:Signature`` goes.

    ENVELOPED: last child of the document's root, signing the whole document (``URI=""``).
    ENVELOPING: the signature is the document; the signed XML sits in its ``ds:Object``.
    DETACHED: a separate signature document referencing the signed document by URI.
    UBL_EXTENSION: enveloped, in the first
    ``ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent`` of a UBL document
    (Turkish UBL-TR e-Fatura, e-Arşiv, e-İrsaliye).
    """

    ENVELOPED = "enveloped"
    ENVELOPING = "enveloping"
    DETACHED = "detached"
    UBL_EXTENSION = "ubl-extension"


#: A time-stamping service: the data to time-stamp in, a DER RFC 3161 TimeStampToken out
#: (its message imprint must be a digest of exactly these bytes).
Timestamper = Callable[[bytes], bytes]


@dataclass(frozen=True)
class RevocationData:
    """Revocation material (DER) for B-LT/B-LTA: OCSP responses, CRLs and extra certificates
    (issuers, OCSP responders, TSA chains). It is also a :class:`RevocationSource` that answers
    every question with all of itself."""

    ocsp_responses: tuple[bytes, ...] = ()
    crls: tuple[bytes, ...] = ()
    certificates: tuple[x509.Certificate, ...] = ()

    def revocation_for(self, cert: x509.Certificate, issuer: x509.Certificate) -> RevocationData:
        return self

    def __add__(self, other: RevocationData) -> RevocationData:
        return RevocationData(
            _dedupe(self.ocsp_responses + other.ocsp_responses),
            _dedupe(self.crls + other.crls),
            tuple(
                {
                    c.fingerprint(hashes.SHA256()): c
                    for c in self.certificates + other.certificates
                }.values()
            ),
        )


def _dedupe(items: tuple[bytes, ...]) -> tuple[bytes, ...]:
    return tuple(dict.fromkeys(items))


@runtime_checkable
class RevocationSource(Protocol):
    """Gives the revocation data proving ``cert`` (issued by ``issuer``) was not revoked."""

    def revocation_for(
        self, cert: x509.Certificate, issuer: x509.Certificate
    ) -> RevocationData: ...


@dataclass(frozen=True)
class SignaturePolicy:
    """An explicit signature policy (``xades:SignaturePolicyIdentifier``): its OID or URI, the
    digest of the policy document and the digest algorithm URI."""

    identifier: str
    digest: bytes
    digest_algorithm: str = "http://www.w3.org/2001/04/xmlenc#sha256"
    description: str = ""


_LEVELS = (SignatureLevel.B_B, SignatureLevel.B_T, SignatureLevel.B_LT, SignatureLevel.B_LTA)


def level_of(value: SignatureLevel | str) -> SignatureLevel:
    """``value`` as a baseline level (B-B .. B-LTA); SigningError otherwise."""
    try:
        level = SignatureLevel(value)
    except ValueError:
        raise SigningError(f"unknown signature level {value!r} (B-B, B-T, B-LT or B-LTA)") from None
    if level not in _LEVELS:
        raise SigningError(f"cannot sign at level {level.value!r} (B-B, B-T, B-LT or B-LTA)")
    return level


def level_rank(level: SignatureLevel) -> int:
    return _LEVELS.index(level) if level in _LEVELS else -1


class SignatureLocation(StrEnum):
    """Where a verifier accepts a ``ds:Signature`` (signature-location pinning, an XSW defence).

    ROOT: the signature is the document's root (enveloping or detached signature document) or a
    direct child of the root (enveloped). UBL_EXTENSION: a child of the first
    ``ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent`` of the root, and the UBL
    ``cac:Signature`` must not point to another signature.
    """

    ROOT = "root"
    UBL_EXTENSION = "ubl-extension"


class LegacyMode(StrEnum):
    """How legacy Turkish XAdES quirks are treated.

    STRICT: a finding under INDETERMINATE/SIG_CONSTRAINTS_FAILURE (as DSS does). LENIENT: the
    same finding as a warning; the verdict is decided on the rest.
    """

    STRICT = "strict"
    LENIENT = "lenient"


@dataclass(frozen=True)
class XmlConstraints:
    """XML-specific verification constraints (the generic ones are in the ValidationProfile).

    Fields:
        name: recorded in warnings to say which constraints applied.
        location: see :class:`SignatureLocation`.
        legacy: see :class:`LegacyMode` (SignedProperties Type URI variant, missing
            SignedProperties reference, QualifyingProperties Target mismatch).
        allow_sha1: accept SHA-1 digests and signature methods whatever their date (never for
            new signatures; only for reading old archives). Otherwise SHA-1 follows the profile's
            algorithm policy (acceptable until 2009-01-01): without a proof of existence before
            then, INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE.
    """

    name: str = "xml-default"
    location: SignatureLocation = SignatureLocation.ROOT
    legacy: LegacyMode = LegacyMode.STRICT
    allow_sha1: bool = False


#: Default: signature at the root or a child of it; legacy quirks fail.
XML_DEFAULT = XmlConstraints()
#: UBL-TR e-Fatura: signature in the first UBL ExtensionContent; legacy quirks fail.
UBL_TR_STRICT = XmlConstraints(name="ubl-tr-strict", location=SignatureLocation.UBL_EXTENSION)
#: UBL-TR e-Fatura, legacy quirks reported as warnings.
UBL_TR_LENIENT = XmlConstraints(
    name="ubl-tr-lenient", location=SignatureLocation.UBL_EXTENSION, legacy=LegacyMode.LENIENT
)


@dataclass(frozen=True)
class SignedContent:
    """What one reference of a signature covers, as verified.

    ``data`` are the exact octets whose digest matched (canonical XML for node sets); ``element``
    is ``data`` re-parsed (hardened, on first use), detached from the original document, or None
    for non-XML data. Use only this, never the original tree, to read signed content (XSW
    defence).
    """

    signature_id: str
    uri: str
    description: str
    data: bytes

    @cached_property
    def element(self) -> etree._Element | None:
        """``data`` parsed (hardened), or None when it is not XML."""
        from esig.xades._xml import parse

        try:
            return parse(self.data, what="signed content").getroot()
        except DocumentError:
            return None


@dataclass(frozen=True)
class XmlVerification:
    """The report plus the signed content of every signature that reached TOTAL_PASSED."""

    report: ValidationReport
    signed: tuple[SignedContent, ...] = ()
