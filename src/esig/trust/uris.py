"""Well-known URIs of ETSI TS 119 612 trusted lists and of the EC MRA extension.

The enums are :class:`~enum.StrEnum`, so a member compares equal to its URI string. The parsed model
(:mod:`esig.trust.model`) keeps URIs as plain strings: national lists invent their own URIs
(e.g. Ukraine's ``http://czo.gov.ua/TrstSvc/Svctype/CA/QC``), and an unknown URI must survive
parsing unchanged. Compare with ``service.status == ServiceStatus.GRANTED``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "NS_DS",
    "NS_MRA",
    "NS_SIE",
    "NS_TSL",
    "NS_TSLX",
    "NS_XADES",
    "AdditionalServiceInfo",
    "MraEquivalenceStatus",
    "Qualifier",
    "ServiceStatus",
    "ServiceType",
    "TslType",
]

#: TS 119 612 main namespace.
NS_TSL = "http://uri.etsi.org/02231/v2#"
#: TS 119 612 additional types (MimeType, TakenOverBy, ExtendedKeyUsage, CertSubjectDNAttribute).
NS_TSLX = "http://uri.etsi.org/02231/v2/additionaltypes#"
#: Service information extensions (Qualifications, CriteriaList).
NS_SIE = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
#: XAdES 1.3.2 (ObjectIdentifierType used for policy and QC statement identifiers).
NS_XADES = "http://uri.etsi.org/01903/v1.3.2#"
#: XML-DSig.
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
#: EC mutual recognition agreement extension, schema v2.
NS_MRA = "http://ec.europa.eu/tools/lotl/mra/schema/v2#"

_SVC = "http://uri.etsi.org/TrstSvc/"
_STATUS = _SVC + "TrustedList/Svcstatus/"
_SIE = _SVC + "TrustedList/SvcInfoExt/"


class ServiceStatus(StrEnum):
    """Service status URIs (TS 119 612 clause 5.5.4 and the pre-eIDAS TS 102 231 values)."""

    # eIDAS (from 2016-07-01)
    GRANTED = _STATUS + "granted"
    WITHDRAWN = _STATUS + "withdrawn"
    # national schemes (eIDAS)
    SET_BY_NATIONAL_LAW = _STATUS + "setbynationallaw"
    RECOGNISED_AT_NATIONAL_LEVEL = _STATUS + "recognisedatnationallevel"
    DEPRECATED_BY_NATIONAL_LAW = _STATUS + "deprecatedbynationallaw"
    DEPRECATED_AT_NATIONAL_LEVEL = _STATUS + "deprecatedatnationallevel"
    # Directive 1999/93/EC (before 2016-07-01)
    UNDER_SUPERVISION = _STATUS + "undersupervision"
    SUPERVISION_IN_CESSATION = _STATUS + "supervisionincessation"
    SUPERVISION_CEASED = _STATUS + "supervisionceased"
    SUPERVISION_REVOKED = _STATUS + "supervisionrevoked"
    ACCREDITED = _STATUS + "accredited"
    ACCREDITATION_CEASED = _STATUS + "accreditationceased"
    ACCREDITATION_REVOKED = _STATUS + "accreditationrevoked"


class ServiceType(StrEnum):
    """Service type identifiers (TS 119 612 clause 5.5.1)."""

    CA_QC = _SVC + "Svctype/CA/QC"
    CA_PKC = _SVC + "Svctype/CA/PKC"
    NATIONAL_ROOT_CA_QC = _SVC + "Svctype/NationalRootCA-QC"
    OCSP_QC = _SVC + "Svctype/Certstatus/OCSP/QC"
    OCSP = _SVC + "Svctype/Certstatus/OCSP"
    CRL_QC = _SVC + "Svctype/Certstatus/CRL/QC"
    CRL = _SVC + "Svctype/Certstatus/CRL"
    TSA_QTST = _SVC + "Svctype/TSA/QTST"
    TSA = _SVC + "Svctype/TSA"
    TSA_TSS_QC = _SVC + "Svctype/TSA/TSS-QC"
    TSA_TSS_ADES_QC_AND_QES = _SVC + "Svctype/TSA/TSS-AdESQCandQES"
    EDS_Q = _SVC + "Svctype/EDS/Q"
    EDS = _SVC + "Svctype/EDS"
    EDS_REM_Q = _SVC + "Svctype/EDS/REM/Q"
    EDS_REM = _SVC + "Svctype/EDS/REM"
    PSES_Q = _SVC + "Svctype/PSES/Q"
    PSES = _SVC + "Svctype/PSES"
    QES_VALIDATION_Q = _SVC + "Svctype/QESValidation/Q"
    ADES_VALIDATION = _SVC + "Svctype/AdESValidation"
    ADES_GENERATION = _SVC + "Svctype/AdESGeneration"
    REM = _SVC + "Svctype/REM"
    RA = _SVC + "Svctype/RA"
    RA_NOT_SUPERVISED = _SVC + "Svctype/RA/nothavingPKIid"
    ACA = _SVC + "Svctype/ACA"
    KESCROW = _SVC + "Svctype/KEscrow"
    PP_WA = _SVC + "Svctype/PPwd"
    SIGNATURE_POLICY_AUTHORITY = _SVC + "Svctype/SignaturePolicyAuthority"
    ARCHIV = _SVC + "Svctype/Archiv"
    ID_V = _SVC + "Svctype/IdV"
    TL_ISSUER = "http://uri.etsi.org/TrstSvd/Svctype/TLIssuer"  # "TrstSvd" (sic) in TS 119 612
    UNSPECIFIED = _SVC + "Svctype/unspecified"


class Qualifier(StrEnum):
    """Qualifier URIs of the Qualifications extension (TS 119 612 clause 5.5.9.2.3)."""

    QC_STATEMENT = _SIE + "QCStatement"
    NOT_QUALIFIED = _SIE + "NotQualified"
    QC_WITH_SSCD = _SIE + "QCWithSSCD"
    QC_NO_SSCD = _SIE + "QCNoSSCD"
    QC_SSCD_STATUS_AS_IN_CERT = _SIE + "QCSSCDStatusAsInCert"
    QC_WITH_QSCD = _SIE + "QCWithQSCD"
    QC_NO_QSCD = _SIE + "QCNoQSCD"
    QC_QSCD_STATUS_AS_IN_CERT = _SIE + "QCQSCDStatusAsInCert"
    QC_QSCD_MANAGED_ON_BEHALF = _SIE + "QCQSCDManagedOnBehalf"
    QC_FOR_LEGAL_PERSON = _SIE + "QCForLegalPerson"
    QC_FOR_ESIG = _SIE + "QCForESig"
    QC_FOR_ESEAL = _SIE + "QCForESeal"
    QC_FOR_WSA = _SIE + "QCForWSA"


class AdditionalServiceInfo(StrEnum):
    """AdditionalServiceInformation URIs (TS 119 612 clause 5.5.9.4)."""

    FOR_ESIGNATURES = _SIE + "ForeSignatures"
    FOR_ESEALS = _SIE + "ForeSeals"
    FOR_WEB_SITE_AUTHENTICATION = _SIE + "ForWebSiteAuthentication"
    ROOT_CA_QC = _SIE + "RootCA-QC"
    # TS 102 231 / TS 119 612 v1 lists spell the extension URIs with this older prefix.
    LEGACY_ROOT_CA_QC = _SVC + "eSigDir-1999-93-EC-TrustedList/SvcInfoExt/RootCA-QC"


class TslType(StrEnum):
    """TSLType URIs (TS 119 612 clause 5.3.3; TS 102 231 and the EC MRA AdES LOTL)."""

    EU_GENERIC = _SVC + "TrustedList/TSLType/EUgeneric"
    EU_LIST_OF_THE_LISTS = _SVC + "TrustedList/TSLType/EUlistofthelists"
    # Directive 1999/93/EC era (TS 102 231 v3, TS 119 612 v1)
    LEGACY_GENERIC = _SVC + "eSigDir-1999-93-EC-TrustedList/TSLType/generic"
    LEGACY_SCHEMES = _SVC + "eSigDir-1999-93-EC-TrustedList/TSLType/schemes"
    ADES_LOTL = "http://ec.europa.eu/tools/lotl/mra/ades-lotl-tsl-type"


class MraEquivalenceStatus(StrEnum):
    """Status of a trust service equivalence in the EC MRA extension."""

    ENACTED = "http://ec.europa.eu/tools/lotl/mra/enacted"
    REPEALED = "http://ec.europa.eu/tools/lotl/mra/repealed"
