"""The verdict model: ETSI tokens, invariants and the JSON form."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from esig.report import (
    REPORT_SCHEMA,
    CertificateQualification,
    Finding,
    Indication,
    NationalIdentity,
    SignatureLevel,
    SignatureQualification,
    SignatureReport,
    SignerIdentity,
    SubIndication,
    TimestampReport,
    ValidationReport,
)

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

# EN 319 102-1 V1.3.1 clause 5.1.3 (tables 5 and 6), as DSS's SubIndication enum lists them.
FAILED_SUBS = {
    "FORMAT_FAILURE",
    "HASH_FAILURE",
    "SIG_CRYPTO_FAILURE",
    "REVOKED",
    "EXPIRED",
    "NOT_YET_VALID",
}
INDETERMINATE_SUBS = {
    "SIG_CONSTRAINTS_FAILURE",
    "CHAIN_CONSTRAINTS_FAILURE",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE",
    "CRYPTO_CONSTRAINTS_FAILURE",
    "POLICY_PROCESSING_ERROR",
    "SIGNATURE_POLICY_NOT_AVAILABLE",
    "TIMESTAMP_ORDER_FAILURE",
    "NO_SIGNING_CERTIFICATE_FOUND",
    "NO_CERTIFICATE_CHAIN_FOUND",
    "NO_CERTIFICATE_CHAIN_FOUND_NO_POE",
    "REVOKED_NO_POE",
    "REVOKED_CA_NO_POE",
    "OUT_OF_BOUNDS_NOT_REVOKED",
    "OUT_OF_BOUNDS_NO_POE",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
    "NO_POE",
    "TRY_LATER",
    "SIGNED_DATA_NOT_FOUND",
    "NOT_YET_VALID",
}


def test_indication_tokens_and_uris() -> None:
    assert [i.value for i in Indication] == ["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"]
    assert Indication.TOTAL_PASSED.uri == "urn:etsi:019102:mainindication:total-passed"
    assert Indication.INDETERMINATE.uri == "urn:etsi:019102:mainindication:indeterminate"


def test_subindication_list_is_the_standard_one() -> None:
    assert {s.value for s in SubIndication} == FAILED_SUBS | INDETERMINATE_SUBS
    assert {s.value for s in SubIndication if Indication.TOTAL_FAILED in s.parents} == FAILED_SUBS
    assert {
        s.value for s in SubIndication if Indication.INDETERMINATE in s.parents
    } == INDETERMINATE_SUBS
    assert SubIndication.HASH_FAILURE.uri == "urn:etsi:019102:subindication:HASH_FAILURE"


def test_qualification_tokens_match_dss() -> None:
    assert SignatureQualification.QESIG.value == "QESig"
    assert SignatureQualification.ADES_QC.value == "AdES?-QC"
    assert SignatureQualification.INDETERMINATE_QESEAL.uri == (
        "urn:cef:dss:signatureQualification:indeterminateQESeal"
    )
    assert SignatureQualification.NA.uri == "urn:cef:dss:signatureQualification:notApplicable"
    assert len(SignatureQualification) == 28
    assert CertificateQualification.QC_FOR_ESIG_QSCD.value == "QC for eSig with QSCD"
    assert CertificateQualification.QC_FOR_ESIG_QSCD.is_qualified
    assert CertificateQualification.QC_FOR_ESIG_QSCD.is_qscd
    assert not CertificateQualification.CERT_FOR_ESIG.is_qualified
    assert not CertificateQualification.QC_FOR_ESIG.is_qscd
    assert SignatureQualification.QESEAL.is_qualified
    assert not SignatureQualification.INDETERMINATE_QESIG.is_qualified


@pytest.mark.parametrize(
    ("indication", "sub"),
    [
        (Indication.TOTAL_PASSED, SubIndication.HASH_FAILURE),
        (Indication.TOTAL_FAILED, None),
        (Indication.INDETERMINATE, None),
        (Indication.TOTAL_FAILED, SubIndication.OUT_OF_BOUNDS_NO_POE),
        (Indication.INDETERMINATE, SubIndication.HASH_FAILURE),
        (Indication.INDETERMINATE, SubIndication.EXPIRED),
    ],
)
def test_inconsistent_verdicts_are_refused(
    indication: Indication, sub: SubIndication | None
) -> None:
    with pytest.raises(ValueError, match="sub-indication"):
        SignatureReport(id="s", indication=indication, sub_indication=sub)


def test_naive_times_and_lists_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SignatureReport(
            id="s", indication=Indication.TOTAL_PASSED, claimed_signing_time=datetime(2026, 1, 1)
        )
    with pytest.raises(TypeError, match="tuple"):
        SignatureReport(id="s", indication=Indication.TOTAL_PASSED, reasons=[])  # type: ignore[arg-type]


def _sample_report() -> ValidationReport:
    signer = SignerIdentity(
        name="Ayşe Gül Yılmaz",
        country="TR",
        issuer="CN=TR TEST Nitelikli Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 1",
        certificate_sha256="ab" * 32,
        national_id=NationalIdentity(
            "TCKN", "TR", "10000000146", "subject.serialNumber", "certain"
        ),
    )
    good = SignatureReport(
        id="Signature1",
        indication=Indication.TOTAL_PASSED,
        level=SignatureLevel.B_LTA,
        qualification=SignatureQualification.QESIG,
        signer=signer,
        claimed_signing_time=T0 - timedelta(days=1),
        best_signature_time=datetime(2026, 5, 31, 15, 0, tzinfo=timezone(timedelta(hours=3))),
        signed_objects=("revision 1 (bytes 0-1000, 3000-4000)",),
        timestamps=(
            TimestampReport(
                kind="signature-timestamp",
                time=T0 - timedelta(days=1),
                indication=Indication.TOTAL_PASSED,
                tsa="CN=TR TEST TSA",
                qualified=True,
            ),
        ),
    )
    weak = SignatureReport(
        id="Signature2",
        indication=Indication.INDETERMINATE,
        sub_indication=SubIndication.OUT_OF_BOUNDS_NO_POE,
        level=SignatureLevel.B_B,
        reasons=(Finding("chain.expired", "the signing certificate expired on 2028-06-01"),),
    )
    return ValidationReport(
        document_name="declaration.pdf",
        document_sha256="cd" * 32,
        document_format="PAdES",
        validation_time=T0,
        profile="customs-az-tr",
        signatures=(good, weak),
    )


def test_json_round_trip_is_exact() -> None:
    report = _sample_report()
    data = json.loads(report.to_json())
    assert data["schema"] == REPORT_SCHEMA
    assert data["indication"] == "INDETERMINATE"
    assert data["sub_indication"] == "OUT_OF_BOUNDS_NO_POE"
    first = data["signatures"][0]
    assert first["qualification"] == "QESig"
    assert first["level"] == "B-LTA"
    assert first["best_signature_time"] == "2026-05-31T12:00:00Z"  # normalised to UTC
    assert first["signer"]["name"] == "Ayşe Gül Yılmaz"
    assert first["signer"]["national_id"]["value"] == "10000000146"
    back = ValidationReport.from_json(report.to_json())
    assert back == report


def test_document_verdict_is_the_worst_signature() -> None:
    report = _sample_report()
    assert report.indication is Indication.INDETERMINATE
    failed = SignatureReport(
        id="Signature3",
        indication=Indication.TOTAL_FAILED,
        sub_indication=SubIndication.HASH_FAILURE,
    )
    worse = ValidationReport(
        document_name="d.pdf",
        document_sha256="00",
        document_format="PAdES",
        validation_time=T0,
        profile="default",
        signatures=(*report.signatures, failed),
    )
    assert (worse.indication, worse.sub_indication) == (
        Indication.TOTAL_FAILED,
        SubIndication.HASH_FAILURE,
    )
    assert not worse.passed


def test_document_without_signature_is_not_passed() -> None:
    empty = ValidationReport(
        document_name="d.pdf",
        document_sha256="00",
        document_format="PAdES",
        validation_time=T0,
        profile="default",
    )
    assert (empty.indication, empty.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.SIGNED_DATA_NOT_FOUND,
    )


def test_from_dict_refuses_other_schemas() -> None:
    data = _sample_report().to_dict()
    data["schema"] = "something/else"
    with pytest.raises(ValueError, match="schema"):
        ValidationReport.from_dict(data)
