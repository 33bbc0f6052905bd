"""Everything esig signs verifies TOTAL_PASSED with esig's own verification.

B-B and B-T are checked online (revocation fetched from the loopback server: they carry none);
B-LT and B-LTA offline, one hour and ten years after signing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

import esig
from esig.policy import ValidationProfile
from esig.report import Indication, SignatureLevel
from esig.signing import RevocationMaterial, Signer, sign_pdf
from esig.testing import TestPki
from esig.testing.server import PkiServer

from .conftest import NOW, signer_for

ONLINE = ValidationProfile(name="test-online", online=True)
OFFLINE = ValidationProfile(name="test-offline", online=False)


@pytest.mark.parametrize(
    ("signer_name", "level"),
    [
        ("tr-nes-signer", "B-B"),
        ("az-idcard-signer", "B-T"),
        ("ee-idcard-signer", "B-LT"),
        ("tr-malimuhur-seal", "B-LTA"),
    ],
)
def test_signed_by_esig_verified_by_esig(
    signer_name: str,
    level: str,
    pdf: bytes,
    pki: TestPki,
    pki_server: PkiServer,
    tsa_url: str,
    online: RevocationMaterial,
) -> None:
    signer: Signer = signer_for(pki, signer_name)
    signed = sign_pdf(
        pdf,
        signer,
        level=level,
        timestamper=tsa_url,
        revocation=online,
        at=NOW,
        trust_roots=[pki.cert("tr-root")],
    )
    later = [NOW + timedelta(hours=1)]
    if level in ("B-LT", "B-LTA"):
        later.append(NOW + timedelta(days=3650))
    for when in later:
        before = len(pki_server.requests)
        profile = OFFLINE if level in ("B-LT", "B-LTA") else ONLINE
        report = esig.verify(signed, trust=list(pki.roots()), profile=profile, validation_time=when)
        sig = report.signatures[0]
        assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), (
            when,
            sig.reasons,
        )
        assert sig.level is SignatureLevel(level)
        if profile is OFFLINE:
            assert len(pki_server.requests) == before  # nothing fetched
