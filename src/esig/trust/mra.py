"""The EC mutual recognition agreement (MRA) extension of a list of trusted lists.

An MRA block sits in a LOTL pointer to a third-country list, at
``OtherTSLPointer/AdditionalInformation/OtherInformation/mra:MutualRecognitionAgreementInformation``
(namespace ``http://ec.europa.eu/tools/lotl/mra/schema/v2#``, DSS ``mra_schema_v2.xsd``). Each
``TrustServiceEquivalenceInformation`` maps the third country's ("pointed party") service types,
statuses, qualifiers and certificate contents to their EU ("pointing party") equivalents.

This module only parses; applying an equivalence to a third-country service is later work. The
parser is called by :func:`esig.trust.parse_trusted_list` for every pointer carrying the block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from esig.errors import TrustListError
from esig.trust._xml import (
    child,
    child_text,
    children,
    mra,
    parse_criteria_list,
    parse_datetime,
    parse_int,
    required_text,
    text_of,
    tsl,
)
from esig.trust.model import CriteriaList

__all__ = [
    "CertificateContentEquivalence",
    "MutualRecognitionAgreement",
    "QualifierEquivalence",
    "ServiceTypeReference",
    "StatusEquivalence",
    "TrustServiceEquivalence",
    "parse_mra_element",
]


@dataclass(frozen=True)
class ServiceTypeReference:
    """An ``mra:TrustServiceTSLType``: a service type URI, optionally narrowed by ASI URIs."""

    type_uri: str
    """``ServiceTypeIdentifier``."""
    additional_information: tuple[str, ...] = ()
    """``AdditionalServiceInformation/URI`` values (e.g. ``ForeSignatures``)."""


@dataclass(frozen=True)
class StatusEquivalence:
    """One ``TrustServiceTSLStatusValidEquivalence`` or ``...InvalidEquivalence``."""

    pointing: tuple[str, ...]
    """EU status URIs."""
    pointed: tuple[str, ...]
    """Third-country status URIs equivalent to them."""


@dataclass(frozen=True)
class CertificateContentEquivalence:
    """A ``CertificateContentReferenceEquivalence``: certificate contents held equivalent."""

    context: str
    """``...EquivalenceContext`` URI (``.../mra/QcCompliance``, ``QcType``, ``QcQSCD``...)."""
    pointing: CriteriaList
    """``CertificateContentDeclarationPointingParty``: the EU-side content."""
    pointed: CriteriaList
    """``CertificateContentDeclarationPointedParty``: the third-country content."""


@dataclass(frozen=True)
class QualifierEquivalence:
    """A ``QualifierEquivalence``: a third-country qualifier URI and its EU equivalent."""

    pointing: str
    """EU qualifier URI."""
    pointed: str
    """Third-country qualifier URI."""


@dataclass(frozen=True)
class TrustServiceEquivalence:
    """A ``TrustServiceEquivalenceInformation`` (or one of its history instances)."""

    legal_identifier: str | None
    """``TrustServiceLegalIdentifier`` (e.g. ``QCForESig``); None in history instances."""
    status: str
    """``TrustServiceEquivalenceStatus`` URI (enacted or repealed)."""
    status_starting_time: datetime
    """``TrustServiceEquivalenceStatusStartingTime``, UTC."""
    type_pointing: tuple[ServiceTypeReference, ...]
    """``TrustServiceTSLTypeListPointingParty``: EU service types."""
    type_pointed: tuple[ServiceTypeReference, ...]
    """``TrustServiceTSLTypeListPointedParty``: third-country service types."""
    valid_status_equivalences: tuple[StatusEquivalence, ...]
    """Status equivalences that mean "valid"."""
    invalid_status_equivalences: tuple[StatusEquivalence, ...]
    """Status equivalences that mean "invalid"."""
    certificate_content_equivalences: tuple[CertificateContentEquivalence, ...]
    """``CertificateContentReferencesEquivalenceList``."""
    qualification_extension_names: tuple[tuple[str, str], ...]
    """``TrustServiceTSLQualificationExtensionName`` pairs (pointing, pointed)."""
    qualifier_equivalences: tuple[QualifierEquivalence, ...]
    """``QualifierEquivalenceList``."""
    history: tuple[TrustServiceEquivalence, ...] = ()
    """``TrustServiceEquivalenceHistory`` instances, in document order."""


@dataclass(frozen=True)
class MutualRecognitionAgreement:
    """An ``mra:MutualRecognitionAgreementInformation`` block."""

    technical_type: str | None
    """``technicalType`` attribute."""
    version: str | None
    """``version`` attribute."""
    pointing_legislation: str | None
    """``pointingContractingPartyLegislation`` attribute (EU side)."""
    pointed_legislation: str | None
    """``pointedContractingPartyLegislation`` attribute (third country)."""
    depth: int | None
    """``MRADepth`` attribute."""
    equivalences: tuple[TrustServiceEquivalence, ...]
    """The ``TrustServiceEquivalenceInformation`` elements, in document order."""


def parse_mra_element(elem: etree._Element) -> MutualRecognitionAgreement:
    """Parse an ``mra:MutualRecognitionAgreementInformation`` element.

    Raises :class:`~esig.errors.TrustListError` when a mandatory part is missing or malformed.
    """
    if elem.tag != mra("MutualRecognitionAgreementInformation"):
        raise TrustListError(f"not an MRA block: {elem.tag!r}")
    raw_depth = elem.get("MRADepth")
    return MutualRecognitionAgreement(
        technical_type=elem.get("technicalType"),
        version=elem.get("version"),
        pointing_legislation=elem.get("pointingContractingPartyLegislation"),
        pointed_legislation=elem.get("pointedContractingPartyLegislation"),
        depth=None if raw_depth is None else parse_int(raw_depth, "MRADepth"),
        equivalences=tuple(
            _equivalence(e, in_history=False)
            for e in children(elem, mra("TrustServiceEquivalenceInformation"))
        ),
    )


def _equivalence(elem: etree._Element, *, in_history: bool) -> TrustServiceEquivalence:
    legal_identifier = child_text(elem, mra("TrustServiceLegalIdentifier"))
    if legal_identifier is None and not in_history:
        raise TrustListError("MRA TrustServiceEquivalenceInformation without a legal identifier")
    types = child(elem, mra("TrustServiceTSLTypeEquivalenceList"))
    statuses = child(elem, mra("TrustServiceTSLStatusEquivalenceList"))
    contents = child(elem, mra("CertificateContentReferencesEquivalenceList"))
    quals = child(elem, mra("TrustServiceTSLQualificationExtensionEquivalenceList"))
    history = child(elem, mra("TrustServiceEquivalenceHistory"))
    return TrustServiceEquivalence(
        legal_identifier=legal_identifier,
        status=required_text(
            elem, mra("TrustServiceEquivalenceStatus"), "TrustServiceEquivalenceStatus"
        ),
        status_starting_time=parse_datetime(
            required_text(
                elem,
                mra("TrustServiceEquivalenceStatusStartingTime"),
                "TrustServiceEquivalenceStatusStartingTime",
            ),
            "TrustServiceEquivalenceStatusStartingTime",
        ),
        type_pointing=_types(types, "TrustServiceTSLTypeListPointingParty"),
        type_pointed=_types(types, "TrustServiceTSLTypeListPointedParty"),
        valid_status_equivalences=_statuses(statuses, "TrustServiceTSLStatusValidEquivalence"),
        invalid_status_equivalences=_statuses(statuses, "TrustServiceTSLStatusInvalidEquivalence"),
        certificate_content_equivalences=_contents(contents),
        qualification_extension_names=_extension_names(quals),
        qualifier_equivalences=_qualifiers(quals),
        history=()
        if history is None or in_history
        else tuple(
            _equivalence(h, in_history=True)
            for h in children(history, mra("TrustServiceEquivalenceHistoryInstance"))
        ),
    )


def _types(container: etree._Element | None, party: str) -> tuple[ServiceTypeReference, ...]:
    if container is None:
        return ()
    out = []
    for side in children(container, mra(party)):
        for ref in children(side, mra("TrustServiceTSLType")):
            type_uri = required_text(ref, tsl("ServiceTypeIdentifier"), "MRA ServiceTypeIdentifier")
            asi = tuple(
                v
                for a in children(ref, tsl("AdditionalServiceInformation"))
                for v in (text_of(u) for u in children(a, tsl("URI")))
                if v
            )
            out.append(ServiceTypeReference(type_uri=type_uri, additional_information=asi))
    return tuple(out)


def _statuses(container: etree._Element | None, kind: str) -> tuple[StatusEquivalence, ...]:
    if container is None:
        return ()

    def side(eq: etree._Element, party: str) -> tuple[str, ...]:
        return tuple(
            v
            for s in children(eq, mra(party))
            for v in (text_of(x) for x in children(s, tsl("ServiceStatus")))
            if v
        )

    return tuple(
        StatusEquivalence(
            pointing=side(eq, "TrustServiceTSLStatusListPointingParty"),
            pointed=side(eq, "TrustServiceTSLStatusListPointedParty"),
        )
        for eq in children(container, mra(kind))
    )


def _contents(container: etree._Element | None) -> tuple[CertificateContentEquivalence, ...]:
    if container is None:
        return ()
    out = []
    for eq in children(container, mra("CertificateContentReferenceEquivalence")):
        context = required_text(
            eq,
            mra("CertificateContentReferenceEquivalenceContext"),
            "CertificateContentReferenceEquivalenceContext",
        )
        pointing = child(eq, mra("CertificateContentDeclarationPointingParty"))
        pointed = child(eq, mra("CertificateContentDeclarationPointedParty"))
        if pointing is None or pointed is None:
            raise TrustListError(
                f"MRA certificate content equivalence {context}: a party is missing"
            )
        out.append(
            CertificateContentEquivalence(
                context=context,
                pointing=parse_criteria_list(pointing),
                pointed=parse_criteria_list(pointed),
            )
        )
    return tuple(out)


def _extension_names(container: etree._Element | None) -> tuple[tuple[str, str], ...]:
    if container is None:
        return ()
    out = []
    for name in children(container, mra("TrustServiceTSLQualificationExtensionName")):
        out.append(
            (
                child_text(name, mra("TrustServiceTSLQualificationExtensionNamePointingParty"))
                or "",
                child_text(name, mra("TrustServiceTSLQualificationExtensionNamePointedParty"))
                or "",
            )
        )
    return tuple(out)


def _qualifiers(container: etree._Element | None) -> tuple[QualifierEquivalence, ...]:
    if container is None:
        return ()
    out = []
    for eq_list in children(container, mra("QualifierEquivalenceList")):
        for eq in children(eq_list, mra("QualifierEquivalence")):
            pointing = child(eq, mra("QualifierPointingParty"))
            pointed = child(eq, mra("QualifierPointedParty"))
            p_uri = None if pointing is None else pointing.get("uri")
            q_uri = None if pointed is None else pointed.get("uri")
            if not p_uri or not q_uri:
                raise TrustListError("MRA QualifierEquivalence without both qualifier URIs")
            out.append(QualifierEquivalence(pointing=p_uri, pointed=q_uri))
    return tuple(out)
