"""Signers: a key file (PKCS#12, PEM key + certificates) or a PKCS#11 token (the ID card).

A :class:`Signer` loads its key **once** and keeps the key object: cryptography checks an RSA
key on every load (about 30 ms), which pyHanko's ``SimpleSigner`` pays on every signature
(BASELINES.md). The same signer object is meant to sign thousands of documents.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.signers import Signer as PyhankoSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from esig.errors import ConfigurationError, SigningError, TokenError

__all__ = ["PIN_ENVIRONMENT_VARIABLE", "Signer", "check_signing_certificate"]

#: Where :meth:`Signer.from_pkcs11` reads the token PIN when none is given.
PIN_ENVIRONMENT_VARIABLE = "ESIG_PIN"

PrivateKey = (
    rsa.RSAPrivateKey
    | ec.EllipticCurvePrivateKey
    | ed25519.Ed25519PrivateKey
    | (ed448.Ed448PrivateKey)
)

_KEY_TYPES = (
    rsa.RSAPrivateKey,
    ec.EllipticCurvePrivateKey,
    ed25519.Ed25519PrivateKey,
    ed448.Ed448PrivateKey,
)

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
    "sha3_256": hashes.SHA3_256,
    "sha3_384": hashes.SHA3_384,
    "sha3_512": hashes.SHA3_512,
}


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


class _LoadedKeySigner(PyhankoSigner):
    """A pyHanko signer holding an already loaded cryptography key."""

    def __init__(
        self, key: PrivateKey, cert: x509.Certificate, chain: Sequence[x509.Certificate]
    ) -> None:
        registry = SimpleCertificateStore.from_certs([_asn1(c) for c in chain])  # type: ignore[no-untyped-call]
        super().__init__(signing_cert=_asn1(cert), cert_registry=registry, embed_roots=True)
        self._key = key

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algo = mechanism.signature_algo
        key = self._key
        if isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
            return key.sign(data)
        try:
            hash_algo = _HASHES[digest_algorithm]()
        except KeyError:
            raise PyhankoSigningError(f"unsupported digest {digest_algorithm}") from None
        if isinstance(key, rsa.RSAPrivateKey):
            if algo == "rsassa_pss":
                pad: padding.AsymmetricPadding = padding.PSS(
                    mgf=padding.MGF1(hash_algo), salt_length=hash_algo.digest_size
                )
            else:
                pad = padding.PKCS1v15()
            return key.sign(data, pad, hash_algo)
        return key.sign(data, ec.ECDSA(hash_algo))


_SERVICE_EKUS = {
    x509.oid.ExtendedKeyUsageOID.TIME_STAMPING: "timeStamping",
    x509.oid.ExtendedKeyUsageOID.OCSP_SIGNING: "OCSPSigning",
}


def token_error(exc: Exception) -> TokenError | None:
    """A TokenError for an exception python-pkcs11 raised (None for any other): what signing
    PDF and XML both report when the token fails."""
    if type(exc).__module__.startswith("pkcs11"):
        return TokenError(f"the PKCS#11 token failed to sign: {type(exc).__name__} {exc!s:.200}")
    return None


def check_signing_certificate(cert: x509.Certificate, at: datetime) -> None:
    """Refuse certificates that must not sign documents, saying why.

    :raises SigningError: the certificate is not yet valid or expired at ``at``, is a CA
        certificate, or its key usage allows neither nonRepudiation nor digitalSignature.
    """
    subject = cert.subject.rfc4514_string()
    if at < cert.not_valid_before_utc:
        raise SigningError(
            f"certificate of {subject} is not valid before {cert.not_valid_before_utc:%Y-%m-%d}"
        )
    if at > cert.not_valid_after_utc:
        raise SigningError(
            f"certificate of {subject} expired on {cert.not_valid_after_utc:%Y-%m-%d}"
        )
    try:
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        if basic.ca:
            raise SigningError(f"certificate of {subject} is a CA certificate, not a signer's")
    except x509.ExtensionNotFound:
        pass
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        eku = None
    if eku is not None:
        for oid, name in _SERVICE_EKUS.items():
            if oid in eku:
                raise SigningError(
                    f"certificate of {subject} is not for signing: its extended key usage is "
                    f"{name}, not documents"
                )
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (ku.digital_signature or ku.content_commitment):
        raise SigningError(
            f"certificate of {subject} is not for signing: its key usage allows neither "
            "nonRepudiation nor digitalSignature"
        )


class Signer:
    """Who signs: a certificate, its issuers, and a way to use the private key.

    Build one with :meth:`from_pkcs12`, :meth:`from_key` or :meth:`from_pkcs11` and reuse it;
    the key is loaded once.
    """

    def __init__(
        self,
        pyhanko_signer: Any,
        certificate: x509.Certificate,
        chain: Sequence[x509.Certificate],
        *,
        description: str,
    ) -> None:
        self._pyhanko = pyhanko_signer
        self.certificate = certificate
        #: The signer's certificate followed by its issuers (as far as known).
        self.chain: tuple[x509.Certificate, ...] = tuple(chain)
        self.description = description

    @property
    def private_key(self) -> PrivateKey | None:
        """The loaded private key of a key-file signer; None when the key stays on a token."""
        key = getattr(self._pyhanko, "_key", None)
        return key if isinstance(key, _KEY_TYPES) else None

    @property
    def pyhanko_signer(self) -> Any:
        """The pyHanko signer behind this object (for pyHanko-level integrations)."""
        return self._pyhanko

    def check_usable(self, at: datetime | None = None) -> None:
        """Raise :class:`SigningError` if the certificate must not sign at ``at`` (default now)."""
        check_signing_certificate(self.certificate, at or datetime.now(UTC))

    def sign_raw(self, data: bytes, digest_algorithm: str = "sha256") -> bytes:
        """Sign ``data`` (hashed with ``digest_algorithm``) with the key, on the token or loaded.

        The result is the signature as X.509 and CMS encode it: RSA PKCS#1 v1.5, ECDSA a DER
        ``ECDSA-Sig-Value`` (XML-DSig wants ``r || s``: :func:`esig.xades.sign_xml` converts),
        EdDSA the raw signature. This is what :func:`esig.xades.sign_xml` uses when the key
        stays on a PKCS#11 token; it is one token operation in the session opened with the PIN.

        :raises TokenError: the token failed to sign (removed, session closed, key unusable).
        :raises SigningError: the digest algorithm or key cannot be used.
        """
        import asyncio

        async def run() -> bytes:
            return bytes(await self._pyhanko.async_sign_raw(data, digest_algorithm))

        try:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return asyncio.run(run())
            # Called from async code: run the signing loop in a thread of its own.
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(asyncio.run, run()).result()
        except SigningError:
            raise
        except PyhankoSigningError as exc:
            raise SigningError(f"cannot sign with {self.description}: {exc}") from exc
        except Exception as exc:
            error = token_error(exc)
            if error is None:
                raise
            raise error from exc

    # -- constructors -------------------------------------------------------------------------

    @classmethod
    def from_key(
        cls,
        key: PrivateKey,
        certificate: x509.Certificate,
        issuers: Sequence[x509.Certificate] = (),
    ) -> Signer:
        """A signer from a loaded private key, its certificate and the issuing certificates."""
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) and not isinstance(
            key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey
        ):
            raise ConfigurationError(f"unsupported private key type {type(key).__name__}")
        key_pub = key.public_key().public_bytes(
            Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        cert_pub = certificate.public_key().public_bytes(
            Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        if key_pub != cert_pub:
            raise ConfigurationError("the private key does not belong to the certificate")
        chain = (certificate, *(c for c in issuers if c != certificate))
        return cls(
            _LoadedKeySigner(key, certificate, chain),
            certificate,
            chain,
            description=f"key of {certificate.subject.rfc4514_string()}",
        )

    @classmethod
    def from_pkcs12(
        cls, path_or_data: str | os.PathLike[str] | bytes, password: str | bytes
    ) -> Signer:
        """A signer from a PKCS#12 (.p12/.pfx) file or its bytes.

        :raises InputError subclasses: see :class:`SigningError`: a wrong password, a file that is
            not PKCS#12, or one holding no key or certificate.
        """
        if isinstance(path_or_data, bytes):
            data = path_or_data
        else:
            try:
                data = Path(path_or_data).read_bytes()
            except OSError as exc:
                raise SigningError(
                    f"cannot read PKCS#12 file {path_or_data}: {exc.strerror}"
                ) from exc
        secret = password.encode() if isinstance(password, str) else password
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
        except ValueError as exc:
            raise SigningError(
                "cannot open the PKCS#12 file: wrong password or not a PKCS#12 file"
            ) from exc
        if key is None or cert is None:
            raise SigningError("the PKCS#12 file holds no private key with its certificate")
        if not isinstance(
            key,
            rsa.RSAPrivateKey
            | ec.EllipticCurvePrivateKey
            | ed25519.Ed25519PrivateKey
            | ed448.Ed448PrivateKey,
        ):
            raise SigningError(f"unsupported key type in PKCS#12: {type(key).__name__}")
        return cls.from_key(key, cert, extra)

    @classmethod
    def from_pkcs11(
        cls,
        library: str | os.PathLike[str],
        *,
        token_label: str,
        key_label: str,
        cert_label: str | None = None,
        pin: str | None = None,
        issuers: Sequence[x509.Certificate] = (),
    ) -> Signer:
        """A signer whose key stays on a PKCS#11 token (an ID card, an HSM, SoftHSM2).

        The PIN comes from ``pin`` or the ``ESIG_PIN`` environment variable. The session stays
        open for the signer's lifetime; call :meth:`close` when done. ``issuers`` are the
        certificates of the card's CA chain (cards rarely hold them).

        :raises TokenError: the library cannot be loaded, the token or the key/certificate label
            is missing, or the PIN is wrong or the token locked.
        """
        try:
            import pkcs11
            from pkcs11 import exceptions as p11_exc
            from pyhanko.sign import pkcs11 as ph11
        except ImportError as exc:  # pragma: no cover - python-pkcs11 is a declared extra
            raise ConfigurationError(
                "PKCS#11 support needs python-pkcs11: pip install 'esig-crossborder[pkcs11]'"
            ) from exc
        secret = pin if pin is not None else os.environ.get(PIN_ENVIRONMENT_VARIABLE)
        if secret is None:
            raise TokenError(f"no PIN given: pass pin= or set {PIN_ENVIRONMENT_VARIABLE}")
        if not Path(library).is_file():
            raise TokenError(f"PKCS#11 library not found: {library}")
        try:
            lib = pkcs11.lib(str(library))
            try:
                token = lib.get_token(token_label=token_label)
            except (p11_exc.NoSuchToken, p11_exc.MultipleTokensReturned) as exc:
                raise TokenError(f"no PKCS#11 token labelled {token_label!r}") from exc
            try:
                session = token.open(user_pin=secret)
            except p11_exc.PinIncorrect as exc:
                raise TokenError(f"wrong PIN for token {token_label!r}") from exc
            except p11_exc.PinLocked as exc:
                raise TokenError(f"token {token_label!r} is locked") from exc
        except TokenError:
            raise
        except (p11_exc.PKCS11Error, RuntimeError, OSError) as exc:
            raise TokenError(f"cannot use PKCS#11 token {token_label!r}: {exc!r:.200}") from exc
        try:
            signer = ph11.PKCS11Signer(
                session,
                cert_label=cert_label or key_label,
                key_label=key_label,
                ca_chain=[_asn1(c) for c in issuers],
            )
            cert_asn1 = signer.signing_cert
            chain_asn1 = [cert_asn1, *signer.cert_registry]
        except Exception as exc:
            session.close()
            raise TokenError(
                f"key or certificate {key_label!r} not found on token {token_label!r}"
            ) from exc
        cert = x509.load_der_x509_certificate(cert_asn1.dump())
        # Many cards (and SoftHSM2) offer only raw CKM_ECDSA: hash on the host for EC keys.
        signer.use_raw_mechanism = isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
        chain = [cert] + [
            x509.load_der_x509_certificate(c.dump()) for c in chain_asn1[1:] if c != cert_asn1
        ]
        obj = cls(
            signer, cert, chain, description=f"PKCS#11 token {token_label!r}, key {key_label!r}"
        )
        obj._session = session
        return obj

    _session: Any = None

    def close(self) -> None:
        """Close the PKCS#11 session, if any (key-file signers have nothing to close)."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> Signer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
