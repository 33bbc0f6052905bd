"""Real attack files from the shared corpus (SECURITY.md): the verdicts esig must give.

Trust is the TEST PKI's roots, which none of these files chain to: what matters here is that
manipulated files fail (TOTAL_FAILED or DocumentError) while honest ones keep their integrity
and stop only at the trust/certificate-profile stage.
"""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

import esig
from esig import Indication, SubIndication
from esig.testing import build_pki

pytestmark = pytest.mark.corpus

AT = datetime(2026, 6, 1, tzinfo=UTC)
SHADOW = "security/pdf/rub-pdf-attacker-shadow/shadow-demo-exploits/"
CERT = "security/pdf/rub-pdf-tester-certification/"
COVERAGE = "security/pdf/pyhanko-coverage-anomalies/"

FAILED_FORMAT = (Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE)
FAILED_HASH = (Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE)
KU = (Indication.INDETERMINATE, SubIndication.CHAIN_CONSTRAINTS_FAILURE)
UNTRUSTED = (Indication.INDETERMINATE, SubIndication.NO_CERTIFICATE_CHAIN_FOUND)

CASES = [
    # ByteRange manipulations (USF / ISA / SWA structure)
    (COVERAGE + "one-byterange.pdf", FAILED_FORMAT, "pdf.byte-range"),
    (COVERAGE + "signature-gap-too-big.pdf", FAILED_FORMAT, "pdf.byte-range"),
    (COVERAGE + "tail-uncovered.pdf", FAILED_FORMAT, "pdf.byte-range"),
    (COVERAGE + "weird-byterange.pdf", FAILED_FORMAT, "pdf.byte-range"),
    # shadow attacks: 4_* manipulated after signing must fail; 3_* honest keep integrity
    (
        SHADOW + "hide/variant-1_hide-via-referenced-object/"
        "4_original-document-shadowed-signed-manipulated_v1.pdf",
        FAILED_FORMAT,
        None,
    ),
    (
        SHADOW + "hide/variant-1_hide-via-referenced-object/"
        "4_original-document-shadowed-signed-manipulated_v2.pdf",
        FAILED_FORMAT,
        None,
    ),
    (
        SHADOW + "hide/variant-2_hide-via-referenced-object/hide-form-via-form/"
        "4_original-document-shadowed-signed-manipulated.pdf",
        FAILED_FORMAT,
        "pdf.hidden-revision",  # an object body no cross-reference section indexes
    ),
    (
        SHADOW + "hide/variant-2_hide-via-referenced-object/hide-text-via-form/"
        "4_original-document-shadowed-signed-manipulated.pdf",
        FAILED_FORMAT,
        "pdf.modified-after-signing",
    ),
    (
        SHADOW + "hide-and-replace/variant-1_change_object_references/"
        "4_original-document-shadowed-signed-manipulated.pdf",
        FAILED_FORMAT,
        "pdf.modified-after-signing",
    ),
    (
        SHADOW + "hide-and-replace/variant-2_change_objects_usage/"
        "4_original-document-shadowed-signed-manipulated.pdf",
        "DocumentError",  # an object listed dead is reused: no lenient reading for that
        None,
    ),
    (
        SHADOW + "replace/variant-1_replace-via-overlay/"
        "4_original-document-shadowed-signed-manipulated.pdf",
        FAILED_FORMAT,
        "pdf.modified-after-signing",
    ),
    (
        SHADOW + "replace/variant-2_replace-via-overwrite/"
        "4_original-document-shadowed-signed-manipulated.pdf",
        "DocumentError",  # an xref section that cannot be located: no lenient reading
        None,
    ),
    (
        SHADOW + "hide/variant-1_hide-via-referenced-object/"
        "3_original-document-shadowed-signed.pdf",
        KU,
        "cert.key-usage",
    ),
    (
        SHADOW + "replace/variant-1_replace-via-overlay/3_original-document-shadowed-signed.pdf",
        KU,
        "cert.key-usage",
    ),
    # certification (DocMDP P2) attacks
    (CERT + "ex1_03_Test_cert_p2_sign_manipulate.pdf", FAILED_FORMAT, "pdf.hidden-revision"),
    (CERT + "ex2_03_NDA_cert_p2_sign_manipulate.pdf", FAILED_FORMAT, "pdf.byte-range"),
    (CERT + "ex2_04_NDA_cert_p2_sign_sign_manipulate.pdf", FAILED_FORMAT, "pdf.byte-range"),
    (CERT + "PDFDocs_minimal_cert.pdf", UNTRUSTED, "chain.no-trust-anchor"),
    (CERT + "PDFDocs_minimal_cert_invalid.pdf", FAILED_HASH, "cms.digest-mismatch"),
]


