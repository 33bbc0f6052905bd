"""Certificate and signature qualification (ETSI TS 119 615, computed the way DSS computes it).

Input: the signer's certificate content (QC statements, policies, key usage...) and the trust
services that vouch for its chain, each seen at one moment as a :class:`ServiceView` (status,
type, AdditionalServiceInformation and the *captured* qualifiers, i.e. those whose criteria list
matched the certificate; for a third-country list, already mapped to EU vocabulary by
:mod:`esig.trust.recognition`). Output: :class:`~esig.report.CertificateQualification` at that
moment, then :class:`~esig.report.SignatureQualification` from the qualification at issuance and
at signing time. The steps follow DSS's ``CertQualificationAtTimeBlock``:

1. services whose status period covers the moment (third-country: only with an enacted MRA
   equivalence in force at that moment);
2. prefer ``CA/QC`` services; 3. drop services whose ASI (ForeSignatures, ForeSeals,
   ForWebSiteAuthentication) contradicts the certificate's type; 4. different verdicts from
   several services -> conflict, N/A; 5. prefer granted(-like) services; 6. take the first;
   a service that is not CA/QC or not granted cannot make a certificate qualified;
7. qualified = the certificate says so (QcCompliance, no foreign QcCClegislation; before eIDAS
   also QCP/QCP+), unless a qualifier overrides it (``NotQualified`` -> not qualified,
   ``QCStatement`` -> qualified); 8. type from QcType / QCP-n/-l policies (QcCompliance alone
   means eSig), overridden by exactly one of ``QCForESig``/``QCForESeal``/``QCForWSA``;
9. QSCD from QcSSCD / QCP-n-qscd / QCP-l-qscd, overridden by ``QCWithQSCD``,
   ``QCQSCDManagedOnBehalf``, ``QCNoQSCD``, ``QCQSCDStatusAsInCert`` (``...SSCD`` variants for
   pre-eIDAS services).

Finding codes (stable): ``qual.service``, ``qual.no-service``, ``qual.no-service-at-time``,
``qual.not-ca-qc``, ``qual.type-mismatch``, ``qual.conflict``, ``qual.not-granted``,
``qual.override``, ``qual.foreign-legislation``, ``qual.national-legislation``,
``qual.not-qualified-at-issuance``, ``qual.result``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from esig.certs import CertificateInfo
from esig.report import CertificateQualification, Finding, SignatureQualification
from esig.trust.model import (
    CertSubjectDNAttributeCriterion,
    CriteriaAssert,
    CriteriaList,
    ExtendedKeyUsageCriterion,
    QcStatementSetCriterion,
)
from esig.trust.status import EIDAS_SWITCH, is_granted_like
from esig.trust.uris import AdditionalServiceInfo, Qualifier, ServiceType

__all__ = [
    "CertificateFacts",
    "CertificateType",
    "QcContent",
    "ServiceView",
    "TimeQualification",
    "captured_qualifiers",
    "criteria_match",
    "qualification_at",
    "signature_qualification",
]

QC_COMPLIANCE = "0.4.0.1862.1.1"
QC_SSCD = "0.4.0.1862.1.4"
QC_TYPE = "0.4.0.1862.1.6"
QC_CC_LEGISLATION = "0.4.0.1862.1.7"
QCT_ESIGN = "0.4.0.1862.1.6.1"
QCT_ESEAL = "0.4.0.1862.1.6.2"
QCT_WEB = "0.4.0.1862.1.6.3"
BTK_NES = "2.16.792.1.61.0.1.5070.1.1"
_TYPE_OIDS = {"esign": QCT_ESIGN, "eseal": QCT_ESEAL, "web": QCT_WEB}

QCP_PUBLIC_WITH_SSCD = "0.4.0.1456.1.1"  # QCP+ (TS 101 456)
QCP_PUBLIC = "0.4.0.1456.1.2"  # QCP
QCP_N = "0.4.0.194112.1.0"
QCP_L = "0.4.0.194112.1.1"
QCP_N_QSCD = "0.4.0.194112.1.2"
QCP_L_QSCD = "0.4.0.194112.1.3"
QEVCP_W = "0.4.0.194112.1.4"
QNCP_W = "0.4.0.194112.1.5"
QNCP_W_GEN = "0.4.0.194112.1.6"


_CA_QC = ServiceType.CA_QC.value
_USAGE = {
    Qualifier.QC_FOR_ESIG.value: "esign",
    Qualifier.QC_FOR_ESEAL.value: "eseal",
    Qualifier.QC_FOR_WSA.value: "wsa",
}


class CertificateType(StrEnum):
    """What a certificate is for (DSS ``CertificateType``)."""

    ESIGN = "esign"
    ESEAL = "eseal"
    WSA = "wsa"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class QcContent:
    """The QC-statement content qualification reads (possibly rewritten by an MRA)."""

    compliance: bool = False
    sscd: bool = False
    types: tuple[str, ...] = ()
    """QcType OIDs."""
    cc_legislation: tuple[str, ...] = ()
    statement_ids: tuple[str, ...] = ()
    """Every QC statement OID present."""

    @classmethod
    def of(cls, info: CertificateInfo) -> QcContent:
        qc = info.qc
        return cls(
            compliance=qc.compliance,
            sscd=qc.sscd,
            types=tuple(_TYPE_OIDS.get(t, t) for t in qc.types),
            cc_legislation=tuple(c.upper() for c in qc.cc_legislation),
            statement_ids=qc.oids,
        )

    def describe(self) -> str:
        parts = []
        if self.compliance:
            parts.append("QcCompliance")
        if self.sscd:
            parts.append("QcSSCD")
        if self.types:
            parts.append("QcType=" + ",".join(self.types))
        if self.cc_legislation:
            parts.append("QcCClegislation=" + ",".join(self.cc_legislation))
        if BTK_NES in self.statement_ids:
            parts.append("BTK-NES")
        return " ".join(parts) or "no QC statements"


@dataclass(frozen=True)
class CertificateFacts:
    """What criteria lists and qualification read from a certificate."""

    info: CertificateInfo
    qc: QcContent
    policy_oids: tuple[str, ...]
    key_usage: tuple[str, ...]
    eku_oids: tuple[str, ...]
    subject_attribute_oids: tuple[str, ...]

    @classmethod
    def of(cls, info: CertificateInfo) -> CertificateFacts:
        return cls(
            info=info,
            qc=QcContent.of(info),
            policy_oids=tuple(p.oid for p in info.policies),
            key_usage=info.key_usage,
            eku_oids=tuple(e.oid for e in info.extended_key_usage),
            subject_attribute_oids=tuple(a.oid for rdn in info.subject.rdns for a in rdn),
        )

    @property
    def not_before(self) -> datetime:
        return self.info.not_before


@dataclass(frozen=True)
class ServiceView:
    """A trust service as qualification sees it at one moment (EU vocabulary)."""

    label: str
    """``territory: service name`` for messages and :attr:`QualificationOutcome.service`."""
    type_uri: str
    status: str
    start: datetime
    """Start of the status period in force."""
    additional_information: tuple[str, ...] = ()
    qualifiers: tuple[str, ...] = ()
    """Captured qualifiers (criteria already matched against the certificate)."""
    qc: QcContent | None = None
    """Certificate content as this service's recognition rewrote it; None = as in the cert."""
    home_legislation: str | None = None
    """A directly configured national list accepts QcCClegislation of its own territory."""
    findings: tuple[Finding, ...] = ()
    """Findings from building the view (MRA mapping...)."""


