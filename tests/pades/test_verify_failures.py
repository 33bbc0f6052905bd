"""Failing and indeterminate PAdES verdicts: tampering, bad signature values, revocation,
expiry, wrong certificates, later modifications and DocMDP."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.signers import PdfSigner

import esig
from esig import Indication, SubIndication
from esig.policy import ValidationProfile
from esig.testing import REFERENCE_TIME, TestPki
from esig.testing.server import PkiServer
from tests.pades._signing import incremental_update, sign_pdf, tiny_pdf

T = REFERENCE_TIME + timedelta(hours=10)
SOON = T + timedelta(hours=1)
ONLINE = ValidationProfile(name="online", online=True)


def roots(pki: TestPki) -> list[x509.Certificate]:
    return list(pki.roots())


def verdict(report: esig.ValidationReport) -> tuple[Indication, SubIndication | None]:
    sigs = [s for s in report.signatures if s.kind == "signature"]
    return sigs[0].indication, sigs[0].sub_indication


@pytest.fixture(scope="module")
def b_lt(pki: TestPki, pki_server: PkiServer) -> bytes:
    return sign_pdf(tiny_pdf(), pki, pki_server, "tr-nes-signer", level="B-LT", at=T)


def test_tampered_signed_bytes_are_hash_failure(b_lt: bytes, pki: TestPki) -> None:
    assert b"customs declaration 42" in b_lt
    tampered = b_lt.replace(b"customs declaration 42", b"customs declaration 99", 1)
    report = esig.verify(tampered, trust=roots(pki), validation_time=SOON)
    assert verdict(report) == (Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE)
    assert report.signatures[0].reasons[0].code == "cms.digest-mismatch"
    assert report.indication is Indication.TOTAL_FAILED


def test_altered_signature_value_is_sig_crypto_failure(b_lt: bytes, pki: TestPki) -> None:
    sig = PdfFileReader(io.BytesIO(b_lt)).embedded_signatures[0]
    value = sig.signer_info["signature"].native
    for encode in (bytes.hex, lambda b: b.hex().upper()):
        needle = encode(value[-8:]).encode()  # type: ignore[operator]
        if needle in b_lt:
            flipped = needle[:-1] + (b"0" if needle[-1:] != b"0" else b"1")
            bad = b_lt.replace(needle, flipped, 1)
            break
    else:
        pytest.fail("signature value not found in /Contents")
    report = esig.verify(bad, trust=roots(pki), validation_time=SOON)
    assert verdict(report) == (Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE)


def test_content_changed_in_a_later_revision_is_modification_failure(
    b_lt: bytes, pki: TestPki
) -> None:
    changed = incremental_update(b_lt, b"BT /F1 12 Tf 20 100 Td (customs declaration 99) Tj ET")
    report = esig.verify(changed, trust=roots(pki), validation_time=SOON)
    assert verdict(report) == (Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE)
    assert report.signatures[0].reasons[0].code == "pdf.modified-after-signing"


@pytest.mark.parametrize(
    ("certify", "expected"),
    [
        (None, (Indication.TOTAL_PASSED, None)),
        (MDPPerm.FILL_FORMS, (Indication.TOTAL_PASSED, None)),
        (MDPPerm.NO_CHANGES, (Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE)),
    ],
)
def test_second_signature_is_allowed_unless_docmdp_forbids_changes(
    pki: TestPki,
    pki_server: PkiServer,
    monkeypatch: pytest.MonkeyPatch,
    certify: MDPPerm | None,
    expected: tuple[object, object],
) -> None:
    first = sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=T, certify=certify)
    # pyHanko refuses to sign after a NO_CHANGES certification; an attacker's tool would not
    monkeypatch.setattr(PdfSigner, "_enforce_certification_constraints", lambda self, r: None)
    both = sign_pdf(first, pki, None, "az-idcard-signer", level="B-B", at=T, field="Signature2")
    pki_server.now = SOON
    report = esig.verify(both, trust=roots(pki), profile=ONLINE, validation_time=SOON)
    sig1 = next(s for s in report.signatures if s.id == "Signature1")
    sig2 = next(s for s in report.signatures if s.id == "Signature2")
    assert (sig1.indication, sig1.sub_indication) == expected
    assert (sig2.indication, sig2.sub_indication) == (Indication.TOTAL_PASSED, None)
    if certify is MDPPerm.NO_CHANGES:
        assert sig1.reasons[0].code == "pdf.modified-after-signing"
        assert "DocMDP permits NO_CHANGES" in sig1.reasons[0].message
    else:
        assert "pdf.later-changes" in [w.code for w in sig1.warnings]


def test_revoked_signer_without_poe_is_revoked_no_poe(pki: TestPki, pki_server: PkiServer) -> None:
    # tr-nes-revoked was revoked on 2026-01-15; a B-B signature proves no earlier existence
    pdf = sign_pdf(tiny_pdf(), pki, None, "tr-nes-revoked", level="B-B", at=T)
    pki_server.now = SOON
    report = esig.verify(pdf, trust=roots(pki), profile=ONLINE, validation_time=SOON)
    assert verdict(report) == (Indication.INDETERMINATE, SubIndication.REVOKED_NO_POE)
    assert report.signatures[0].reasons[0].code == "chain.revoked"


def test_signed_after_revocation_proven_by_content_timestamp_is_revoked(
    pki: TestPki, pki_server: PkiServer
) -> None:
    pdf = sign_pdf(
        tiny_pdf(), pki, pki_server, "tr-nes-revoked", level="B-T", at=T, content_timestamp=True
    )
    pki_server.now = SOON
    report = esig.verify(pdf, trust=roots(pki), profile=ONLINE, validation_time=SOON)
    assert verdict(report) == (Indication.TOTAL_FAILED, SubIndication.REVOKED)


def test_revoked_after_a_timestamped_signature_passes(pki: TestPki, pki_server: PkiServer) -> None:
    before_revocation = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
    pdf = sign_pdf(tiny_pdf(), pki, pki_server, "tr-nes-revoked", level="B-T", at=before_revocation)
    pki_server.now = SOON  # the responder now says "revoked on 2026-01-15"
    report = esig.verify(pdf, trust=roots(pki), profile=ONLINE, validation_time=SOON)
    assert verdict(report) == (Indication.TOTAL_PASSED, None)
    sig = report.signatures[0]
    assert sig.best_signature_time == before_revocation


def test_expired_signer_without_poe_is_out_of_bounds(pki: TestPki, pki_server: PkiServer) -> None:
    # tr-nes-expired: valid 2024-07-01 .. 2025-01-01
    pdf = sign_pdf(tiny_pdf(), pki, None, "tr-nes-expired", level="B-B", at=T)
    pki_server.now = SOON
    report = esig.verify(pdf, trust=roots(pki), profile=ONLINE, validation_time=SOON)
    assert verdict(report) == (Indication.INDETERMINATE, SubIndication.OUT_OF_BOUNDS_NO_POE)


def test_ca_certificate_as_signer_is_chain_constraints_failure(
    pki: TestPki, pki_server: PkiServer
) -> None:
    pdf = sign_pdf(tiny_pdf(), pki, None, "tr-nes-ca", level="B-B", at=T)
    report = esig.verify(pdf, trust=roots(pki), validation_time=SOON)
    assert verdict(report) == (Indication.INDETERMINATE, SubIndication.CHAIN_CONSTRAINTS_FAILURE)
    assert report.signatures[0].reasons[0].code == "cert.ca-as-signer"


def test_sha1_signature_is_crypto_constraints_failure(pki: TestPki, pki_server: PkiServer) -> None:
    # SHA-1's end date (2009-01-01, ETSI TS 102 176-1) passed long before the only proof of
    # existence, the validation time; the chain itself passes (revocation fetched)
    pdf = sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=T, md_algorithm="sha1")
    pki_server.now = SOON
    report = esig.verify(pdf, trust=roots(pki), profile=ONLINE, validation_time=SOON)
    assert verdict(report) == (
        Indication.INDETERMINATE,
        SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
    )
    assert report.signatures[0].reasons[0].code == "crypto.algorithm-expired"
    assert (
        report.signatures[0]
        .reasons[0]
        .message.startswith(
            "the signature value uses SHA1 with RSA-2048, acceptable until 2009-01-01"
        )
    )
