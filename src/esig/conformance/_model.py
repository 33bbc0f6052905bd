"""Data of a conformance run: expectations, outcomes, per-case results (all frozen)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

__all__ = ["BUDGET_BYTES", "BUDGET_SECONDS", "CaseResult", "Expect", "Outcome", "Status"]

#: Per-file budget the runner checks (issue 7): no corpus file may take longer or use more.
BUDGET_SECONDS = 5.0
BUDGET_BYTES = 512 * 1024 * 1024


class Status(enum.StrEnum):
    """How esig's verdict compares with what the source project asserts."""

    AGREE = "agree"
    DISAGREE = "disagree"
    #: esig stopped at the trust stage (no anchors for the file); the source's rejection reason
    #: (revocation, expiry, policy...) lies beyond it, so the row can neither agree nor disagree.
    UNDECIDED = "undecided"
    #: a format esig does not verify (ASiC, CAdES, DDOC, evidence records...): listed, not run.
    UNSUPPORTED = "unsupported"
    #: no usable expectation, or a suite case that does not apply (the reason says why).
    SKIPPED = "skipped"


class Expect(enum.StrEnum):
    """A source's expectation mapped to esig's vocabulary (see docs/conformance.md)."""

    INTACT = "intact"  # crypto intact and valid: no integrity failure
    REJECT = "reject"  # invalid / attack: esig must not accept it
    EXACT = "exact"  # an EN 319 102-1 indication and sub-indication named by the source
    REFUSE = "refuse"  # the parser must refuse the input (DocumentError)
    UNSIGNED = "unsigned"  # no signature to find
    ROBUST = "robust"  # a report or an EsigError within budget, never a crash
    PASS = "pass"  # chain suites: path validation must succeed
    FAIL = "fail"  # chain suites: path validation must fail
    NONE = "none"  # nothing usable


@dataclass(frozen=True)
class Outcome:
    """What esig did with one input.

    ``kind`` is ``report`` (then ``verdicts`` holds one ``INDICATION/SUB/first-reason-code``
    triple per signature), ``error`` (an EsigError: ``error`` is its class name), ``crash``
    (any other exception: a bug) or ``killed`` (the hard time limit of an isolated run).
    """

    kind: str
    verdicts: tuple[tuple[str, str, str], ...] = ()
    error: str = ""
    message: str = ""
    seconds: float = 0.0
    peak_bytes: int = 0

    def describe(self) -> str:
        if self.kind == "report":
            if not self.verdicts:
                return "no signature"
            return "; ".join(
                f"{i}/{s or '-'}" + (f" ({c})" if c else "") for i, s, c in self.verdicts
            )
        if self.kind == "error":
            return f"{self.error}: {self.message}"[:160]
        return f"{self.kind.upper()} {self.error}: {self.message}"[:160]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "verdicts": [list(v) for v in self.verdicts],
            "error": self.error,
            "message": self.message,
            "seconds": round(self.seconds, 3),
            "peak_bytes": self.peak_bytes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        return cls(
            kind=str(data["kind"]),
            verdicts=tuple((str(a), str(b), str(c)) for a, b, c in data.get("verdicts", [])),
            error=str(data.get("error", "")),
            message=str(data.get("message", "")),
            seconds=float(data.get("seconds", 0.0)),
            peak_bytes=int(data.get("peak_bytes", 0)),
        )


@dataclass(frozen=True)
class CaseResult:
    """One row of the conformance table."""

    suite: str  # "manifest", "pkits", "x509-limbo", "openssl-ocsp"
    category: str
    source: str
    case: str  # a corpus path or a suite case id
    vocabulary: str  # which source vocabulary the expectation was read in
    expect: Expect
    expected: str  # the source's own words (shortened)
    status: Status
    got: str = ""
    reason: str = ""
    seconds: float = 0.0
    peak_bytes: int = 0

    @property
    def over_budget(self) -> bool:
        return self.seconds > BUDGET_SECONDS or self.peak_bytes > BUDGET_BYTES

    def to_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "category": self.category,
            "source": self.source,
            "case": self.case,
            "vocabulary": self.vocabulary,
            "expect": self.expect.value,
            "expected": self.expected,
            "status": self.status.value,
            "got": self.got,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
            "peak_bytes": self.peak_bytes,
        }