@dataclass(frozen=True)
class TimeQualification:
    """Qualification of a certificate at one moment, with the reasons."""

    qualification: CertificateQualification
    service: ServiceView | None
    findings: tuple[Finding, ...] = field(default=())


# --------------------------------------------------------------------------- criteria lists


def _qc_statement_set_match(crit: QcStatementSetCriterion, facts: CertificateFacts) -> bool:
    qc = facts.qc
    for st in crit.statements:
        if st.statement_id not in qc.statement_ids and not _implied(st.statement_id, qc):
            return False
        if st.qc_types and not set(st.qc_types) <= set(qc.types):
            return False
        if st.cc_legislation and not {c.upper() for c in st.cc_legislation} <= set(
            qc.cc_legislation
        ):
            return False
    return True


def _implied(oid: str, qc: QcContent) -> bool:
    return (
        (oid == QC_COMPLIANCE and qc.compliance)
        or (oid == QC_SSCD and qc.sscd)
        or (oid == QC_TYPE and bool(qc.types))
        or (oid == QC_CC_LEGISLATION and bool(qc.cc_legislation))
    )


def _conditions(criteria: CriteriaList, facts: CertificateFacts) -> list[bool]:
    out: list[bool] = []
    for bits in criteria.key_usage:
        out.append(all((b.name in facts.key_usage) == b.value for b in bits))
    for policy_set in criteria.policy_sets:
        out.append(all(oid in facts.policy_oids for oid in policy_set))
    for nested in criteria.criteria_lists:
        out.append(criteria_match(nested, facts))
    for other in criteria.other_criteria:
        if isinstance(other, ExtendedKeyUsageCriterion):
            out.append(all(o in facts.eku_oids for o in other.key_purpose_ids))
        elif isinstance(other, CertSubjectDNAttributeCriterion):
            out.append(all(o in facts.subject_attribute_oids for o in other.attribute_oids))
        elif isinstance(other, QcStatementSetCriterion):
            out.append(_qc_statement_set_match(other, facts))
        else:  # an unknown criterion can never be satisfied
            out.append(False)
    return out


