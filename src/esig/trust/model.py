"""The parsed form of an ETSI TS 119 612 trusted list (versions 5 and 6, and older ones).

Every class is a frozen dataclass holding tuples, so a parsed list can be shared and cached. URIs
are plain strings (see :mod:`esig.trust.uris` for the well-known ones); times are timezone-aware
UTC datetimes; certificates are DER bytes, not parsed (:mod:`esig.certs` reads them).

Nothing here says whether a list can be trusted: :func:`esig.trust.verify_trusted_list` decides
that, and builds the model only from the bytes the list's signature covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from esig.trust.mra import MutualRecognitionAgreement

__all__ = [
    "AdditionalServiceInformation",
    "CertSubjectDNAttributeCriterion",
    "CriteriaAssert",
    "CriteriaList",
    "DigitalIdentity",
    "ExtendedKeyUsageCriterion",
    "KeyUsageBit",
    "LangText",
    "OtherCriterion",
    "QcStatementCriterion",
    "QcStatementSetCriterion",
    "QualificationElement",
    "ServiceStatusPeriod",
    "SignatureSummary",
    "TakenOverBy",
    "TrustService",
    "TrustServiceProvider",
    "TrustedList",
    "TslPointer",
    "UnknownCriterion",
    "UnknownExtension",
]


@dataclass(frozen=True)
class LangText:
    """A multilingual string of the list: ``lang`` is the ``xml:lang`` value (None if absent)."""

    lang: str | None
    """Language tag as written in the list (``en``, ``fr``...), or None."""
    text: str
    """The text, whitespace-stripped."""


class CriteriaAssert(StrEnum):
    """The ``assert`` attribute of a CriteriaList (TS 119 612 clause 5.5.9.2.2)."""

    ALL = "all"
    AT_LEAST_ONE = "atLeastOne"
    NONE = "none"


@dataclass(frozen=True)
class KeyUsageBit:
    """A ``KeyUsageBit`` of a criteria list: the certificate's bit ``name`` must equal ``value``."""

    name: str
    """RFC 5280 bit name as written (``nonRepudiation``, ``digitalSignature``...)."""
    value: bool
    """Required value of the bit."""


@dataclass(frozen=True)
class ExtendedKeyUsageCriterion:
    """``tslx:ExtendedKeyUsage``: the certificate must carry every listed key purpose."""

    key_purpose_ids: tuple[str, ...]
    """Key purpose OIDs, dotted form (``urn:oid:`` prefixes removed)."""


@dataclass(frozen=True)
class CertSubjectDNAttributeCriterion:
    """``tslx:CertSubjectDNAttribute``: the subject DN must contain every listed attribute type."""

    attribute_oids: tuple[str, ...]
    """Attribute type OIDs, dotted form."""


@dataclass(frozen=True)
class QcStatementCriterion:
    """One ``mra:QcStatement`` of an MRA criteria list (a QC statement the certificate carries)."""

    statement_id: str
    """QC statement OID, dotted form (e.g. ``0.4.0.1862.1.1`` for QcCompliance)."""
    qc_types: tuple[str, ...] = ()
    """``QcStatementInfo/QcType`` OIDs (for id-etsi-qcs-QcType), dotted form."""
    cc_legislation: tuple[str, ...] = ()
    """``QcStatementInfo/QcCClegislation`` country codes (for id-etsi-qcs-QcCClegislation)."""


@dataclass(frozen=True)
class QcStatementSetCriterion:
    """``mra:QcStatementSet``: a set of QC statements the certificate must carry."""

    statements: tuple[QcStatementCriterion, ...]
    """The statements of the set."""


@dataclass(frozen=True)
class UnknownCriterion:
    """A child of ``otherCriteriaList`` that esig does not know; it can never be evaluated."""

    tag: str
    """Clark-notation tag (``{namespace}name``)."""


