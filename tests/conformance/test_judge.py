"""How an outcome compares with an expectation (the agreement rules of docs/conformance.md)."""

from __future__ import annotations

import pytest

from esig.conformance import Expect, Outcome, Status, judge

PASSED = ("TOTAL_PASSED", "", "")
HASH = ("TOTAL_FAILED", "HASH_FAILURE", "cms.digest-mismatch")
UNTRUSTED = ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND", "chain.no-anchors")
CONSTRAINT = ("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", "xml.signature-location")
NO_CERT = ("INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", "xades.signing-certificate")


def report(*verdicts: tuple[str, str, str]) -> Outcome:
    return Outcome("report", verdicts)


ERROR = Outcome("error", error="DocumentError", message="malformed")
CRASH = Outcome("crash", error="KeyError", message="'x'")


@pytest.mark.parametrize(
    ("expect", "detail", "outcome", "status"),
    [
        (Expect.INTACT, "", report(UNTRUSTED), Status.AGREE),
        (Expect.INTACT, "", report(NO_CERT), Status.AGREE),  # an AdES rule, not integrity
        (Expect.INTACT, "", report(UNTRUSTED, HASH), Status.DISAGREE),
        (Expect.INTACT, "", report(), Status.DISAGREE),
        (Expect.INTACT, "", ERROR, Status.DISAGREE),
        (Expect.REJECT, "", report(HASH), Status.AGREE),
        (Expect.REJECT, "", ERROR, Status.AGREE),
        (Expect.REJECT, "", report(), Status.AGREE),
        (Expect.REJECT, "", report(CONSTRAINT), Status.AGREE),
        (Expect.REJECT, "", report(UNTRUSTED), Status.UNDECIDED),
        (Expect.REJECT, "", report(PASSED), Status.DISAGREE),
        (Expect.EXACT, "TOTAL_FAILED/HASH_FAILURE", report(UNTRUSTED, HASH), Status.AGREE),
        (Expect.EXACT, "TOTAL_FAILED/FORMAT_FAILURE", report(HASH), Status.DISAGREE),
        (Expect.EXACT, "TOTAL_FAILED/HASH_FAILURE", ERROR, Status.DISAGREE),
        # the expected sub-indication lies beyond the trust stage esig stopped at
        (
            Expect.EXACT,
            "INDETERMINATE/SIG_CONSTRAINTS_FAILURE",
            report(UNTRUSTED),
            Status.UNDECIDED,
        ),
        (Expect.EXACT, "TOTAL_FAILED/HASH_FAILURE", report(UNTRUSTED), Status.DISAGREE),
        # ...but not when esig found intact what the source finds broken, passed or failed
        # something else, nor for an expected trust verdict
        (Expect.EXACT, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE", report(PASSED), Status.DISAGREE),
        (Expect.EXACT, "TOTAL_FAILED/HASH_FAILURE", report(UNTRUSTED, CONSTRAINT), Status.DISAGREE),
        (
            Expect.EXACT,
            "INDETERMINATE/OUT_OF_BOUNDS_NO_POE",
            report(UNTRUSTED),
            Status.DISAGREE,
        ),
        (Expect.REFUSE, "", ERROR, Status.AGREE),
        (Expect.REFUSE, "", report(HASH), Status.DISAGREE),
        (Expect.UNSIGNED, "", report(), Status.AGREE),
        (Expect.UNSIGNED, "", ERROR, Status.AGREE),
        (Expect.UNSIGNED, "", report(UNTRUSTED), Status.DISAGREE),
        (Expect.ROBUST, "", ERROR, Status.AGREE),
        (Expect.ROBUST, "", CRASH, Status.DISAGREE),
        (Expect.INTACT, "", Outcome("killed", error="Timeout"), Status.DISAGREE),
        (Expect.NONE, "", report(PASSED), Status.SKIPPED),
    ],
)
def test_judge(expect: Expect, detail: str, outcome: Outcome, status: Status) -> None:
    assert judge(expect, detail, outcome)[0] is status


def test_a_crash_is_named_in_the_reason() -> None:
    assert judge(Expect.REJECT, "", CRASH) == (Status.DISAGREE, "esig crash: KeyError")


def test_outcome_round_trips_through_json() -> None:
    out = Outcome("report", (HASH, UNTRUSTED), seconds=1.25, peak_bytes=10)
    assert Outcome.from_dict(out.to_dict()) == out
    assert out.describe() == (
        "TOTAL_FAILED/HASH_FAILURE (cms.digest-mismatch); "
        "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND (chain.no-anchors)"
    )
