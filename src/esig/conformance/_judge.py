"""Running esig on one corpus file and comparing its verdict with the expectation."""

from __future__ import annotations

import logging
import time
import tracemalloc
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509

from esig.conformance._model import Expect, Outcome, Status
from esig.errors import EsigError
from esig.report import (
    CertificateQualification,
    Finding,
    Indication,
    SignatureQualification,
    SubIndication,
    ValidationReport,
)
from esig.trust.source import QualificationOutcome

__all__ = [
    "CORPUS_TIME",
    "INTEGRITY_SUBS",
    "TRUST_SUBS",
    "NoAnchors",
    "judge",
    "run_document",
]

#: The validation time of every corpus file (explicit, recorded in docs/conformance.md).
CORPUS_TIME = datetime(2026, 6, 1, tzinfo=UTC)

#: Sub-indications that say the signed bytes, the signature value or the format are wrong:
#: the integrity part of a verdict, decidable without any trust anchor.
INTEGRITY_SUBS = frozenset(
    {
        SubIndication.HASH_FAILURE.value,
        SubIndication.SIG_CRYPTO_FAILURE.value,
        SubIndication.FORMAT_FAILURE.value,
        SubIndication.SIGNED_DATA_NOT_FOUND.value,
    }
)

#: Sub-indications that only say "no trusted chain / no revocation data / no proof of
#: existence": with no anchors for a corpus file, they say nothing about the file itself.
TRUST_SUBS = frozenset(
    s.value
    for s in (
        SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
        SubIndication.NO_CERTIFICATE_CHAIN_FOUND_NO_POE,
        SubIndication.TRY_LATER,
        SubIndication.OUT_OF_BOUNDS_NO_POE,
        SubIndication.OUT_OF_BOUNDS_NOT_REVOKED,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
        SubIndication.CHAIN_CONSTRAINTS_FAILURE,
        SubIndication.REVOKED_NO_POE,
        SubIndication.REVOKED_CA_NO_POE,
        SubIndication.NO_POE,
        SubIndication.REVOCATION_OUT_OF_BOUNDS_NO_POE,
    )
)


class NoAnchors:
    """A trust source with no anchors: what esig knows about a file from another PKI.

    Every chain ends INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND; integrity (digests, signature
    value, format, PDF modifications) is still checked in full.
    """

    def anchors(self, at: datetime) -> Sequence[x509.Certificate]:
        return ()

    def qualify(
        self, chain: Sequence[x509.Certificate], *, signing_time: datetime
    ) -> QualificationOutcome:
        return QualificationOutcome(
            signature=SignatureQualification.NA,
            at_issuance=CertificateQualification.NA,
            at_signing=CertificateQualification.NA,
            findings=(Finding("qualification.no-trusted-list", "conformance run: no anchors"),),
        )


def _from_report(report: ValidationReport) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (
            s.indication.value,
            s.sub_indication.value if s.sub_indication is not None else "",
            s.reasons[0].code if s.reasons else "",
        )
        for s in report.signatures
    )


