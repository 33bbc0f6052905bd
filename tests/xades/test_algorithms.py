"""XAdES and the algorithm policy at the proof-of-existence time (EN 319 102-1 5.2.8).

An RSA-1024 signer of the legacy TEST-ONLY PKI (valid since 2005; RSA-1024 is acceptable until
2009-01-01): without proof of existence the signature is INDETERMINATE/
CRYPTO_CONSTRAINTS_FAILURE_NO_POE today; with a signature time-stamp from 2008 it passes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from esig.report import Indication, SignatureLevel, SubIndication
from esig.testing import TestPki, build_pki
from esig.testing.declaration import LEGACY_DECLARATION, load_declaration
from esig.xades import RevocationData, sign_xml, verify_xml
from tests.xades.conftest import DOC, T, TrustDouble

SIGNER = "legacy-rsa1024-signer"
IN_2008 = datetime(2008, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def legacy() -> TestPki:
    return build_pki(load_declaration(LEGACY_DECLARATION))


def crls(legacy: TestPki, at: datetime) -> RevocationData:
    """CRLs of both legacy CAs issued at ``at``, and the TSA's chain."""
    return RevocationData(
        crls=tuple(
            legacy.crl(ca, this_update=at, next_update=at + timedelta(days=30))
            for ca in ("legacy-root", "legacy-ca")
        ),
        certificates=legacy.chain("legacy-tsa"),
    )


def test_rsa1024_after_its_end_date_without_poe_is_crypto_constraints_failure_no_poe(
    legacy: TestPki,
) -> None:
    signed = sign_xml(DOC, legacy.key(SIGNER), legacy.chain(SIGNER), signing_time=T)
    report = verify_xml(
        signed,
        trust=TrustDouble(legacy.roots()),
        validation_time=T + timedelta(hours=1),
        revocation=crls(legacy, T),
    )
    (sig,) = report.signatures
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
    signed = sign_xml(
        DOC,
        legacy.key(SIGNER),
        legacy.chain(SIGNER),
        level="B-LT",
        timestamper=lambda data: legacy.timestamp_token(data, at=IN_2008, tsa="legacy-tsa"),
        revocation=crls(legacy, IN_2008),
        signing_time=IN_2008 - timedelta(minutes=1),
    )
    report = verify_xml(
        signed, trust=TrustDouble(legacy.roots()), validation_time=T + timedelta(hours=1)
    )
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert sig.best_signature_time == IN_2008
    assert sig.level is SignatureLevel.B_LT
    assert [w.code for w in sig.warnings if w.code.startswith("crypto.")] == []
