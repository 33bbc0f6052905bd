"""The memo of introducing revisions gives pyHanko's own answers (esig.pades._xrefcache)."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.xref import XRefCache

from esig.pades import _xrefcache
from esig.testing import REFERENCE_TIME, TestPki
from tests.pades._signing import sign_pdf, tiny_pdf

T = REFERENCE_TIME + timedelta(hours=10)


def _compare(data: bytes) -> int:
    """Ask the memo and pyHanko about every reference of every revision (plus unknown ones),
    twice; return how many answers were compared."""
    import esig.pades._document  # noqa: F401  (installs the memo)

    assert XRefCache.get_introducing_revision is _xrefcache.get_introducing_revision
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    xrefs = reader.xrefs
    refs = {
        generic.Reference(idnum, gen, reader)
        for rev in range(xrefs.total_revisions)
        for idnum, gen in xrefs.get_xref_data(rev).explicit_refs_in_revision
    }
    refs |= {generic.Reference(10**6 + i, 0, reader) for i in range(3)}  # never defined
    compared = 0
    for _ in range(2):  # the second round answers from the memo
        for ref in sorted(refs, key=lambda r: (r.idnum, r.generation)):
            try:
                expected: object = _xrefcache._original(xrefs, ref)
            except KeyError:
                expected = KeyError
            try:
                got: object = xrefs.get_introducing_revision(ref)
            except KeyError:
                got = KeyError
            assert got == expected, ref
            compared += 1
    return compared


def test_memo_equals_pyhanko_on_a_multi_revision_test_file(pki: TestPki) -> None:
    once = sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=T)
    twice = sign_pdf(once, pki, None, "az-idcard-signer", level="B-B", at=T, field="Signature2")
    assert _compare(twice) > 20


@pytest.mark.corpus
@pytest.mark.parametrize(
    "rel",
    [
        "pades/dss/lt-short.pdf",  # 25 signatures, hybrid references
        "pades/dss/hello_signed_INCSAVE_signed.pdf",
        "pades/dss/pades-ltv.pdf",  # undefined objects referenced
    ],
)
def test_memo_equals_pyhanko_on_real_files(corpus: Path, rel: str) -> None:
    assert _compare((corpus / rel).read_bytes()) > 20


def test_an_undefined_reference_is_null_only_during_esigs_analysis(pki: TestPki) -> None:
    import esig.pades._document  # noqa: F401  (installs the memo)

    data = sign_pdf(tiny_pdf(), pki, None, "tr-nes-signer", level="B-B", at=T)
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    undefined = generic.Reference(10**6, 0, reader)
    with pytest.raises(KeyError):
        reader.xrefs.get_introducing_revision(undefined)
    token = _xrefcache.UNDEFINED_AS_NULL.set(True)
    try:
        assert reader.xrefs.get_introducing_revision(undefined) == -1
    finally:
        _xrefcache.UNDEFINED_AS_NULL.reset(token)
    with pytest.raises(KeyError):  # the memo keeps no -1: pyHanko's answer outside
        reader.xrefs.get_introducing_revision(undefined)
