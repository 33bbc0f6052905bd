"""XAdES with the key on a PKCS#11 token (the ID card): SoftHSM2 holding TEST-ONLY keys.

EC P-256 (AZ ID card), EC P-384 (EE ID card) and RSA 2048 (TR NES) keys sign on the token;
esig verifies the result TOTAL_PASSED and xmlsec1 (when installed) agrees on the XML-DSig core.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from lxml import etree

from esig.errors import SigningError, TokenError
from esig.report import Indication, SignatureLevel
from esig.signing import Signer
from esig.testing import TestPki
from esig.xades import sign_xml, verify_xml
from tests.signing._softhsm import PIN, TokenObject, softhsm_token
from tests.xades.conftest import DOC, NS, T, TrustDouble, revocation, timestamper

TOKEN = "ID-CARDS"
#: token key label -> the test-PKI signer whose key and certificate it holds
LABELS = {"az-card": "az-idcard-signer", "ee-card": "ee-idcard-signer", "tr-nes": "tr-nes-signer"}
#: the SignatureMethod each key type and size must produce
METHODS = {
    "az-card": "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "ee-card": "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    "tr-nes": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
}
OTHER_CERT = "az-mobile"  # a P-256 certificate whose key is not on the token


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, pki: TestPki) -> Iterator[Path]:
    objects = [
        TokenObject(label, n, pki.key(name), pki.cert(name))
        for n, (label, name) in enumerate(LABELS.items(), start=1)
    ]
    objects.append(TokenObject(OTHER_CERT, 9, certificate=pki.cert("az-mobile-signer")))
    with softhsm_token(tmp_path_factory.mktemp("softhsm"), TOKEN, objects) as lib:
        yield lib


def _card(library: Path, pki: TestPki, label: str, cert_label: str | None = None) -> Signer:
    return Signer.from_pkcs11(
        library,
        token_label=TOKEN,
        key_label=label,
        cert_label=cert_label,
        pin=PIN,
        issuers=pki.chain(LABELS[label])[1:],
    )


def _signature_value(signed: bytes) -> bytes:
    value = etree.fromstring(signed).findtext(".//ds:SignatureValue", namespaces=NS)
    assert value is not None
    return base64.b64decode(value)


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LTA"])
@pytest.mark.parametrize("label", sorted(LABELS))
def test_token_signature_verifies_total_passed(
    library: Path, pki: TestPki, trust: TrustDouble, label: str, level: str
) -> None:
    name = LABELS[label]
    with _card(library, pki, label) as card:
        assert card.private_key is None  # the key stays on the token
        assert card.chain == pki.chain(name)
        signed = sign_xml(
            DOC,
            card,
            card.chain,
            level=level,
            timestamper=timestamper(pki, name),
            revocation=revocation(pki, name),
            signing_time=T,
        )
    root = etree.fromstring(signed)
    method = root.find(".//ds:SignedInfo/ds:SignatureMethod", NS)
    assert method is not None
    assert method.get("Algorithm") == METHODS[label]
    # XML-DSig ECDSA is r || s, each as long as the curve order: not the token's DER form
    expected_length = {"az-card": 64, "ee-card": 96, "tr-nes": 256}[label]
    assert len(_signature_value(signed)) == expected_length
    report = verify_xml(
        signed,
        trust=trust,
        validation_time=T + timedelta(hours=1),
        revocation=revocation(pki, name),
    )
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert sig.level is SignatureLevel(level)
    assert sig.claimed_signing_time == T
    assert sig.signer is not None
    assert sig.signer.country == name[:2].upper()


@pytest.mark.skipif(shutil.which("xmlsec1") is None, reason="xmlsec1 is not installed")
@pytest.mark.parametrize("label", sorted(LABELS))
def test_xmlsec1_verifies_token_signatures(
    library: Path, pki: TestPki, tmp_path: Path, label: str
) -> None:
    with _card(library, pki, label) as card:
        signed = sign_xml(DOC, card, card.chain, placement="enveloping", signing_time=T)
    path = tmp_path / "signed.xml"
    path.write_bytes(signed)
    xmlsec1 = shutil.which("xmlsec1")
    assert xmlsec1 is not None
    cmd = [
        xmlsec1,
        "--verify",
        "--insecure",  # trust is esig's business: here only the signature value counts
        "--id-attr:Id",
        "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
        "--id-attr:Id",
        "http://www.w3.org/2000/09/xmldsig#:KeyInfo",
        "--id-attr:Id",
        "http://www.w3.org/2000/09/xmldsig#:Object",
        str(path),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    # and it is not lenient: one changed byte in the signature value fails
    bad = bytearray(_signature_value(signed))
    bad[-1] ^= 1
    original = base64.b64encode(_signature_value(signed))
    path.write_bytes(signed.replace(original, base64.b64encode(bytes(bad))))
    rejected = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert rejected.returncode != 0


def test_token_key_not_matching_the_certificate_is_refused(library: Path, pki: TestPki) -> None:
    # the token's P-256 key with another P-256 certificate: same algorithm, wrong key
    with _card(library, pki, "az-card", cert_label=OTHER_CERT) as card:
        assert card.certificate == pki.cert("az-mobile-signer")
        with pytest.raises(
            SigningError, match="does not match the signing certificate's public key"
        ) as info:
            sign_xml(DOC, card, card.chain, signing_time=T)
    assert type(info.value) is SigningError
    # the same when the caller hands a chain that is not the token's
    with (
        _card(library, pki, "az-card") as card,
        pytest.raises(SigningError, match="does not match the signing certificate's public"),
    ):
        sign_xml(DOC, card, pki.chain("az-mobile-signer"), signing_time=T)
    # an RSA key with an EC certificate: the token refuses to make an ECDSA signature with it
    with (
        _card(library, pki, "tr-nes", cert_label="az-card") as card,
        pytest.raises(TokenError, match="the PKCS#11 token failed to sign"),
    ):
        sign_xml(DOC, card, card.chain, signing_time=T)


def test_wrong_pin_is_the_token_error_pdf_signing_gives(library: Path, pki: TestPki) -> None:
    with pytest.raises(TokenError, match="wrong PIN for token 'ID-CARDS'"):
        Signer.from_pkcs11(library, token_label=TOKEN, key_label="az-card", pin="000000")


def test_a_closed_token_session_is_a_token_error(library: Path, pki: TestPki) -> None:
    card = _card(library, pki, "az-card")
    card.close()
    with pytest.raises(TokenError, match="the PKCS#11 token failed to sign"):
        sign_xml(DOC, card, card.chain, signing_time=T)


def test_sign_raw_gives_what_x509_and_cms_use(library: Path, pki: TestPki) -> None:
    with _card(library, pki, "az-card") as card:
        der = card.sign_raw(b"data", "sha256")
    # a DER ECDSA-Sig-Value that verifies with the certificate
    r, s = decode_dss_signature(der)
    assert min(r, s) > 0
    public = pki.cert("az-idcard-signer").public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(der, b"data", ec.ECDSA(hashes.SHA256()))


def test_key_file_signer_is_accepted_too(pki: TestPki, trust: TrustDouble) -> None:
    name = "tr-nes-signer"
    signer = Signer.from_key(pki.key(name), pki.cert(name), pki.chain(name)[1:])
    signed = sign_xml(DOC, signer, signer.chain, signing_time=T)
    report = verify_xml(signed, trust=trust, validation_time=T, revocation=revocation(pki, name))
    assert report.signatures[0].indication is Indication.TOTAL_PASSED
