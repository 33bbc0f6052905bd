"""Trusted lists (ETSI TS 119 612): parse, verify against pinned signers, read service status.

The safe entry point is :func:`verify_trusted_list`: it checks the list's signature against
pinned certificates and builds the model only from signed content. :func:`parse_trusted_list`
reads a list without any signature check (for inspection and tests).
"""

from __future__ import annotations

from esig.trust.model import (
    AdditionalServiceInformation,
    CertSubjectDNAttributeCriterion,
    CriteriaAssert,
    CriteriaList,
    DigitalIdentity,
    ExtendedKeyUsageCriterion,
    KeyUsageBit,
    LangText,
    OtherCriterion,
    QcStatementCriterion,
    QcStatementSetCriterion,
    QualificationElement,
    ServiceStatusPeriod,
    SignatureSummary,
    TakenOverBy,
    TrustedList,
    TrustService,
    TrustServiceProvider,
    TslPointer,
    UnknownCriterion,
    UnknownExtension,
)
from esig.trust.mra import (
    CertificateContentEquivalence,
    MutualRecognitionAgreement,
    QualifierEquivalence,
    ServiceTypeReference,
    StatusEquivalence,
    TrustServiceEquivalence,
)
from esig.trust.parse import parse_trusted_list
from esig.trust.status import (
    EIDAS_SWITCH,
    StatusMeaning,
    is_granted_like,
    period_meaning,
    status_at,
    status_meaning,
)
from esig.trust.tlsig import (
    LEGACY_TRUST_LIST_POLICY,
    STRICT_TRUST_LIST_POLICY,
    TrustListPolicy,
    VerifiedList,
    verify_trusted_list,
)
from esig.trust.uris import (
    AdditionalServiceInfo,
    MraEquivalenceStatus,
    Qualifier,
    ServiceStatus,
    ServiceType,
    TslType,
)

__all__ = [
    "EIDAS_SWITCH",
    "LEGACY_TRUST_LIST_POLICY",
    "STRICT_TRUST_LIST_POLICY",
    "AdditionalServiceInfo",
    "AdditionalServiceInformation",
    "CertSubjectDNAttributeCriterion",
    "CertificateContentEquivalence",
    "CriteriaAssert",
    "CriteriaList",
    "DigitalIdentity",
    "ExtendedKeyUsageCriterion",
    "KeyUsageBit",
    "LangText",
    "MraEquivalenceStatus",
    "MutualRecognitionAgreement",
    "OtherCriterion",
    "QcStatementCriterion",
    "QcStatementSetCriterion",
    "QualificationElement",
    "Qualifier",
    "QualifierEquivalence",
    "ServiceStatus",
    "ServiceStatusPeriod",
    "ServiceType",
    "ServiceTypeReference",
    "SignatureSummary",
    "StatusEquivalence",
    "StatusMeaning",
    "TakenOverBy",
    "TrustListPolicy",
    "TrustService",
    "TrustServiceEquivalence",
    "TrustServiceProvider",
    "TrustedList",
    "TslPointer",
    "TslType",
    "UnknownCriterion",
    "UnknownExtension",
    "VerifiedList",
    "is_granted_like",
    "parse_trusted_list",
    "period_meaning",
    "status_at",
    "status_meaning",
    "verify_trusted_list",
]