def criteria_match(criteria: CriteriaList, facts: CertificateFacts) -> bool:
    """Whether ``facts`` meets ``criteria`` (``all`` / ``atLeastOne`` / ``none``)."""
    results = _conditions(criteria, facts)
    if criteria.assertion is CriteriaAssert.ALL:
        return all(results)
    if criteria.assertion is CriteriaAssert.AT_LEAST_ONE:
        return any(results)
    return not any(results)


def captured_qualifiers(
    qualifications: Sequence[tuple[tuple[str, ...], CriteriaList]], facts: CertificateFacts
) -> tuple[str, ...]:
    """The qualifiers of every (qualifiers, criteria) element whose criteria match ``facts``."""
    out: list[str] = []
    for qualifiers, criteria in qualifications:
        if criteria_match(criteria, facts):
            out.extend(q for q in qualifiers if q not in out)
    return tuple(out)


# --------------------------------------------------------------------------- per-service steps


def _post_eidas(when: datetime) -> bool:
    return when >= EIDAS_SWITCH


def _qualified_in_cert(facts: CertificateFacts, qc: QcContent, home: str | None) -> bool:
    if not _post_eidas(facts.not_before):
        return (
            qc.compliance
            or QCP_PUBLIC in facts.policy_oids
            or QCP_PUBLIC_WITH_SSCD in facts.policy_oids
        )
    accepted = {home.upper()} if home else set()
    return qc.compliance and all(c in accepted for c in qc.cc_legislation)


def _type_in_cert(facts: CertificateFacts, qc: QcContent) -> CertificateType:
    if not _post_eidas(facts.not_before):
        return CertificateType.ESIGN
    pol = facts.policy_oids
    esign = QCT_ESIGN in qc.types or QCP_N in pol or QCP_N_QSCD in pol
    eseal = QCT_ESEAL in qc.types or QCP_L in pol or QCP_L_QSCD in pol
    web = QCT_WEB in qc.types or any(p in pol for p in (QEVCP_W, QNCP_W, QNCP_W_GEN))
    count = sum((esign, eseal, web))
    if (count == 0 and qc.compliance) or (esign and count == 1):
        return CertificateType.ESIGN
    if eseal and count == 1:
        return CertificateType.ESEAL
    if web and count == 1:
        return CertificateType.WSA
    return CertificateType.UNKNOWN


def _qscd_in_cert(facts: CertificateFacts, qc: QcContent) -> bool:
    pol = facts.policy_oids
    if not _post_eidas(facts.not_before):
        return qc.sscd or QCP_PUBLIC_WITH_SSCD in pol
    return qc.sscd or QCP_N_QSCD in pol or QCP_L_QSCD in pol


