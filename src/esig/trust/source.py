"""The one interface validation uses to ask "is this trusted, and is it qualified?".

Signature validation (``esig.validation``, ``esig.pades``, ``esig.xades``) never reads trusted lists
itself: it asks a :class:`TrustSource`. :class:`~esig.trust.store.TrustStore` (the union of
configured trusted lists, LOTL, third-country lists with mutual recognition and national
adapters) is the production implementation; tests may use any object with these two methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from cryptography import x509

from esig.report import CertificateQualification, Finding, SignatureQualification

__all__ = ["QualificationOutcome", "TrustSource"]


@dataclass(frozen=True)
class QualificationOutcome:
    """What the trust sources say about a signing certificate (ETSI TS 119 615).

    ``signature`` is the signature-level qualification (``QESig``, ``AdESig-QC``, ``NA``...).
    ``at_issuance`` and ``at_signing`` are the certificate's qualification at its notBefore and at
    the best signing time. ``service`` names the trust service that vouched (its list's territory
    and service name), ``None`` when no service matched. ``findings`` give the reasons: which
    service, which status, which qualifier overrode which certificate claim, which MRA mapping
    was applied (with the third country's original values).
    """

    signature: SignatureQualification
    at_issuance: CertificateQualification
    at_signing: CertificateQualification
    service: str | None = None
    findings: tuple[Finding, ...] = ()


@runtime_checkable
class TrustSource(Protocol):
    """What validation needs from the configured trust: anchors and qualification."""

    def anchors(self, at: datetime) -> Sequence[x509.Certificate]:
        """Certificates usable as trust anchors for signature validation at ``at``.

        Only what the configured sources vouch for; never the operating system's CA store.
        """
        ...

    def qualify(
        self, chain: Sequence[x509.Certificate], *, signing_time: datetime
    ) -> QualificationOutcome:
        """Qualification of ``chain[0]`` (the signer; issuers follow) per TS 119 615."""
        ...
