"""Why esig does not use pyHanko's ``ades_lta_validation`` for long-term validation.

pyHanko 0.38.0's EN 319 102-1 LTA process rejects pyHanko's own B-LTA output offline once the
embedded OCSP responses and CRLs are past their nextUpdate (BASELINES.md, pain point 1). These
tests keep the evidence next to esig's verdict on the very same file.
"""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation import ades
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

import esig
from esig import Indication
from esig.testing import REFERENCE_TIME, TestPki
from esig.testing.server import PkiServer
from tests.pades._signing import asn1, sign_pdf, tiny_pdf

T = REFERENCE_TIME + timedelta(hours=10)


def _pyhanko_lta(pdf: bytes, pki: TestPki, at: object) -> ades.AdESLTAValidationResult:
    rule = RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    spec = SignatureValidationSpec(
        cert_validation_policy=CertValidationPolicySpec(
            trust_manager=SimpleTrustManager.build(trust_roots=[asn1(pki.cert("tr-root"))]),
            revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy(rule, rule)),
            time_tolerance=timedelta(0),
        ),
        revinfo_gathering_policy=RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
        ),
    )
    sig = PdfReader_first_signature(pdf)
    timing = ValidationTimingInfo(at, at, False)  # type: ignore[arg-type]
    return asyncio.run(
        ades.ades_lta_validation(sig, PdfSignatureValidationSpec(spec), timing_info=timing)
    )


def PdfReader_first_signature(pdf: bytes):  # type: ignore[no-untyped-def]
    return PdfFileReader(io.BytesIO(pdf)).embedded_regular_signatures[0]


@pytest.fixture(scope="module")
def b_lta(pki: TestPki, pki_server: PkiServer) -> bytes:
    return sign_pdf(tiny_pdf(), pki, pki_server, "tr-nes-signer", level="B-LTA", at=T)


@pytest.mark.parametrize("later", [timedelta(days=30), timedelta(days=3653)])
def test_pyhanko_ades_lta_fails_offline_where_esig_passes(
    b_lta: bytes, pki: TestPki, later: timedelta
) -> None:
    at = T + later
    theirs = _pyhanko_lta(b_lta, pki, at)
    assert theirs.ades_subindic is not AdESPassed.OK  # pyHanko: INDETERMINATE
    ours = esig.verify(b_lta, trust=list(pki.roots()), validation_time=at)
    assert ours.indication is Indication.TOTAL_PASSED


def test_pyhanko_ades_lta_passes_while_revocation_data_is_fresh(b_lta: bytes, pki: TestPki) -> None:
    # the control: the same call passes an hour after signing, so the failure above is timing
    theirs = _pyhanko_lta(b_lta, pki, T + timedelta(hours=1))
    assert theirs.ades_subindic is AdESPassed.OK
