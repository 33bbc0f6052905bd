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
