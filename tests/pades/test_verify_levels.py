"""PAdES verdicts per level and over time, signed by pyHanko against the loopback PKI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509

import esig
from esig import Indication, SignatureLevel, SubIndication
from esig.policy import ValidationProfile
from esig.testing import REFERENCE_TIME, TestPki
from esig.testing.server import PkiServer
from tests.pades._signing import sign_pdf, tiny_pdf

T = REFERENCE_TIME + timedelta(hours=10)  # signing time
SOON = T + timedelta(hours=1)
TEN_YEARS = T + timedelta(days=3653)
ONLINE = ValidationProfile(name="online", online=True)

_CACHE: dict[tuple[str, str], bytes] = {}


@pytest.fixture
def signed(pki: TestPki, pki_server: PkiServer):  # type: ignore[no-untyped-def]
    def make(level: str, who: str = "tr-nes-signer") -> bytes:
        key = (level, who)
        if key not in _CACHE:
            _CACHE[key] = sign_pdf(tiny_pdf(), pki, pki_server, who, level=level, at=T)
        return _CACHE[key]

    return make


def roots(pki: TestPki) -> list[x509.Certificate]:
    return list(pki.roots())


def only(report: esig.ValidationReport, kind: str = "signature") -> esig.SignatureReport:
    matches = [s for s in report.signatures if s.kind == kind]
    assert len(matches) == 1
    return matches[0]


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_pass_offline_soon_after_signing(signed, pki: TestPki, level: str) -> None:  # type: ignore[no-untyped-def]
    report = esig.verify(signed(level), trust=roots(pki), validation_time=SOON)
    sig = only(report)
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert sig.level is SignatureLevel(level)
    assert sig.best_signature_time == T
    assert sig.signer is not None
    assert sig.signer.name == "Ayşe İlkgül Yılmazoğlu"
    assert sig.signer.country == "TR"
    assert sig.signer.national_id is not None
    assert report.indication is Indication.TOTAL_PASSED


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_pass_offline_ten_years_later(
    signed, pki: TestPki, pki_server: PkiServer, level: str
) -> None:  # type: ignore[no-untyped-def]
    """Signer (2028), CA (2036) and TSA (2028) certificates have expired and every OCSP
    response and CRL is years past its nextUpdate: the embedded data and the time-stamps still
    prove the signature, with nothing fetched."""
    pdf = signed(level)
    before = len(pki_server.requests)
    report = esig.verify(pdf, trust=roots(pki), validation_time=TEN_YEARS)
    assert len(pki_server.requests) == before  # offline: nothing fetched
    for sig in report.signatures:
        assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert only(report).level is SignatureLevel(level)
    if level == "B-LTA":
        assert only(report, "document-timestamp").best_signature_time == T


def test_b_lta_document_timestamp_is_reported(signed, pki: TestPki) -> None:  # type: ignore[no-untyped-def]
    report = esig.verify(signed("B-LTA"), trust=roots(pki), validation_time=SOON)
    ts = only(report, "document-timestamp")
    assert (ts.indication, ts.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert ts.timestamps[0].kind == "document-timestamp"
    assert ts.timestamps[0].time == T


def test_b_b_offline_without_revocation_data_is_try_later(signed, pki: TestPki) -> None:  # type: ignore[no-untyped-def]
    sig = only(esig.verify(signed("B-B"), trust=roots(pki), validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.TRY_LATER,
    )
    assert sig.reasons[0].code == "chain.no-revocation-data"


def test_b_b_online_passes_with_fetched_revocation_data(
    signed, pki: TestPki, pki_server: PkiServer
) -> None:  # type: ignore[no-untyped-def]
    pdf = signed("B-B")
    pki_server.now = SOON
    before = len(pki_server.requests)
    sig = only(esig.verify(pdf, trust=roots(pki), profile=ONLINE, validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert sig.level is SignatureLevel.B_B
    assert len(pki_server.requests) > before


def test_b_t_online_passes_at_level_b_t(signed, pki: TestPki, pki_server: PkiServer) -> None:  # type: ignore[no-untyped-def]
    pki_server.now = SOON
    sig = only(esig.verify(signed("B-T"), trust=roots(pki), profile=ONLINE, validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert sig.level is SignatureLevel.B_T
    assert [t.kind for t in sig.timestamps] == ["signature-timestamp"]


@pytest.mark.parametrize("level", ["B-B", "B-T"])
def test_without_long_term_data_ten_years_later_is_out_of_bounds(
    signed, pki: TestPki, level: str
) -> None:  # type: ignore[no-untyped-def]
    sig = only(esig.verify(signed(level), trust=roots(pki), validation_time=TEN_YEARS))
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.OUT_OF_BOUNDS_NO_POE,
    )


@pytest.mark.parametrize("level", ["B-B", "B-LTA"])
def test_untrusted_root_gives_no_certificate_chain_found(signed, pki: TestPki, level: str) -> None:  # type: ignore[no-untyped-def]
    sig = only(esig.verify(signed(level), trust=[pki.cert("ee-root")], validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
    )


def test_validation_time_must_be_aware(signed, pki: TestPki) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(esig.InputError):
        esig.verify(signed("B-B"), trust=roots(pki), validation_time=datetime(2026, 6, 1))


def test_report_round_trips_through_json(signed, pki: TestPki) -> None:  # type: ignore[no-untyped-def]
    report = esig.verify(signed("B-LTA"), trust=roots(pki), validation_time=TEN_YEARS)
    again = esig.ValidationReport.from_json(report.to_json())
    assert again == report
    assert report.validation_time == TEN_YEARS.astimezone(UTC)


def test_document_timestamp_alone(pki: TestPki, pki_server: PkiServer) -> None:
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps

    pki_server.now = T
    stamper = signers.PdfTimeStamper(
        timestamps.HTTPTimeStamper(f"{pki_server.base_url}/tsa/az-tsa")
    )
    out = stamper.timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(tiny_pdf())), "sha256")
    pdf = out.getvalue()
    offline = only(esig.verify(pdf, trust=roots(pki), validation_time=SOON), "document-timestamp")
    # the token carries only the TSA certificate: offline, its issuers are unknown
    assert (offline.indication, offline.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
    )
    assert offline.reasons[0].code == "tsa.chain.no-trust-anchor"
    pki_server.now = SOON
    online = esig.verify(pdf, trust=roots(pki), profile=ONLINE, validation_time=SOON)
    ts = only(online, "document-timestamp")
    assert (ts.indication, ts.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert ts.best_signature_time == T
    assert ts.signer is not None
    assert ts.signer.country == "AZ"
    assert "GET /certs/az-policy-ca.der" in pki_server.requests  # issuer fetched (caIssuers)
