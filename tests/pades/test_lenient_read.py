"""Files pyHanko's strict reader refuses: read leniently, with the full difference analysis.

pyHanko's strict reader refuses hybrid-reference files outright and raises on cross-reference
sections that break its own rules (a /Size that shrinks, an xref stream's number reused, a
reference to an undefined object). Such files are common (iText and PDFBox write them) and
readers must accept them (ISO 32000 7.5.8.4, 7.3.10). esig reads them leniently, says so in a
``pdf.lenient-read`` warning, and still runs the difference analysis of every later revision:
a change after signing fails exactly as in a strict file.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils.misc import PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader

import esig
from esig import Indication, SubIndication
from esig.pades._document import dss_material, open_pdf, signature_material
from esig.testing import REFERENCE_TIME, TestPki
from esig.testing.server import PkiServer
from esig.validation.chain import to_crypto
from tests.pades._signing import incremental_update, sign_pdf, tiny_pdf

T = REFERENCE_TIME + timedelta(hours=10)
SOON = T + timedelta(hours=1)


@pytest.fixture(scope="module")
def b_lt(pki: TestPki, pki_server: PkiServer) -> bytes:
    return sign_pdf(tiny_pdf(), pki, pki_server, "tr-nes-signer", level="B-LT", at=T)


def _shrink_last_size(data: bytes) -> bytes:
    """Declare the last revision's /Size as 1 (same byte length, offsets unchanged): sizes
    that shrink from one revision to the next are refused by the strict reader only."""
    last = list(re.finditer(rb"/Size (\d+)", data))[-1]
    smaller = b"1".rjust(len(last.group(1)))
    assert len(smaller) == len(last.group(1))
    return data[: last.start(1)] + smaller + data[last.end(1) :]


def test_a_file_only_the_strict_reader_refuses_is_verified_with_a_warning(
    b_lt: bytes, pki: TestPki
) -> None:
    odd = _shrink_last_size(incremental_update(b_lt))
    with pytest.raises(PdfStrictReadError):  # the premise: strict pyHanko refuses the file
        PdfFileReader(io.BytesIO(odd), strict=True)
    report = esig.verify(odd, trust=list(pki.roots()), validation_time=SOON)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    lenient = [w for w in sig.warnings if w.code == "pdf.lenient-read"]
    assert len(lenient) == 1
    assert "strict reader refuses" in lenient[0].message


def test_a_change_after_signing_still_fails_in_a_leniently_read_file(
    b_lt: bytes, pki: TestPki
) -> None:
    changed = incremental_update(b_lt, b"BT /F1 12 Tf 20 100 Td (customs declaration 99) Tj ET")
    odd = _shrink_last_size(changed)
    with pytest.raises(PdfStrictReadError):
        PdfFileReader(io.BytesIO(odd), strict=True)
    report = esig.verify(odd, trust=list(pki.roots()), validation_time=SOON)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == (
        Indication.TOTAL_FAILED,
        SubIndication.FORMAT_FAILURE,
    )
    assert sig.reasons[0].code == "pdf.modified-after-signing"
    assert "pdf.lenient-read" in [w.code for w in sig.warnings]


def test_a_strict_file_gets_no_lenient_warning(b_lt: bytes, pki: TestPki) -> None:
    report = esig.verify(incremental_update(b_lt), trust=list(pki.roots()), validation_time=SOON)
    sig = report.signatures[0]
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert "pdf.lenient-read" not in [w.code for w in sig.warnings]


# -- real files (DSS's test resources): trust is each file's own embedded test root ----------

AT = datetime(2024, 1, 1, tzinfo=UTC)


def _own_roots(data: bytes) -> list[object]:
    reader, signatures, *_ = open_pdf(data, "corpus file")
    certs = list(dss_material(reader)[0].certs)
    for sig in signatures:
        certs += signature_material(sig).certs
    return [to_crypto(c) for c in certs if c.self_signed]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        # hybrid-reference files written by iText: strict pyHanko refuses them outright
        (
            "pades/dss/TEST2_signed_with_zero_policy_hash.pdf",
            [("Sig1", "signature", Indication.TOTAL_PASSED, None)],
        ),
        (
            "pades/dss/belgian_pki_multiple_ocsps.pdf",
            [
                ("Signature1", "signature", Indication.TOTAL_PASSED, None),
                ("Signature2", "document-timestamp", Indication.TOTAL_PASSED, None),
            ],
        ),
        (
            "pades/dss/timestamped_and_signed.pdf",
            [
                ("Signature1", "document-timestamp", Indication.TOTAL_PASSED, None),
                ("Signature2", "signature", Indication.TOTAL_PASSED, None),
            ],
        ),
        # a later revision's xref table shrinks /Size: the strict reader refuses to open it
        (
            "pades/dss/hello_signed_INCSAVE_signed.pdf",
            [
                ("Signature1", "signature", Indication.INDETERMINATE, "OUT_OF_BOUNDS_NO_POE"),
                ("Signature2", "signature", Indication.INDETERMINATE, "OUT_OF_BOUNDS_NO_POE"),
            ],
        ),
    ],
    ids=lambda v: Path(v).name if isinstance(v, str) else "",
)
def test_real_files_the_strict_reader_refuses(
    corpus: Path, rel: str, expected: list[tuple[str, str, Indication, str | None]]
) -> None:
    data = (corpus / rel).read_bytes()
    report = esig.verify(data, trust=_own_roots(data), validation_time=AT)
    got = [
        (
            s.id,
            s.kind,
            s.indication,
            s.sub_indication.name if s.sub_indication is not None else None,
        )
        for s in report.signatures
    ]
    assert got == expected
    for s in report.signatures:
        assert "pdf.lenient-read" in [w.code for w in s.warnings]


@pytest.mark.corpus
def test_a_time_stamp_in_a_sig_typed_dictionary_is_a_document_timestamp(corpus: Path) -> None:
    """DSS writes some document time-stamps with /Type /Sig or no /Type; the /SubFilter
    ETSI.RFC3161 says what they are."""
    data = (corpus / "pades/dss/pades-tst-with-null-type.pdf").read_bytes()
    report = esig.verify(data, trust=_own_roots(data), validation_time=AT)
    got = [(s.id, s.kind, s.indication, s.sub_indication) for s in report.signatures]
    assert got == [
        ("Signature1", "signature", Indication.TOTAL_PASSED, None),
        ("Signature2", "document-timestamp", Indication.TOTAL_PASSED, None),
    ]
