"""The corpus's ``asic-xades`` rows through the conformance runner (esig.asic, no anchors).

Judging rules are the XAdES rows' (esig.conformance): see docs/asic.md for the disagreements.
A change in esig's verdicts shows up here as a changed set.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from esig.conformance import CaseResult, Status, run_manifest

pytestmark = pytest.mark.corpus

DISAGREE = {
    # digidoc4j calls unsigned containers valid; esig reports no signature (fail closed)
    "asic/digidoc4j/testFiles/valid-containers/container_without_signatures.asice",
    "asic/digidoc4j/testFiles/valid-containers/container_without_signatures.asics",
    "asic/digidoc4j/testFiles/valid-containers/container_without_signatures.bdoc",
    "asic/digidoc4j/testFiles/valid-containers/unsigned-container-with-empty-datafile.asics",
    "asic/digidoc4j/testFiles/valid-containers/unsigned-container-with-empty-datafiles.asice",
    # ASiC-S with two data files: DSS's explicit FORMAT_FAILURE is followed
    "asic/digidoc4j/testFiles/valid-containers/testasics.asics",
    # '+' for a space in a reference URI: a literal plus (RFC 3986), as digidoc4j's own test
    "asic/digidoc4j/testFiles/valid-containers/M1n1 Testäöüõ!.txt-TS-d4j.bdoc",
    # no mimetype: refused (DSS reads it)
    "asic/dss/onefile-no-mimetype.asice",
}


@pytest.fixture(scope="module")
def results(corpus: Path) -> list[CaseResult]:
    return run_manifest(corpus, categories=["asic-xades"])


def test_asic_rows_agree_except_the_known_ones(results: list[CaseResult]) -> None:
    assert [r.case for r in results if r.got.startswith(("CRASH", "KILLED"))] == []
    assert {r.case for r in results if r.status is Status.DISAGREE} == DISAGREE
    counts = Counter(r.status.value for r in results)
    assert counts == {
        "agree": 111,
        "undecided": 38,
        "unsupported": 115,
        "skipped": 11,
        "disagree": 8,
    }


def test_unsupported_containers_say_why(results: list[CaseResult]) -> None:
    reasons = Counter(r.reason for r in results if r.status is Status.UNSUPPORTED)
    assert reasons["ASiC time-stamp tokens (META-INF/*.tst): not supported"] == 45
    assert reasons["CAdES signatures in ASiC (META-INF/*signature*.p7s): not supported"] == 4
    assert reasons["evidence records in ASiC (META-INF/*evidencerecord*): not supported"] == 17
    assert reasons["DigiDoc (DDOC): not supported"] == 23


def test_hostile_containers_are_refused(results: list[CaseResult]) -> None:
    refused = {r.case: r.got for r in results if r.got.startswith("DocumentError")}
    assert (
        "'META-INF/manifest.xml' occurs twice"
        in refused[
            "asic/digidoc4j/testFiles/invalid-containers/KS-10_manifest_topelt_bdoc21_TM.bdoc"
        ]
    )
