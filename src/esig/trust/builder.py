"""Build and sign ETSI TS 119 612 trusted lists.

Used for the bundled test lists (Azerbaijan, Turkey, an EU member state and a list of lists that
points to them) and by the tests; a scheme operator could use it for a national list too. The
input is a declarative, frozen :class:`TrustedListSpec`; the output is the list's XML (v5 or v6),
signed with an enveloped XAdES signature by :func:`sign_trusted_list`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from lxml import etree

from esig.errors import InputError, SigningError

__all__ = [
    "ASI_FOR_ESEALS",
    "ASI_FOR_ESIGNATURES",
    "PointerSpec",
    "ProviderSpec",
    "QualificationSpec",
    "ServiceHistorySpec",
    "ServiceSpec",
    "TrustedListSpec",
    "build_trusted_list",
    "sign_trusted_list",
]

TSL_NS = "http://uri.etsi.org/02231/v2#"
SIE_NS = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
ADD_NS = "http://uri.etsi.org/02231/v2/additionaltypes#"
XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NSMAP = {None: TSL_NS, "tslx": ADD_NS, "ns5": SIE_NS}

ASI_FOR_ESIGNATURES = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures"
ASI_FOR_ESEALS = "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals"
TSL_TAG = "http://uri.etsi.org/19612/TSLTag"


@dataclass(frozen=True)
class QualificationSpec:
    """One ``QualificationElement``: qualifier URIs applied to certificates matching criteria.

    ``policy_oids`` become a ``PolicySet`` each (any one matches when ``assert_`` is
    ``atLeastOne``); ``key_usage`` bits (e.g. ``nonRepudiation``) a ``KeyUsage`` criterion.
    """

    qualifiers: tuple[str, ...]
    policy_oids: tuple[str, ...] = ()
    key_usage: tuple[str, ...] = ()
    assert_: str = "atLeastOne"


@dataclass(frozen=True)
class ServiceHistorySpec:
    """An earlier status of a service (``ServiceHistoryInstance``)."""

    status: str
    start: datetime
    qualifications: tuple[QualificationSpec, ...] = ()
    additional_information: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceSpec:
    """A trust service (``TSPService``) with its current status and history (newest first)."""

    type_uri: str
    name: str
    certificates: tuple[bytes, ...]
    status: str
    status_start: datetime
    qualifications: tuple[QualificationSpec, ...] = ()
    additional_information: tuple[str, ...] = ()
    history: tuple[ServiceHistorySpec, ...] = ()
    expired_certs_revocation_info: datetime | None = None


@dataclass(frozen=True)
class ProviderSpec:
    """A trust service provider (``TrustServiceProvider``)."""

    name: str
    services: tuple[ServiceSpec, ...]
    trade_names: tuple[str, ...] = ()
    country: str = ""


@dataclass(frozen=True)
class PointerSpec:
    """A pointer to another list (``OtherTSLPointer``) with the certificates pinned for it.

    ``other_information`` holds extra ``OtherInformation`` children as XML fragments, e.g. an EC
    MRA block (``mra:MutualRecognitionAgreementInformation``).
    """

    location: str
    certificates: tuple[bytes, ...]
    tsl_type: str
    territory: str
    operator_name: str
    mime_type: str = "application/vnd.etsi.tsl+xml"
    other_information: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class TrustedListSpec:
    """Everything a TS 119 612 list states, for :func:`build_trusted_list`."""

    territory: str
    operator_name: str
    scheme_name: str
    sequence_number: int
    tsl_type: str
    issued: datetime
    next_update: datetime | None
    providers: tuple[ProviderSpec, ...] = ()
    pointers: tuple[PointerSpec, ...] = ()
    distribution_points: tuple[str, ...] = ()
    version: int = 5
    status_determination_approach: str = (
        "http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate"
    )
    scheme_rules: tuple[str, ...] = ()
    list_id: str = "TrustServiceStatusList"
    language: str = "en"
    scheme_information_uris: tuple[str, ...] = ("https://example.invalid/scheme",)
    """``SchemeInformationURI`` values; a LOTL lists its pivots and the OJ publication here."""


def _t(tag: str) -> str:
    return f"{{{TSL_NS}}}{tag}"


def _time(value: datetime) -> str:
    if value.tzinfo is None:
        raise InputError("trusted-list times must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> Any:
    element = etree.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _names(parent: etree._Element, tag: str, names: Sequence[str], lang: str) -> None:
    holder = _sub(parent, _t(tag))
    for name in names:
        _sub(holder, _t("Name"), name, **{XML_LANG: lang})


def _uris(parent: etree._Element, tag: str, uris: Sequence[str], lang: str) -> None:
    holder = _sub(parent, _t(tag))
    for uri in uris:
        _sub(holder, _t("URI"), uri, **{XML_LANG: lang})


def _address(parent: etree._Element, tag: str, country: str, lang: str) -> None:
    address = _sub(parent, _t(tag))
    postal = _sub(_sub(address, _t("PostalAddresses")), _t("PostalAddress"), **{XML_LANG: lang})
    _sub(postal, _t("StreetAddress"), "Test street 1")
    _sub(postal, _t("Locality"), "Test city")
    _sub(postal, _t("CountryName"), country)
    _uris(address, "ElectronicAddress", ["mailto:tsl@example.invalid"], lang)


def _digital_identity(parent: etree._Element, certificates: Sequence[bytes]) -> None:
    import base64

    sdi = _sub(parent, _t("ServiceDigitalIdentity"))
    for der in certificates:
        digital_id = _sub(sdi, _t("DigitalId"))
        _sub(digital_id, _t("X509Certificate"), base64.b64encode(der).decode("ascii"))


def _qualifications(parent: etree._Element, quals: Sequence[QualificationSpec]) -> None:
    extension = _sub(parent, _t("Extension"), Critical="true")
    holder = _sub(extension, f"{{{SIE_NS}}}Qualifications")
    for qual in quals:
        element = _sub(holder, f"{{{SIE_NS}}}QualificationElement")
        qualifiers = _sub(element, f"{{{SIE_NS}}}Qualifiers")
        for uri in qual.qualifiers:
            _sub(qualifiers, f"{{{SIE_NS}}}Qualifier", uri=uri)
        criteria = _sub(element, f"{{{SIE_NS}}}CriteriaList", **{"assert": qual.assert_})
        if qual.key_usage:
            key_usage = _sub(criteria, f"{{{SIE_NS}}}KeyUsage")
            for bit in qual.key_usage:
                _sub(key_usage, f"{{{SIE_NS}}}KeyUsageBit", "true", name=bit)
        for oid in qual.policy_oids:
            policy_set = _sub(criteria, f"{{{SIE_NS}}}PolicySet")
            ident = _sub(policy_set, f"{{{SIE_NS}}}PolicyIdentifier")
            _sub(ident, f"{{{XADES_NS}}}Identifier", oid)


def _extensions(
    parent: etree._Element,
    quals: Sequence[QualificationSpec],
    asi: Sequence[str],
    expired_info: datetime | None,
    lang: str,
) -> None:
    if not (quals or asi or expired_info):
        return
    holder = _sub(parent, _t("ServiceInformationExtensions"))
    if quals:
        _qualifications(holder, quals)
    for uri in asi:
        extension = _sub(holder, _t("Extension"), Critical="false")
        info = _sub(extension, _t("AdditionalServiceInformation"))
        _sub(info, _t("URI"), uri, **{XML_LANG: lang})
    if expired_info is not None:
        extension = _sub(holder, _t("Extension"), Critical="false")
        _sub(extension, _t("ExpiredCertsRevocationInfo"), _time(expired_info))


def _service(parent: etree._Element, service: ServiceSpec, lang: str) -> None:
    element = _sub(parent, _t("TSPService"))
    info = _sub(element, _t("ServiceInformation"))
    _sub(info, _t("ServiceTypeIdentifier"), service.type_uri)
    _names(info, "ServiceName", [service.name], lang)
    _digital_identity(info, service.certificates)
    _sub(info, _t("ServiceStatus"), service.status)
    _sub(info, _t("StatusStartingTime"), _time(service.status_start))
    _extensions(
        info,
        service.qualifications,
        service.additional_information,
        service.expired_certs_revocation_info,
        lang,
    )
    if service.history:
        history = _sub(element, _t("ServiceHistory"))
        for past in service.history:
            instance = _sub(history, _t("ServiceHistoryInstance"))
            _sub(instance, _t("ServiceTypeIdentifier"), service.type_uri)
            _names(instance, "ServiceName", [service.name], lang)
            _digital_identity(instance, service.certificates)
            _sub(instance, _t("ServiceStatus"), past.status)
            _sub(instance, _t("StatusStartingTime"), _time(past.start))
            _extensions(instance, past.qualifications, past.additional_information, None, lang)


def _pointer(parent: etree._Element, pointer: PointerSpec, lang: str) -> None:
    element = _sub(parent, _t("OtherTSLPointer"))
    identities = _sub(element, _t("ServiceDigitalIdentities"))
    _digital_identity(identities, pointer.certificates)
    _sub(element, _t("TSLLocation"), pointer.location)
    additional = _sub(element, _t("AdditionalInformation"))
    _sub(_sub(additional, _t("OtherInformation")), _t("TSLType"), pointer.tsl_type)
    _sub(_sub(additional, _t("OtherInformation")), _t("SchemeTerritory"), pointer.territory)
    _sub(_sub(additional, _t("OtherInformation")), f"{{{ADD_NS}}}MimeType", pointer.mime_type)
    _names(
        _sub(additional, _t("OtherInformation")),
        "SchemeOperatorName",
        [pointer.operator_name],
        lang,
    )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for fragment in pointer.other_information:
        other = _sub(additional, _t("OtherInformation"))
        other.append(etree.fromstring(fragment, parser))


def build_trusted_list(spec: TrustedListSpec) -> bytes:
    """The unsigned XML of a TS 119 612 list (UTF-8, with an XML declaration)."""
    lang = spec.language
    root = etree.Element(_t("TrustServiceStatusList"), nsmap=NSMAP)  # type: ignore[arg-type]
    root.set("Id", spec.list_id)
    root.set("TSLTag", TSL_TAG)
    info = _sub(root, _t("SchemeInformation"))
    _sub(info, _t("TSLVersionIdentifier"), str(spec.version))
    _sub(info, _t("TSLSequenceNumber"), str(spec.sequence_number))
    _sub(info, _t("TSLType"), spec.tsl_type)
    _names(info, "SchemeOperatorName", [spec.operator_name], lang)
    _address(info, "SchemeOperatorAddress", spec.territory, lang)
    _names(info, "SchemeName", [spec.scheme_name], lang)
    _uris(info, "SchemeInformationURI", spec.scheme_information_uris, lang)
    _sub(info, _t("StatusDeterminationApproach"), spec.status_determination_approach)
    if spec.scheme_rules:
        _uris(info, "SchemeTypeCommunityRules", spec.scheme_rules, lang)
    _sub(info, _t("SchemeTerritory"), spec.territory)
    policy = _sub(info, _t("PolicyOrLegalNotice"))
    _sub(policy, _t("TSLLegalNotice"), "Test list: not for production use.", **{XML_LANG: lang})
    _sub(info, _t("HistoricalInformationPeriod"), "65535")
    if spec.pointers:
        pointers = _sub(info, _t("PointersToOtherTSL"))
        for pointer in spec.pointers:
            _pointer(pointers, pointer, lang)
    _sub(info, _t("ListIssueDateTime"), _time(spec.issued))
    next_update = _sub(info, _t("NextUpdate"))
    if spec.next_update is not None:
        _sub(next_update, _t("dateTime"), _time(spec.next_update))
    if spec.distribution_points:
        _uris(info, "DistributionPoints", spec.distribution_points, lang)
    if spec.providers:
        providers = _sub(root, _t("TrustServiceProviderList"))
        for provider in spec.providers:
            element = _sub(providers, _t("TrustServiceProvider"))
            tsp_info = _sub(element, _t("TSPInformation"))
            _names(tsp_info, "TSPName", [provider.name], lang)
            if provider.trade_names:
                _names(tsp_info, "TSPTradeName", provider.trade_names, lang)
            _address(tsp_info, "TSPAddress", provider.country or spec.territory, lang)
            _uris(tsp_info, "TSPInformationURI", ["https://example.invalid/tsp"], lang)
            services = _sub(element, _t("TSPServices"))
            for service in provider.services:
                _service(services, service, lang)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def sign_trusted_list(
    xml: bytes,
    *,
    key: PrivateKeyTypes,
    certificate: x509.Certificate,
    chain: Sequence[x509.Certificate] = (),
) -> bytes:
    """Sign a list with an enveloped XAdES signature (SHA-256), as EU lists are.

    The signature covers the whole document (``URI=""`` with the enveloped-signature transform).
    Raises :class:`~esig.errors.TrustListError` when ``xml`` is not a DTD-free XML document and
    :class:`~esig.errors.SigningError` for an unsupported key or a failure of the signer.
    """
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from signxml import methods
    from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
    from signxml.xades import XAdESSigner  # type: ignore[attr-defined]

    if isinstance(key, ec.EllipticCurvePrivateKey):
        method = SignatureMethod.ECDSA_SHA256
    elif isinstance(key, rsa.RSAPrivateKey):
        method = SignatureMethod.RSA_SHA256
    else:
        raise SigningError(f"unsupported trusted-list signing key: {type(key).__name__}")

    from esig.trust._xml import parse_document

    root = parse_document(xml)  # TrustListError for anything but a DTD-free document
    signer = XAdESSigner(
        method=methods.enveloped,
        signature_algorithm=method,
        # signxml 5.2's XAdESSigner computes a wrong SignedProperties digest with exclusive
        # c14n (its own verifier rejects the result), so the lists use canonical XML 1.1.
        c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_1,
        digest_algorithm=DigestAlgorithm.SHA256,
    )
    try:
        signed = signer.sign(root, key=key, cert=[certificate, *chain])
    except Exception as exc:  # signxml raises its own and lxml's exceptions
        raise SigningError(f"signing the trusted list failed: {exc}") from exc
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))