def _usage(qualifiers: Sequence[str]) -> list[str]:
    return [_USAGE[q] for q in qualifiers if q in _USAGE]


def _evaluate(
    facts: CertificateFacts, svc: ServiceView | None, out: list[Finding]
) -> tuple[bool, CertificateType, bool]:
    qc = svc.qc if svc is not None and svc.qc is not None else facts.qc
    home = svc.home_legislation if svc is not None else None
    in_cert = _qualified_in_cert(facts, qc, home)
    # qualified?
    qualified = False
    if svc is not None:
        qualified = in_cert
        if Qualifier.NOT_QUALIFIED in svc.qualifiers:
            qualified = False
            if in_cert:
                out.append(
                    Finding(
                        "qual.override",
                        f"{svc.label}: qualifier NotQualified overrides "
                        f"the certificate's claim ({qc.describe()})",
                    )
                )
        elif Qualifier.QC_STATEMENT in svc.qualifiers or (
            Qualifier.QC_FOR_LEGAL_PERSON in svc.qualifiers and not _post_eidas(svc.start)
        ):
            qualified = True
            if not in_cert:
                out.append(
                    Finding(
                        "qual.override",
                        f"{svc.label}: qualifier QCStatement makes the "
                        "certificate qualified although it does not say so",
                    )
                )
        elif in_cert and qc.cc_legislation and home:
            out.append(
                Finding(
                    "qual.national-legislation",
                    f"qualified under the legislation of "
                    f"{home} (QcCClegislation {','.join(qc.cc_legislation)}), as "
                    f"{svc.label} is a directly configured national list",
                )
            )
        elif qc.compliance and not in_cert and qc.cc_legislation:
            out.append(
                Finding(
                    "qual.foreign-legislation",
                    f"QcCClegislation "
                    f"{','.join(qc.cc_legislation)}: qualified under a foreign legislation "
                    "only, and no recognition maps it",
                )
            )
    # type
    ctype = _type_in_cert(facts, qc)
    if qualified and svc is not None:
        if not _post_eidas(svc.start):
            ctype = CertificateType.ESIGN
        else:
            usage = _usage(svc.qualifiers)
            if len(usage) > 1:
                ctype = CertificateType.UNKNOWN
            elif usage:
                new = CertificateType(usage[0])
                if new is not ctype:
                    out.append(
                        Finding(
                            "qual.override",
                            f"{svc.label}: qualifier "
                            f"QCFor{_USAGE_NAME[new]} sets the type to {new.value} "
                            f"(certificate: {ctype.value})",
                        )
                    )
                ctype = new
    # QSCD
    qscd = False
    if qualified and svc is not None:
        in_cert_qscd = _qscd_in_cert(facts, qc)
        qscd = in_cert_qscd
        q = svc.qualifiers
        if _post_eidas(svc.start):
            yes = Qualifier.QC_WITH_QSCD in q or Qualifier.QC_QSCD_MANAGED_ON_BEHALF in q
            as_cert = Qualifier.QC_QSCD_STATUS_AS_IN_CERT in q
            no = Qualifier.QC_NO_QSCD in q
        else:
            yes = Qualifier.QC_WITH_SSCD in q
            as_cert = Qualifier.QC_SSCD_STATUS_AS_IN_CERT in q
            no = Qualifier.QC_NO_SSCD in q
        if yes:
            qscd = True
        elif as_cert:
            qscd = in_cert_qscd
        elif no:
            qscd = False
        if qscd != in_cert_qscd:
            out.append(
                Finding(
                    "qual.override",
                    f"{svc.label}: qualifiers say the key is "
                    f"{'' if qscd else 'not '}in a QSCD (certificate: "
                    f"{'QSCD' if in_cert_qscd else 'no QSCD claim'})",
                )
            )
    return qualified, ctype, qscd


_USAGE_NAME = {
    CertificateType.ESIGN: "ESig",
    CertificateType.ESEAL: "ESeal",
    CertificateType.WSA: "WSA",
    CertificateType.UNKNOWN: "?",
}

