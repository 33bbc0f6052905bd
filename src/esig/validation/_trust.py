"""Adapting what callers pass as ``trust`` to the TrustSource protocol."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cryptography import x509

from esig.errors import ConfigurationError
from esig.report import CertificateQualification, Finding, SignatureQualification
from esig.trust.source import QualificationOutcome, TrustSource

__all__ = ["AnchorList", "as_trust_source"]


class AnchorList:
    """A plain list of trust anchors: chains are checked, qualification is not known (N/A)."""

    def __init__(self, roots: Sequence[x509.Certificate]) -> None:
        self._roots = tuple(roots)

    def anchors(self, at: datetime) -> Sequence[x509.Certificate]:
        return self._roots

    def qualify(
        self, chain: Sequence[x509.Certificate], *, signing_time: datetime
    ) -> QualificationOutcome:
        return QualificationOutcome(
            signature=SignatureQualification.NA,
            at_issuance=CertificateQualification.NA,
            at_signing=CertificateQualification.NA,
            findings=(
                Finding(
                    "qualification.no-trusted-list",
                    "trust is a plain list of anchor certificates: qualification is not known",
                ),
            ),
        )


def as_trust_source(trust: object) -> TrustSource:
    """``trust`` as a TrustSource: a TrustSource as is, a sequence of certificates wrapped."""
    if trust is None:
        raise ConfigurationError(
            "no trust configured: pass trust=TrustStore(...) or a list of anchor certificates "
            "(esig never uses the operating system's CA store)"
        )
    if isinstance(trust, TrustSource):
        return trust
    if isinstance(trust, x509.Certificate):
        return AnchorList([trust])
    if isinstance(trust, Sequence) and not isinstance(trust, str | bytes):
        if not all(isinstance(c, x509.Certificate) for c in trust):
            raise ConfigurationError("trust must be a TrustSource or a list of x509.Certificate")
        if not trust:
            raise ConfigurationError("trust is an empty list of anchors")
        return AnchorList(trust)
    raise ConfigurationError(
        f"trust must be a TrustSource or a list of x509.Certificate, not {type(trust).__name__}"
    )
