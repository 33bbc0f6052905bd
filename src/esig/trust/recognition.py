"""Mutual recognition: read a third-country service through an EC MRA block, as DSS does.

A list of lists (the EU LOTL, or a Turkish or Azerbaijani recognition list in the same shape)
points to a third-country list and carries an ``mra:MutualRecognitionAgreementInformation``
(:class:`~esig.trust.mra.MutualRecognitionAgreement`). For a service of that list and a moment,
:func:`recognised_view` finds the one equivalence whose pointed-party service type (and ASI) and
status list match the service, takes the equivalence version in force at that moment (enacted or
repealed, from ``TrustServiceEquivalenceStatusStartingTime`` and the equivalence history) and
rewrites the service into the pointing party's vocabulary (DSS
``XmlTrustServiceProviderBuilder.getEquivalent``): service type and ASI, status, qualifiers. The
certificate's QC statements are rewritten (``CertificateContentReferenceEquivalence``: contexts
QcCompliance, QcType, QcQSCD) only when the certificate was issued while an enacted version was
in force (DSS ``translateCertificate``). The third country's original values are kept in the
findings.

Finding codes: ``mra.applied``, ``mra.certificate-content``, ``mra.no-equivalence``,
``mra.ambiguous``, ``mra.not-in-force``, ``mra.repealed``, ``mra.content-not-applied``.

:func:`build_mra_element` writes an MRA block (for :class:`esig.trust.builder.PointerSpec`'s
``other_information``) from a short :class:`MraSpec`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from lxml import etree

from esig.report import Finding
from esig.trust.model import (
    CriteriaAssert,
    CriteriaList,
    QcStatementSetCriterion,
    ServiceStatusPeriod,
)
from esig.trust.mra import MutualRecognitionAgreement, TrustServiceEquivalence
from esig.trust.qualification import (
    QC_CC_LEGISLATION,
    QC_COMPLIANCE,
    QC_SSCD,
    QC_TYPE,
    QCT_ESEAL,
    QCT_ESIGN,
    QCT_WEB,
    CertificateFacts,
    QcContent,
    ServiceView,
    criteria_match,
)
from esig.trust.uris import NS_MRA, NS_SIE, NS_TSL, NS_XADES, AdditionalServiceInfo
from esig.trust.uris import MraEquivalenceStatus as MraStatus

__all__ = [
    "ContentEquivalenceSpec",
    "EquivalenceSpec",
    "MraSpec",
    "Recognition",
    "build_mra_element",
    "recognised_view",
]

_CONTEXT = "http://ec.europa.eu/tools/lotl/mra/"


@dataclass(frozen=True)
class Recognition:
    """An MRA as it applies to one third-country list."""

    mra: MutualRecognitionAgreement
    pointing_party: str
    """Who recognises (the LOTL's territory, e.g. ``EU``, ``TR``)."""
    pointed_party: str
    """Whose list is recognised (its territory, e.g. ``AZ``)."""


def _short(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- equivalence timeline


@dataclass(frozen=True)
class _Version:
    eq: TrustServiceEquivalence
    start: datetime
    end: datetime | None
    legal_identifier: str


def _versions(eq: TrustServiceEquivalence) -> list[_Version]:
    items = sorted([eq, *eq.history], key=lambda e: e.status_starting_time)
    legal = eq.legal_identifier or "?"
    out = []
    for i, item in enumerate(items):
        end = items[i + 1].status_starting_time if i + 1 < len(items) else None
        # a history instance may leave the mapping out: it then reuses the current one
        full = (
            item
            if item.type_pointed
            else replace(eq, status=item.status, status_starting_time=item.status_starting_time)
        )
        out.append(_Version(full, item.status_starting_time, end, legal))
    return out


def _in_force(versions: Sequence[_Version], when: datetime) -> _Version | None:
    for v in versions:
        if v.start <= when and (v.end is None or when < v.end):
            return v
    return None


def _matches_service(eq: TrustServiceEquivalence, period: ServiceStatusPeriod) -> bool:
    asi = {a.uri for a in period.additional_information}
    type_ok = any(
        t.type_uri == period.type_uri
        and (not t.additional_information or set(t.additional_information) & asi)
        for t in eq.type_pointed
    )
    statuses = [*eq.valid_status_equivalences, *eq.invalid_status_equivalences]
    return type_ok and any(period.status in s.pointed for s in statuses)


# --------------------------------------------------------------------------- content rewriting


@dataclass
class _Oids:
    statements: list[str]
    types: list[str]
    legislation: list[str]


def _collect(criteria: CriteriaList) -> tuple[_Oids, _Oids]:
    """DSS ``getQCStatementOids``: what the pointing side adds and removes (``none`` flips)."""
    add, remove = _Oids([], [], []), _Oids([], [], [])

    def merge(into: _Oids, src: _Oids) -> None:
        for mine, theirs in (
            (into.statements, src.statements),
            (into.types, src.types),
            (into.legislation, src.legislation),
        ):
            mine.extend(x for x in theirs if x not in mine)

    def leaf_oids(crit: QcStatementSetCriterion) -> _Oids:
        out = _Oids([], [], [])
        for st in crit.statements:
            out.statements.append(st.statement_id)
            out.types.extend(st.qc_types)
            out.legislation.extend(c.upper() for c in st.cc_legislation)
        return out

    children: list[tuple[_Oids, _Oids]] = [_collect(c) for c in criteria.criteria_lists]
    children.extend(
        (leaf_oids(o), _Oids([], [], []))
        for o in criteria.other_criteria
        if isinstance(o, QcStatementSetCriterion)
    )
    for child_add, child_remove in children:
        if criteria.assertion is CriteriaAssert.NONE:
            merge(add, child_remove)
            merge(remove, child_add)
        else:
            merge(add, child_add)
            merge(remove, child_remove)
    return add, remove


def _rewrite(qc: QcContent, context: str, add: _Oids, remove: _Oids) -> QcContent:
    name = context.removeprefix(_CONTEXT)
    if name == "QcCompliance":
        compliance = QC_COMPLIANCE in add.statements and QC_COMPLIANCE not in remove.statements
        cc = list(add.legislation) if add.legislation else list(qc.cc_legislation)
        if QC_CC_LEGISLATION in remove.statements:
            cc = [c for c in cc if c not in remove.legislation] if remove.legislation else []
        return replace(qc, compliance=compliance, cc_legislation=tuple(cc))
    if name == "QcType":
        types = list(add.types) if add.types else list(qc.types)
        if QC_TYPE in remove.statements:
            types = [t for t in types if t not in remove.types] if remove.types else []
        return replace(qc, types=tuple(types))
    if name == "QcQSCD":
        sscd = QC_SSCD in add.statements and QC_SSCD not in remove.statements
        return replace(qc, sscd=sscd)
    return qc


def _cert_type_fits(version: _Version, facts: CertificateFacts) -> bool:
    """DSS ``checkCertTypeAsiEquivalence``: the EU-side ASI must fit the certificate's QcType."""
    asis = [a for t in version.eq.type_pointing for a in (t.additional_information or ("",))]
    for asi in asis:
        if not asi:
            return True
        types = facts.qc.types
        if types:
            wanted = {
                QCT_ESIGN: AdditionalServiceInfo.FOR_ESIGNATURES,
                QCT_ESEAL: AdditionalServiceInfo.FOR_ESEALS,
                QCT_WEB: AdditionalServiceInfo.FOR_WEB_SITE_AUTHENTICATION,
            }
            if any(wanted.get(t) == asi for t in types):
                return True
        elif facts.qc.compliance:
            if asi == AdditionalServiceInfo.FOR_ESIGNATURES:
                return True
        else:
            return True
    return False


def _translate_content(
    version: _Version, facts: CertificateFacts, out: list[Finding]
) -> QcContent | None:
    eq = version.eq
    if not eq.certificate_content_equivalences:
        return None
    original = facts.qc
    qc = original
    applied = []
    for content in eq.certificate_content_equivalences:
        if criteria_match(content.pointed, facts):
            add, remove = _collect(content.pointing)
            qc = _rewrite(qc, content.context, add, remove)
            applied.append(_short(content.context))
    statements = list(original.statement_ids)
    for flag, oid in (
        (qc.compliance, QC_COMPLIANCE),
        (qc.sscd, QC_SSCD),
        (bool(qc.types), QC_TYPE),
        (bool(qc.cc_legislation), QC_CC_LEGISLATION),
    ):
        if flag and oid not in statements:
            statements.append(oid)
        elif not flag and oid in statements:
            statements.remove(oid)
    qc = replace(qc, statement_ids=tuple(statements))
    out.append(
        Finding(
            "mra.certificate-content",
            f"{version.legal_identifier}: certificate content "
            f'[{", ".join(applied) or "no context matched"}] read as "{qc.describe()}" '
            f'(third-country original: "{original.describe()}")',
        )
    )
    return qc


# --------------------------------------------------------------------------- the view


def recognised_view(
    recognition: Recognition,
    period: ServiceStatusPeriod,
    captured: tuple[str, ...],
    facts: CertificateFacts,
    when: datetime,
    label: str,
    moment: str,
) -> tuple[ServiceView | None, tuple[Finding, ...]]:
    """The third-country ``period`` in the pointing party's vocabulary at ``when``, or None.

    ``captured`` are the service's qualifiers whose criteria matched the certificate (third
    country URIs). None when no single equivalence covers the service, or the equivalence is
    not enacted at ``when``; the findings say which.
    """
    out: list[Finding] = []
    who = f"{recognition.pointing_party} recognition of {recognition.pointed_party}"
    candidates = []
    for eq in recognition.mra.equivalences:
        versions = [v for v in _versions(eq) if v.end is None or v.end > facts.not_before]
        if any(_matches_service(v.eq, period) for v in versions):
            candidates.append(versions)
    if not candidates:
        out.append(
            Finding(
                "mra.no-equivalence",
                f"{who}: no equivalence covers {label} "
                f"(type {period.type_uri}, status {period.status})",
            )
        )
        return None, tuple(out)
    if len(candidates) > 1:
        out.append(
            Finding(
                "mra.ambiguous",
                f"{who}: {len(candidates)} equivalences cover {label}; MRA rules are not applied",
            )
        )
        return None, tuple(out)
    versions = candidates[0]
    version = _in_force(versions, when)
    if version is None:
        first = min(v.start for v in versions)
        out.append(
            Finding(
                "mra.not-in-force",
                f"{who}: {versions[0].legal_identifier} is not "
                f"in force at {moment} time ({when.isoformat()}; first version starts "
                f"{first.isoformat()})",
            )
        )
        return None, tuple(out)
    if version.eq.status != MraStatus.ENACTED:
        out.append(
            Finding(
                "mra.repealed",
                f"{who}: {version.legal_identifier} is "
                f"{_short(version.eq.status)} since {version.start.isoformat()} "
                f"(at {moment} time)",
            )
        )
        return None, tuple(out)
    eq = version.eq
    # type and ASI
    asi = tuple(a.uri for a in period.additional_information)
    new_type, new_asi = period.type_uri, asi
    for pointed, pointing in zip(
        eq.type_pointed, eq.type_pointing or eq.type_pointed, strict=False
    ):
        if pointed.type_uri == period.type_uri:
            new_type = pointing.type_uri
            if asi:
                new_asi = tuple(
                    (pointing.additional_information[:1] or (a,))[0]
                    if a in pointed.additional_information
                    else a
                    for a in asi
                )
            else:
                new_asi = pointing.additional_information[:1]
            break
    # status
    new_status = period.status
    for st in (*eq.valid_status_equivalences, *eq.invalid_status_equivalences):
        if period.status in st.pointed and st.pointing:
            new_status = st.pointing[0]
            break
    # qualifiers
    mapping = {q.pointed: q.pointing for q in eq.qualifier_equivalences}
    new_qualifiers = tuple(dict.fromkeys(mapping.get(q, q) for q in captured))
    mapped = ", ".join(_short(q) for q in new_qualifiers) or "-"
    out.append(
        Finding(
            "mra.applied",
            f"{who}: {version.legal_identifier} enacted since {version.start.isoformat()}; "
            f"{label}: type {period.type_uri} -> {new_type}"
            + (f" ({', '.join(_short(a) for a in new_asi)})" if new_asi else "")
            + f"; status {period.status} -> {new_status}; qualifiers "
            f"[{', '.join(captured) or '-'}] -> [{mapped}]",
        )
    )
    # certificate content: only for certificates issued under an enacted version
    qc = None
    at_issuance = _in_force(versions, facts.not_before)
    if (
        at_issuance is not None
        and at_issuance.eq.status == MraStatus.ENACTED
        and _cert_type_fits(at_issuance, facts)
    ):
        qc = _translate_content(at_issuance, facts, out)
    else:
        out.append(
            Finding(
                "mra.content-not-applied",
                f"{who}: the certificate was issued "
                f"({facts.not_before.isoformat()}) while no enacted equivalence was in "
                "force; its QC statements are read as they are",
            )
        )
    view = ServiceView(
        label=label,
        type_uri=new_type,
        status=new_status,
        start=period.start,
        additional_information=new_asi,
        qualifiers=new_qualifiers,
        qc=qc,
        home_legislation=None,
        findings=tuple(out),
    )
    return view, ()


# --------------------------------------------------------------------------- writing MRA blocks


@dataclass(frozen=True)
class ContentEquivalenceSpec:
    """One certificate-content equivalence: ``context`` is ``QcCompliance``, ``QcType`` or
    ``QcQSCD``; ``pointed`` the statements the third-country certificate carries (OID, or
    ``OID:CC`` for a QcCClegislation country, ``OID=TYPEOID`` for a QcType); ``add`` and
    ``remove`` the EU-side statements in the same notation."""

    context: str
    pointed: tuple[str, ...]
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class EquivalenceSpec:
    """One ``TrustServiceEquivalenceInformation``."""

    legal_identifier: str
    status: str
    """``enacted`` or ``repealed`` (or the full URI)."""
    start: datetime
    pointing_type: str
    pointed_type: str
    pointing_asi: tuple[str, ...] = ()
    status_valid: tuple[tuple[str, str], ...] = ()
    """(pointing, pointed) status URI pairs meaning valid."""
    status_invalid: tuple[tuple[str, str], ...] = ()
    qualifiers: tuple[tuple[str, str], ...] = ()
    """(pointing, pointed) qualifier URI pairs."""
    content: tuple[ContentEquivalenceSpec, ...] = ()
    history: tuple[tuple[str, datetime], ...] = ()
    """Earlier (status, start) versions with the same mapping."""


@dataclass(frozen=True)
class MraSpec:
    """An MRA block: who recognises whom, and the equivalences."""

    pointing_legislation: str
    pointed_legislation: str
    equivalences: tuple[EquivalenceSpec, ...]


def _e(
    parent: etree._Element, ns: str, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def _oid(parent: etree._Element, ns: str, tag: str, oid: str) -> None:
    holder = _e(parent, ns, tag)
    _e(holder, NS_XADES, "Identifier", f"urn:oid:{oid}", Qualifier="OIDAsURN")


def _statement_set(parent: etree._Element, items: Sequence[str]) -> None:
    other = _e(parent, NS_SIE, "otherCriteriaList")
    qset = _e(other, NS_MRA, "QcStatementSet")
    for item in items:
        oid, cc, qct = item, None, None
        if ":" in item:
            oid, cc = item.split(":", 1)
        elif "=" in item:
            oid, qct = item.split("=", 1)
        st = _e(qset, NS_MRA, "QcStatement")
        _oid(st, NS_MRA, "QcStatementId", oid)
        if cc or qct:
            info = _e(st, NS_MRA, "QcStatementInfo")
            if qct:
                _oid(info, NS_MRA, "QcType", qct)
            if cc:
                _e(info, NS_MRA, "QcCClegislation", cc)


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _status_uri(value: str) -> str:
    return value if "/" in value else f"http://ec.europa.eu/tools/lotl/mra/{value}"


def _equivalence_body(
    parent: etree._Element, eq: EquivalenceSpec, status: str, start: datetime, *, legal: bool
) -> None:
    if legal:
        _e(parent, NS_MRA, "TrustServiceLegalIdentifier", eq.legal_identifier)
    types = _e(parent, NS_MRA, "TrustServiceTSLTypeEquivalenceList")
    for side, type_uri, asis in (
        ("TrustServiceTSLTypeListPointingParty", eq.pointing_type, eq.pointing_asi),
        ("TrustServiceTSLTypeListPointedParty", eq.pointed_type, ()),
    ):
        ref = _e(_e(types, NS_MRA, side), NS_MRA, "TrustServiceTSLType")
        _e(ref, NS_TSL, "ServiceTypeIdentifier", type_uri)
        for asi in asis:
            _e(_e(ref, NS_TSL, "AdditionalServiceInformation"), NS_TSL, "URI", asi)
    _e(parent, NS_MRA, "TrustServiceEquivalenceStatus", _status_uri(status))
    _e(parent, NS_MRA, "TrustServiceEquivalenceStatusStartingTime", _time(start))
    statuses = _e(parent, NS_MRA, "TrustServiceTSLStatusEquivalenceList")
    for kind, pairs in (("Valid", eq.status_valid), ("Invalid", eq.status_invalid)):
        for pointing, pointed in pairs:
            holder = _e(statuses, NS_MRA, f"TrustServiceTSLStatus{kind}Equivalence")
            _e(
                _e(holder, NS_MRA, "TrustServiceTSLStatusListPointingParty"),
                NS_TSL,
                "ServiceStatus",
                pointing,
            )
            _e(
                _e(holder, NS_MRA, "TrustServiceTSLStatusListPointedParty"),
                NS_TSL,
                "ServiceStatus",
                pointed,
            )
    if eq.content:
        contents = _e(parent, NS_MRA, "CertificateContentReferencesEquivalenceList")
        for c in eq.content:
            holder = _e(contents, NS_MRA, "CertificateContentReferenceEquivalence")
            _e(
                holder,
                NS_MRA,
                "CertificateContentReferenceEquivalenceContext",
                c.context if "/" in c.context else _CONTEXT + c.context,
            )
            pointing_el = _e(
                holder, NS_MRA, "CertificateContentDeclarationPointingParty", **{"assert": "all"}
            )
            if c.add:
                _statement_set(_e(pointing_el, NS_SIE, "CriteriaList", **{"assert": "all"}), c.add)
            for item in c.remove:
                _statement_set(
                    _e(pointing_el, NS_SIE, "CriteriaList", **{"assert": "none"}), [item]
                )
            pointed_el = _e(
                holder, NS_MRA, "CertificateContentDeclarationPointedParty", **{"assert": "all"}
            )
            _statement_set(pointed_el, c.pointed)
    quals = _e(parent, NS_MRA, "TrustServiceTSLQualificationExtensionEquivalenceList")
    name = _e(quals, NS_MRA, "TrustServiceTSLQualificationExtensionName")
    _e(name, NS_MRA, "TrustServiceTSLQualificationExtensionNamePointingParty", "Sie:Q")
    _e(name, NS_MRA, "TrustServiceTSLQualificationExtensionNamePointedParty", "Sie:Q")
    qlist = _e(quals, NS_MRA, "QualifierEquivalenceList")
    for pointing_q, pointed_q in eq.qualifiers:
        q_el = _e(qlist, NS_MRA, "QualifierEquivalence")
        _e(q_el, NS_MRA, "QualifierPointingParty", uri=pointing_q)
        _e(q_el, NS_MRA, "QualifierPointedParty", uri=pointed_q)


def build_mra_element(spec: MraSpec) -> bytes:
    """The ``mra:MutualRecognitionAgreementInformation`` XML for ``spec`` (UTF-8 bytes)."""
    root = etree.Element(
        f"{{{NS_MRA}}}MutualRecognitionAgreementInformation",
        nsmap={"mra": NS_MRA, "tsl": NS_TSL, "sie": NS_SIE, "xades": NS_XADES},
    )
    root.set("technicalType", "1")
    root.set("version", "1")
    root.set("pointingContractingPartyLegislation", spec.pointing_legislation)
    root.set("pointedContractingPartyLegislation", spec.pointed_legislation)
    root.set("MRADepth", "1")
    for eq in spec.equivalences:
        info = _e(root, NS_MRA, "TrustServiceEquivalenceInformation")
        _equivalence_body(info, eq, eq.status, eq.start, legal=True)
        if eq.history:
            hist = _e(info, NS_MRA, "TrustServiceEquivalenceHistory")
            for status, start in eq.history:
                inst = _e(hist, NS_MRA, "TrustServiceEquivalenceHistoryInstance")
                _equivalence_body(inst, eq, status, start, legal=False)
    return bytes(etree.tostring(root, encoding="UTF-8"))
