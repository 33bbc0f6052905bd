"""Parse ETSI TS 119 612 trusted lists into :mod:`esig.trust.model` objects.

:func:`parse_trusted_list` reads any version of the format and says which one it read
(``TrustedList.version``); whether that version is acceptable is decided by
:func:`esig.trust.verify_trusted_list`. It does **not** check the signature: a list parsed with it
alone must not be trusted (use :func:`esig.trust.verify_trusted_list`).

XML is read with a hardened parser (no DTD, no entities, no network) and a document with a
DOCTYPE is refused. Every failure is a :class:`~esig.errors.TrustListError`; no other exception
escapes, whatever the bytes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from lxml import etree

from esig.errors import TrustListError
from esig.trust._xml import (
    child,
    child_text,
    children,
    elements,
    lang_texts,
    mra,
    parse_base64,
    parse_bool,
    parse_criteria_list,
    parse_datetime,
    parse_document,
    parse_int,
    required_text,
    sie,
    text_of,
    tsl,
    tslx,
    uris,
)
from esig.trust.model import (
    AdditionalServiceInformation,
    DigitalIdentity,
    LangText,
    QualificationElement,
    ServiceStatusPeriod,
    SignatureSummary,
    TakenOverBy,
    TrustedList,
    TrustService,
    TrustServiceProvider,
    TslPointer,
    UnknownExtension,
)
from esig.trust.mra import MutualRecognitionAgreement, parse_mra_element
from esig.trust.uris import NS_DS

__all__ = ["parse_trusted_list", "signature_summary"]

_DS_SIG = f"{{{NS_DS}}}Signature"


def parse_trusted_list(xml_bytes: bytes) -> TrustedList:
    """Parse a trusted list (TS 119 612 ``TrustServiceStatusList``) without checking its signature.

    Raises :class:`~esig.errors.TrustListError` for input that is not well-formed XML, has a
    DOCTYPE, is not a ``TrustServiceStatusList`` or lacks a mandatory element.
    """
    try:
        root = parse_document(xml_bytes)
        return list_from_element(root, signature_summary(root))
    except TrustListError:
        raise
    except RecursionError as exc:
        raise TrustListError("the trusted list is nested too deeply") from exc
    except Exception as exc:  # fail closed: nothing but TrustListError leaves the parser
        raise TrustListError(f"malformed trusted list ({type(exc).__name__}: {exc})") from exc


def signature_summary(root: etree._Element) -> SignatureSummary:
    """Describe the ``ds:Signature`` elements of a document (unauthenticated)."""
    all_sigs = list(root.iter(_DS_SIG))
    first = child(root, _DS_SIG)
    if first is None:
        return SignatureSummary(present=False, count=len(all_sigs))
    method = first.find(f"{{{NS_DS}}}SignedInfo/{{{NS_DS}}}SignatureMethod")
    refs = first.findall(f"{{{NS_DS}}}SignedInfo/{{{NS_DS}}}Reference")
    certs = []
    for cert in first.iterfind(
        f"{{{NS_DS}}}KeyInfo/{{{NS_DS}}}X509Data/{{{NS_DS}}}X509Certificate"
    ):
        value = text_of(cert)
        if value is not None:
            certs.append(parse_base64(value, "KeyInfo X509Certificate"))
    return SignatureSummary(
        present=True,
        count=len(all_sigs),
        signature_method=None if method is None else method.get("Algorithm"),
        reference_uris=tuple(r.get("URI", "") for r in refs),
        key_info_certificates=tuple(certs),
    )


def list_from_element(root: etree._Element, signature: SignatureSummary) -> TrustedList:
    """Build a :class:`TrustedList` from a parsed ``TrustServiceStatusList`` element."""
    if root.tag != tsl("TrustServiceStatusList"):
        raise TrustListError(f"the root element is {root.tag!r}, not a TrustServiceStatusList")
    info = child(root, tsl("SchemeInformation"))
    if info is None:
        raise TrustListError("SchemeInformation is missing")
    raw_version = child_text(info, tsl("TSLVersionIdentifier"))
    next_update = child(info, tsl("NextUpdate"))
    if next_update is None:
        raise TrustListError("NextUpdate is missing")
    next_update_text = child_text(next_update, tsl("dateTime"))
    raw_period = child_text(info, tsl("HistoricalInformationPeriod"))
    provider_list = child(root, tsl("TrustServiceProviderList"))
    return TrustedList(
        version=None if raw_version is None else parse_int(raw_version, "TSLVersionIdentifier"),
        sequence_number=parse_int(
            required_text(info, tsl("TSLSequenceNumber"), "TSLSequenceNumber"), "TSLSequenceNumber"
        ),
        tsl_type=required_text(info, tsl("TSLType"), "TSLType"),
        scheme_operator_names=lang_texts(child(info, tsl("SchemeOperatorName")), tsl("Name")),
        scheme_names=lang_texts(child(info, tsl("SchemeName")), tsl("Name")),
        scheme_information_uris=lang_texts(child(info, tsl("SchemeInformationURI")), tsl("URI")),
        status_determination_approach=child_text(info, tsl("StatusDeterminationApproach")),
        scheme_type_community_rules=uris(child(info, tsl("SchemeTypeCommunityRules"))),
        scheme_territory=child_text(info, tsl("SchemeTerritory")),
        historical_information_period=None
        if raw_period is None
        else parse_int(raw_period, "HistoricalInformationPeriod"),
        issue_time=parse_datetime(
            required_text(info, tsl("ListIssueDateTime"), "ListIssueDateTime"),
            "ListIssueDateTime",
        ),
        next_update=None
        if next_update_text is None
        else parse_datetime(next_update_text, "NextUpdate"),
        distribution_points=uris(child(info, tsl("DistributionPoints"))),
        pointers=tuple(
            _pointer(p)
            for ptrs in children(info, tsl("PointersToOtherTSL"))
            for p in children(ptrs, tsl("OtherTSLPointer"))
        ),
        providers=()
        if provider_list is None
        else tuple(_provider(p) for p in children(provider_list, tsl("TrustServiceProvider"))),
        signature=signature,
        tsl_id=root.get("Id"),
    )


def _digital_identity(elem: etree._Element) -> DigitalIdentity:
    certs: list[bytes] = []
    names: list[str] = []
    skis: list[bytes] = []
    other: list[str] = []
    for did in children(elem, tsl("DigitalId")):
        for item in elements(did):
            value = text_of(item)
            if item.tag == tsl("X509Certificate"):
                if value is not None:
                    certs.append(parse_base64(value, "X509Certificate"))
            elif item.tag == tsl("X509SubjectName"):
                if value is not None:
                    names.append(value)
            elif item.tag == tsl("X509SKI"):
                if value is not None:
                    skis.append(parse_base64(value, "X509SKI"))
            else:
                inner = [c.tag for c in elements(item)]
                other.append(inner[0] if item.tag == tsl("Other") and inner else item.tag)
    return DigitalIdentity(
        certificates=tuple(certs), subject_names=tuple(names), skis=tuple(skis), other=tuple(other)
    )


def _pointer(elem: etree._Element) -> TslPointer:
    location = required_text(elem, tsl("TSLLocation"), "OtherTSLPointer/TSLLocation")
    identities = tuple(
        _digital_identity(sdi)
        for sdis in children(elem, tsl("ServiceDigitalIdentities"))
        for sdi in children(sdis, tsl("ServiceDigitalIdentity"))
    )
    tsl_type = territory = mime = None
    operator_names: tuple[LangText, ...] = ()
    rules: tuple[str, ...] = ()
    agreement: MutualRecognitionAgreement | None = None
    additional = child(elem, tsl("AdditionalInformation"))
    for other in () if additional is None else children(additional, tsl("OtherInformation")):
        for item in other:
            if item.tag == tsl("TSLType"):
                tsl_type = text_of(item)
            elif item.tag == tsl("SchemeTerritory"):
                territory = text_of(item)
            elif item.tag == tslx("MimeType"):
                mime = text_of(item)
            elif item.tag == tsl("SchemeOperatorName"):
                operator_names = lang_texts(item, tsl("Name"))
            elif item.tag == tsl("SchemeTypeCommunityRules"):
                rules = uris(item)
            elif item.tag == mra("MutualRecognitionAgreementInformation"):
                if agreement is not None:
                    raise TrustListError(f"pointer to {location} has more than one MRA block")
                agreement = parse_mra_element(item)
    return TslPointer(
        location=location,
        tsl_type=tsl_type,
        scheme_territory=territory,
        mime_type=mime,
        scheme_operator_names=operator_names,
        scheme_type_community_rules=rules,
        digital_identities=identities,
        mra=agreement,
    )


def _provider(elem: etree._Element) -> TrustServiceProvider:
    info = child(elem, tsl("TSPInformation"))
    if info is None:
        raise TrustListError("a TrustServiceProvider has no TSPInformation")
    address = child(info, tsl("TSPAddress"))
    services = child(elem, tsl("TSPServices"))
    return TrustServiceProvider(
        names=lang_texts(child(info, tsl("TSPName")), tsl("Name")),
        trade_names=lang_texts(child(info, tsl("TSPTradeName")), tsl("Name")),
        information_uris=lang_texts(child(info, tsl("TSPInformationURI")), tsl("URI")),
        electronic_addresses=()
        if address is None
        else uris(child(address, tsl("ElectronicAddress"))),
        services=()
        if services is None
        else tuple(_service(s) for s in children(services, tsl("TSPService"))),
    )


class _Extensions:
    """The interpreted ServiceInformationExtensions of one information block."""

    def __init__(self, elem: etree._Element | None) -> None:
        self.qualifications: list[QualificationElement] = []
        self.additional: list[AdditionalServiceInformation] = []
        self.expired: datetime | None = None
        self.taken_over_by: TakenOverBy | None = None
        self.unknown: list[UnknownExtension] = []
        for ext in () if elem is None else children(elem, tsl("Extension")):
            critical = parse_bool(ext.get("Critical"), "Extension/@Critical")
            content = list(elements(ext))
            if not content:
                self.unknown.append(UnknownExtension(tag="", critical=critical))
            for item in content:
                self._one(item, critical)

    def _one(self, item: etree._Element, critical: bool) -> None:
        if item.tag == sie("Qualifications"):
            for q in children(item, sie("QualificationElement")):
                qualifiers = child(q, sie("Qualifiers"))
                criteria = child(q, sie("CriteriaList"))
                if criteria is None:
                    raise TrustListError("a QualificationElement has no CriteriaList")
                self.qualifications.append(
                    QualificationElement(
                        qualifiers=()
                        if qualifiers is None
                        else tuple(
                            u.strip()
                            for u in (x.get("uri") for x in children(qualifiers, sie("Qualifier")))
                            if u and u.strip()
                        ),
                        criteria=parse_criteria_list(criteria),
                    )
                )
        elif item.tag == tsl("AdditionalServiceInformation"):
            uri = required_text(item, tsl("URI"), "AdditionalServiceInformation/URI")
            self.additional.append(
                AdditionalServiceInformation(
                    uri=uri,
                    information_value=child_text(item, tsl("InformationValue")),
                    critical=critical,
                )
            )
        elif item.tag == tsl("ExpiredCertsRevocationInfo"):
            value = text_of(item)
            if value is None:
                raise TrustListError("ExpiredCertsRevocationInfo is empty")
            self.expired = parse_datetime(value, "ExpiredCertsRevocationInfo")
        elif item.tag == tslx("TakenOverBy"):
            self.taken_over_by = TakenOverBy(
                uri=child_text(item, tslx("URI")) or "",
                tsp_names=lang_texts(child(item, tslx("TSPName")), tsl("Name")),
                scheme_operator_names=lang_texts(
                    child(item, tsl("SchemeOperatorName")), tsl("Name")
                ),
                scheme_territory=child_text(item, tsl("SchemeTerritory")),
            )
        else:
            self.unknown.append(UnknownExtension(tag=item.tag, critical=critical))


def _core(elem: etree._Element, what: str) -> tuple[str, str, datetime]:
    type_uri = required_text(elem, tsl("ServiceTypeIdentifier"), f"{what} ServiceTypeIdentifier")
    status = required_text(elem, tsl("ServiceStatus"), f"{what} ServiceStatus")
    start = parse_datetime(
        required_text(elem, tsl("StatusStartingTime"), f"{what} StatusStartingTime"),
        f"{what} StatusStartingTime",
    )
    return type_uri, status, start


def _identity_of(elem: etree._Element) -> DigitalIdentity:
    sdi = child(elem, tsl("ServiceDigitalIdentity"))
    return DigitalIdentity() if sdi is None else _digital_identity(sdi)


def _service(elem: etree._Element) -> TrustService:
    info = child(elem, tsl("ServiceInformation"))
    if info is None:
        raise TrustListError("a TSPService has no ServiceInformation")
    type_uri, status, start = _core(info, "ServiceInformation")
    ext = _Extensions(child(info, tsl("ServiceInformationExtensions")))
    raw_history = []
    history_elem = child(elem, tsl("ServiceHistory"))
    for h in () if history_elem is None else children(history_elem, tsl("ServiceHistoryInstance")):
        h_type, h_status, h_start = _core(h, "ServiceHistoryInstance")
        h_ext = _Extensions(child(h, tsl("ServiceInformationExtensions")))
        raw_history.append(
            ServiceStatusPeriod(
                status=h_status,
                start=h_start,
                end=None,
                type_uri=h_type,
                names=lang_texts(child(h, tsl("ServiceName")), tsl("Name")),
                digital_identity=_identity_of(h),
                qualifications=tuple(h_ext.qualifications),
                additional_information=tuple(h_ext.additional),
                expired_certs_revocation_info=h_ext.expired,
                taken_over_by=h_ext.taken_over_by,
                unknown_extensions=tuple(h_ext.unknown),
            )
        )
    supply = child(info, tsl("ServiceSupplyPoints"))
    points = [
        (uri, p.get("type"))
        for p in (() if supply is None else children(supply, tsl("ServiceSupplyPoint")))
        for uri in (text_of(p),)
        if uri
    ]
    return TrustService(
        type_uri=type_uri,
        names=lang_texts(child(info, tsl("ServiceName")), tsl("Name")),
        digital_identity=_identity_of(info),
        status=status,
        status_starting_time=start,
        history=_order_history(start, raw_history),
        qualifications=tuple(ext.qualifications),
        additional_information=tuple(ext.additional),
        expired_certs_revocation_info=ext.expired,
        taken_over_by=ext.taken_over_by,
        unknown_extensions=tuple(ext.unknown),
        supply_points=tuple(uri for uri, _ in points),
        supply_point_types=tuple(kind for _, kind in points),
        scheme_service_definition_uris=lang_texts(
            child(info, tsl("SchemeServiceDefinitionURI")), tsl("URI")
        ),
        tsp_service_definition_uris=lang_texts(
            child(info, tsl("TSPServiceDefinitionURI")), tsl("URI")
        ),
    )


def _order_history(
    current_start: datetime, history: list[ServiceStatusPeriod]
) -> tuple[ServiceStatusPeriod, ...]:
    """Sort history newest first (stable) and fill each period's ``end``.

    A period ends when the next strictly newer period (history or current) starts.
    """
    ordered = sorted(history, key=lambda p: p.start, reverse=True)
    starts = sorted({current_start, *(p.start for p in ordered)})
    out = []
    for period in ordered:
        later = [s for s in starts if s > period.start]
        out.append(replace(period, end=later[0] if later else None))
    return tuple(out)
