"""XML signing with the ID card (PKCS#11) through sign_xml_document and ``esig sign``.

SoftHSM2 holds the TEST-ONLY AZ ID-card key (EC P-256), the TR NES key (RSA 2048) and a
revoked TR NES key; the test PKI server on 127.0.0.1 answers OCSP, CRL and time-stamp requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

import esig
from esig.cli import main
from esig.errors import SigningError
from esig.report import Indication, SignatureLevel
from esig.signing import PIN_ENVIRONMENT_VARIABLE, RevocationMaterial, Signer, sign_xml_document
from esig.testing import TestPki
from esig.testing.server import PkiServer
from esig.xades import RevocationData, verify_xml

from ._softhsm import PIN, TokenObject, softhsm_token
from .conftest import NOW

TOKEN = "AZ-ID-CARD"
KEYS = {
    "signing-key": "az-idcard-signer",
    "nes-key": "tr-nes-signer",
    "revoked-key": "tr-nes-revoked",
}
INVOICE = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
    b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
    b"<cbc:ID>TST2026000000042</cbc:ID><cbc:IssueDate>2026-11-23</cbc:IssueDate></Invoice>"
)
DECLARATION = b'<Declaration xmlns="urn:test:customs"><Goods>Tea</Goods></Declaration>'
NS = {
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, pki: TestPki) -> Iterator[Path]:
    objects = [
        TokenObject(label, n, pki.key(name), pki.cert(name))
        for n, (label, name) in enumerate(KEYS.items(), start=1)
    ]
    with softhsm_token(tmp_path_factory.mktemp("softhsm"), TOKEN, objects) as lib:
        yield lib


def _card(library: Path, pki: TestPki, label: str) -> Signer:
    issuers = pki.chain(KEYS[label])[1:]
    return Signer.from_pkcs11(library, token_label=TOKEN, key_label=label, pin=PIN, issuers=issuers)


def _passed_offline_years_later(signed: bytes, pki: TestPki) -> tuple[object, object, object]:
    report = esig.verify(
        signed, trust=list(pki.roots()), validation_time=NOW + timedelta(days=3650)
    )
    (sig,) = report.signatures
    return sig.indication, sig.sub_indication, sig.level


@pytest.mark.parametrize("label", ["signing-key", "nes-key"])
def test_sign_ubl_invoice_b_lt_with_the_card(
    library: Path, pki: TestPki, tsa_url: str, label: str
) -> None:
    with _card(library, pki, label) as card:
        signed = sign_xml_document(
            INVOICE,
            card,
            level="B-LT",
            tsa_url=tsa_url,
            revocation=RevocationMaterial(allow_fetching=True),
            at=NOW,
            extra_certificates=pki.chain("tr-tsa"),
        )
    root = etree.fromstring(signed)
    # UBL-TR placement, as with a key file
    placed = root.findall(
        "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature", NS
    )
    assert len(placed) == 1
    assert _passed_offline_years_later(signed, pki) == (
        Indication.TOTAL_PASSED,
        None,
        SignatureLevel.B_LT,
    )


def test_sign_b_b_with_the_card_then_verify_with_crls(library: Path, pki: TestPki) -> None:
    with _card(library, pki, "signing-key") as card:
        signed = sign_xml_document(
            DECLARATION, card, revocation=RevocationMaterial(allow_fetching=True), at=NOW
        )
    # B-B carries no revocation data and verify_xml never fetches: hand it the CAs' CRLs
    crls = tuple(
        pki.crl(ca, this_update=NOW, next_update=NOW + timedelta(days=7))
        for ca in pki.declaration.chain_names("az-idcard-signer")[1:]
    )
    report = verify_xml(
        signed,
        trust=list(pki.roots()),
        validation_time=NOW + timedelta(minutes=5),
        revocation=RevocationData(crls=crls),
    )
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert sig.level is SignatureLevel.B_B
    assert sig.claimed_signing_time == NOW


def test_revoked_card_certificate_is_refused_before_the_token_signs(
    library: Path, pki: TestPki
) -> None:
    with (
        _card(library, pki, "revoked-key") as card,
        pytest.raises(SigningError, match=r"refusing to sign: the certificate of .* is revoked"),
    ):
        sign_xml_document(
            DECLARATION, card, revocation=RevocationMaterial(allow_fetching=True), at=NOW
        )


def test_token_key_of_another_certificate_is_refused(library: Path, pki: TestPki) -> None:
    card = Signer.from_pkcs11(
        library, token_label=TOKEN, key_label="signing-key", cert_label="nes-key", pin=PIN
    )
    with card, pytest.raises(SigningError):
        sign_xml_document(DECLARATION, card, check_revocation=False, at=NOW)


@pytest.fixture
def files(tmp_path: Path, pki: TestPki) -> dict[str, Path]:
    invoice = tmp_path / "invoice.xml"
    invoice.write_bytes(INVOICE)
    issuers = tmp_path / "issuers.pem"
    issuers.write_bytes(
        b"".join(c.public_bytes(Encoding.PEM) for c in pki.chain(KEYS["signing-key"])[1:])
    )
    tsa_root = tmp_path / "tsa-root.pem"
    tsa_root.write_bytes(pki.cert("tr-root").public_bytes(Encoding.PEM))
    roots = tmp_path / "roots.pem"
    roots.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c in pki.roots()))
    return {
        "src": invoice,
        "issuers": issuers,
        "tsa-root": tsa_root,
        "roots": roots,
        "out": tmp_path / "invoice-signed.xml",
    }


def test_cli_signs_xml_with_the_card_then_verifies(
    library: Path,
    files: dict[str, Path],
    pki_server: PkiServer,
    tsa_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(PIN_ENVIRONMENT_VARIABLE, PIN)
    # the CLI signs at the real time: the TSA must not answer with the session's start time
    monkeypatch.setattr(pki_server, "follow_clock", True)
    code = main(
        [
            "sign",
            str(files["src"]),
            str(files["out"]),
            "--pkcs11-lib",
            str(library),
            "--token",
            TOKEN,
            "--key",
            "signing-key",
            "--issuer",
            str(files["issuers"]),
            "--level",
            "B-LT",
            "--tsa",
            tsa_url,
            "--root",
            str(files["tsa-root"]),
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out == (
        f"signed {files['src']} -> {files['out']} at B-LT by PKCS#11 token 'AZ-ID-CARD', "
        "key 'signing-key'\n"
    )
    assert files["src"].read_bytes() == INVOICE
    at = (NOW + timedelta(days=3650)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code = main(
        ["verify", str(files["out"]), "--trust", str(files["roots"]), "--at", at, "--offline"]
    )
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "invoice-signed.xml: TOTAL_PASSED", out
    assert (code, err) == (0, "")


def test_cli_wrong_pin_for_xml_is_one_line_exit_5_and_no_output(
    library: Path,
    files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(PIN_ENVIRONMENT_VARIABLE, "000000")
    args = ["--pkcs11-lib", str(library), "--token", TOKEN, "--key", "signing-key"]
    code = main(["sign", str(files["src"]), str(files["out"]), *args, "--offline"])
    _, err = capsys.readouterr()
    assert (code, err) == (5, "esig: signing error: wrong PIN for token 'AZ-ID-CARD'\n")
    assert not files["out"].exists()
    assert files["src"].read_bytes() == INVOICE