OtherCriterion = (
    ExtendedKeyUsageCriterion
    | CertSubjectDNAttributeCriterion
    | QcStatementSetCriterion
    | UnknownCriterion
)


@dataclass(frozen=True)
class CriteriaList:
    """A ``CriteriaList``: conditions a certificate must meet, combined by ``assertion``."""

    assertion: CriteriaAssert
    """How the conditions combine; an absent attribute is read as ``all``."""
    key_usage: tuple[tuple[KeyUsageBit, ...], ...] = ()
    """Each ``KeyUsage`` element: a set of bits that must all have the stated values."""
    policy_sets: tuple[tuple[str, ...], ...] = ()
    """Each ``PolicySet``: certificate policy OIDs (dotted) that must all be present."""
    criteria_lists: tuple[CriteriaList, ...] = ()
    """Nested criteria lists."""
    other_criteria: tuple[OtherCriterion, ...] = ()
    """Children of ``otherCriteriaList`` (EKU, subject DN attributes, MRA QC statements...)."""
    description: str | None = None
    """Free ``Description`` text, if any."""


@dataclass(frozen=True)
class QualificationElement:
    """One ``QualificationElement`` of the Qualifications extension."""

    qualifiers: tuple[str, ...]
    """Qualifier URIs (see :class:`esig.trust.uris.Qualifier`)."""
    criteria: CriteriaList
    """The certificates the qualifiers apply to."""


@dataclass(frozen=True)
class AdditionalServiceInformation:
    """An ``AdditionalServiceInformation`` extension."""

    uri: str
    """The ASI URI (see :class:`esig.trust.uris.AdditionalServiceInfo`)."""
    information_value: str | None = None
    """``InformationValue`` text, if any."""
    critical: bool = False
    """The extension's ``Critical`` attribute."""


@dataclass(frozen=True)
class TakenOverBy:
    """The ``tslx:TakenOverBy`` extension: the service was taken over by another TSP."""

    uri: str
    """``URI`` text (identifies the taking-over service)."""
    tsp_names: tuple[LangText, ...]
    """Names of the taking-over TSP."""
    scheme_operator_names: tuple[LangText, ...]
    """Names of the scheme operator of the taking-over TSP's list."""
    scheme_territory: str | None
    """Territory of that list."""


@dataclass(frozen=True)
class UnknownExtension:
    """A service information extension esig does not interpret."""

    tag: str
    """Clark-notation tag of the extension's content (``{ns}name``), or ``""`` if empty."""
    critical: bool
    """The extension's ``Critical`` attribute: a critical unknown extension must not be ignored."""


@dataclass(frozen=True)
class DigitalIdentity:
    """A ``ServiceDigitalIdentity``: how a service (or a list signer) is identified."""

    certificates: tuple[bytes, ...] = ()
    """``X509Certificate`` values, DER (base64-decoded, not parsed)."""
    subject_names: tuple[str, ...] = ()
    """``X509SubjectName`` values as written (an RFC 2253-like string)."""
    skis: tuple[bytes, ...] = ()
    """``X509SKI`` values: subject key identifiers, raw bytes."""
    other: tuple[str, ...] = ()
    """Clark-notation tags of ``Other`` identifiers (KeyValue, national types...)."""


@dataclass(frozen=True)
class ServiceStatusPeriod:
    """The state of a service from ``start`` until ``end``: current information or a history entry.

    ``end`` is the ``start`` of the next newer period of the same service, None for the newest.
    """

    status: str
    """Status URI (see :class:`esig.trust.uris.ServiceStatus`)."""
    start: datetime
    """``StatusStartingTime``, UTC."""
    end: datetime | None
    """When the next newer period starts (exclusive), or None if no newer period exists."""
    type_uri: str
    """``ServiceTypeIdentifier`` during this period."""
    names: tuple[LangText, ...] = ()
    """``ServiceName`` during this period."""
    digital_identity: DigitalIdentity = field(default_factory=DigitalIdentity)
    """``ServiceDigitalIdentity`` as written for this period (history entries often give an SKI)."""
    qualifications: tuple[QualificationElement, ...] = ()
    """Qualifications extension during this period."""
    additional_information: tuple[AdditionalServiceInformation, ...] = ()
    """AdditionalServiceInformation extensions during this period."""
    expired_certs_revocation_info: datetime | None = None
    """``ExpiredCertsRevocationInfo`` during this period, UTC."""
    taken_over_by: TakenOverBy | None = None
    """``TakenOverBy`` during this period."""
    unknown_extensions: tuple[UnknownExtension, ...] = ()
    """Extensions esig does not interpret."""
    is_current: bool = False
    """True for the service's current ``ServiceInformation``, False for a history instance."""