_MATRIX = {
    (True, CertificateType.ESIGN, True): CertificateQualification.QC_FOR_ESIG_QSCD,
    (True, CertificateType.ESIGN, False): CertificateQualification.QC_FOR_ESIG,
    (True, CertificateType.ESEAL, True): CertificateQualification.QC_FOR_ESEAL_QSCD,
    (True, CertificateType.ESEAL, False): CertificateQualification.QC_FOR_ESEAL,
    (True, CertificateType.WSA, True): CertificateQualification.QC_FOR_WSA,
    (True, CertificateType.WSA, False): CertificateQualification.QC_FOR_WSA,
    (True, CertificateType.UNKNOWN, True): CertificateQualification.QC_FOR_UNKNOWN_QSCD,
    (True, CertificateType.UNKNOWN, False): CertificateQualification.QC_FOR_UNKNOWN,
}
_NOT_QC = {
    CertificateType.ESIGN: CertificateQualification.CERT_FOR_ESIG,
    CertificateType.ESEAL: CertificateQualification.CERT_FOR_ESEAL,
    CertificateType.WSA: CertificateQualification.CERT_FOR_WSA,
    CertificateType.UNKNOWN: CertificateQualification.CERT_FOR_UNKNOWN,
}


def _matrix(qualified: bool, ctype: CertificateType, qscd: bool) -> CertificateQualification:
    return _MATRIX[(True, ctype, qscd)] if qualified else _NOT_QC[ctype]


def _type_consistent(svc: ServiceView, facts: CertificateFacts) -> bool:
    if not _post_eidas(svc.start):
        return True
    asi = set(svc.additional_information)
    wanted = {
        AdditionalServiceInfo.FOR_ESIGNATURES.value,
        AdditionalServiceInfo.FOR_ESEALS.value,
        AdditionalServiceInfo.FOR_WEB_SITE_AUTHENTICATION.value,
    }
    if not asi & wanted:
        return True
    usage = _usage(svc.qualifiers)
    qc = svc.qc if svc.qc is not None else facts.qc
    ctype = CertificateType(usage[0]) if len(usage) == 1 else _type_in_cert(facts, qc)
    need = {
        CertificateType.ESIGN: AdditionalServiceInfo.FOR_ESIGNATURES.value,
        CertificateType.ESEAL: AdditionalServiceInfo.FOR_ESEALS.value,
        CertificateType.WSA: AdditionalServiceInfo.FOR_WEB_SITE_AUTHENTICATION.value,
    }.get(ctype)
    return need is None or need in asi


def qualification_at(
    facts: CertificateFacts, services: Sequence[ServiceView], when: datetime, moment: str
) -> TimeQualification:
    """The certificate's qualification at ``when`` from the ``services`` in force then.

    ``moment`` names the time in findings (``issuance``, ``signing``). ``services`` are views
    at ``when`` of every service vouching for the chain (empty: N/A).
    """
    out: list[Finding] = []
    for svc in services:
        out.extend(svc.findings)
    if not services:
        out.append(
            Finding(
                "qual.no-service-at-time",
                f"no trust service in force at {moment} time ({when.isoformat()})",
            )
        )
        return TimeQualification(CertificateQualification.NA, None, tuple(out))
    filtered = list(services)
    caqc = [s for s in filtered if s.type_uri == _CA_QC]
    if caqc:
        filtered = caqc
    else:
        out.append(
            Finding(
                "qual.not-ca-qc",
                f"at {moment} time no matching service is of type "
                f"CA/QC ({', '.join(sorted({s.type_uri for s in services}))})",
            )
        )
    filtered = [s for s in filtered if _type_consistent(s, facts)]
    if not filtered:
        out.append(
            Finding(
                "qual.type-mismatch",
                f"at {moment} time the services' "
                "AdditionalServiceInformation does not cover the certificate's type",
            )
        )
        return TimeQualification(CertificateQualification.NA, None, tuple(out))
    if len(filtered) > 1:
        verdicts = {_matrix(*_evaluate(facts, s, [])) for s in filtered}
        if len(verdicts) > 1:
            out.append(
                Finding(
                    "qual.conflict",
                    f"at {moment} time the services disagree: "
                    + ", ".join(sorted(v.value for v in verdicts)),
                )
            )
            return TimeQualification(CertificateQualification.NA, None, tuple(out))
    granted = [s for s in filtered if is_granted_like(s.status, s.start)]
    if granted:
        filtered = granted
    selected: ServiceView | None = filtered[0]
    assert selected is not None
    out.append(
        Finding(
            "qual.service",
            f"at {moment} time: {selected.label} "
            f"({selected.type_uri}, status {selected.status} since "
            f"{selected.start.isoformat()})",
        )
    )
    if selected not in caqc or selected not in granted:
        if selected not in granted:
            out.append(
                Finding(
                    "qual.not-granted",
                    f"{selected.label} is not granted at "
                    f"{moment} time (status {selected.status.rsplit('/', 1)[-1]})",
                )
            )
        selected = None
    qualified, ctype, qscd = _evaluate(facts, selected, out)
    result = _matrix(qualified, ctype, qscd)
    out.append(Finding("qual.result", f"at {moment} time: {result.value}"))
    return TimeQualification(result, selected, tuple(out))


