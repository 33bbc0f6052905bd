"""PDF attacks no corpus file has, generated against a PDF signed by esig (SECURITY.md).

Universal Signature Forgery (USF): /ByteRange or /Contents missing, null, malformed, overlapping
or out of range. Incremental Saving Attack (ISA): content changed in a revision appended after
signing. Signature Wrapping (SWA): the /ByteRange gap not equal to the /Contents string. Each
variant has its exact verdict (an unreadable signature dictionary fails that signature:
``pdf.unreadable-signature``; a file that no longer parses is a DocumentError).
The honest file is INDETERMINATE/TRY_LATER (no revocation data is embedded at B-B): every
attack below must end elsewhere, in a failure.
"""

from __future__ import annotations

import io
import re

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

import esig
from esig import Indication, SubIndication
from tests.pades._signing import incremental_update

from .conftest import AT, SignedPdf

FORMAT = (Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE)
HASH = (Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE)


def _verdict(data: bytes, pdf: SignedPdf) -> tuple[Indication, SubIndication | None, str]:
    report = esig.verify(data, trust=list(pdf.roots), validation_time=AT)
    (sig,) = report.signatures
    return sig.indication, sig.sub_indication, sig.reasons[0].code if sig.reasons else ""


def _byte_range(data: bytes, new: bytes) -> bytes:
    """Replace the /ByteRange entry in place (same length: padded with spaces)."""
    match = re.search(rb"/ByteRange\s*\[[^\]]*\]", data)
    assert match is not None
    assert len(new) <= len(match.group(0)), "a longer entry would shift every offset"
    return data[: match.start()] + new.ljust(len(match.group(0))) + data[match.end() :]


def test_honest_file_keeps_its_integrity(signed_pdf: SignedPdf) -> None:
    assert _verdict(signed_pdf.data, signed_pdf) == (
        Indication.INDETERMINATE,
        SubIndication.TRY_LATER,
        "chain.no-revocation-data",
    )


# -- Universal Signature Forgery -------------------------------------------------------------


def _usf_byte_range(pdf: SignedPdf, variant: str) -> bytes:
    a, b, c, d = pdf.byte_range
    entries = {
        "null": b"/ByteRange null",
        "three-integers": b"/ByteRange [%d %d %d]" % (a, b, c),
        # five integers, same length as the original entry
        "five-integers": b"/ByteRange [%d %d %d %d %d]" % (a, b // 10, c, d // 100, d % 100),
        "real-number": b"/ByteRange [%d %d %d %d.5]" % (a, b, c, d // 100),
        "string-entry": b"/ByteRange [%d %d %d (%d)]" % (a, b, c, d % 10),
        "negative": b"/ByteRange [%d %d %d -%d]" % (a, b, c, d // 10),
        # second range starts inside the first and still runs to the end of the file
        "overlapping": b"/ByteRange [0 149 140 %d]" % (len(pdf.data) - 140),
        "out-of-range": b"/ByteRange [%d %d %d %d]" % (a, b, c, 10 ** len(str(d)) - 1),
        "not-from-zero": b"/ByteRange [1 %d %d %d]" % (b - 1, c, d),
    }
    return _byte_range(pdf.data, entries[variant])


@pytest.mark.parametrize(
    ("variant", "code"),
    [
        ("null", "pdf.unreadable-revision"),
        ("three-integers", "pdf.unreadable-revision"),
        ("five-integers", "pdf.unreadable-revision"),
        ("real-number", "pdf.unreadable-revision"),
        ("string-entry", "pdf.unreadable-revision"),
        ("negative", "pdf.byte-range"),
        ("overlapping", "pdf.byte-range"),
        ("out-of-range", "pdf.byte-range"),
        ("not-from-zero", "pdf.byte-range"),
    ],
)
def test_usf_malformed_byte_range_fails_format(
    signed_pdf: SignedPdf, variant: str, code: str
) -> None:
    assert _verdict(_usf_byte_range(signed_pdf, variant), signed_pdf) == (*FORMAT, code)


@pytest.mark.xfail(
    strict=True,
    reason="overlapping /ByteRange that also stops short of the end of the file is caught by "
    "the digest (TOTAL_FAILED/HASH_FAILURE cms.digest-mismatch), not by the structural check "
    "(DSS asserts FORMAT_FAILURE for overlaps): fails closed, wrong sub-indication",
)
def test_usf_overlapping_short_byte_range_fails_format(signed_pdf: SignedPdf) -> None:
    a, b, _, d = signed_pdf.byte_range
    forged = _byte_range(signed_pdf.data, b"/ByteRange [%d %d %d %d]" % (a, b, b - 10, d))
    assert _verdict(forged, signed_pdf) == (*FORMAT, "pdf.byte-range")


def _unreadable(data: bytes, pdf: SignedPdf) -> str:
    """The verdict on a signature whose dictionary cannot be read: a failed signature in the
    report (the file's other signatures are still verified); returns the reason's text."""
    report = esig.verify(data, trust=list(pdf.roots), validation_time=AT)
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == FORMAT
    assert sig.reasons[0].code == "pdf.unreadable-signature"
    return sig.reasons[0].message


def test_usf_byte_range_missing_fails(signed_pdf: SignedPdf) -> None:
    forged = _byte_range(signed_pdf.data, b"/ByteRangx [%d %d %d %d]" % signed_pdf.byte_range)
    assert "ByteRange" in _unreadable(forged, signed_pdf)


def test_usf_contents_missing_fails(signed_pdf: SignedPdf) -> None:
    at = signed_pdf.contents_at
    forged = signed_pdf.data[:at] + b"/Contentx" + signed_pdf.data[at + len(b"/Contents") :]
    assert "/Contents" in _unreadable(forged, signed_pdf)


def test_usf_contents_null_fails(signed_pdf: SignedPdf) -> None:
    at, end = signed_pdf.contents_at, signed_pdf.contents_end
    forged = (
        signed_pdf.data[:at] + b"/Contents null".ljust(end + 1 - at) + signed_pdf.data[end + 1 :]
    )
    assert "/Contents" in _unreadable(forged, signed_pdf)


# -- Signature Wrapping: the gap must be exactly the /Contents string -------------------------


@pytest.mark.parametrize(("shift_b", "shift_c"), [(-2, 0), (0, 2), (2, -2)])
def test_swa_gap_not_equal_to_contents_fails_format(
    signed_pdf: SignedPdf, shift_b: int, shift_c: int
) -> None:
    a, b, c, d = signed_pdf.byte_range
    forged = _byte_range(
        signed_pdf.data,
        b"/ByteRange [%d %d %d %d]" % (a, b + shift_b, c + shift_c, d - shift_c),
    )
    assert _verdict(forged, signed_pdf) == (*FORMAT, "pdf.byte-range")


def test_swa_object_smuggled_into_the_gap_is_refused(signed_pdf: SignedPdf) -> None:
    end = signed_pdf.contents_end
    payload = b"> 99 0 obj (x) endobj <"
    forged = signed_pdf.data[: end - len(payload)] + payload + signed_pdf.data[end:]
    with pytest.raises(esig.DocumentError):
        esig.verify(forged, trust=list(signed_pdf.roots), validation_time=AT)


# -- Incremental Saving Attack ---------------------------------------------------------------


def test_isa_page_content_replaced_in_a_later_revision(signed_pdf: SignedPdf) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf.data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    ref = page.raw_get("/Contents")
    stream = ref.get_object()
    stream._data = b"BT /F1 12 Tf 56 780 Td (PAID IN FULL) Tj ET"
    stream._encoded_data = None
    writer.mark_update(ref)
    out = io.BytesIO()
    writer.write(out)
    assert _verdict(out.getvalue(), signed_pdf) == (*FORMAT, "pdf.modified-after-signing")


def test_isa_overlay_stream_added_in_a_later_revision(signed_pdf: SignedPdf) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf.data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    overlay = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 30 Tf 56 700 Td (VOID) Tj ET")
    )
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), overlay])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    assert _verdict(out.getvalue(), signed_pdf) == (*FORMAT, "pdf.modified-after-signing")


