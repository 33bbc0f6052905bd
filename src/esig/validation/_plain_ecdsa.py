"""Plain ECDSA signatures (BSI TR-03111): the signature value is ``r || s``, not a DER SEQUENCE.

German signature cards (the TeleSec QES file of the DSS corpus) sign CMS with the ``ecdsa-plain-*``
algorithm identifiers (``0.4.0.127.0.7.1.1.4.1.*``). asn1crypto does not know these OIDs, so
pyHanko's signature validator cannot dispatch on them: it raises ``AlgorithmNotSupported``, a
subclass of ``InvalidSignature``, and an intact signature reads as a broken one.

:data:`SIGNATURE_VALIDATOR` is pyHanko's default validator plus these OIDs: pass it as
``sig_validator`` to :func:`pyhanko.sign.validation.generic_cms.validate_sig_integrity`. A plain
value is split in two halves of the curve's byte length (any other length is an invalid
signature), re-encoded as DER and verified as ECDSA with the hash its OID names; every other
algorithm goes to pyHanko unchanged. The algorithm identifier's parameters (some signers put the
curve's OID there) are ignored: the signer's key fixes the curve.
"""

from __future__ import annotations

from asn1crypto import algos
from asn1crypto import keys as asn1_keys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature
from pyhanko_certvalidator.sig_validate import (
    DEFAULT_VALIDATION_CONTEXT,
    DefaultSignatureValidator,
    SignatureValidationContext,
)

__all__ = [
    "PLAIN_ECDSA_OIDS",
    "SIGNATURE_VALIDATOR",
    "PlainEcdsaAwareValidator",
    "plain_ecdsa_digest",
    "verify_plain_ecdsa",
]

_BASE = "0.4.0.127.0.7.1.1.4.1"  # bsi-de algorithms(1) id-ecc(1) signatures(4) ecdsa-plain(1)

#: ``ecdsa-plain-<hash>`` OID -> the digest it signs with (asn1crypto's digest names).
#: BSI TR-03111 (``ecdsa-plain-signatures``); the SHA-3 arcs as BouncyCastle's
#: ``BSIObjectIdentifiers`` assigns them. ``.6`` (RIPEMD-160) is left out: OpenSSL 3 no longer
#: offers RIPEMD-160 by default, and ETSI TS 119 312 (as DSS transcribes it) ends it in 2011.
PLAIN_ECDSA_OIDS: dict[str, str] = {
    f"{_BASE}.1": "sha1",
    f"{_BASE}.2": "sha224",
    f"{_BASE}.3": "sha256",
    f"{_BASE}.4": "sha384",
    f"{_BASE}.5": "sha512",
    f"{_BASE}.8": "sha3_224",
    f"{_BASE}.9": "sha3_256",
    f"{_BASE}.10": "sha3_384",
    f"{_BASE}.11": "sha3_512",
}

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sha3_224": hashes.SHA3_224,
    "sha3_256": hashes.SHA3_256,
    "sha3_384": hashes.SHA3_384,
    "sha3_512": hashes.SHA3_512,
}


def plain_ecdsa_digest(algorithm: algos.SignedDigestAlgorithm) -> str | None:
    """The digest name (``sha256``...) of an ``ecdsa-plain-*`` algorithm; None for any other."""
    try:
        oid = str(algorithm["algorithm"].dotted)
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
    return PLAIN_ECDSA_OIDS.get(oid)


def verify_plain_ecdsa(
    signature: bytes,
    data: bytes,
    public_key: asn1_keys.PublicKeyInfo | ec.EllipticCurvePublicKey,
    digest: str,
    *,
    prehashed: bool = False,
) -> None:
    """Verify the plain ``r || s`` ECDSA ``signature`` over ``data`` (its ``digest`` hash when
    ``prehashed``).

    :raises InvalidSignature: the value does not verify, or is not twice the curve's byte length.
    :raises ValueError: the key is not an EC key, or ``digest`` is not one of the plain digests.
    """
    if digest not in _HASHES:
        raise ValueError(f"{digest!r} is not a plain ECDSA digest")
    key = (
        serialization.load_der_public_key(public_key.dump())
        if isinstance(public_key, asn1_keys.PublicKeyInfo)
        else public_key
    )
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError(
            f"a plain ECDSA signature needs an EC public key, not {type(key).__name__}"
        )
    half = (key.curve.key_size + 7) // 8
    if len(signature) != 2 * half:
        raise InvalidSignature(
            f"a plain ECDSA value on {key.curve.name} has {2 * half} bytes, not {len(signature)}"
        )
    r = int.from_bytes(signature[:half], "big")
    s = int.from_bytes(signature[half:], "big")
    hash_algorithm = _HASHES[digest]()
    mode = ec.ECDSA(Prehashed(hash_algorithm) if prehashed else hash_algorithm)
    key.verify(encode_dss_signature(r, s), data, mode)


class PlainEcdsaAwareValidator(DefaultSignatureValidator):
    """pyHanko's default signature validator, plus the ``ecdsa-plain-*`` algorithms."""

    def validate_signature(
        self,
        signature: bytes,
        signed_data: bytes,
        public_key_info: asn1_keys.PublicKeyInfo,
        signature_algorithm: algos.SignedDigestAlgorithm,
        context: SignatureValidationContext = DEFAULT_VALIDATION_CONTEXT,
    ) -> None:
        digest = plain_ecdsa_digest(signature_algorithm)
        if digest is None:
            super().validate_signature(
                signature, signed_data, public_key_info, signature_algorithm, context
            )
            return
        verify_plain_ecdsa(
            signature, signed_data, public_key_info, digest, prehashed=context.prehashed
        )


#: The validator to pass as ``sig_validator`` wherever esig checks a CMS signer info.
SIGNATURE_VALIDATOR = PlainEcdsaAwareValidator()
