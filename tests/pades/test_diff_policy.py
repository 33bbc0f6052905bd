"""esig's difference analysis (esig.pades._diff): pyHanko's default policy, except that a custom
trailer key's reference to an object the signed revision does not define is not a path that a
later revision must justify. Everything that names an existing object stays checked."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    DiffResult,
    ModificationLevel,
    SuspiciousModification,
)

import esig
from esig import Indication
from esig.pades._diff import DIFF_POLICY, STANDARD_TRAILER_KEYS
from esig.pades._document import dss_material, open_pdf, signature_material
from esig.validation.chain import to_crypto

pytestmark = pytest.mark.corpus

LIBREOFFICE_DSS = "pades/dss/mra/john-doe-lta.pdf"  # DSS's MRA example: PDFBox-signed, LT/LTA
SNEAKY = "attacks/pdf/pyhanko/form-update-ap-indirect-sneaky-trailer.pdf"


@pytest.fixture(autouse=True)
def _quiet_pyhanko(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="pyhanko")


def _review(data: bytes, policy: object, *, strict: bool) -> DiffResult | SuspiciousModification:
    reader = PdfFileReader(io.BytesIO(data), strict=strict)
    sig = reader.embedded_signatures[0]
    return policy.review_file(reader, sig.signed_revision)  # type: ignore[attr-defined,no-any-return]


def test_standard_trailer_keys_are_iso_32000s() -> None:
    assert {"/Root", "/Info", "/ID", "/Encrypt", "/Size", "/Prev", "/XRefStm"} == set(
        STANDARD_TRAILER_KEYS
    )


def test_a_dangling_custom_trailer_reference_filled_later_is_explained(corpus: Path) -> None:
    """The signed revision's trailer says /AdditionalStreams [... 45 0 R] without object 45;
    DSS's LT update gives number 45 to its DSS dictionary."""
    data = (corpus / LIBREOFFICE_DSS).read_bytes()
    assert b"/AdditionalStreams" in data
    pyhanko = _review(data, DEFAULT_DIFF_POLICY, strict=False)
    assert isinstance(pyhanko, SuspiciousModification)
    assert "AdditionalStreams" in str(pyhanko)
    ours = _review(data, DIFF_POLICY, strict=False)
    assert isinstance(ours, DiffResult), ours
    assert ours.modification_level <= ModificationLevel.FORM_FILLING


def test_a_custom_trailer_key_naming_an_existing_object_stays_checked(corpus: Path) -> None:
    """pyHanko's own attack file: a form update rewrites an appearance stream that the trailer
    also names (/FooBar); the second use is not justified."""
    result = _review((corpus / SNEAKY).read_bytes(), DIFF_POLICY, strict=True)
    assert isinstance(result, SuspiciousModification)
    assert ".FooBar" in str(result)


def test_the_libreoffice_file_verifies_end_to_end(corpus: Path) -> None:
    data = (corpus / LIBREOFFICE_DSS).read_bytes()
    reader, signatures, *_ = open_pdf(data, "john-doe-lta.pdf")
    certs = list(dss_material(reader)[0].certs)
    for sig in signatures:
        certs += signature_material(sig).certs
    own_roots = [to_crypto(c) for c in certs if c.self_signed]  # the file's own test roots
    report = esig.verify(data, trust=own_roots, validation_time=datetime(2024, 1, 1, tzinfo=UTC))
    got = [(s.id, s.kind, s.indication) for s in report.signatures]
    assert got == [
        ("Signature1", "signature", Indication.TOTAL_PASSED),
        ("Signature2", "document-timestamp", Indication.TOTAL_PASSED),
    ]
    codes = [w.code for w in report.signatures[0].warnings]
    assert "pdf.lenient-read" in codes  # its first revision references undefined objects
