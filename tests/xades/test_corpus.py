"""The corpus's ``xades`` and ``attacks-xml`` rows: each row is a case with its expectation.

Expectations are read from the manifest's free-text ``expected_verdict``:

* ``refuse``: the parser must refuse the input (DocumentError);
* ``hardened``: a DTD attack vector: DocumentError, or a report, but never a dependency's exception;
* ``unsigned``: no signature to find;
* ``exact``: the text names an indication and sub-indication (``asserts FAILED,HASH_FAILURE``,
  ``TOTAL_FAILED / HASH_FAILURE``): ours must be the same;
* ``reject``: INVALID / ATTACK / NOT intact: DocumentError, TOTAL_FAILED, or INDETERMINATE for a
  reason other than trust (no trust anchors are configured here);
* ``intact``: crypto intact: no TOTAL_FAILED;
* ``none``: no usable expectation; the row must still end in a report or a DocumentError.

ASiC and ODF containers, evidence records and DDOC files are ``unsupported`` (listed).
Counts are printed at the end of the run.
Disagreement is recorded, not failed, except for the rows in ``MUST_AGREE``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from esig.conformance import _judge
from esig.errors import DocumentError
from esig.report import Indication, ValidationReport
from esig.xades import XmlConstraints, verify_xml
from tests.conftest import corpus_root
from tests.xades import _tally
from tests.xades.conftest import T, TrustDouble

CONSTRAINTS = XmlConstraints(name="corpus", allow_sha1=True)
#: Verdicts that only say "no trusted chain / no revocation data / no POE": the same set the
#: conformance runner uses (with no anchors for a corpus file they say nothing about the file).
TRUST_SUBS = _judge.TRUST_SUBS
MUST_AGREE = {
    "xades/turkey-mersel/already-signed-but-not-valid.xml",
    "attacks/xml/libdigidocpp/xml-bomb-attr.xml",
    "attacks/xml/libdigidocpp/xml-bomb-cont.xml",
    "xades/xades4j/bad/document.signed.bes.invaliddataobj.xml",
    "xades/xades4j/bad/document.signed.bes.invalidsigvalue.xml",
    "xades/xades4j/bad/document.signed.bes.signedpropsrefnotype.xml",
    "xades/xades4j/bad/document.signed.bes.cs.invalidtransforms.xml",
    "xades/dss/validation/xades-counter-signature-injected.xml",
    "xades/dss/validation/xades-fake-counter-signature.xml",
    "xades/dss/validation/xsw/XSW-enveloped-fake-content-two-same-id.xml",
}
_EXACT = re.compile(r"(?:asserts\s+|\b)(TOTAL_FAILED|FAILED|INDETERMINATE)\s*[,/]\s*([A-Z_]{6,})")


@dataclass(frozen=True)
class Row:
    path: str
    format: str
    expected: str

    @property
    def unsupported(self) -> str:
        """Why esig.xades does not handle this row ('' when it does)."""
        if self.format.startswith("ZIP") or self.path.endswith((".asice", ".asics", ".odt")):
            return "container (ASiC/ODF) not supported"
        if "evidence-record" in self.path or self.path.endswith(".ers"):
            return "evidence records (RFC 4998/6283) not supported"
        if self.path.endswith(".ddoc"):
            return "DigiDoc (DDOC) not supported"
        return ""

    @property
    def kind(self) -> str:
        text = self.expected
        low = text.lower()
        if self.unsupported:
            return "unsupported"
        if "parser must refuse" in low or "must be rejected" in low:
            return "refuse"
        if "hardened signature parser" in low:
            return "hardened"
        if low.startswith("n/a") or low == "no signature":
            return "unsigned"
        if _EXACT.search(text):
            return "exact"
        if low.startswith(("valid", '"valid')):
            return "intact"
        if any(k in low for k in ("invalid", "attack", "not intact", "false", "not technically")):
            return "reject"
        if any(k in low for k in ("intact", "valid", "legitimate")):
            return "intact"
        return "none"


def _rows() -> list[Row]:
    manifest = corpus_root() / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        return [
            Row(r["local_path"], r["format"], r["expected_verdict"] or "")
            for r in reader
            if r["category"] in ("xades", "attacks-xml")
        ]


ROWS = _rows()


def _agrees(row: Row, outcome: ValidationReport | DocumentError) -> bool:
    kind = row.kind
    if kind == "refuse":
        return isinstance(outcome, DocumentError)
    if kind in ("hardened", "none"):
        return True
    if kind == "unsigned":
        return isinstance(outcome, ValidationReport) and outcome.signatures == ()
    if isinstance(outcome, DocumentError):
        return kind == "reject"
    sigs = outcome.signatures
    if kind == "exact":
        match = _EXACT.search(row.expected)
        assert match is not None
        ind = "TOTAL_FAILED" if match.group(1) == "FAILED" else match.group(1)
        return any(
            s.indication.value == ind
            and s.sub_indication is not None
            and s.sub_indication.value == match.group(2)
            for s in sigs
        )
    failed = any(s.indication is Indication.TOTAL_FAILED for s in sigs)
    if kind == "reject":
        return failed or any(
            s.indication is Indication.INDETERMINATE and s.sub_indication not in TRUST_SUBS
            for s in sigs
        )
    return bool(sigs) and not failed  # intact


@pytest.mark.parametrize("row", ROWS, ids=[r.path for r in ROWS])
def test_corpus_row(row: Row, corpus: Path) -> None:
    if row.kind == "unsupported":
        _tally.COUNTS["unsupported"] += 1
        _tally.ROWS["unsupported"].append(f"{row.path} ({row.unsupported})")
        pytest.skip(row.unsupported)
    data = (corpus / row.path).read_bytes()
    outcome: ValidationReport | DocumentError
    try:
        outcome = verify_xml(
            data, trust=TrustDouble(()), validation_time=T, constraints=CONSTRAINTS, name=row.path
        )
    except DocumentError as exc:
        outcome = exc
    agree = _agrees(row, outcome)
    _tally.COUNTS[("agree" if agree else "disagree") + f"[{row.kind}]"] += 1
    if not agree:
        got = (
            f"DocumentError: {outcome}"[:120]
            if isinstance(outcome, DocumentError)
            else "; ".join(f"{s.indication.value}/{s.sub_indication}" for s in outcome.signatures)
            or "no signature"
        )
        _tally.ROWS["disagree"].append(
            f"{row.path} [{row.kind}] expected {row.expected[:80]!r} got {got}"
        )
    if row.path in MUST_AGREE:
        assert agree, f"{row.path}: {row.expected} / {outcome}"