@dataclass(frozen=True)
class TrustService:
    """A ``TSPService``: current information plus its ``ServiceHistory``."""

    type_uri: str
    """Current ``ServiceTypeIdentifier``."""
    names: tuple[LangText, ...]
    """Current ``ServiceName``."""
    digital_identity: DigitalIdentity
    """Current ``ServiceDigitalIdentity`` (certificates DER, subject names, SKIs)."""
    status: str
    """Current status URI."""
    status_starting_time: datetime
    """When the current status started, UTC."""
    history: tuple[ServiceStatusPeriod, ...] = ()
    """``ServiceHistoryInstance`` entries, newest first (by start; document order breaks ties)."""
    qualifications: tuple[QualificationElement, ...] = ()
    """Current Qualifications extension."""
    additional_information: tuple[AdditionalServiceInformation, ...] = ()
    """Current AdditionalServiceInformation extensions."""
    expired_certs_revocation_info: datetime | None = None
    """Current ``ExpiredCertsRevocationInfo``, UTC."""
    taken_over_by: TakenOverBy | None = None
    """Current ``TakenOverBy``."""
    unknown_extensions: tuple[UnknownExtension, ...] = ()
    """Current extensions esig does not interpret."""
    supply_points: tuple[str, ...] = ()
    """``ServiceSupplyPoints`` URIs (where OCSP/CRL/TSA services are reached)."""
    supply_point_types: tuple[str | None, ...] = ()
    """The TL v6 ``type`` attribute of each supply point, parallel to ``supply_points`` (None
    when absent, as in v5 lists)."""
    scheme_service_definition_uris: tuple[LangText, ...] = ()
    """``SchemeServiceDefinitionURI`` values."""
    tsp_service_definition_uris: tuple[LangText, ...] = ()
    """``TSPServiceDefinitionURI`` values."""

    @property
    def current_period(self) -> ServiceStatusPeriod:
        """The current information as a period (``end`` None)."""
        return ServiceStatusPeriod(
            status=self.status,
            start=self.status_starting_time,
            end=None,
            type_uri=self.type_uri,
            names=self.names,
            digital_identity=self.digital_identity,
            qualifications=self.qualifications,
            additional_information=self.additional_information,
            expired_certs_revocation_info=self.expired_certs_revocation_info,
            taken_over_by=self.taken_over_by,
            unknown_extensions=self.unknown_extensions,
            is_current=True,
        )


@dataclass(frozen=True)
class TrustServiceProvider:
    """A ``TrustServiceProvider`` (TSP) and its services."""

    names: tuple[LangText, ...]
    """``TSPName``."""
    trade_names: tuple[LangText, ...]
    """``TSPTradeName`` (often the VAT or NTR identifier, e.g. ``VATBE-0123456789``)."""
    information_uris: tuple[LangText, ...]
    """``TSPInformationURI``."""
    electronic_addresses: tuple[str, ...]
    """``TSPAddress/ElectronicAddress`` URIs."""
    services: tuple[TrustService, ...]
    """``TSPServices``, in document order."""


