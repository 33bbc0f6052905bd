"""esig refuses to sign what must not be signed, and never damages the input."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from esig.errors import DocumentError, SigningError
from esig.signing import RevocationMaterial, Signer, sign_pdf, sign_pdf_file
from esig.testing import TEST_PASSWORD, TestPki

from .conftest import NOW, signer_for


def test_revoked_certificate_is_refused_with_the_date(
    pdf: bytes, pki: TestPki, online: RevocationMaterial
) -> None:
    with pytest.raises(SigningError) as info:
        sign_pdf(pdf, signer_for(pki, "tr-nes-revoked"), revocation=online, at=NOW)
    message = str(info.value)
    assert message.startswith("refusing to sign: the certificate of Mehmet Çağrı Öztürk is revoked")
    assert "2026-01-15" in message


def test_expired_certificate_is_refused(pdf: bytes, pki: TestPki) -> None:
    with pytest.raises(SigningError, match=r"expired on 2025-01-01$"):
        sign_pdf(pdf, signer_for(pki, "tr-nes-expired"), check_revocation=False, at=NOW)


def test_not_yet_valid_certificate_is_refused(pdf: bytes, tr_signer: Signer) -> None:
    early = tr_signer.certificate.not_valid_before_utc - timedelta(days=1)
    with pytest.raises(SigningError, match=r"is not valid before 2025-06-01$"):
        sign_pdf(pdf, tr_signer, check_revocation=False, at=early)


def test_ca_certificate_is_refused(pdf: bytes, pki: TestPki) -> None:
    ca = Signer.from_key(pki.key("tr-nes-ca"), pki.cert("tr-nes-ca"), pki.chain("tr-nes-ca")[1:])
    with pytest.raises(SigningError, match="is a CA certificate"):
        sign_pdf(pdf, ca, check_revocation=False, at=NOW)


@pytest.mark.parametrize(
    ("name", "usage"), [("tr-tsa", "timeStamping"), ("tr-nes-ocsp", "OCSPSigning")]
)
def test_tsa_and_ocsp_certificates_are_not_for_documents(
    name: str, usage: str, pdf: bytes, pki: TestPki
) -> None:
    # Their key usage allows digitalSignature; their extended key usage says what for.
    with pytest.raises(SigningError, match=f"its extended key usage is {usage}, not documents"):
        sign_pdf(pdf, signer_for(pki, name), check_revocation=False, at=NOW)


def test_level_needing_a_tsa_without_one(pdf: bytes, tr_signer: Signer) -> None:
    with pytest.raises(SigningError, match="level B-T needs a time-stamping authority"):
        sign_pdf(pdf, tr_signer, level="B-T", check_revocation=False, at=NOW)
    with pytest.raises(SigningError, match="unknown signature level 'B-X'"):
        sign_pdf(pdf, tr_signer, level="B-X", at=NOW)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 a zip, not a PDF", "not a PDF document"),
        (b"", "not a PDF document"),
    ],
)
def test_non_pdf_input(data: bytes, message: str, tr_signer: Signer) -> None:
    with pytest.raises(DocumentError, match=message):
        sign_pdf(data, tr_signer, check_revocation=False, at=NOW)


def test_truncated_pdf(pdf: bytes, tr_signer: Signer) -> None:
    with pytest.raises(DocumentError, match=r"malformed PDF|cannot sign this PDF"):
        sign_pdf(pdf[: len(pdf) // 2], tr_signer, check_revocation=False, at=NOW)


def test_encrypted_pdf_needs_its_password(tr_signer: Signer) -> None:
    import io

    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    writer = PdfFileWriter()
    writer.insert_page(PageObject(contents=[], media_box=[0, 0, 595, 842]))
    writer.encrypt("owner-secret", "user-secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    encrypted = buffer.getvalue()
    with pytest.raises(DocumentError, match="the PDF is encrypted: give its password"):
        sign_pdf(encrypted, tr_signer, check_revocation=False, at=NOW)
    with pytest.raises(DocumentError, match="wrong password for the encrypted PDF"):
        sign_pdf(encrypted, tr_signer, check_revocation=False, at=NOW, password="guess")
    signed = sign_pdf(encrypted, tr_signer, check_revocation=False, at=NOW, password="owner-secret")
    assert signed.startswith(encrypted)


def test_certified_document_forbidding_changes(pdf: bytes, pki: TestPki, tr_signer: Signer) -> None:
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    certifier = signer_for(pki, "ee-seal")
    meta = signers.PdfSignatureMetadata(
        field_name="Certification",
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=certifier.pyhanko_signer).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out
    )
    with pytest.raises(SigningError, match="pyHanko refused to sign"):
        sign_pdf(out.getvalue(), tr_signer, check_revocation=False, at=NOW)


def test_pkcs12_signer_and_wrong_password(tmp_path: Path, pki: TestPki, pdf: bytes) -> None:
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(pki.pkcs12("tr-malimuhur-seal", TEST_PASSWORD))
    signer = Signer.from_pkcs12(p12, TEST_PASSWORD)
    assert signer.certificate == pki.cert("tr-malimuhur-seal")
    assert signer.chain[1:] == pki.chain("tr-malimuhur-seal")[1:]
    assert sign_pdf(pdf, signer, check_revocation=False, at=NOW).startswith(pdf)
    with pytest.raises(SigningError, match="wrong password or not a PKCS#12 file"):
        Signer.from_pkcs12(p12, "not-the-password")
    with pytest.raises(SigningError, match="cannot read PKCS#12 file"):
        Signer.from_pkcs12(tmp_path / "missing.p12", TEST_PASSWORD)


def test_key_that_does_not_match_the_certificate(pki: TestPki) -> None:
    from esig.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="does not belong to the certificate"):
        Signer.from_key(pki.key("az-idcard-signer"), pki.cert("tr-nes-signer"))


def test_file_signing_is_atomic_and_never_touches_the_input(
    tmp_path: Path, pdf: bytes, tr_signer: Signer, pki: TestPki
) -> None:
    source = tmp_path / "declaration.pdf"
    source.write_bytes(pdf)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    target = tmp_path / "declaration-signed.pdf"
    # a failure leaves neither output nor temporary files
    with pytest.raises(SigningError):
        sign_pdf_file(source, target, signer_for(pki, "tr-nes-expired"), at=NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["declaration.pdf"]
    # the input can never be the output
    with pytest.raises(SigningError, match="must not overwrite the input"):
        sign_pdf_file(source, source, tr_signer, check_revocation=False, at=NOW)
    sign_pdf_file(source, target, tr_signer, check_revocation=False, at=NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "declaration-signed.pdf",
        "declaration.pdf",
    ]
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    assert target.read_bytes().startswith(pdf)
