"""PAdES and the algorithm policy at the proof-of-existence time (EN 319 102-1 5.2.8), the
signer's certificate not yet valid, and a revocation after the proof of existence.

The legacy TEST-ONLY PKI (``esig/testing/legacy_pki.toml``) is valid since 2005, so a time-stamp
from 2008 can prove that an RSA-1024 signature existed before RSA-1024's end date (2009-01-01).
(SHA-1 without proof of existence: ``test_verify_failures.py``. A SHA-1 signature time-stamped by
pyHanko gets a SHA-1 message imprint too, which itself needs a later proof of existence.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import esig
from esig import Indication, SubIndication
from esig.policy import ETSI_TS_119_312, ValidationProfile
from esig.report import SignatureLevel
from esig.testing import REFERENCE_TIME, TestPki, build_pki
from esig.testing.declaration import LEGACY_DECLARATION, load_declaration
from esig.testing.server import PkiServer
from tests.pades._signing import PkiTimeStamper, sign_pdf, tiny_pdf

T = REFERENCE_TIME + timedelta(hours=10)
SOON = T + timedelta(hours=1)
IN_2008 = datetime(2008, 6, 1, 12, 0, tzinfo=UTC)
ONLINE = ValidationProfile(name="online", online=True)


@pytest.fixture(scope="module")
def legacy_server() -> Iterator[PkiServer]:
    with PkiServer(now=SOON) as server:
        server.attach(build_pki(load_declaration(LEGACY_DECLARATION), base_url=server.base_url))
        yield server


@pytest.fixture(scope="module")
def legacy(legacy_server: PkiServer) -> TestPki:
    return legacy_server.pki


def only_signature(report: esig.ValidationReport) -> esig.SignatureReport:
    (sig,) = [s for s in report.signatures if s.kind == "signature"]
    return sig


def rsa1024_b_lt_2008(legacy: TestPki) -> bytes:
    """An RSA-1024 signature time-stamped (and its revocation data taken) on 2008-06-01."""
    return sign_pdf(
        tiny_pdf(),
        legacy,
        None,
        "legacy-rsa1024-signer",
        level="B-LT",
        at=IN_2008,
        tsa="legacy-tsa",
        timestamper=PkiTimeStamper(legacy, "legacy-tsa", IN_2008),
    )


def test_rsa1024_after_its_end_date_without_poe_is_crypto_constraints_failure_no_poe(
    legacy: TestPki, legacy_server: PkiServer
) -> None:
    pdf = sign_pdf(tiny_pdf(), legacy, None, "legacy-rsa1024-signer", level="B-B", at=T)
    legacy_server.now = SOON
    report = esig.verify(pdf, trust=legacy.roots(), profile=ONLINE, validation_time=SOON)
    sig = only_signature(report)
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
    )
    assert [r.code for r in sig.reasons] == ["crypto.algorithm-expired"]
    assert sig.reasons[0].message == (
        "the signature value uses SHA256 with RSA-1024, acceptable until 2009-01-01 under policy "
        "'etsi-ts-119312', and nothing proves it existed before then "
        "(proof of existence: 2026-06-01T11:00:00Z)"
    )


def test_rsa1024_time_stamped_before_its_end_date_passes(legacy: TestPki) -> None:
    report = esig.verify(rsa1024_b_lt_2008(legacy), trust=legacy.roots(), validation_time=SOON)
    sig = only_signature(report)
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert sig.best_signature_time == IN_2008
    assert sig.level is SignatureLevel.B_LT
    assert [w.code for w in sig.warnings if w.code.startswith("crypto.")] == []


def test_rsa1024_time_stamped_after_its_end_date_is_crypto_constraints_failure_no_poe(
    legacy: TestPki,
) -> None:
    # the same file under a policy where RSA-1024 ended on 2008-01-01: the time-stamp is too late
    strict = ValidationProfile(
        name="rsa1024-2008",
        algorithms=ETSI_TS_119_312.with_end_dates(
            {"rsa-1024": datetime(2008, 1, 1, tzinfo=UTC)}, name="rsa1024-until-2008"
        ),
    )
    report = esig.verify(
        rsa1024_b_lt_2008(legacy), trust=legacy.roots(), profile=strict, validation_time=SOON
    )
    sig = only_signature(report)
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
    )
    assert sig.reasons[0].message == (
        "the signature value uses SHA256 with RSA-1024, acceptable until 2008-01-01 under policy "
        "'rsa1024-until-2008', and nothing proves it existed before then "
        "(proof of existence: 2008-06-01T12:00:00Z)"
    )


def test_signer_not_yet_valid_at_the_validation_time_is_indeterminate_not_yet_valid(
    legacy: TestPki, legacy_server: PkiServer
) -> None:
    # legacy-late-signer is valid from 2026-09-01; no time-stamp: the best signature time is
    # the validation time, 2026-06-01
    pdf = sign_pdf(tiny_pdf(), legacy, None, "legacy-late-signer", level="B-B", at=T)
    legacy_server.now = SOON
    report = esig.verify(pdf, trust=legacy.roots(), profile=ONLINE, validation_time=SOON)
    sig = only_signature(report)
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.NOT_YET_VALID,
    )
    assert sig.best_signature_time == SOON
    assert [r.code for r in sig.reasons] == ["chain.out-of-validity"]


def test_signer_not_yet_valid_at_a_proven_signing_time_is_total_failed_not_yet_valid(
    legacy: TestPki, legacy_server: PkiServer
) -> None:
    pdf = sign_pdf(
        tiny_pdf(),
        legacy,
        None,
        "legacy-late-signer",
        level="B-T",
        at=T,
        timestamper=PkiTimeStamper(legacy, "legacy-tsa", T),
    )
    legacy_server.now = SOON
    report = esig.verify(pdf, trust=legacy.roots(), profile=ONLINE, validation_time=SOON)
    sig = only_signature(report)
    assert (sig.indication, sig.sub_indication) == (
        Indication.TOTAL_FAILED,
        SubIndication.NOT_YET_VALID,
    )
    assert sig.best_signature_time == T


def test_revoked_after_the_proof_of_existence_passes_with_a_warning_naming_the_date(
    pki: TestPki, pki_server: PkiServer
) -> None:
    # tr-nes-revoked was revoked on 2026-01-15; the signature time-stamp is from 2025-12-01
    before_revocation = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
    pdf = sign_pdf(tiny_pdf(), pki, pki_server, "tr-nes-revoked", level="B-T", at=before_revocation)
    pki_server.now = SOON
    report = esig.verify(pdf, trust=list(pki.roots()), profile=ONLINE, validation_time=SOON)
    sig = only_signature(report)
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    revoked = [w for w in sig.warnings if w.code == "chain.revoked-after-poe"]
    assert [w.message for w in revoked] == [
        "the certificate was revoked on 2026-01-15T10:00:00Z (key_compromise), after the "
        "control time 2025-12-01T09:00:00Z: it was valid then"
    ]
