"""DSA domain parameters inherited along a certificate path (RFC 3279 2.3.2, RFC 5280 6.1.4 f).

A DSA subjectPublicKeyInfo may omit its domain parameters (p, q, g): the key then uses those of
the working public key of the path when that is a DSA key too, that is, of the nearest issuer
that has them; when no issuer supplies them the key is unusable. NIST PKITS 4.1.5 tests this.

pyhanko-certvalidator applies the rule to the certificate signatures of a path (its working
public key) but verifies a CRL signature with the CRL issuer's key as its certificate gives it,
and cryptography cannot read a certificate whose DSA key lacks its parameters. Here:
:func:`working_keys` gives each certificate's key as the path completes it;
:class:`InheritingSignatureValidator` verifies CRL and OCSP signatures with it (RFC 5280 6.3.3
f-g: the key of the CRL issuer's validated path); :func:`with_key` re-encodes a certificate with
its completed key for cryptography.
"""

from __future__ import annotations

from collections.abc import Sequence

from asn1crypto import algos
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator.sig_validate import (
    DEFAULT_VALIDATION_CONTEXT,
    SignatureValidationContext,
)

from esig.validation._plain_ecdsa import PlainEcdsaAwareValidator

__all__ = [
    "InheritingSignatureValidator",
    "lacks_dsa_parameters",
    "with_key",
    "working_keys",
]


def lacks_dsa_parameters(key: asn1_keys.PublicKeyInfo) -> bool:
    """Whether ``key`` is a DSA key whose domain parameters are omitted (or NULL)."""
    try:
        return bool(key.algorithm == "dsa" and key["algorithm"]["parameters"].native is None)
    except (ValueError, KeyError, TypeError):  # unreadable: not this case (reading fails later)
        return False


def _is_dsa_with_parameters(key: asn1_keys.PublicKeyInfo) -> bool:
    try:
        return bool(key.algorithm == "dsa" and key["algorithm"]["parameters"].native is not None)
    except (ValueError, KeyError, TypeError):
        return False


def _completed(
    key: asn1_keys.PublicKeyInfo, source: asn1_keys.PublicKeyInfo
) -> asn1_keys.PublicKeyInfo:
    """``key`` with the domain parameters of ``source``."""
    spki = asn1_keys.PublicKeyInfo(
        {
            "algorithm": asn1_keys.PublicKeyAlgorithm(
                {
                    "algorithm": "dsa",
                    "parameters": asn1_keys.DSAParams.load(
                        source["algorithm"]["parameters"].dump()
                    ),
                }
            ),
            "public_key": key["public_key"].copy(),
        }
    )
    return asn1_keys.PublicKeyInfo.load(spki.dump())


def working_keys(certs: Sequence[asn1_x509.Certificate]) -> list[asn1_keys.PublicKeyInfo]:
    """The working public key each certificate of a path sets (``certs``: end entity first,
    anchor last): its own key, or, for a DSA key without domain parameters, that key with the
    parameters of the working key before it when that is a DSA key with parameters (RFC 5280
    6.1.4 f, 6.1.5 e). A DSA key stays without parameters when no issuer supplies them."""
    keys: list[asn1_keys.PublicKeyInfo] = []
    working: asn1_keys.PublicKeyInfo | None = None
    for cert in reversed(certs):
        key = cert.public_key
        if working is not None and lacks_dsa_parameters(key) and _is_dsa_with_parameters(working):
            key = _completed(key, working)
        keys.append(key)
        working = key
    return keys[::-1]


def with_key(der: bytes, key: asn1_keys.PublicKeyInfo) -> bytes:
    """The certificate ``der`` with ``key`` as its subjectPublicKeyInfo: not the certificate as
    issued (its signature no longer covers it), only a way to show it to cryptography."""
    cert = asn1_x509.Certificate.load(der)
    cert["tbs_certificate"]["subject_public_key_info"] = asn1_keys.PublicKeyInfo.load(key.dump())
    return bytes(cert.dump())


class InheritingSignatureValidator(PlainEcdsaAwareValidator):
    """pyhanko-certvalidator's signature validator, which completes a DSA key without domain
    parameters with the parameters the path under validation gives that key (:meth:`use_path`);
    a key the path does not complete stays as it is (the signature then fails to verify). BSI
    plain-ECDSA signatures (certificates, CRLs, OCSP responses) verify as in CMS
    (:class:`~esig.validation._plain_ecdsa.PlainEcdsaAwareValidator`)."""

    def __init__(self) -> None:
        self._inherited: dict[bytes, asn1_keys.PublicKeyInfo] = {}

    def use_path(self, certs: Sequence[asn1_x509.Certificate]) -> None:
        """Take the completed keys of ``certs`` (end entity first, anchor last); a key the path
        completes in two different ways is not completed."""
        inherited: dict[bytes, asn1_keys.PublicKeyInfo] = {}
        conflicts: set[bytes] = set()
        for cert, key in zip(certs, working_keys(certs), strict=True):
            if not lacks_dsa_parameters(cert.public_key) or lacks_dsa_parameters(key):
                continue
            name = _key_id(cert.public_key)
            if name in inherited and inherited[name].dump() != key.dump():
                conflicts.add(name)
            inherited[name] = key
        self._inherited = {k: v for k, v in inherited.items() if k not in conflicts}

    def validate_signature(
        self,
        signature: bytes,
        signed_data: bytes,
        public_key_info: asn1_keys.PublicKeyInfo,
        signature_algorithm: algos.SignedDigestAlgorithm,
        context: SignatureValidationContext = DEFAULT_VALIDATION_CONTEXT,
    ) -> None:
        super().validate_signature(
            signature, signed_data, self.completed(public_key_info), signature_algorithm, context
        )

    def completed(self, public_key_info: asn1_keys.PublicKeyInfo) -> asn1_keys.PublicKeyInfo:
        """``public_key_info`` with the DSA parameters the current path gives it, if any."""
        if lacks_dsa_parameters(public_key_info):
            return self._inherited.get(_key_id(public_key_info), public_key_info)
        return public_key_info


def _key_id(key: asn1_keys.PublicKeyInfo) -> bytes:
    # the subjectPublicKey bits as read (a DSA key without parameters is only its y)
    return bytes(key["public_key"].contents)