_SIG = {
    CertificateQualification.QC_FOR_ESIG_QSCD: SignatureQualification.QESIG,
    CertificateQualification.QC_FOR_ESEAL_QSCD: SignatureQualification.QESEAL,
    CertificateQualification.QC_FOR_UNKNOWN_QSCD: SignatureQualification.UNKNOWN_QC_QSCD,
    CertificateQualification.QC_FOR_ESIG: SignatureQualification.ADESIG_QC,
    CertificateQualification.QC_FOR_ESEAL: SignatureQualification.ADESEAL_QC,
    CertificateQualification.QC_FOR_UNKNOWN: SignatureQualification.UNKNOWN_QC,
    CertificateQualification.QC_FOR_WSA: SignatureQualification.NA,
    CertificateQualification.CERT_FOR_ESIG: SignatureQualification.ADESIG,
    CertificateQualification.CERT_FOR_ESEAL: SignatureQualification.ADESEAL,
    CertificateQualification.CERT_FOR_UNKNOWN: SignatureQualification.UNKNOWN,
    CertificateQualification.CERT_FOR_WSA: SignatureQualification.NA,
    CertificateQualification.NA: SignatureQualification.NA,
}

_DOWNGRADE = {
    CertificateQualification.QC_FOR_ESIG_QSCD: CertificateQualification.CERT_FOR_ESIG,
    CertificateQualification.QC_FOR_ESIG: CertificateQualification.CERT_FOR_ESIG,
    CertificateQualification.QC_FOR_ESEAL_QSCD: CertificateQualification.CERT_FOR_ESEAL,
    CertificateQualification.QC_FOR_ESEAL: CertificateQualification.CERT_FOR_ESEAL,
    CertificateQualification.QC_FOR_WSA: CertificateQualification.CERT_FOR_WSA,
    CertificateQualification.QC_FOR_UNKNOWN_QSCD: CertificateQualification.CERT_FOR_UNKNOWN,
    CertificateQualification.QC_FOR_UNKNOWN: CertificateQualification.CERT_FOR_UNKNOWN,
}


def signature_qualification(
    at_issuance: CertificateQualification, at_signing: CertificateQualification
) -> tuple[SignatureQualification, tuple[Finding, ...]]:
    """Signature qualification of an AdES-valid signature (DSS's matrix for TOTAL_PASSED).

    The certificate must be qualified both at issuance and at signing time; QSCD and type are
    read at signing time. Validation downgrades the token for INDETERMINATE or FAILED results.
    """
    findings: list[Finding] = []
    final = at_signing
    if at_signing.is_qualified and not at_issuance.is_qualified:
        final = _DOWNGRADE[at_signing]
        findings.append(
            Finding(
                "qual.not-qualified-at-issuance",
                "the certificate is qualified "
                f"at signing time but not at issuance ({at_issuance.value})",
            )
        )
    return _SIG[final], tuple(findings)
