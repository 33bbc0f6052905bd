"""Qualification (TS 119 615 as DSS computes it) on an EU member-state list built at test time:
qualified ID card, withdrawal, qualifier overrides, type and QSCD overrides."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from esig.certs import read_certificate
from esig.report import CertificateQualification as CQ
from esig.report import SignatureQualification as SQ
from esig.trust.builder import (
    PointerSpec,
    ProviderSpec,
    QualificationSpec,
    ServiceHistorySpec,
    ServiceSpec,
    TrustedListSpec,
)
from esig.trust.fetch import MemoryFetcher
from esig.trust.model import CriteriaAssert, CriteriaList, KeyUsageBit
from esig.trust.qualification import CertificateFacts, criteria_match, signature_qualification
from esig.trust.store import LotlSource, TrustedListSource, TrustStore
from esig.trust.uris import Qualifier, ServiceStatus, ServiceType
from tests.trust_store.conftest import (
    EE_IDCARD,
    LOAD_TIME,
    chain,
    der,
    operator_cert,
    sign_spec,
)

EE_LIST = "https://tl.test.invalid/ee/ee-tl.xml"
SIGNING = datetime(2026, 5, 20, 9, 30, tzinfo=UTC)
QCP_N_QSCD = "0.4.0.194112.1.2"


def _ee_store(
    *,
    status: str = ServiceStatus.GRANTED,
    history: tuple[ServiceHistorySpec, ...] = (),
    status_start: datetime = datetime(2024, 6, 1, tzinfo=UTC),
    qualifications: tuple[QualificationSpec, ...] = (),
    asi: tuple[str, ...] = ("http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures",),
    type_uri: str = ServiceType.CA_QC,
) -> TrustStore:
    spec = TrustedListSpec(
        territory="EE",
        operator_name="EE TEST operator",
        scheme_name="EE TEST list",
        sequence_number=7,
        tsl_type="http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric",
        issued=datetime(2026, 1, 1, tzinfo=UTC),
        next_update=datetime(2027, 1, 1, tzinfo=UTC),
        providers=(
            ProviderSpec(
                name="EE TEST QTSP",
                services=(
                    ServiceSpec(
                        type_uri=type_uri,
                        name="EE TEST ID card CA",
                        certificates=(der("ee-idcard-ca"),),
                        status=status,
                        status_start=status_start,
                        qualifications=qualifications,
                        additional_information=asi,
                        history=history,
                    ),
                ),
            ),
        ),
    )
    fetcher = MemoryFetcher({EE_LIST: sign_spec(spec, "mra")})
    return TrustStore.load(
        [TrustedListSource(EE_LIST, (operator_cert("mra"),))], at=LOAD_TIME, fetcher=fetcher
    )


def _codes(outcome: Any) -> list[str]:
    return [f.code for f in outcome.findings]


def test_member_state_qualified_id_card_is_qesig() -> None:
    outcome = _ee_store().qualify(chain(*EE_IDCARD), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_issuance, outcome.at_signing) == (
        SQ.QESIG,
        CQ.QC_FOR_ESIG_QSCD,
        CQ.QC_FOR_ESIG_QSCD,
    )
    assert outcome.service == "EE: EE TEST ID card CA (EE TEST QTSP)"
    assert _codes(outcome) == [
        "trust.anchor",
        "qual.service",
        "qual.result",
        "qual.service",
        "qual.result",
    ]


def test_member_list_through_a_lotl() -> None:
    ee = TrustedListSpec(
        territory="EE",
        operator_name="EE TEST operator",
        scheme_name="EE TEST list",
        sequence_number=7,
        tsl_type="http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric",
        issued=datetime(2026, 1, 1, tzinfo=UTC),
        next_update=datetime(2027, 1, 1, tzinfo=UTC),
        providers=(
            ProviderSpec(
                name="EE TEST QTSP",
                services=(
                    ServiceSpec(
                        type_uri=ServiceType.CA_QC,
                        name="EE TEST ID card CA",
                        certificates=(der("ee-idcard-ca"),),
                        status=ServiceStatus.GRANTED,
                        status_start=datetime(2024, 6, 1, tzinfo=UTC),
                    ),
                ),
            ),
        ),
    )
    lotl = TrustedListSpec(
        territory="EU",
        operator_name="EU TEST",
        scheme_name="EU TEST LOTL",
        sequence_number=3,
        tsl_type="http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists",
        issued=datetime(2026, 1, 1, tzinfo=UTC),
        next_update=datetime(2027, 1, 1, tzinfo=UTC),
        pointers=(
            PointerSpec(
                location=EE_LIST,
                certificates=(operator_cert("az"),),
                tsl_type="http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric",
                territory="EE",
                operator_name="EE TEST operator",
            ),
            PointerSpec(
                location="https://tl.test.invalid/ee.pdf",
                certificates=(),
                tsl_type="http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric",
                territory="EE",
                operator_name="EE",
                mime_type="application/pdf",
            ),
        ),
    )
    fetcher = MemoryFetcher({"lotl": sign_spec(lotl, "mra"), EE_LIST: sign_spec(ee, "az")})
    store = TrustStore.load(
        [LotlSource("lotl", (operator_cert("mra"),))], at=LOAD_TIME, fetcher=fetcher
    )
    assert [(x.kind, x.territory, x.sequence_number, x.via) for x in store.lists] == [
        ("lotl", "EU", 3, None),
        ("member-list", "EE", 7, "lotl"),
    ]
    assert fetcher.requested == ["lotl", EE_LIST]  # the PDF pointer is not followed
    assert store.qualify(chain(*EE_IDCARD), signing_time=SIGNING).signature is SQ.QESIG


def test_withdrawn_service_is_not_qualified_after_withdrawal() -> None:
    store = _ee_store(
        status=ServiceStatus.WITHDRAWN,
        status_start=datetime(2026, 3, 1, tzinfo=UTC),
        history=(
            ServiceHistorySpec(
                status=ServiceStatus.GRANTED, start=datetime(2024, 6, 1, tzinfo=UTC)
            ),
        ),
    )
    after = store.qualify(chain(*EE_IDCARD), signing_time=SIGNING)
    assert (after.signature, after.at_issuance, after.at_signing) == (
        SQ.ADESIG,
        CQ.QC_FOR_ESIG_QSCD,
        CQ.CERT_FOR_ESIG,
    )
    assert "qual.not-granted" in _codes(after)
    before = store.qualify(chain(*EE_IDCARD), signing_time=datetime(2026, 2, 28, tzinfo=UTC))
    assert before.signature is SQ.QESIG
    # a withdrawn CA still anchors chains
    assert {c.subject.rfc4514_string() for c in store.anchors(LOAD_TIME)} == {
        chain("ee-idcard-ca")[0].subject.rfc4514_string()
    }


def test_not_qualified_qualifier_overrides_qc_compliance() -> None:
    store = _ee_store(
        qualifications=(
            QualificationSpec(qualifiers=(Qualifier.NOT_QUALIFIED,), policy_oids=(QCP_N_QSCD,)),
        )
    )
    outcome = store.qualify(chain(*EE_IDCARD), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_issuance, outcome.at_signing) == (
        SQ.ADESIG,
        CQ.CERT_FOR_ESIG,
        CQ.CERT_FOR_ESIG,
    )
    override = [f.message for f in outcome.findings if f.code == "qual.override"]
    assert override[0] == (
        "EE: EE TEST ID card CA (EE TEST QTSP): qualifier NotQualified "
        "overrides the certificate's claim (QcCompliance QcSSCD "
        "QcType=0.4.0.1862.1.6.1)"
    )


def test_qualifier_criteria_that_do_not_match_change_nothing() -> None:
    store = _ee_store(
        qualifications=(
            QualificationSpec(qualifiers=(Qualifier.NOT_QUALIFIED,), policy_oids=("1.2.3.4",)),
        )
    )
    assert store.qualify(chain(*EE_IDCARD), signing_time=SIGNING).signature is SQ.QESIG


def test_no_qscd_and_eseal_qualifiers() -> None:
    no_qscd = _ee_store(
        qualifications=(
            QualificationSpec(qualifiers=(Qualifier.QC_NO_QSCD,), key_usage=("nonRepudiation",)),
        )
    )
    outcome = no_qscd.qualify(chain(*EE_IDCARD), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_signing) == (SQ.ADESIG_QC, CQ.QC_FOR_ESIG)
    seal = _ee_store(
        asi=(),
        qualifications=(
            QualificationSpec(qualifiers=(Qualifier.QC_FOR_ESEAL,), policy_oids=(QCP_N_QSCD,)),
        ),
    )
    outcome = seal.qualify(chain(*EE_IDCARD), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_signing) == (SQ.QESEAL, CQ.QC_FOR_ESEAL_QSCD)


def test_asi_for_eseals_does_not_cover_an_esignature_certificate() -> None:
    store = _ee_store(asi=("http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSeals",))
    outcome = store.qualify(chain(*EE_IDCARD), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_signing) == (SQ.NA, CQ.NA)
    assert "qual.type-mismatch" in _codes(outcome)


def test_ca_pkc_service_cannot_make_a_certificate_qualified() -> None:
    outcome = _ee_store(type_uri=ServiceType.CA_PKC, asi=()).qualify(
        chain(*EE_IDCARD), signing_time=SIGNING
    )
    assert (outcome.signature, outcome.at_signing) == (SQ.ADESIG, CQ.CERT_FOR_ESIG)
    assert "qual.not-ca-qc" in _codes(outcome)


def test_service_listed_after_issuance() -> None:
    outcome = _ee_store(status_start=datetime(2025, 9, 1, tzinfo=UTC)).qualify(
        chain(*EE_IDCARD), signing_time=SIGNING
    )
    assert (outcome.signature, outcome.at_issuance, outcome.at_signing) == (
        SQ.ADESIG,
        CQ.NA,
        CQ.QC_FOR_ESIG_QSCD,
    )
    assert "qual.not-qualified-at-issuance" in _codes(outcome)


def test_unrelated_chain_is_na() -> None:
    outcome = _ee_store().qualify(chain("az-idcard-signer", "az-idcard-ca"), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_issuance, outcome.service) == (SQ.NA, CQ.NA, None)
    assert _codes(outcome) == ["qual.no-service"]


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _ee_store().qualify(chain(*EE_IDCARD), signing_time=datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("assertion", "expected"),
    [
        (CriteriaAssert.ALL, False),
        (CriteriaAssert.AT_LEAST_ONE, True),
        (CriteriaAssert.NONE, False),
    ],
)
def test_criteria_assertions(assertion: CriteriaAssert, expected: bool) -> None:
    facts = CertificateFacts.of(read_certificate(der("ee-idcard-signer")))
    criteria = CriteriaList(
        assertion=assertion,
        key_usage=((KeyUsageBit("nonRepudiation", True),),),
        policy_sets=(("9.9.9",),),
    )
    assert criteria_match(criteria, facts) is expected


@pytest.mark.parametrize(
    ("issuance", "signing", "expected", "codes"),
    [
        (CQ.QC_FOR_ESIG_QSCD, CQ.QC_FOR_ESIG_QSCD, SQ.QESIG, []),
        (CQ.QC_FOR_ESEAL_QSCD, CQ.QC_FOR_ESEAL_QSCD, SQ.QESEAL, []),
        (CQ.QC_FOR_ESIG, CQ.QC_FOR_ESIG, SQ.ADESIG_QC, []),
        (CQ.QC_FOR_UNKNOWN_QSCD, CQ.QC_FOR_UNKNOWN_QSCD, SQ.UNKNOWN_QC_QSCD, []),
        (CQ.NA, CQ.QC_FOR_ESIG_QSCD, SQ.ADESIG, ["qual.not-qualified-at-issuance"]),
        (CQ.QC_FOR_ESIG_QSCD, CQ.CERT_FOR_ESIG, SQ.ADESIG, []),
        (CQ.QC_FOR_WSA, CQ.QC_FOR_WSA, SQ.NA, []),
        (CQ.NA, CQ.NA, SQ.NA, []),
    ],
)
def test_signature_matrix(issuance: CQ, signing: CQ, expected: SQ, codes: list[str]) -> None:
    result, findings = signature_qualification(issuance, signing)
    assert result is expected
    assert [f.code for f in findings] == codes
