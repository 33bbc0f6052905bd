"""Mutation fuzzing of PDF and XML verification (hypothesis, derandomized).

Whatever the bytes, ``esig.verify`` / ``esig.xades.verify_xml`` must return a report or raise
an :class:`~esig.errors.EsigError`: never a dependency's exception. The seeds are documents
signed by esig on the TEST PKI; the mutations are byte flips, insertions of PDF/XML tokens,
deletions, duplications and truncations. CI runs ``ESIG_FUZZ_EXAMPLES`` (default 100) examples
per target; a long run: ``ESIG_FUZZ_EXAMPLES=5000 pytest tests/attacks/test_fuzz.py``.
Every exception found becomes a regression example here (``@example``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import esig
from esig.report import Indication, SubIndication
from esig.testing import TestPki
from esig.xades import sign_xml, verify_xml_signed
from tests.attacks.test_pdf_attacks import PAID
from tests.attacks.test_xml_comment_injection import CANONICAL, SIGNER
from tests.pades._signing import incremental_update
from tests.xades.conftest import DOC, T, TrustDouble, revocation

from .conftest import AT, SignedPdf

EXAMPLES = int(os.environ.get("ESIG_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: outcome kinds per target, printed with -s (the long run's counts come from here)
COUNTS: dict[str, Counter[str]] = {"pdf": Counter(), "xml": Counter(), "update": Counter()}

PDF_TOKENS = [
    b"/ByteRange",
    b"/Contents",
    b"null",
    b"[0 0 0 0]",
    b"999999999999",
    b"-1",
    b"<<",
    b">>",
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"xref",
    b"trailer",
    b"startxref",
    b"%%EOF",
    b"/Type /Sig",
    b"/Filter /FlateDecode",
    b"R",
    b"0 0 R",
    b"(",
    b")",
    b"<",
    b">",
    b"\x00",
]
XML_TOKENS = [
    b"<",
    b">",
    b"</",
    b"/>",
    b"<!---->",
    b"<![CDATA[x]]>",
    b"&amp;",
    b"&#0;",
    b"&#x10FFFF;",
    b'Id="goods"',
    b'URI="#goods"',
    b"<ds:Reference/>",
    b"<ds:Object/>",
    b'xmlns:ds="x"',
    b'<!DOCTYPE x [<!ENTITY e "e">]>',
    b"&e;",
    b"<?pi?>",
    b"\xff\xfe",
    b"\x00",
    b"==",
    b"AAAA",
]


def _mutations(tokens: list[bytes]) -> st.SearchStrategy[list[tuple[str, int, int, bytes]]]:
    op = st.tuples(
        st.sampled_from(["flip", "insert", "delete", "duplicate", "truncate", "replace"]),
        st.integers(min_value=0, max_value=2**31),
        st.integers(min_value=1, max_value=64),
        st.one_of(st.sampled_from(tokens), st.binary(min_size=1, max_size=8)),
    )
    return st.lists(op, min_size=1, max_size=4)


def mutate(data: bytes, ops: list[tuple[str, int, int, bytes]]) -> bytes:
    for kind, where, size, token in ops:
        if not data:
            break
        at = where % len(data)
        if kind == "flip":
            data = data[:at] + bytes([data[at] ^ (1 + size % 255)]) + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + token + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + size :]
        elif kind == "duplicate":
            data = data[:at] + data[at : at + size] + data[at:]
        elif kind == "truncate":
            data = data[:at]
        else:
            data = data[:at] + token + data[at + len(token) :]
    return data


def _record(target: str, outcome: object) -> None:
    if isinstance(outcome, esig.ValidationReport):
        key = ",".join(sorted({s.indication.value for s in outcome.signatures})) or "no signature"
    else:
        key = type(outcome).__name__
    COUNTS[target][key] += 1


@FUZZ
@given(ops=_mutations(PDF_TOKENS))
def test_fuzz_pdf_verification(
    signed_pdf: SignedPdf, ops: list[tuple[str, int, int, bytes]]
) -> None:
    data = mutate(signed_pdf.data, ops)
    try:
        report = esig.verify(data, trust=list(signed_pdf.roots), validation_time=AT)
    except esig.EsigError as exc:
        _record("pdf", exc)
        return
    _record("pdf", report)


@FUZZ
@given(ops=_mutations([*PDF_TOKENS, b"/XRefStm 10", b"/Prev 0", b"999 0 R", b"%%EOF"]))
def test_fuzz_an_update_after_signing(
    signed_pdf: SignedPdf, ops: list[tuple[str, int, int, bytes]]
) -> None:
    """Mutations of a content-changing update appended after signing (the bytes after the
    signed revision only) never give back the signed content's integrity: whatever a reader
    makes of the damaged update, esig fails the signature or refuses the file. Fuzzing this
    found the damaged-%%EOF update (pdf.hidden-revision)."""
    changed = incremental_update(signed_pdf.data, PAID)
    signed_end = signed_pdf.byte_range[2] + signed_pdf.byte_range[3]
    tail = mutate(changed[signed_end:], ops)
    data = changed[:signed_end] + tail
    try:
        report = esig.verify(data, trust=list(signed_pdf.roots), validation_time=AT)
    except esig.EsigError as exc:
        _record("update", exc)
        return
    _record("update", report)
    (sig,) = [s for s in report.signatures if s.kind == "signature"]
    integrity_kept = sig.indication is Indication.TOTAL_PASSED or sig.sub_indication in (
        SubIndication.TRY_LATER,
        SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
    )
    if integrity_kept:  # then no viewer may show the change
        assert not _viewer_shows(data, b"PAID IN FULL"), (sig.indication, sig.reasons)


def _viewer_shows(data: bytes, text: bytes) -> bool:
    """Whether poppler (pdftotext: finds the last startxref, repairs a broken index) shows
    ``text``; without poppler, whether the bytes are still in the file at all."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return text in data
    done = subprocess.run(
        [tool, "-q", "-", "-"], input=data, capture_output=True, timeout=30, check=False
    )
    return text in done.stdout


@pytest.fixture(scope="module")
def signed_xml(attack_pki: TestPki) -> bytes:
    return sign_xml(DOC, attack_pki.key(SIGNER), attack_pki.chain(SIGNER), signing_time=T)


@FUZZ
@given(ops=_mutations(XML_TOKENS))
def test_fuzz_xml_verification(
    signed_xml: bytes, attack_pki: TestPki, ops: list[tuple[str, int, int, bytes]]
) -> None:
    data = mutate(signed_xml, ops)
    try:
        out = verify_xml_signed(
            data,
            trust=TrustDouble(tuple(attack_pki.roots())),
            validation_time=T + timedelta(hours=1),
            revocation=revocation(attack_pki, SIGNER),
        )
    except esig.EsigError as exc:
        _record("xml", exc)
        return
    _record("xml", out.report)
    if any(s.indication is Indication.TOTAL_PASSED for s in out.report.signatures):
        # whatever passes, the signed document content is exactly the original's
        document = next(c for c in out.signed if c.uri == "")
        assert document.data == CANONICAL


@pytest.fixture(scope="module", autouse=True)
def _print_counts() -> Iterator[None]:
    """Prints what the fuzzers saw at the end of the module (``pytest -s``)."""
    yield
    for target, counts in COUNTS.items():
        if counts:
            print(f"\nfuzz {target}: {sum(counts.values())} inputs: {dict(counts)}")