@dataclass(frozen=True)
class TslPointer:
    """An ``OtherTSLPointer``: where another list lives and who may sign it."""

    location: str
    """``TSLLocation`` URL."""
    tsl_type: str | None
    """``TSLType`` of the pointed list."""
    scheme_territory: str | None
    """``SchemeTerritory`` of the pointed list."""
    mime_type: str | None
    """``tslx:MimeType`` (``application/vnd.etsi.tsl+xml`` for XML, ``application/pdf``)."""
    scheme_operator_names: tuple[LangText, ...]
    """``SchemeOperatorName`` of the pointed list."""
    scheme_type_community_rules: tuple[str, ...]
    """``SchemeTypeCommunityRules`` URIs of the pointed list."""
    digital_identities: tuple[DigitalIdentity, ...]
    """``ServiceDigitalIdentities``: the pinned signers of the pointed list."""
    mra: MutualRecognitionAgreement | None = None
    """The EC MRA block (``mra:MutualRecognitionAgreementInformation``), parsed, if present."""

    @property
    def signing_certificates(self) -> tuple[bytes, ...]:
        """Every ``X509Certificate`` of every digital identity, DER, in document order."""
        return tuple(c for d in self.digital_identities for c in d.certificates)

    @property
    def has_mra(self) -> bool:
        """True when the pointer carries an MRA block."""
        return self.mra is not None


@dataclass(frozen=True)
class SignatureSummary:
    """What the input says about its own ``ds:Signature``: a description, never proof of validity.

    Filled from the whole input document (the enveloped transform removes the signature from the
    signed bytes, so the signed content alone never shows it).
    """

    present: bool
    """True when the root element has a ``ds:Signature`` child."""
    count: int = 0
    """Number of ``ds:Signature`` elements anywhere in the document."""
    signature_method: str | None = None
    """``SignatureMethod/@Algorithm`` of the first signature."""
    reference_uris: tuple[str, ...] = ()
    """``Reference/@URI`` values of the first signature."""
    key_info_certificates: tuple[bytes, ...] = ()
    """``KeyInfo/X509Data/X509Certificate`` values, DER (unauthenticated)."""


@dataclass(frozen=True)
class TrustedList:
    """A parsed ``TrustServiceStatusList`` (a national trusted list or a list of lists)."""

    version: int | None
    """``TSLVersionIdentifier`` (5 for TS 119 612 v2.x, 6 for v2.4.1+); None if absent."""
    sequence_number: int
    """``TSLSequenceNumber``."""
    tsl_type: str
    """``TSLType`` URI (see :class:`esig.trust.uris.TslType`)."""
    scheme_operator_names: tuple[LangText, ...]
    """``SchemeOperatorName``."""
    scheme_names: tuple[LangText, ...]
    """``SchemeName``."""
    scheme_information_uris: tuple[LangText, ...]
    """``SchemeInformationURI``."""
    status_determination_approach: str | None
    """``StatusDeterminationApproach`` URI."""
    scheme_type_community_rules: tuple[str, ...]
    """``SchemeTypeCommunityRules`` URIs."""
    scheme_territory: str | None
    """``SchemeTerritory`` (``BE``, ``EU``...)."""
    historical_information_period: int | None
    """``HistoricalInformationPeriod`` in days."""
    issue_time: datetime
    """``ListIssueDateTime``, UTC."""
    next_update: datetime | None
    """``NextUpdate/dateTime``, UTC; None for a closed list (no further update)."""
    distribution_points: tuple[str, ...]
    """``DistributionPoints`` URIs."""
    pointers: tuple[TslPointer, ...]
    """``PointersToOtherTSL``."""
    providers: tuple[TrustServiceProvider, ...]
    """``TrustServiceProviderList``."""
    signature: SignatureSummary
    """Description of the document's signature (present or absent)."""
    tsl_id: str | None = None
    """The root's ``Id`` attribute."""

    @property
    def services(self) -> tuple[TrustService, ...]:
        """Every service of every provider, in document order."""
        return tuple(s for p in self.providers for s in p.services)
