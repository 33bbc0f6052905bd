"""Signature qualification from the trust source's answer and the validation verdict (private)."""

from __future__ import annotations

from esig.report import Finding, Indication, SignatureQualification
from esig.trust.source import QualificationOutcome


def qualification(
    outcome: QualificationOutcome, indication: Indication
) -> tuple[SignatureQualification, tuple[Finding, ...]]:
    """TS 119 615: the trust source qualifies the certificate; the verdict gates the signature.

    TOTAL_PASSED keeps the source's answer; INDETERMINATE gives its "Indeterminate ..." form;
    TOTAL_FAILED gives "Not AdES" (with "but QC" / "but QC with QSCD" when the certificate is).
    """
    notes = tuple(outcome.findings)
    q = outcome.signature
    if indication is Indication.TOTAL_PASSED:
        return q, notes
    if indication is Indication.INDETERMINATE:
        if q is SignatureQualification.NA:
            return q, notes
        try:
            return SignatureQualification("Indeterminate " + q.value), notes
        except ValueError:
            return q, notes
    cert_q = outcome.at_signing
    if cert_q.is_qualified and cert_q.is_qscd:
        return SignatureQualification.NOT_ADES_QC_QSCD, notes
    if cert_q.is_qualified:
        return SignatureQualification.NOT_ADES_QC, notes
    return SignatureQualification.NOT_ADES, notes
