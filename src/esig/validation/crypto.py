"""Cryptographic constraints at the proof-of-existence time (ETSI EN 319 102-1, 5.2.8).

Each cryptographic element of a signature (its signature value, the certificates of its chain,
its time-stamp tokens) is a :class:`CryptoUse`: the digest and key it relies on and the time it
is proven to have existed. :func:`check_algorithms`, which PAdES and XAdES verification both
call, judges every use against an :class:`~esig.policy.algorithms.AlgorithmPolicy` at that time:

- acceptable at its proof of existence: passes (an archive time-stamp from before SHA-1's end
  date keeps a SHA-1 signature valid);
- end date passed before the proof of existence: INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE
  (a later time-stamp from before the end date would resolve it);
- never acceptable under the policy (unlisted algorithm, key below the smallest listed size):
  INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE;
- a passed end date that the policy marks as a forecast: a warning.

Certificate, OCSP and CRL signatures met during path validation go through the same policy at
the path's control time: :class:`CertvalidatorAlgorithms` plugs it into pyhanko-certvalidator.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import algos, cms
from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from pyhanko_certvalidator.policy_decl import AlgorithmUsageConstraint, AlgorithmUsagePolicy

from esig.policy.algorithms import AlgorithmPolicy
from esig.report import Finding, Indication, SubIndication
from esig.validation._dsa_params import lacks_dsa_parameters
from esig.validation._plain_ecdsa import plain_ecdsa_digest

__all__ = [
    "CertvalidatorAlgorithms",
    "CryptoCheck",
    "CryptoUse",
    "certificate_uses",
    "check_algorithms",
    "key_of",
    "signature_digest",
    "timestamp_uses",
]


@dataclass(frozen=True)
class CryptoUse:
    """One cryptographic element: what it is, its digest and key, and its proof of existence."""

    what: str
    poe: datetime
    digest: str | None = None
    key: tuple[str, int] | None = None


@dataclass(frozen=True)
class CryptoCheck:
    """The outcome of :func:`check_algorithms`: a failure (indication, sub-indication, reasons)
    or none, and warnings."""

    indication: Indication = Indication.TOTAL_PASSED
    sub_indication: SubIndication | None = None
    reasons: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()

    @property
    def passed(self) -> bool:
        return self.indication is Indication.TOTAL_PASSED


def key_of(key: object) -> tuple[str, int] | None:
    """``(family, bits)`` of a cryptography public key or an asn1crypto PublicKeyInfo."""
    if isinstance(key, rsa.RSAPublicKey):
        return ("rsa", key.key_size)
    if isinstance(key, dsa.DSAPublicKey):
        return ("dsa", key.key_size)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return ("ecdsa", key.curve.key_size)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return ("ed25519", 256)
    if isinstance(key, ed448.Ed448PublicKey):
        return ("ed448", 456)
    if isinstance(key, asn1_keys.PublicKeyInfo):
        try:
            algo = str(key.algorithm)
            bits = int(key.bit_size)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        family = {"rsa": "rsa", "rsassa_pss": "rsa", "dsa": "dsa", "ec": "ecdsa"}.get(algo, algo)
        return (family, bits)
    return None


def signature_digest(algo: algos.SignedDigestAlgorithm) -> str | None:
    """The digest a signature algorithm signs with (``sha256_ecdsa``, BSI ``ecdsa-plain-SHA256``:
    ``sha256``), as asn1crypto reads it or from the BSI plain ECDSA OIDs; None when unknown.

    Plain ECDSA (``r || s``) is ECDSA for ETSI TS 119 312: its key is judged as an ECDSA key."""
    with contextlib.suppress(ValueError, KeyError, TypeError):
        return str(algo.hash_algo)
    return plain_ecdsa_digest(algo)


def _cert_digest(cert: x509.Certificate) -> str | None:
    with contextlib.suppress(Exception):  # unsupported or hash-less algorithms (EdDSA)
        algo = cert.signature_hash_algorithm
        return algo.name if algo is not None else None
    return None


def certificate_uses(
    chain: Sequence[x509.Certificate], poe: datetime, whose: str = "the signer's"
) -> list[CryptoUse]:
    """The signature on each certificate of ``chain`` (end entity first, anchor last) by its
    issuer's key. The anchor's own self-signature is not judged: it is trusted by configuration."""
    uses: list[CryptoUse] = []
    for i, cert in enumerate(chain[:-1]):
        issuer = chain[i + 1]
        role = f"{whose} certificate" if i == 0 else f"a CA certificate of {whose} chain"
        uses.append(
            CryptoUse(
                f"the signature on {role} ({cert.subject.rfc4514_string()})",
                poe,
                _cert_digest(cert),
                key_of(issuer.public_key()),
            )
        )
    return uses


def timestamp_uses(
    token: cms.SignedData,
    tsa_chain: Sequence[x509.Certificate],
    poe: datetime,
    kind: str = "time-stamp",
) -> list[CryptoUse]:
    """An RFC 3161 token: its message imprint, the TSA's signature, and the TSA's chain."""
    uses: list[CryptoUse] = []
    tsa_key = key_of(tsa_chain[0].public_key()) if tsa_chain else None
    with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError, IndexError):
        tst = token["encap_content_info"]["content"].parsed
        imprint = tst["message_imprint"]["hash_algorithm"]["algorithm"].native
        uses.append(CryptoUse(f"the {kind}'s message imprint", poe, imprint))
    with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError, IndexError):
        signer = token["signer_infos"][0]
        digest = signer["digest_algorithm"]["algorithm"].native
        uses.append(CryptoUse(f"the TSA's signature on the {kind}", poe, digest, tsa_key))
    uses.extend(certificate_uses(tsa_chain, poe, f"the {kind}'s TSA"))
    return uses


def check_algorithms(uses: Iterable[CryptoUse], policy: AlgorithmPolicy) -> CryptoCheck:
    """Judge every use at its proof of existence (see the module docstring)."""
    failures: list[tuple[SubIndication, Finding]] = []
    warnings: list[Finding] = []
    for use in uses:
        if use.digest is None and use.key is None:
            continue
        j = policy.judge(use.poe, digest=use.digest, key=use.key)
        at = f"{use.poe:%Y-%m-%dT%H:%M:%SZ}"
        if j.until is None:
            failures.append(
                (
                    SubIndication.CRYPTO_CONSTRAINTS_FAILURE,
                    Finding(
                        "crypto.algorithm-not-acceptable",
                        f"{use.what} uses {j.description}, which policy {policy.name!r} "
                        "never accepts",
                    ),
                )
            )
        elif j.forecast:
            warnings.append(
                Finding(
                    "crypto.algorithm-end-date-forecast",
                    f"{use.what} uses {j.description}, expected to be acceptable until "
                    f"{j.until:%Y-%m-%d} (a forecast of policy {policy.name!r}); its proof of "
                    f"existence is {at}",
                )
            )
        elif not j.acceptable:
            failures.append(
                (
                    SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
                    Finding(
                        "crypto.algorithm-expired",
                        f"{use.what} uses {j.description}, acceptable until {j.until:%Y-%m-%d} "
                        f"under policy {policy.name!r}, and nothing proves it existed before "
                        f"then (proof of existence: {at})",
                    ),
                )
            )
    if not failures:
        return CryptoCheck(warnings=tuple(warnings))
    return CryptoCheck(
        Indication.INDETERMINATE,
        failures[0][0],
        tuple(f for _, f in failures),
        tuple(warnings),
    )


class CertvalidatorAlgorithms(AlgorithmUsagePolicy):
    """An :class:`AlgorithmPolicy` as pyhanko-certvalidator's algorithm usage policy: signatures
    are judged at the path's control time (forecast end dates pass). pyhanko-certvalidator asks
    it about certificate signatures only; esig's chain engine asks it about every CRL and OCSP
    response signature as well (``chain._PolicySignatureValidator``)."""

    def __init__(self, policy: AlgorithmPolicy) -> None:
        self.policy = policy

    def _constraint(
        self, moment: datetime | None, digest: str | None, key: tuple[str, int] | None
    ) -> AlgorithmUsageConstraint:
        if digest is None and key is None:
            return AlgorithmUsageConstraint(allowed=True)
        # no moment: the judgement "at all times" is the most lenient one, the earliest
        at = moment if moment is not None else datetime.min.replace(tzinfo=UTC)
        j = self.policy.judge(at, digest=digest, key=key)
        if j.acceptable:
            return AlgorithmUsageConstraint(allowed=True)
        until = f"acceptable until {j.until:%Y-%m-%d}" if j.until else "never acceptable"
        return AlgorithmUsageConstraint(
            allowed=False,
            not_allowed_after=j.until,
            failure_reason=f"{j.description} is {until} under policy {self.policy.name!r}",
        )

    def digest_algorithm_allowed(
        self, algo: algos.DigestAlgorithm, moment: datetime | None
    ) -> AlgorithmUsageConstraint:
        return self._constraint(moment, str(algo["algorithm"].native), None)

    def signature_algorithm_allowed(
        self,
        algo: algos.SignedDigestAlgorithm,
        moment: datetime | None,
        public_key: asn1_keys.PublicKeyInfo | None,
    ) -> AlgorithmUsageConstraint:
        if public_key is not None and lacks_dsa_parameters(public_key):
            # the path completes a DSA key from its issuers (RFC 5280 6.1.4 f); without
            # parameters its size is unknown, and unknown is not acceptable
            return AlgorithmUsageConstraint(
                allowed=False,
                failure_reason="the DSA key has no domain parameters and no issuer supplies them",
            )
        digest = signature_digest(algo)
        key = key_of(public_key) if public_key is not None else None
        return self._constraint(moment, digest, key)
