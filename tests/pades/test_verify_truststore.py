"""End to end with the real TrustStore: an Azerbaijani ID-card B-LTA signature read through the
Turkish side's recognition (MRA) of the AZ trusted list is a QESig, ten years later, offline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

import esig
from esig import Indication, SignatureLevel, SignatureQualification, SubIndication
from esig.certs import read_certificate
from esig.testing import REFERENCE_TIME, TestPki, build_pki
from esig.trust import LotlSource, MemoryFetcher, TrustStore
from tests.pades._signing import PkiTimeStamper, sign_pdf, tiny_pdf

REPO = Path(__file__).resolve().parents[2]
LISTS = REPO / "trust_lists"
SAMPLE_KEYS = REPO / "src" / "esig" / "samples" / "pki" / "keys"
T = REFERENCE_TIME + timedelta(hours=10)
LOAD = REFERENCE_TIME + timedelta(hours=12)


@pytest.fixture(scope="module")
def sample_pki() -> TestPki:
    """The committed sample PKI (the certificates the bundled test lists describe)."""
    pki = build_pki(key_dir=SAMPLE_KEYS)
    sample = REPO / "src" / "esig" / "samples" / "pki" / "certs" / "az-idcard-signer.der"
    assert sample.read_bytes() == pki.cert("az-idcard-signer").public_bytes(Encoding.DER)
    return pki


@pytest.fixture(scope="module")
def tr_store(sample_pki: TestPki) -> TrustStore:
    """The Turkish side: its recognition list pointing to the AZ list (MRA). The recognition
    covers CA/QC services only, so the AZ time-stamping unit is added as an extra anchor."""
    fetcher = MemoryFetcher(
        {
            "https://tl.test.invalid/mra/tr-recognition.xml": (
                LISTS / "mra/tr-recognition.xml"
            ).read_bytes(),
            "https://tl.test.invalid/az/az-tl.xml": (LISTS / "az/az-tl.xml").read_bytes(),
        }
    )
    tr_operator = read_certificate(LISTS / "tr/operator/operator.TEST-ONLY.cert.pem").der
    return TrustStore.load(
        [LotlSource("https://tl.test.invalid/mra/tr-recognition.xml", (tr_operator,))],
        at=LOAD,
        fetcher=fetcher,
        extra_anchors=[sample_pki.cert("az-tsa")],
    )


@pytest.fixture(scope="module")
def az_b_lta(sample_pki: TestPki) -> bytes:
    return sign_pdf(
        tiny_pdf(),
        sample_pki,
        None,
        "az-idcard-signer",
        level="B-LTA",
        at=T,
        tsa="az-tsa",
        timestamper=PkiTimeStamper(sample_pki, "az-tsa", T),
    )


@pytest.mark.parametrize("later", [timedelta(hours=1), timedelta(days=3653)])
def test_az_signature_is_qes_under_the_customs_profile(
    az_b_lta: bytes, tr_store: TrustStore, later: timedelta
) -> None:
    report = esig.verify(
        az_b_lta, trust=tr_store, profile="customs-az-tr", validation_time=T + later
    )
    sig = next(s for s in report.signatures if s.kind == "signature")
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert sig.level is SignatureLevel.B_LTA
    assert sig.qualification is SignatureQualification.QESIG
    assert sig.signer is not None
    assert sig.signer.country == "AZ"
    assert "mra.certificate-content" in [w.code for w in sig.warnings]
    assert report.indication is Indication.TOTAL_PASSED


def test_the_same_signature_with_plain_anchors_is_not_qualified(
    az_b_lta: bytes, sample_pki: TestPki
) -> None:
    report = esig.verify(
        az_b_lta, trust=list(sample_pki.roots()), profile="customs-az-tr", validation_time=T
    )
    sig = next(s for s in report.signatures if s.kind == "signature")
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CHAIN_CONSTRAINTS_FAILURE,
    )
    assert sig.reasons[0].code == "policy.not-qualified"


def test_without_a_tsa_anchor_the_time_stamps_prove_nothing(
    az_b_lta: bytes, sample_pki: TestPki
) -> None:
    fetcher = MemoryFetcher(
        {
            "https://tl.test.invalid/mra/tr-recognition.xml": (
                LISTS / "mra/tr-recognition.xml"
            ).read_bytes(),
            "https://tl.test.invalid/az/az-tl.xml": (LISTS / "az/az-tl.xml").read_bytes(),
        }
    )
    tr_operator = read_certificate(LISTS / "tr/operator/operator.TEST-ONLY.cert.pem").der
    store = TrustStore.load(
        [LotlSource("https://tl.test.invalid/mra/tr-recognition.xml", (tr_operator,))],
        at=LOAD,
        fetcher=fetcher,
    )
    report = esig.verify(az_b_lta, trust=store, validation_time=T + timedelta(days=3653))
    sig = next(s for s in report.signatures if s.kind == "signature")
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.OUT_OF_BOUNDS_NO_POE,
    )
    assert sig.timestamps[0].sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
