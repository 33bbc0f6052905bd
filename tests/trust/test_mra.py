"""The EC MRA extension, parsed from DSS's cookbook MRA list of lists (and a synthetic block)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from esig.errors import TrustListError
from esig.trust import (
    CriteriaAssert,
    CriteriaList,
    MraEquivalenceStatus,
    MutualRecognitionAgreement,
    QcStatementCriterion,
    QcStatementSetCriterion,
    Qualifier,
    ServiceStatus,
    ServiceType,
    ServiceTypeReference,
    StatusEquivalence,
    TslType,
    parse_trusted_list,
)
from tests.trust import _tlgen

ZZ = "http://zz-trusted-list.go.zz/TrstSvc/"
QC_COMPLIANCE = "0.4.0.1862.1.1"
QC_SSCD = "0.4.0.1862.1.4"
QC_TYPE = "0.4.0.1862.1.6"
QC_CC_LEGISLATION = "0.4.0.1862.1.7"

pytestmark = pytest.mark.corpus


def _qc_set(statement_id: str, *, qc_types: tuple[str, ...] = (), cc: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return QcStatementSetCriterion(
        (QcStatementCriterion(statement_id, qc_types=qc_types, cc_legislation=cc),)
    )


def _mra(corpus: Path, name: str) -> MutualRecognitionAgreement:
    tl = parse_trusted_list((corpus / name).read_bytes())
    with_mra = [p for p in tl.pointers if p.has_mra]
    assert len(with_mra) == 1
    assert with_mra[0].mra is not None
    return with_mra[0].mra


def test_mra_lotl_pointer(corpus: Path) -> None:
    tl = parse_trusted_list((corpus / "trusted-lists/dss/cookbook-mra/mra-lotl.xml").read_bytes())
    assert tl.tsl_type == TslType.EU_LIST_OF_THE_LISTS
    assert (tl.sequence_number, tl.scheme_territory, len(tl.pointers)) == (6, "EU", 44)
    (pointer,) = [p for p in tl.pointers if p.has_mra]
    assert pointer.location == (
        "https://esignature.ec.europa.eu/efda/intl-pilot/api/v1/intl-pilot/tl/mra_tl_zz.xml"
    )
    assert pointer.tsl_type == "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/ZZlist"
    assert pointer.scheme_territory == "XX"
    assert pointer.mime_type == "application/vnd.etsi.tsl+xml"
    assert [n.text for n in pointer.scheme_operator_names] == ["XX TLSO"]
    assert pointer.scheme_type_community_rules == ("http://example/schemerules/ZZ",)
    assert len(pointer.signing_certificates) == 1


def test_mra_block(corpus: Path) -> None:
    mra = _mra(corpus, "trusted-lists/dss/cookbook-mra/mra-lotl.xml")
    assert (mra.technical_type, mra.version, mra.depth) == ("1", "1", 1)
    assert (mra.pointing_legislation, mra.pointed_legislation) == ("uri/.../", "uri/.../")
    (eq,) = mra.equivalences
    assert eq.legal_identifier == "QCForESig"
    assert eq.status == MraEquivalenceStatus.ENACTED
    assert eq.status_starting_time == datetime(2020, 5, 16, 23, 59, 59, tzinfo=UTC)
    assert eq.history == ()
    assert eq.type_pointing == (
        ServiceTypeReference(
            ServiceType.CA_QC,
            ("http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures",),
        ),
    )
    assert eq.type_pointed == (ServiceTypeReference(ZZ + "Svctype/CA/QC/for-eSig"),)
    assert eq.valid_status_equivalences == (
        StatusEquivalence((ServiceStatus.GRANTED,), (ZZ + "TrustedList/Svcstatus/granted",)),
    )
    assert eq.invalid_status_equivalences == (
        StatusEquivalence((ServiceStatus.WITHDRAWN,), (ZZ + "TrustedList/Svcstatus/withdrawn",)),
    )
    assert eq.qualification_extension_names == (("Sie:Q", "Sie:Q"),)
    assert [(q.pointing, q.pointed) for q in eq.qualifier_equivalences] == [
        (Qualifier.QC_WITH_QSCD, ZZ + "TrustedList/SvcInfoExt/QCWithQSCD"),
        (Qualifier.QC_NO_QSCD, ZZ + "TrustedList/SvcInfoExt/QCNoQSCD"),
        (Qualifier.QC_QSCD_MANAGED_ON_BEHALF, ZZ + "TrustedList/SvcInfoExt/QCQSCDManagedOnBehalf"),
        (Qualifier.QC_FOR_ESIG, ZZ + "TrustedList/SvcInfoExt/QCForESig"),
        (Qualifier.QC_FOR_ESEAL, ZZ + "TrustedList/SvcInfoExt/QCForESeal"),
        (Qualifier.QC_FOR_WSA, ZZ + "TrustedList/SvcInfoExt/QCForWSA"),
        (Qualifier.NOT_QUALIFIED, ZZ + "TrustedList/SvcInfoExt/NotQualified"),
        # The list spells it "QcStatement"; TS 119 612 says "QCStatement". Kept as written.
        (
            "http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QcStatement",
            ZZ + "TrustedList/SvcInfoExt/QcStatement",
        ),
    ]


def test_mra_certificate_content_equivalences(corpus: Path) -> None:
    (eq,) = _mra(corpus, "trusted-lists/dss/cookbook-mra/mra-lotl.xml").equivalences
    compliance, qc_type, qscd = eq.certificate_content_equivalences
    base = "http://ec.europa.eu/tools/lotl/mra/"
    assert (compliance.context, qc_type.context, qscd.context) == (
        base + "QcCompliance",
        base + "QcType",
        base + "QcQSCD",
    )
    # EU side: QcCompliance present and no QcCClegislation.
    assert compliance.pointing == CriteriaList(
        assertion=CriteriaAssert.ALL,
        criteria_lists=(
            CriteriaList(CriteriaAssert.ALL, other_criteria=(_qc_set(QC_COMPLIANCE),)),
            CriteriaList(CriteriaAssert.NONE, other_criteria=(_qc_set(QC_CC_LEGISLATION),)),
        ),
    )
    # ZZ side: QcCompliance together with QcCClegislation ZZ.
    assert compliance.pointed == CriteriaList(
        assertion=CriteriaAssert.ALL,
        other_criteria=(
            QcStatementSetCriterion(
                (
                    QcStatementCriterion(QC_COMPLIANCE),
                    QcStatementCriterion(QC_CC_LEGISLATION, cc_legislation=("ZZ",)),
                )
            ),
        ),
    )
    esign = (f"{QC_TYPE}.1",)
    assert qc_type.pointing == qc_type.pointed
    assert qc_type.pointing == CriteriaList(
        assertion=CriteriaAssert.ALL,
        criteria_lists=(
            CriteriaList(
                CriteriaAssert.AT_LEAST_ONE,
                criteria_lists=(
                    CriteriaList(
                        CriteriaAssert.ALL, other_criteria=(_qc_set(QC_TYPE, qc_types=esign),)
                    ),
                    CriteriaList(
                        CriteriaAssert.NONE, other_criteria=(_qc_set(QC_TYPE, qc_types=esign),)
                    ),
                ),
            ),
            CriteriaList(
                CriteriaAssert.NONE,
                other_criteria=(
                    _qc_set(QC_TYPE, qc_types=(f"{QC_TYPE}.2",)),
                    _qc_set(QC_TYPE, qc_types=(f"{QC_TYPE}.3",)),
                ),
            ),
        ),
    )
    assert (
        qscd.pointing
        == qscd.pointed
        == CriteriaList(CriteriaAssert.ALL, other_criteria=(_qc_set(QC_SSCD),))
    )


def test_mra_history_and_repeal(corpus: Path) -> None:
    (eq,) = _mra(corpus, "trusted-lists/dss/tsl-validation/mra-zz-lotl-history.xml").equivalences
    assert (eq.legal_identifier, eq.status, eq.status_starting_time) == (
        "QCForESig",
        MraEquivalenceStatus.REPEALED,
        datetime(2023, 5, 16, 23, 59, 59, tzinfo=UTC),
    )
    (past,) = eq.history
    assert (past.legal_identifier, past.status, past.status_starting_time) == (
        None,
        MraEquivalenceStatus.ENACTED,
        datetime(2020, 5, 16, 23, 59, 59, tzinfo=UTC),
    )
    assert len(past.qualifier_equivalences) == 8
    assert len(past.certificate_content_equivalences) == 3


def test_mra_custom_context_is_kept(corpus: Path) -> None:
    (eq,) = _mra(
        corpus, "trusted-lists/dss/tsl-validation/mra-zz-lotl-custom-equivalence-context.xml"
    ).equivalences
    assert [c.context.rsplit("/", 1)[1] for c in eq.certificate_content_equivalences] == [
        "QcCompliance",
        "QcType",
        "QcQSCD",
        "Exclusion",
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b"<mra:TrustServiceLegalIdentifier>QCForESig</mra:TrustServiceLegalIdentifier>",
            b"",
            "legal identifier",
        ),
        (b'MRADepth="1"', b'MRADepth="deep"', "MRADepth"),
        (
            b"<mra:TrustServiceEquivalenceStatusStartingTime>2020-05-16T23:59:59Z",
            b"<mra:TrustServiceEquivalenceStatusStartingTime>soon",
            "StartingTime",
        ),
    ],
)
def test_malformed_mra_block(corpus: Path, old: bytes, new: bytes, message: str) -> None:
    xml = (corpus / "trusted-lists/dss/cookbook-mra/mra-lotl.xml").read_bytes()
    assert old in xml
    with pytest.raises(TrustListError, match=message):
        parse_trusted_list(xml.replace(old, new, 1))


def test_two_mra_blocks_in_one_pointer_are_refused(corpus: Path) -> None:
    xml = (corpus / "trusted-lists/dss/cookbook-mra/mra-lotl.xml").read_bytes()
    start = xml.index(b"<mra:MutualRecognitionAgreementInformation")
    end = xml.index(b"</mra:MutualRecognitionAgreementInformation>") + len(
        b"</mra:MutualRecognitionAgreementInformation>"
    )
    doubled = xml[:end] + xml[start:end] + xml[end:]
    with pytest.raises(TrustListError, match="more than one MRA block"):
        parse_trusted_list(doubled)


def test_no_mra_in_a_plain_list() -> None:
    assert all(p.mra is None for p in parse_trusted_list(_tlgen.tl_xml()).pointers)