@pytest.fixture(scope="module")
def roots() -> list[object]:
    return list(build_pki().roots())


@pytest.mark.parametrize(
    ("rel", "expected", "code"),
    CASES,
    ids=[Path(c[0]).parent.name + "/" + Path(c[0]).name for c in CASES],
)
def test_attack_file_verdicts(
    corpus: Path, roots: list[object], rel: str, expected: object, code: str | None
) -> None:
    path = corpus / rel
    if expected == "DocumentError":
        with pytest.raises(esig.DocumentError):
            esig.verify(path, trust=roots, validation_time=AT)
        return
    report = esig.verify(path, trust=roots, validation_time=AT)
    first = report.signatures[0]
    assert (first.indication, first.sub_indication) == expected
    if code is not None:
        assert first.reasons[0].code == code


@pytest.mark.parametrize(
    "name",
    ["deflate-bomb-10GB.pdf.gz", "deflate-bomb-10GB-x5.pdf.gz", "deflate-bomb-10GB-xref.pdf.gz"],
)
def test_deflate_bombs_fail_closed_quickly(corpus: Path, roots: list[object], name: str) -> None:
    data = gzip.decompress(
        (corpus / "security/pdf/rub-pdf101-dos/02-deflate-bomb" / name).read_bytes()
    )
    start = time.monotonic()
    with pytest.raises(esig.DocumentError):
        esig.verify(data, trust=roots, validation_time=AT)
    assert time.monotonic() - start < 5


def test_reference_loops_fail_closed(corpus: Path, roots: list[object]) -> None:
    loops = sorted((corpus / "security/pdf/rub-pdf101-dos/01-infinite-loop").rglob("*.pdf"))
    assert len(loops) == 21
    for pdf in loops:
        with pytest.raises(esig.DocumentError):
            esig.verify(pdf, trust=roots, validation_time=AT)


@pytest.mark.slow
def test_no_raw_exception_on_any_corpus_pdf(corpus: Path, roots: list[object]) -> None:
    """Every PDF of the corpus gives a report or an EsigError: never another exception."""
    pdfs = sorted((corpus / "pades").rglob("*.pdf")) + sorted((corpus / "attacks").rglob("*.pdf"))
    assert len(pdfs) > 100
    for pdf in pdfs:
        try:
            report = esig.verify(pdf, trust=roots, validation_time=AT)
        except esig.EsigError:
            continue
        assert all(s.indication in Indication for s in report.signatures)


def _shadow_files(corpus: Path, prefix: str) -> list[Path]:
    base = corpus / SHADOW.split("/shadow-demo-exploits/")[0]
    return sorted(p for p in base.rglob(f"{prefix}*.pdf"))


def test_all_shadow_attack_files_split_into_honest_and_manipulated(corpus: Path) -> None:
    """RUB's shadow demo: the 7 honest signed files (3_*) keep their integrity; the 8
    manipulated ones (4_*) all fail. The honest files' sample certificate has a key usage that
    is not for documents, so they end INDETERMINATE on that (never TOTAL_FAILED)."""
    honest, manipulated = _shadow_files(corpus, "3_"), _shadow_files(corpus, "4_")
    assert (len(honest), len(manipulated)) == (7, 8)
    roots = list(build_pki().roots())
    for path in honest:
        first = esig.verify(path, trust=roots, validation_time=AT).signatures[0]
        assert (first.indication, first.sub_indication, first.reasons[0].code) == (
            Indication.INDETERMINATE,
            SubIndication.CHAIN_CONSTRAINTS_FAILURE,
            "cert.key-usage",
        ), path
    for path in manipulated:
        try:
            report = esig.verify(path, trust=roots, validation_time=AT)
        except esig.DocumentError:
            continue
        assert report.signatures[0].indication is Indication.TOTAL_FAILED, path