_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux); False when not possible."""
    try:
        _CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def _peak_rss() -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def run_document(path: Path, *, measure_memory: bool = True) -> Outcome:
    """Verify one corpus file (PDF, XML or ASiC) with no anchors at :data:`CORPUS_TIME`.

    Never raises: an EsigError is an ``error`` outcome, anything else a ``crash``. Memory is the
    peak resident set of the process while verifying (Linux: the VmHWM mark, reset before the
    file; it includes the interpreter's own baseline), else the peak of Python allocations
    (tracemalloc, which slows the run down).
    """
    from esig.asic import verify_asic
    from esig.validation import verify
    from esig.xades import XmlConstraints, verify_xml

    logging.disable(logging.CRITICAL)  # dependencies log tracebacks for expected failures
    rss = measure_memory and _reset_peak_rss()
    traced = measure_memory and not rss
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            data = path.read_bytes()
            if data[:4] == b"PK\x03\x04":  # an ASiC container, read as XML files are
                report = verify_asic(
                    data,
                    trust=NoAnchors(),
                    validation_time=CORPUS_TIME,
                    constraints=XmlConstraints(name="conformance", allow_sha1=True),
                    name=path.name,
                )
            elif data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
                # old archives: SHA-1 is read, not refused (integrity is what is compared)
                report = verify_xml(
                    data,
                    trust=NoAnchors(),
                    validation_time=CORPUS_TIME,
                    constraints=XmlConstraints(name="conformance", allow_sha1=True),
                    name=path.name,
                )
            else:
                report = verify(data, trust=NoAnchors(), validation_time=CORPUS_TIME)
        outcome = Outcome("report", _from_report(report))
    except EsigError as exc:
        outcome = Outcome("error", error=type(exc).__name__, message=" ".join(str(exc).split()))
    except RecursionError as exc:
        outcome = Outcome("crash", error=type(exc).__name__, message=str(exc)[:200])
    except Exception as exc:  # a bug in esig: recorded as a crash, never hidden
        outcome = Outcome("crash", error=type(exc).__name__, message=" ".join(str(exc).split()))
    finally:
        seconds = time.perf_counter() - started
        peak = 0
        if rss:
            peak = _peak_rss()
        elif traced:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        logging.disable(logging.NOTSET)
    return Outcome(outcome.kind, outcome.verdicts, outcome.error, outcome.message, seconds, peak)


def _integrity_failed(verdict: tuple[str, str, str]) -> bool:
    return verdict[0] == Indication.TOTAL_FAILED.value or verdict[1] in INTEGRITY_SUBS


def judge(expect: Expect, detail: str, outcome: Outcome) -> tuple[Status, str]:
    """Compare an outcome with an expectation: ``(status, reason)``.

    The reason says why a row disagrees or is undecided ('' when it agrees).
    """
    if outcome.kind in ("crash", "killed"):
        return Status.DISAGREE, f"esig {outcome.kind}: {outcome.error}"
    failed = outcome.kind == "error" or any(_integrity_failed(v) for v in outcome.verdicts)
    if expect is Expect.ROBUST:
        return Status.AGREE, ""
    if expect is Expect.REFUSE:
        if outcome.kind == "error":
            return Status.AGREE, ""
        return Status.DISAGREE, "the source's parser refuses this input; esig read it"
    if expect is Expect.UNSIGNED:
        # esig refuses a PDF without signatures (DocumentError): nothing is accepted either way
        if outcome.kind == "error" or not outcome.verdicts:
            return Status.AGREE, ""
        return Status.DISAGREE, "no signature expected"
    if expect is Expect.EXACT:
        if outcome.kind == "error":
            return Status.DISAGREE, f"expected {detail}, esig refused the document"
        got = {f"{i}/{s}" for i, s, _ in outcome.verdicts}
        if detail in got:
            return Status.AGREE, ""
        expected_sub = detail.partition("/")[2]
        if (
            outcome.verdicts
            and expected_sub not in TRUST_SUBS | INTEGRITY_SUBS
            and all(v[1] in TRUST_SUBS for v in outcome.verdicts)
        ):
            # the source judged with its own anchors; esig has none for the file and stopped
            # (integrity intact) before the stage the expected sub-indication comes from
            return (
                Status.UNDECIDED,
                f"expected {detail}; esig stopped at the trust/certificate stage "
                "(no anchor for this file)",
            )
        return Status.DISAGREE, f"expected {detail}"
    if expect is Expect.INTACT:
        if outcome.kind == "error":
            return Status.DISAGREE, "valid per source; esig refused the document"
        if not outcome.verdicts:
            return Status.DISAGREE, "valid per source; esig found no signature"
        if failed:
            return Status.DISAGREE, "valid per source; esig reports an integrity failure"
        return Status.AGREE, ""
    if expect is Expect.REJECT:
        if failed or not outcome.verdicts:  # refused, failed, or nothing to accept
            return Status.AGREE, ""
        if any(v[0] == Indication.TOTAL_PASSED.value for v in outcome.verdicts):
            return Status.DISAGREE, "invalid per source; esig passed it"
        if any(v[1] not in TRUST_SUBS for v in outcome.verdicts):
            return Status.AGREE, ""  # INDETERMINATE for a reason in the file (constraints)
        return (
            Status.UNDECIDED,
            "esig stopped at the trust/certificate stage; the source's reason lies beyond it",
        )
    return Status.SKIPPED, "no usable expectation"
