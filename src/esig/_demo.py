"""The main job on bundled TEST-ONLY material, offline: sign a customs declaration, verify it.

An Azerbaijani officer signs the bundled sample export declaration with a (test) ID card at
B-LTA; the Turkish customs side verifies it against the bundled test trusted lists, where the
Turkish recognition list (EU MRA shape) recognises the Azerbaijani list. Everything runs in
this process: OCSP responses, CRLs and the time-stamp come from the bundled test PKI's keys,
the trusted lists from ``trust_lists/``. No network is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

from esig.errors import ConfigurationError
from esig.report import ValidationReport

__all__ = ["SIGNER", "DemoResult", "run_demo", "trust_lists_dir"]

#: The test ID card that signs; the time-stamping authority (one the Turkish list trusts: the
#: recognition covers the Azerbaijani CA/QC services for e-signatures, not its TSA).
SIGNER = "az-idcard-signer"
TSA = "tr-tsa"
#: The bundled lists' URLs (what the recognition list points to) and files.
_LISTS = {
    "https://tl.test.invalid/mra/tr-recognition.xml": "mra/tr-recognition.xml",
    "https://tl.test.invalid/az/az-tl.xml": "az/az-tl.xml",
    "https://tl.test.invalid/tr/tr-tl.xml": "tr/tr-tl.xml",
}


@dataclass(frozen=True)
class DemoResult:
    """The signed declaration and the Turkish side's validation report."""

    signed_pdf: bytes
    report: ValidationReport
    signed_at: datetime


def trust_lists_dir() -> Path:
    """``trust_lists/`` of the source checkout esig runs from."""
    candidate = Path(__file__).resolve().parents[2] / "trust_lists"
    if not (candidate / "mra" / "tr-recognition.xml").is_file():
        raise ConfigurationError(
            f"the bundled test trusted lists are not at {candidate}: run the demo from a clone"
        )
    return candidate


def sample_declaration() -> bytes:
    """The bundled sample customs declaration (unsigned PDF)."""
    return (resources.files("esig") / "samples" / "customs-declaration.pdf").read_bytes()


def run_demo(*, at: datetime | None = None) -> DemoResult:
    """Sign the sample declaration at B-LTA and verify it under the customs-az-tr profile."""
    from esig.certs import read_certificate
    from esig.signing import RevocationMaterial, Signer, sign_pdf
    from esig.testing import build_pki
    from esig.testing.timestamps import local_timestamper
    from esig.trust import LotlSource, MemoryFetcher, TrustedListSource, TrustStore
    from esig.validation import verify

    now = (at or datetime.now(UTC)).replace(microsecond=0)
    keys = resources.files("esig") / "samples" / "pki" / "keys"
    pki = build_pki(key_dir=str(keys))

    def ocsp(name: str) -> bytes:
        return pki.ocsp_response(
            name, produced_at=now, this_update=now, next_update=now + timedelta(days=1)
        )

    def crl(ca: str) -> bytes:
        return pki.crl(ca, this_update=now, next_update=now + timedelta(days=7))

    revocation = RevocationMaterial(
        ocsp_responses=(ocsp(SIGNER), ocsp(TSA)),
        crls=(crl("az-root"), crl("az-policy-ca"), crl("tr-root")),
    )
    officer = Signer.from_key(pki.key(SIGNER), pki.cert(SIGNER), pki.chain(SIGNER)[1:])
    signed = sign_pdf(
        sample_declaration(),
        officer,
        level="B-LTA",
        timestamper=local_timestamper(pki, TSA),
        revocation=revocation,
        reason="Export declaration AZ-TR-2026-000123",
        location="Sadarak border crossing point",
        at=now,
        trust_roots=[pki.cert("tr-root")],
    )

    lists = trust_lists_dir()
    fetcher = MemoryFetcher({url: (lists / rel).read_bytes() for url, rel in _LISTS.items()})
    # The Turkish customs system pins its scheme operator, who signs both the Turkish trusted
    # list and the recognition list pointing to the Azerbaijani list.
    operator = read_certificate(lists / "tr" / "operator" / "operator.TEST-ONLY.cert.pem").der
    store = TrustStore.load(
        [
            TrustedListSource("https://tl.test.invalid/tr/tr-tl.xml", (operator,)),
            LotlSource("https://tl.test.invalid/mra/tr-recognition.xml", (operator,)),
        ],
        at=now,
        fetcher=fetcher,
    )
    # Verify after signing: the time-stamps were made with the real clock, after ``now``.
    checked_at = max(datetime.now(UTC), now) + timedelta(seconds=1)
    report = verify(signed, trust=store, profile="customs-az-tr", validation_time=checked_at)
    return DemoResult(signed_pdf=signed, report=report, signed_at=now)
