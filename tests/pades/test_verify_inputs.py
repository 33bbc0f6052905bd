"""Unusable inputs raise DocumentError with a clear message; misuse raises ConfigurationError."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils.crypt import StandardSecurityHandler
from pyhanko.pdf_utils.writer import PdfFileWriter

import esig
from esig.testing import REFERENCE_TIME, TestPki
from esig.testing.server import PkiServer
from tests.pades._signing import sign_pdf, tiny_pdf

AT = REFERENCE_TIME + timedelta(days=1)


def _verify(data: bytes, pki: TestPki) -> esig.ValidationReport:
    return esig.verify(data, trust=list(pki.roots()), validation_time=AT)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<?xml version='1.0'?><a/>", "the XML document has no signature"),
        (b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "DOCTYPE declaration"),
        (b"", "neither a PDF"),
        (b"PK\x03\x04 a zip", "not a readable ZIP container"),
        (b"%PDF-1.7\n1 0 obj << >> endobj\n", "truncated"),
        (b"%PDF-1.7\ngarbage garbage\n%%EOF\n", "malformed PDF"),
    ],
)
def test_non_pdf_and_broken_files_are_document_errors(
    pki: TestPki, data: bytes, message: str
) -> None:
    with pytest.raises(esig.DocumentError, match=message):
        _verify(data, pki)


def test_unsigned_pdf_is_a_document_error(pki: TestPki) -> None:
    with pytest.raises(esig.DocumentError, match="no signature"):
        _verify(tiny_pdf(), pki)


def test_truncated_signed_pdf_is_a_document_error(pki: TestPki, pki_server: PkiServer) -> None:
    signed = sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=AT)
    with pytest.raises(esig.DocumentError):
        _verify(signed[: len(signed) // 2], pki)


def test_encrypted_pdf_is_a_document_error(pki: TestPki) -> None:
    w = PdfFileWriter()
    from pyhanko.pdf_utils import generic

    w.insert_page(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/MediaBox"): generic.ArrayObject(
                    [generic.NumberObject(x) for x in (0, 0, 10, 10)]
                ),
            }
        )
    )
    w.security_handler = StandardSecurityHandler.build_from_pw("owner", "user")
    w._assign_security_handler(w.security_handler)
    out = io.BytesIO()
    w.write(out)
    with pytest.raises(esig.DocumentError, match="encrypted"):
        _verify(out.getvalue(), pki)


def test_missing_file_is_an_input_error(pki: TestPki, tmp_path: Path) -> None:
    with pytest.raises(esig.InputError, match="cannot read"):
        esig.verify(tmp_path / "absent.pdf", trust=list(pki.roots()), validation_time=AT)


def test_path_input_names_the_document(pki: TestPki, tmp_path: Path) -> None:
    path = tmp_path / "declaration.pdf"
    path.write_bytes(sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=AT))
    report = esig.verify(path, trust=list(pki.roots()), validation_time=AT)
    assert report.document_name == "declaration.pdf"


@pytest.mark.parametrize("trust", [None, [], "roots.pem", [b"not a cert"]])
def test_unusable_trust_is_a_configuration_error(pki: TestPki, trust: object) -> None:
    signed = sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=AT)
    with pytest.raises(esig.ConfigurationError):
        esig.verify(signed, trust=trust, validation_time=AT)


def test_verify_works_inside_a_running_event_loop(pki: TestPki) -> None:
    import asyncio

    from esig.validation import averify

    signed = sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=AT)

    async def main() -> tuple[esig.ValidationReport, esig.ValidationReport]:
        in_loop = esig.verify(signed, trust=list(pki.roots()), validation_time=AT)
        awaited = await averify(signed, trust=list(pki.roots()), validation_time=AT)
        return in_loop, awaited

    in_loop, awaited = asyncio.run(main())
    assert in_loop == awaited
    assert in_loop.signatures[0].sub_indication is esig.SubIndication.TRY_LATER


def test_oversized_file_is_a_resource_limit_error(
    pki: TestPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from esig.validation import _api

    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * 2048)
    monkeypatch.setattr(_api, "MAX_DOCUMENT_BYTES", 1024)
    with pytest.raises(esig.ResourceLimitError, match="more than esig verifies"):
        esig.verify(path, trust=list(pki.roots()), validation_time=AT)


@pytest.mark.parametrize(
    ("subfilter", "code"),
    [
        (b"/adbe.x509.rsa_sha1", "pdf.unsupported-subfilter"),
        # verified as adbe.pkcs7.sha1: a detached CMS has no encapsulated digest
        (b"/adbe.pkcs7.sha1", "cms.format"),
    ],
)
def test_a_signature_pyhanko_passes_over_is_reported_not_dropped(
    pki: TestPki, subfilter: bytes, code: str
) -> None:
    """pyHanko logs and skips a signature field whose /SubFilter it does not know; the file
    then looked unsigned (DocumentError) or, beside another signature, looked signed once."""
    signed = sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=REFERENCE_TIME)
    original = b"/ETSI.CAdES.detached"
    assert original in signed
    odd = signed.replace(original, subfilter.ljust(len(original)), 1)
    report = _verify(odd, pki)
    assert [(s.id, s.kind, s.indication, s.sub_indication) for s in report.signatures] == [
        ("Signature1", "signature", esig.Indication.TOTAL_FAILED, esig.SubIndication.FORMAT_FAILURE)
    ]
    reason = report.signatures[0].reasons[0]
    assert reason.code == code
    assert code != "pdf.unsupported-subfilter" or subfilter.decode() in reason.message


@pytest.mark.corpus
def test_an_adbe_pkcs7_sha1_signature_is_verified(corpus: Path) -> None:
    """The legacy SubFilter signs the SHA-1 digest of the byte range, encapsulated (DSS's
    pkcs7_sha1.pdf); a byte changed in the range is a digest mismatch."""
    from esig.pades._document import open_pdf
    from esig.pades._verify import _cms_integrity

    data = (corpus / "pades/dss/pkcs7_sha1.pdf").read_bytes()
    _, signatures, *_ = open_pdf(data, "pkcs7_sha1.pdf")
    legacy = [s for s in signatures if s.sig_object.get("/SubFilter") == "/adbe.pkcs7.sha1"]
    assert [str(s.field_name) for s in legacy] == ["Signature1"]
    assert _cms_integrity(legacy[0]) is None  # the encapsulated digest and the value verify
    at = legacy[0].byte_range[1] - 200  # inside the first signed range
    tampered = data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]
    _, again, *_ = open_pdf(tampered, "pkcs7_sha1.pdf")
    verdict = _cms_integrity(next(s for s in again if s.field_name == "Signature1"))
    assert verdict is not None
    assert (verdict.sub, verdict.reasons[0].code) == (
        esig.SubIndication.HASH_FAILURE,
        "cms.digest-mismatch",
    )


def test_one_unreadable_signature_does_not_hide_the_others(pki: TestPki) -> None:
    once = sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=REFERENCE_TIME)
    twice = sign_pdf(
        once, pki, None, "az-idcard-signer", level="B-B", at=REFERENCE_TIME, field="Signature2"
    )
    at = twice.rindex(b"/ByteRange")  # the second signature's dictionary
    broken = twice[:at] + b"/ByteRangx" + twice[at + len(b"/ByteRange") :]
    report = _verify(broken, pki)
    got = {s.id: (s.indication, s.sub_indication, s.reasons[0].code) for s in report.signatures}
    assert got["Signature2"] == (
        esig.Indication.TOTAL_FAILED,
        esig.SubIndication.FORMAT_FAILURE,
        "pdf.unreadable-signature",
    )
    # the first signature is still verified: intact, stopped only for revocation data offline
    assert got["Signature1"][:2] == (esig.Indication.INDETERMINATE, esig.SubIndication.TRY_LATER)