PAID = b"BT /F1 12 Tf 56 780 Td (PAID IN FULL) Tj ET"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: d[: d.rindex(b"%%EOF")] + b"%%E\n", id="eof-truncated"),
        pytest.param(lambda d: d[: d.rindex(b"%%EOF")] + b"%%EO?F\n", id="eof-garbled"),
        pytest.param(lambda d: d[: d.rindex(b"%%EOF")], id="eof-removed"),
    ],
)
def test_isa_with_a_damaged_final_eof(signed_pdf: SignedPdf, damage: object) -> None:
    """The changed revision's %%EOF is damaged: readers that look for the last %%EOF (pyHanko)
    see the signed revision as the newest and no change, viewers that look for the last
    startxref show the change. Found by fuzzing the bytes after the signed revision."""
    changed = incremental_update(signed_pdf.data, PAID)
    damaged = damage(changed)  # type: ignore[operator]
    assert _verdict(changed, signed_pdf) == (*FORMAT, "pdf.modified-after-signing")
    assert _verdict(damaged, signed_pdf) == (*FORMAT, "pdf.hidden-revision")


def test_objects_appended_after_eof_without_a_revision(signed_pdf: SignedPdf) -> None:
    """Objects after the last %%EOF that no xref names: what a viewer's repair mode reads."""
    appended = (
        signed_pdf.data + b"\n4 0 obj\n<< /Length 9 >>\nstream\nBT ET ...\nendstream\nendobj\n"
    )
    assert _verdict(appended, signed_pdf) == (*FORMAT, "pdf.hidden-revision")


def test_byte_changed_inside_the_signed_range(signed_pdf: SignedPdf) -> None:
    data = signed_pdf.data
    at = data.index(b"Tj")  # inside the page content, covered by the first range
    forged = data[: at - 3] + b"X" + data[at - 2 :]
    assert _verdict(forged, signed_pdf) == (*HASH, "cms.digest-mismatch")


def test_trailing_comment_after_eof_changes_nothing(signed_pdf: SignedPdf) -> None:
    """Bytes after the last %%EOF that form no revision are not content: the verdict is the
    honest one (integrity intact), not a failure and not a pass."""
    assert _verdict(signed_pdf.data + b"\n% trailing comment\n", signed_pdf) == (
        Indication.INDETERMINATE,
        SubIndication.TRY_LATER,
        "chain.no-revocation-data",
    )
