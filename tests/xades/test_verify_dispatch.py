"""``esig.verify`` and ``esig verify`` take XML as they take PDF (one pipeline, one report)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

import esig
from esig.cli import main
from esig.report import Indication, SignatureLevel, SubIndication
from esig.testing import TestPki
from esig.xades import sign_xml

from .conftest import DOC, T, revocation, timestamper


@pytest.fixture(scope="module")
def signed_lta(pki: TestPki) -> bytes:
    signer = "tr-nes-signer"
    return sign_xml(
        DOC,
        pki.key(signer),
        pki.chain(signer),
        level="B-LTA",
        timestamper=timestamper(pki, signer),
        revocation=revocation(pki, signer),
        signing_time=T,
    )


def test_esig_verify_dispatches_xml_and_validates_offline_years_later(
    pki: TestPki, signed_lta: bytes
) -> None:
    report = esig.verify(
        signed_lta, trust=list(pki.roots()), validation_time=T + timedelta(days=3650)
    )
    assert report.document_format == "XAdES"
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication, sig.level) == (
        Indication.TOTAL_PASSED,
        None,
        SignatureLevel.B_LTA,
    )


def test_tampered_xml_fails_with_hash_failure(pki: TestPki, signed_lta: bytes) -> None:
    tampered = signed_lta.replace(b"<Item>Tea</Item>", b"<Item>Gold</Item>")
    report = esig.verify(tampered, trust=list(pki.roots()), validation_time=T + timedelta(days=1))
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == (
        Indication.TOTAL_FAILED,
        SubIndication.HASH_FAILURE,
    )


def test_cli_verifies_xml(
    pki: TestPki, signed_lta: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "declaration.xml"
    doc.write_bytes(signed_lta)
    roots = tmp_path / "roots.pem"
    roots.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c in pki.roots()))
    at = (T + timedelta(days=3650)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code = main(["verify", str(doc), "--trust", str(roots), "--at", at, "--offline"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "declaration.xml: TOTAL_PASSED"
