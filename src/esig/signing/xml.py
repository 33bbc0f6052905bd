"""XAdES signing with an esig :class:`~esig.signing.Signer`: the same refusals as for PDFs.

:func:`sign_xml_document` checks the certificate (validity, key usage, revocation) like
:func:`~esig.signing.sign_pdf`, picks the placement (UBL documents: the first UBL extension, as
Turkish e-invoices require; other XML: enveloped at the root), gets time-stamps from a TSA URL
and, for B-LT/B-LTA, revocation data from the certificates' OCSP/CRL URLs, then calls
:func:`esig.xades.sign_xml`. Key files and PKCS#11 tokens alike: with a token the key signs
the canonicalised ``ds:SignedInfo`` on the card (:meth:`~esig.signing.Signer.sign_raw`), and the
result is checked against the signer's certificate before it is written.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

from esig.errors import SigningError
from esig.report import SignatureLevel
from esig.signing.keys import Signer
from esig.signing.pdf import RevocationMaterial, _check_revocation, _validation_context

__all__ = ["UBL_NAMESPACES", "sign_xml_document"]

#: Root namespaces of UBL 2.x documents (Invoice, CreditNote, DespatchAdvice, ...).
UBL_NAMESPACES = "urn:oasis:names:specification:ubl:schema:xsd:"


class _HttpTimestamper:
    """An RFC 3161 client for :func:`esig.xades.sign_xml`: data in, TimeStampToken DER out.
    Remembers the certificates the tokens carry (the TSA's), for B-LT validation data."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.certificates: list[x509.Certificate] = []

    def __call__(self, data: bytes) -> bytes:
        from pyhanko.sign.general import SigningError as PyhankoSigningError
        from pyhanko.sign.timestamps import HTTPTimeStamper

        async def run() -> Any:
            return await HTTPTimeStamper(self.url).async_timestamp(
                hashlib.sha256(data).digest(), "sha256"
            )

        try:
            token = asyncio.run(run())
        except (PyhankoSigningError, OSError) as exc:
            raise SigningError(f"the time-stamping authority {self.url} failed: {exc}") from exc
        for choice in token["content"]["certificates"] or ():
            if choice.name == "certificate":
                self.certificates.append(x509.load_der_x509_certificate(choice.chosen.dump()))
        return bytes(token.dump())


class _OnlineRevocation:
    """Fetches OCSP responses and CRLs from the URLs in the certificates (B-LT/B-LTA), and the
    TSA's missing issuer certificates from its caIssuers URL."""

    def __init__(
        self, certificates: Sequence[x509.Certificate], stamper: _HttpTimestamper | None
    ) -> None:
        self._certificates = tuple(certificates)
        self._stamper = stamper

    @property
    def certificates(self) -> tuple[x509.Certificate, ...]:
        from asn1crypto import x509 as asn1_x509

        from esig.validation._fetch import _fetch_issuers_sync

        known = [*self._certificates, *(self._stamper.certificates if self._stamper else ())]
        as_asn1 = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in known]
        fetched = [
            x509.load_der_x509_certificate(found.dump())
            for cert in as_asn1[len(self._certificates) :]
            for found in _fetch_issuers_sync(cert, as_asn1, 4)
        ]
        return tuple({c.fingerprint(hashes.SHA256()): c for c in (*known, *fetched)}.values())

    def revocation_for(self, cert: x509.Certificate, issuer: x509.Certificate) -> Any:
        from asn1crypto import x509 as asn1_x509

        from esig.validation._fetch import _fetch_sync
        from esig.xades import RevocationData

        path = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in (cert, issuer)]
        crls, ocsps = _fetch_sync(path)
        return RevocationData(
            ocsp_responses=tuple(bytes(o.dump()) for o in ocsps),
            crls=tuple(bytes(c.dump()) for c in crls),
            certificates=self._certificates,
        )


def _placement(document: bytes) -> str:
    from esig.xades import _xml

    root = _xml.parse(document, what="document").getroot()
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    return "ubl-extension" if namespace.startswith(UBL_NAMESPACES) else "enveloped"


def sign_xml_document(
    document: bytes,
    signer: Signer,
    *,
    level: SignatureLevel | str = SignatureLevel.B_B,
    tsa_url: str | None = None,
    revocation: RevocationMaterial = RevocationMaterial(),  # noqa: B008 - frozen
    check_revocation: bool = True,
    at: datetime | None = None,
    extra_certificates: Sequence[x509.Certificate] = (),
) -> bytes:
    """Sign an XML document as XAdES at ``level`` and return the signed bytes.

    :param tsa_url: the TSA (needed from B-T on).
    :param revocation: as for PDFs; with ``allow_fetching`` B-LT/B-LTA data is fetched from the
        certificates' OCSP/CRL URLs, otherwise the given responses and CRLs are embedded.
    :param extra_certificates: certificates to embed besides the signer's chain (the TSA's).
    :raises SigningError: refused certificate, missing TSA, TSA failure, a token key that does
        not belong to the signer's certificate.
    :raises TokenError: the PKCS#11 token failed to sign.
    :raises DocumentError: not acceptable XML (malformed, DTD, entities).
    """
    from esig.xades import RevocationData, sign_xml

    try:
        lvl = SignatureLevel(level)
    except ValueError:
        raise SigningError(f"unknown signature level {level!r}") from None
    moment = at or datetime.now(UTC)
    signer.check_usable(moment)
    if lvl is not SignatureLevel.B_B and tsa_url is None:
        raise SigningError(f"level {lvl.value} needs a time-stamping authority (tsa_url)")
    long_term = lvl in (SignatureLevel.B_LT, SignatureLevel.B_LTA)
    if check_revocation or long_term:

        async def check() -> None:
            from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

            backend = AIOHttpFetcherBackend()
            try:
                await _check_revocation(
                    signer, _validation_context(signer, revocation, at, backend)
                )
            finally:
                await backend.close()  # type: ignore[no-untyped-call]

        asyncio.run(check())
    chain_and_extra = (*signer.chain, *extra_certificates)
    stamper = _HttpTimestamper(tsa_url) if tsa_url and lvl is not SignatureLevel.B_B else None
    source: Any = None
    if long_term:
        source = (
            _OnlineRevocation(chain_and_extra, stamper)
            if revocation.allow_fetching
            else RevocationData(revocation.ocsp_responses, revocation.crls, chain_and_extra)
        )
    placement = _placement(document)
    return sign_xml(
        document,
        signer,  # its loaded key for key files; sign_raw on the token for PKCS#11
        signer.chain,
        level=lvl,
        placement=placement,
        timestamper=stamper,
        revocation=source,
        signing_time=at,
    )
