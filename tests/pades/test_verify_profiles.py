"""Profiles and qualification: a valid but unqualified signature does not pass a QES profile."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from cryptography import x509

import esig
from esig import (
    CertificateQualification,
    Indication,
    SignatureLevel,
    SignatureQualification,
    SubIndication,
)
from esig.policy import load_profile
from esig.testing import REFERENCE_TIME, TestPki
from esig.testing.server import PkiServer
from esig.trust.source import QualificationOutcome
from tests.pades._signing import sign_pdf, tiny_pdf

T = REFERENCE_TIME + timedelta(hours=10)
SOON = T + timedelta(hours=1)


class FixedTrust:
    """Test double: the given anchors; qualify() answers a fixed outcome and records calls."""

    def __init__(self, roots: Sequence[x509.Certificate], signature: SignatureQualification):
        self.roots = tuple(roots)
        self.outcome = QualificationOutcome(
            signature=signature,
            at_issuance=CertificateQualification.QC_FOR_ESIG_QSCD,
            at_signing=CertificateQualification.QC_FOR_ESIG_QSCD,
            service="TR/TEST qualified CA",
        )
        self.calls: list[tuple[tuple[x509.Certificate, ...], datetime]] = []

    def anchors(self, at: datetime) -> Sequence[x509.Certificate]:
        return self.roots

    def qualify(
        self, chain: Sequence[x509.Certificate], *, signing_time: datetime
    ) -> QualificationOutcome:
        self.calls.append((tuple(chain), signing_time))
        return self.outcome


_DOCS: dict[tuple[str, str], bytes] = {}


@pytest.fixture
def doc(pki: TestPki, pki_server: PkiServer):  # type: ignore[no-untyped-def]
    def make(level: str, who: str = "tr-nes-signer") -> bytes:
        if (level, who) not in _DOCS:
            _DOCS[level, who] = sign_pdf(tiny_pdf(), pki, pki_server, who, level=level, at=T)
        return _DOCS[level, who]

    return make


def sig_of(report: esig.ValidationReport) -> esig.SignatureReport:
    return next(s for s in report.signatures if s.kind == "signature")


def test_eu_qes_profile_rejects_a_signature_of_unknown_qualification(doc, pki: TestPki) -> None:  # type: ignore[no-untyped-def]
    report = esig.verify(
        doc("B-LT"), trust=list(pki.roots()), profile="eu-qes", validation_time=SOON
    )
    sig = sig_of(report)
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CHAIN_CONSTRAINTS_FAILURE,
    )
    assert sig.reasons[0].code == "policy.not-qualified"
    assert report.profile == "eu-qes"
    # the default profile accepts the same signature
    plain = esig.verify(doc("B-LT"), trust=list(pki.roots()), validation_time=SOON)
    assert sig_of(plain).indication is Indication.TOTAL_PASSED


def test_eu_qes_profile_passes_a_qualified_signature(doc, pki: TestPki) -> None:  # type: ignore[no-untyped-def]
    trust = FixedTrust(pki.roots(), SignatureQualification.QESIG)
    sig = sig_of(esig.verify(doc("B-LT"), trust=trust, profile="eu-qes", validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert sig.qualification is SignatureQualification.QESIG
    chain, when = trust.calls[0]
    assert chain[0] == pki.cert("tr-nes-signer")
    assert chain[-1] == pki.cert("tr-root")
    assert when == T  # the best signature time, proven by the time-stamp


@pytest.mark.parametrize(
    ("qualification", "expected"),
    [
        (SignatureQualification.ADESIG_QC, SubIndication.CHAIN_CONSTRAINTS_FAILURE),
        (SignatureQualification.INDETERMINATE_QESIG, SubIndication.CHAIN_CONSTRAINTS_FAILURE),
        (SignatureQualification.QESEAL, None),
    ],
)
def test_only_qualified_outcomes_satisfy_the_qes_profile(
    doc,
    pki: TestPki,
    qualification: SignatureQualification,
    expected: SubIndication | None,  # type: ignore[no-untyped-def]
) -> None:
    trust = FixedTrust(pki.roots(), qualification)
    sig = sig_of(esig.verify(doc("B-LT"), trust=trust, profile="eu-qes", validation_time=SOON))
    assert sig.sub_indication is expected


def test_customs_profile_passes_a_qualified_turkish_b_lta_ten_years_later(
    doc, pki: TestPki
) -> None:  # type: ignore[no-untyped-def]
    trust = FixedTrust(pki.roots(), SignatureQualification.QESIG)
    later = T + timedelta(days=3653)
    sig = sig_of(
        esig.verify(doc("B-LTA"), trust=trust, profile="customs-az-tr", validation_time=later)
    )
    assert (sig.indication, sig.sub_indication, sig.level) == (
        Indication.TOTAL_PASSED,
        None,
        SignatureLevel.B_LTA,
    )


def test_customs_profile_requires_a_long_term_level(
    doc,
    pki: TestPki,
    pki_server: PkiServer,  # type: ignore[no-untyped-def]
) -> None:
    trust = FixedTrust(pki.roots(), SignatureQualification.QESIG)
    online = dataclasses.replace(load_profile("customs-az-tr"), online=True)
    pki_server.now = SOON
    sig = sig_of(esig.verify(doc("B-T"), trust=trust, profile=online, validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.SIG_CONSTRAINTS_FAILURE,
    )
    assert sig.reasons[0].code == "policy.level"


def test_customs_profile_requires_an_az_or_tr_signer(doc, pki: TestPki) -> None:  # type: ignore[no-untyped-def]
    trust = FixedTrust(pki.roots(), SignatureQualification.QESIG)
    pdf = doc("B-LT", "ee-idcard-signer")
    sig = sig_of(esig.verify(pdf, trust=trust, profile="customs-az-tr", validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CHAIN_CONSTRAINTS_FAILURE,
    )
    assert sig.reasons[0].code == "policy.signer-country"
