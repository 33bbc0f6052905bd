"""ETSI TS 119 102-2 XML validation reports from esig's :class:`~esig.report.ValidationReport`.

The XML is built with pyHanko's generated bindings of the TS 119 102-2 schema
(``pyhanko.generated.etsi.ts_11910202``, xsdata dataclasses generated from the official XSD) and
serialised by xsdata, so element names, namespaces and order are the schema's by construction.
This module imports xsdata and the bindings: import it only when an XML report is wanted.

One ``SignatureValidationReport`` per entry of ``report.signatures`` (signatures, counter-signatures
and document time-stamps, in the same order), filled from esig's report:

* ``SignatureIdentifier``: ``id`` an XML ID derived from esig's signature id, ``DAIdentifier``
  esig's id itself (PDF field name, XAdES ``Id`` or path); ``HashOnly``/``DocHashOnly`` false.
* ``ValidationTimeInfo``: the validation time; ``BestSignatureTime`` esig's best signature time
  (the validation time when nothing proves an earlier one), a POE derived during validation.
* ``SignatureAttributes``: the claimed signing time and the time-stamps' times by kind.
* ``SignerInformation``: the signer's name, ``Pseudonym="false"``, the signing certificate as a
  reference to a validation object.
* ``SignatureQuality``: the qualification's URI (DSS's ``urn:cef:dss:signatureQualification:...``,
  the URIs DSS writes in this element) unless it is ``N/A``.
* ``SignatureValidationProcess``: ``urn:etsi:019102:validationprocess:Basic``, ``LTVM`` or
  ``LTA`` (EN 319 102-1 clauses 5.3, 5.5, 5.6) from the level and the time-stamps esig used;
  absent for document time-stamps (validated as time-stamps, clause 5.4).
* ``SignatureValidationStatus``: the main and sub-indication URIs; esig's reasons and warnings
  as ``AdditionalValidationReportData`` (``Type`` ``urn:esig:reason:<code>`` or
  ``urn:esig:warning:<code>``, ``Value`` the message).

``SignatureValidationObjects`` holds the signing certificates: base64 DER when the certificate is
known, else its SHA-256 digest (all the JSON report keeps); and, for PDFs read from the document,
the digest of each signature's signed data. Pass the validated ``document`` to
read the certificates and, for PDFs, each signature's value, the digest of its signed attributes
(DTBSR), the digest of the signed byte range (``SignersDocument``) and the signing-certificate
attribute; for XML, the ``ds:SignatureValue``, the certificates and ``SigningCertificate(V2)``.
The report is not signed (``ds:Signature`` is optional in the schema).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pyhanko.generated.etsi import ts_11910202 as vr
from pyhanko.generated.etsi import xades
from pyhanko.generated.w3c import xmldsig_core as ds
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig
from xsdata.models.datatype import XmlDateTime

from esig.report import (
    Finding,
    Indication,
    SignatureLevel,
    SignatureQualification,
    SignatureReport,
    SubIndication,
    ValidationReport,
)

if TYPE_CHECKING:
    from cryptography import x509

__all__ = [
    "ETSI_VR_NAMESPACE",
    "POE_VALIDATION",
    "PROCESS_BASIC",
    "PROCESS_LTA",
    "PROCESS_LTVM",
    "etsi_report",
    "to_etsi_xml",
]

#: Namespace of ETSI TS 119 102-2 V1.2.1 validation reports.
ETSI_VR_NAMESPACE = "http://uri.etsi.org/19102/v1.2.1#"
#: Validation processes of EN 319 102-1 (TS 119 102-2 SignatureValidationProcessID).
PROCESS_BASIC = "urn:etsi:019102:validationprocess:Basic"
PROCESS_LTVM = "urn:etsi:019102:validationprocess:LTVM"
PROCESS_LTA = "urn:etsi:019102:validationprocess:LTA"
#: TypeOfProof of a POE derived during validation.
POE_VALIDATION = "urn:etsi:019102:poetype:validation"
_VO_CERTIFICATE = "urn:etsi:019102:validationObject:certificate"
_VO_SIGNED_DATA = "urn:etsi:019102:validationObject:signedData"
_DS = "http://www.w3.org/2000/09/xmldsig#"
_XADES = "http://uri.etsi.org/01903/v1.3.2#"
_NS_MAP = {"vr": ETSI_VR_NAMESPACE, "ds": _DS}

#: hashlib name -> XML digest algorithm URI.
_DIGEST_URIS = {
    "sha1": "http://www.w3.org/2000/09/xmldsig#sha1",
    "sha224": "http://www.w3.org/2001/04/xmldsig-more#sha224",
    "sha256": "http://www.w3.org/2001/04/xmlenc#sha256",
    "sha384": "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "sha512": "http://www.w3.org/2001/04/xmlenc#sha512",
    "sha3_256": "http://www.w3.org/2007/05/xmldsig-more#sha3-256",
    "sha3_384": "http://www.w3.org/2007/05/xmldsig-more#sha3-384",
    "sha3_512": "http://www.w3.org/2007/05/xmldsig-more#sha3-512",
}
_SHA256_URI = _DIGEST_URIS["sha256"]
_SHA256_HEX = re.compile("[0-9a-fA-F]{64}")

#: Time-stamp kinds of esig's report -> SignatureAttributes field and whether it is signed.
_TIMESTAMP_ATTRIBUTES = {
    "content-timestamp": ("all_data_objects_time_stamp", True),
    "signature-timestamp": ("signature_time_stamp", False),
    "archive-timestamp": ("archive_time_stamp", False),
    "document-timestamp": ("doc_time_stamp", False),
}


# --------------------------------------------------------------------------------------------
# what the document itself tells (optional)


@dataclass
class _SignatureEvidence:
    signature_value: bytes | None = None
    dtbsr: tuple[str, bytes] | None = None  # (digest URI, digest of the signed attributes)
    signed_data: tuple[str, bytes] | None = None  # (digest URI, digest of the signed bytes)
    cert_ids: tuple[vr.SACertIDType, ...] = ()


@dataclass
class _Evidence:
    certificates: dict[str, bytes] = field(default_factory=dict)  # sha256 hex -> DER
    signatures: dict[str, _SignatureEvidence] = field(default_factory=dict)  # esig id ->

    def add_certificate(self, der: bytes) -> None:
        self.certificates.setdefault(hashlib.sha256(der).hexdigest(), der)


def _digest_uri(name: str) -> str | None:
    return _DIGEST_URIS.get(name.lower().replace("-", "_"))


def _pdf_evidence(document: bytes, name: str, evidence: _Evidence) -> None:
    from asn1crypto import tsp
    from pyhanko.sign.validation.generic_cms import get_signing_cert_attr

    from esig.pades._document import dss_material, open_pdf, signature_material

    reader, signatures, *_ = open_pdf(document, name)
    for cert in dss_material(reader)[0].certs:
        evidence.add_certificate(cert.dump())
    for sig in signatures:
        found = _SignatureEvidence()
        evidence.signatures.setdefault(str(sig.field_name), found)
        try:
            for cert in signature_material(sig).certs:
                evidence.add_certificate(cert.dump())
            info = sig.signer_info
            found.signature_value = bytes(info["signature"].native)
            algo = str(info["digest_algorithm"]["algorithm"].native)
            uri = _digest_uri(algo)
            attrs = info["signed_attrs"]
            if uri is not None:
                if attrs.native is not None:
                    found.dtbsr = (uri, hashlib.new(algo, attrs.untag().dump()).digest())
                found.signed_data = (uri, bytes(sig.compute_digest()))
            attr = get_signing_cert_attr(attrs)
            ids: list[vr.SACertIDType] = []
            for cert_id in attr["certs"] if attr is not None else ():
                hash_algo = (
                    "sha1"
                    if isinstance(cert_id, tsp.ESSCertID)
                    else str(cert_id["hash_algorithm"]["algorithm"].native)
                )
                id_uri = _digest_uri(hash_algo)
                if id_uri is None:
                    continue
                serial = cert_id["issuer_serial"]
                ids.append(
                    vr.SACertIDType(
                        x509_issuer_serial=serial.dump() if serial.native is not None else None,
                        digest_method=ds.DigestMethod(algorithm=id_uri),
                        digest_value=ds.DigestValue(value=bytes(cert_id["cert_hash"].native)),
                    )
                )
            found.cert_ids = tuple(ids)
        except Exception:  # a hostile or broken CMS: report what could be read
            continue


def _xml_evidence(document: bytes, name: str, evidence: _Evidence) -> None:
    import base64
    import binascii

    from esig.xades._xml import parse, path_of

    def b64(text: str | None) -> bytes | None:
        try:
            return base64.b64decode("".join((text or "").split()), validate=True) or None
        except (binascii.Error, ValueError):
            return None

    ns = {"ds": _DS, "xades": _XADES}
    root = parse(document, what=name).getroot()
    for sig in root.iter(f"{{{_DS}}}Signature"):
        found = _SignatureEvidence()
        evidence.signatures.setdefault(sig.get("Id") or path_of(sig), found)
        value = sig.find("ds:SignatureValue", ns)
        found.signature_value = b64(value.text if value is not None else None)
        for cert in sig.iterfind(".//ds:X509Certificate", ns):
            der = b64(cert.text)
            if der is not None:
                evidence.add_certificate(der)
        for cert in sig.iterfind(".//xades:EncapsulatedX509Certificate", ns):
            der = b64(cert.text)
            if der is not None:
                evidence.add_certificate(der)
        ssp = "ds:Object/xades:QualifyingProperties/xades:SignedProperties/"
        ssp += "xades:SignedSignatureProperties/"
        ids: list[vr.SACertIDType] = []
        for holder in ("xades:SigningCertificateV2", "xades:SigningCertificate"):
            for cert_ref in sig.iterfind(f"{ssp}{holder}/xades:Cert", ns):
                method = cert_ref.find("xades:CertDigest/ds:DigestMethod", ns)
                digest = b64(cert_ref.findtext("xades:CertDigest/ds:DigestValue", None, ns))
                algorithm = method.get("Algorithm") if method is not None else None
                if algorithm is None or digest is None:
                    continue
                serial = b64(cert_ref.findtext("xades:IssuerSerialV2", None, ns))
                ids.append(
                    vr.SACertIDType(
                        x509_issuer_serial=serial,
                        digest_method=ds.DigestMethod(algorithm=algorithm),
                        digest_value=ds.DigestValue(value=digest),
                    )
                )
            if ids:
                break
        found.cert_ids = tuple(ids)


def _evidence(
    report: ValidationReport,
    document: bytes | None,
    certificates: Iterable[bytes | x509.Certificate],
) -> _Evidence:
    evidence = _Evidence()
    if document is not None:
        document = bytes(document)
        if hashlib.sha256(document).hexdigest() != report.document_sha256.lower():
            raise ValueError(
                f"the document given is not {report.document_name!r}, the one the report is on"
            )
        try:
            if b"%PDF-" in document[:1024]:
                _pdf_evidence(document, report.document_name, evidence)
            else:
                _xml_evidence(document, report.document_name, evidence)
        except Exception:  # the verdict is in the report already; extra evidence is optional
            pass
    for cert in certificates:
        if isinstance(cert, bytes | bytearray | memoryview):
            evidence.add_certificate(bytes(cert))
        else:
            from cryptography.hazmat.primitives.serialization import Encoding

            evidence.add_certificate(cert.public_bytes(Encoding.DER))
    return evidence


# --------------------------------------------------------------------------------------------
# building the report


_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    """``value`` with what XML 1.0 cannot carry (controls, NUL, lone surrogates) as U+FFFD:
    names and messages come from hostile documents too."""
    return _NOT_XML_CHAR.sub("\ufffd", value)


def _time(value: datetime) -> XmlDateTime:
    return XmlDateTime.from_datetime(value.astimezone(UTC))


def _digest(uri: str, value: bytes) -> xades.DigestAlgAndValueType:
    return xades.DigestAlgAndValueType(
        digest_method=ds.DigestMethod(algorithm=uri), digest_value=ds.DigestValue(value=value)
    )


def _ref(*ids: str) -> vr.VOReferenceType:
    return vr.VOReferenceType(voreference=ids)


class _Builder:
    def __init__(self, report: ValidationReport, evidence: _Evidence) -> None:
        self.report = report
        self.evidence = evidence
        self.objects: dict[str, vr.ValidationObjectType] = {}
        self.ids: set[str] = set()

    def xml_id(self, prefix: str, value: str) -> str:
        """A fresh xs:ID (NCName) that reads like ``value``."""
        base = prefix + re.sub(r"[^A-Za-z0-9._-]", "_", value)
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    def certificate(self, sha256: str) -> str:
        vo_id = f"cert-{sha256.lower()}"
        if vo_id not in self.objects:
            self.ids.add(vo_id)
            der = self.evidence.certificates.get(sha256.lower())
            representation = (
                vr.ValidationObjectRepresentationType(base64=der)
                if der is not None
                else vr.ValidationObjectRepresentationType(
                    digest_alg_and_value=_digest(_SHA256_URI, bytes.fromhex(sha256))
                )
            )
            self.objects[vo_id] = vr.ValidationObjectType(
                id=vo_id,
                object_type=_VO_CERTIFICATE,
                validation_object_representation=representation,
            )
        return vo_id

    def signature(self, sig: SignatureReport) -> vr.SignatureValidationReportType:
        report = self.report
        found = self.evidence.signatures.get(sig.id, _SignatureEvidence())
        xml_id = self.xml_id("sig-", sig.id)
        identifier = vr.SignatureIdentifierType(
            digest_alg_and_value=_digest(*found.dtbsr) if found.dtbsr else None,
            signature_value=(
                ds.SignatureValue(value=found.signature_value)
                if found.signature_value is not None
                else None
            ),
            hash_only=False,
            doc_hash_only=False,
            daidentifier=_text(sig.id),
            id=xml_id,
        )
        best = sig.best_signature_time or report.validation_time
        time_info = vr.ValidationTimeInfoType(
            validation_time=_time(report.validation_time),
            best_signature_time=vr.POEType(poetime=_time(best), type_of_proof=POE_VALIDATION),
        )
        signers_document = None
        if found.signed_data is not None:
            data_id = self.xml_id("signed-data-", sig.id)
            self.objects[data_id] = vr.ValidationObjectType(
                id=data_id,
                object_type=_VO_SIGNED_DATA,
                validation_object_representation=vr.ValidationObjectRepresentationType(
                    digest_alg_and_value=_digest(*found.signed_data)
                ),
            )
            signers_document = vr.SignersDocumentType(
                digest_alg_and_value=_digest(*found.signed_data),
                signers_document_representation=(_ref(data_id),),
            )
        signer = None
        if sig.signer is not None and _SHA256_HEX.fullmatch(sig.signer.certificate_sha256):
            signer = vr.SignerInformationType(
                signer_certificate=_ref(self.certificate(sig.signer.certificate_sha256)),
                signer=_text(sig.signer.name),
                pseudonym=False,
            )
        quality = None
        if sig.qualification is not SignatureQualification.NA:
            quality = vr.SignatureQualityType(
                signature_quality_information=(sig.qualification.uri,)
            )
        process = None
        if sig.kind != "document-timestamp":
            process = vr.SignatureValidationProcessType(
                signature_validation_process_id=_process(sig, report.validation_time)
            )
        return vr.SignatureValidationReportType(
            signature_identifier=identifier,
            validation_time_info=time_info,
            signers_document=signers_document,
            signature_attributes=_attributes(sig, found),
            signer_information=signer,
            signature_quality=quality,
            signature_validation_process=process,
            signature_validation_status=_status(
                sig.indication, sig.sub_indication, sig.reasons, sig.warnings
            ),
        )

    def build(self) -> vr.ValidationReport:
        report = self.report
        if report.signatures:
            reports = tuple(self.signature(s) for s in report.signatures)
        else:  # nothing signed: the document's fail-closed verdict (the schema needs one)
            reports = (
                vr.SignatureValidationReportType(
                    signature_validation_status=_status(
                        report.indication, report.sub_indication, (), report.warnings
                    )
                ),
            )
        objects = (
            vr.ValidationObjectListType(validation_object=tuple(self.objects.values()))
            if self.objects
            else None
        )
        return vr.ValidationReport(
            signature_validation_report=reports, signature_validation_objects=objects
        )


def _process(sig: SignatureReport, validation_time: datetime) -> str:
    kinds = {t.kind for t in sig.timestamps}
    if sig.level is SignatureLevel.B_LTA or "archive-timestamp" in kinds:
        return PROCESS_LTA
    proven_earlier = sig.best_signature_time is not None and sig.best_signature_time < (
        validation_time
    )
    if sig.level in (SignatureLevel.B_T, SignatureLevel.B_LT) or kinds or proven_earlier:
        return PROCESS_LTVM
    return PROCESS_BASIC


def _attributes(
    sig: SignatureReport, found: _SignatureEvidence
) -> vr.SignatureAttributesType | None:
    fields: dict[str, Any] = {}
    if sig.claimed_signing_time is not None:
        fields["signing_time"] = (
            vr.SASigningTimeType(signed=True, time=_time(sig.claimed_signing_time)),
        )
    if found.cert_ids:
        fields["signing_certificate"] = (vr.SACertIDListType(signed=True, cert_id=found.cert_ids),)
    if sig.kind != "document-timestamp":  # a document time-stamp's own time is its POE
        for ts in sig.timestamps:
            known = _TIMESTAMP_ATTRIBUTES.get(ts.kind)
            if known is None:
                continue
            name, signed = known
            fields[name] = (
                *fields.get(name, ()),
                vr.SATimestampType(signed=signed, time_stamp_value=_time(ts.time)),
            )
    return vr.SignatureAttributesType(**fields) if fields else None


def _finding_data(kind: str, finding: Finding) -> vr.TypedDataType:
    code = quote(finding.code, safe=".-_~", errors="replace")
    return vr.TypedDataType(type_value=f"urn:esig:{kind}:{code}", value=_text(finding.message))


def _status(
    indication: Indication,
    sub: SubIndication | None,
    reasons: tuple[Finding, ...],
    warnings: tuple[Finding, ...],
) -> vr.ValidationStatusType:
    data = tuple(_finding_data("reason", r) for r in reasons) + tuple(
        _finding_data("warning", w) for w in warnings
    )
    associated = (
        (
            vr.ValidationReportDataType(
                additional_validation_report_data=vr.AdditionalValidationReportDataType(
                    report_data=data
                )
            ),
        )
        if data
        else ()
    )
    return vr.ValidationStatusType(
        main_indication=indication.uri,
        sub_indication=(sub.uri,) if sub is not None else (),
        associated_validation_report_data=associated,
    )


# --------------------------------------------------------------------------------------------
# public


def etsi_report(
    report: ValidationReport,
    *,
    document: bytes | None = None,
    certificates: Iterable[bytes | x509.Certificate] = (),
) -> vr.ValidationReport:
    """``report`` as the TS 119 102-2 ``ValidationReport`` binding (pyHanko's xsdata dataclass).

    ``document``: the validated document's bytes (its SHA-256 must be the report's); esig then
    reads signature values, digests and certificates from it. ``certificates``: more
    certificates (DER or ``cryptography``) to show in full when a signer's digest matches.

    :raises ValueError: ``document`` is not the document the report is on.
    """
    return _Builder(report, _evidence(report, document, certificates)).build()


def to_etsi_xml(
    report: ValidationReport,
    *,
    document: bytes | None = None,
    certificates: Iterable[bytes | x509.Certificate] = (),
    indent: str | None = "  ",
) -> str:
    """``report`` as an ETSI TS 119 102-2 XML validation report (UTF-8, with a declaration).

    See :func:`etsi_report` for ``document`` and ``certificates``; ``indent=None`` gives
    compact XML.
    """
    tree = etsi_report(report, document=document, certificates=certificates)
    config = SerializerConfig(indent=indent)
    text: str = XmlSerializer(config=config).render(tree, ns_map=_NS_MAP)
    return text if text.endswith("\n") else text + "\n"
