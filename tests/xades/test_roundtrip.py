"""Sign and verify on the test PKI: every level x placement, offline years later, extension."""

from __future__ import annotations

from datetime import timedelta

import pytest

from esig.report import Indication, SignatureLevel, SignatureQualification, SubIndication
from esig.testing import TestPki
from esig.xades import Placement, extend_xml, sign_xml, verify_xml, verify_xml_signed
from tests.xades.conftest import DOC, T, TrustDouble, revocation, timestamper

LEVELS = ["B-B", "B-T", "B-LT", "B-LTA"]
PLACEMENTS = ["enveloped", "enveloping", "detached"]


def _sign(pki: TestPki, level: str, placement: str, signer: str = "az-idcard-signer") -> bytes:
    return sign_xml(
        DOC,
        pki.key(signer),
        pki.chain(signer),
        level=level,
        placement=placement,
        timestamper=timestamper(pki, signer),
        revocation=revocation(pki, signer),
        signing_time=T,
        detached_uri="declaration.xml",
    )


@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("level", LEVELS)
def test_round_trip(pki: TestPki, trust: TrustDouble, level: str, placement: str) -> None:
    signed = _sign(pki, level, placement)
    report = verify_xml(
        signed,
        trust=trust,
        validation_time=T + timedelta(hours=1),
        revocation=revocation(pki, "az-idcard-signer"),
        detached_content={"declaration.xml": DOC},
    )
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert sig.level is SignatureLevel(level)
    assert sig.qualification is SignatureQualification.QESIG
    assert sig.signer is not None
    assert sig.signer.country == "AZ"
    assert sig.claimed_signing_time == T
    assert report.validation_time == T + timedelta(hours=1)
    if level != "B-B":
        assert sig.best_signature_time == T + timedelta(minutes=1)
        assert {t.kind for t in sig.timestamps} >= {"signature-timestamp"}
    else:
        assert sig.best_signature_time == T + timedelta(hours=1)


@pytest.mark.parametrize("placement", PLACEMENTS)
@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_pass_offline_ten_years_later(
    pki: TestPki, trust: TrustDouble, level: str, placement: str
) -> None:
    signed = _sign(pki, level, placement)
    report = verify_xml(
        signed,
        trust=trust,
        validation_time=T + timedelta(days=3653),  # every leaf and CA has expired by then
        detached_content={"declaration.xml": DOC},
    )
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert sig.best_signature_time == T + timedelta(minutes=1)
    assert any(w.code == "chain.validated-at-poe" for w in sig.warnings)


def test_b_t_without_validation_data_is_out_of_bounds_ten_years_later(
    pki: TestPki, trust: TrustDouble
) -> None:
    signed = _sign(pki, "B-T", "enveloped")
    report = verify_xml(signed, trust=trust, validation_time=T + timedelta(days=3653))
    (sig,) = report.signatures
    assert sig.indication is Indication.INDETERMINATE
    assert sig.sub_indication is SubIndication.OUT_OF_BOUNDS_NO_POE


def test_b_b_without_revocation_data_is_try_later(pki: TestPki, trust: TrustDouble) -> None:
    signed = _sign(pki, "B-B", "enveloped")
    (sig,) = verify_xml(signed, trust=trust, validation_time=T).signatures
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.TRY_LATER,
    )
    assert sig.qualification is SignatureQualification.INDETERMINATE_QESIG


@pytest.mark.parametrize("signer", ["tr-nes-signer", "tr-malimuhur-seal", "ee-idcard-signer"])
def test_other_jurisdictions_and_key_types(pki: TestPki, trust: TrustDouble, signer: str) -> None:
    signed = _sign(pki, "B-LTA", "enveloped", signer)
    (sig,) = verify_xml(signed, trust=trust, validation_time=T + timedelta(days=3653)).signatures
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert sig.level is SignatureLevel.B_LTA


def test_extend_step_by_step_and_renew_archive_timestamp(pki: TestPki, trust: TrustDouble) -> None:
    signer = "tr-nes-signer"
    signed = _sign(pki, "B-B", "enveloped", signer)
    rev = revocation(pki, signer)
    levels = []
    for level in ("B-T", "B-LT", "B-LTA"):
        signed = extend_xml(signed, level, timestamper=timestamper(pki, signer), revocation=rev)
        (sig,) = verify_xml(
            signed, trust=trust, validation_time=T + timedelta(hours=2), revocation=rev
        ).signatures
        assert sig.passed, sig.reasons
        levels.append(sig.level)
    assert levels == [SignatureLevel.B_T, SignatureLevel.B_LT, SignatureLevel.B_LTA]
    # renewal: a second archive time-stamp a year later, after the first one's validation data
    later = T + timedelta(days=365)
    signed = extend_xml(
        signed,
        "B-LTA",
        timestamper=timestamper(pki, signer, later),
        revocation=revocation(pki, signer, later),
    )
    (sig,) = verify_xml(signed, trust=trust, validation_time=T + timedelta(days=3653)).signatures
    assert sig.passed, sig.reasons
    assert [t.kind for t in sig.timestamps].count("archive-timestamp") == 2
    assert all(t.indication is Indication.TOTAL_PASSED for t in sig.timestamps)


def test_signed_content_is_what_was_signed(pki: TestPki, trust: TrustDouble) -> None:
    signed = _sign(pki, "B-B", Placement.ENVELOPING)
    result = verify_xml_signed(
        signed, trust=trust, validation_time=T, revocation=revocation(pki, "az-idcard-signer")
    )
    assert result.report.passed
    kinds = [c.description for c in result.signed]
    assert any("ds:Object" in d for d in kinds)
    obj = next(c for c in result.signed if "ds:Object" in c.description)
    assert obj.element is not None
    assert obj.element.findtext(".//{urn:test:customs}Item") == "Tea"
    assert result.report.signatures[0].signed_objects == tuple(kinds)


def test_profile_requirements_apply(pki: TestPki) -> None:
    from esig.policy import ValidationProfile

    signed = _sign(pki, "B-B", "enveloped")
    rev = revocation(pki, "az-idcard-signer")
    not_qualified = TrustDouble(pki.roots(), SignatureQualification.ADESIG)
    cases = [
        (
            ValidationProfile(name="q", require_qualified=True),
            not_qualified,
            "policy.not-qualified",
        ),
        (
            ValidationProfile(name="c", signer_countries=("TR",)),
            not_qualified,
            "policy.signer-country",
        ),
        (
            ValidationProfile(name="l", minimum_level=SignatureLevel.B_LT),
            not_qualified,
            "policy.level",
        ),
    ]
    for profile, trust, code in cases:
        (sig,) = verify_xml(
            signed, trust=trust, validation_time=T, revocation=rev, profile=profile
        ).signatures
        assert sig.indication is Indication.INDETERMINATE
        assert [r.code for r in sig.reasons] == [code]
    (sig,) = verify_xml(
        signed,
        trust=not_qualified,
        validation_time=T,
        revocation=rev,
        profile=ValidationProfile(name="az", signer_countries=("AZ",)),
    ).signatures
    assert sig.passed
    assert sig.qualification is SignatureQualification.ADESIG
