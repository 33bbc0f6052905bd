"""CRLs, OCSP responses and RFC 3161 time-stamp tokens for TEST-ONLY PKIs.

Each function is a pure function of its arguments (certificates, throwaway keys, times, request
fields), so a loopback HTTP server can call them per request. Signatures are deterministic (RSA
PKCS#1 v1.5, RFC 6979 ECDSA), so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import algos, cms, core, ocsp, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

__all__ = [
    "MessageImprint",
    "PrivateKey",
    "RevokedSerial",
    "build_crl",
    "build_ocsp_response",
    "build_timestamp_token",
    "hash_for_key",
]

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

_REASON_SNAKE = {
    "unspecified": "unspecified",
    "keyCompromise": "key_compromise",
    "cACompromise": "ca_compromise",
    "affiliationChanged": "affiliation_changed",
    "superseded": "superseded",
    "cessationOfOperation": "cessation_of_operation",
    "certificateHold": "certificate_hold",
    "privilegeWithdrawn": "privilege_withdrawn",
    "aACompromise": "aa_compromise",
}

_HASHES: dict[str, type[hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


@dataclass(frozen=True)
class RevokedSerial:
    """A revocation to put in a CRL or an OCSP response."""

    serial: int
    date: datetime
    reason: str = "unspecified"
    """An RFC 5280 reason name (``keyCompromise``, ``superseded``...)."""


@dataclass(frozen=True)
class MessageImprint:
    """A precomputed RFC 3161 message imprint."""

    hash_algorithm: str
    """``sha256``, ``sha384`` or ``sha512``."""
    digest: bytes

    @classmethod
    def of(cls, data: bytes, hash_algorithm: str = "sha256") -> MessageImprint:
        return cls(hash_algorithm, hashlib.new(hash_algorithm, data).digest())


def hash_for_key(key: PrivateKey) -> hashes.SHA256 | hashes.SHA384:
    """SHA-384 for P-384 keys, SHA-256 otherwise."""
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size >= 384:
        return hashes.SHA384()
    return hashes.SHA256()


def _sign(key: PrivateKey, data: bytes) -> tuple[bytes, str]:
    """Signature and the asn1crypto name of the signature algorithm."""
    h = hash_for_key(key)
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), h), f"{h.name}_rsa"
    return key.sign(data, ec.ECDSA(h, deterministic_signing=True)), f"{h.name}_ecdsa"


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _seconds(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return dt.astimezone(UTC).replace(microsecond=0)


def _reason_flag(reason: str) -> x509.ReasonFlags:
    return x509.ReasonFlags[_REASON_SNAKE[reason]]


def build_crl(
    ca_cert: x509.Certificate,
    ca_key: PrivateKey,
    revoked: Iterable[RevokedSerial],
    *,
    this_update: datetime,
    next_update: datetime,
) -> bytes:
    """A DER CRL signed by the CA, listing the revocations dated no later than ``this_update``.

    The CRL number is ``this_update`` in seconds since the epoch, so it grows with time.
    """
    this_update, next_update = _seconds(this_update), _seconds(next_update)
    ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .add_extension(x509.CRLNumber(int(this_update.timestamp())), critical=False)
    )
    for r in sorted(revoked, key=lambda r: r.serial):
        if r.date > this_update:
            continue
        entry = x509.RevokedCertificateBuilder().serial_number(r.serial)
        entry = entry.revocation_date(_seconds(r.date))
        if r.reason != "unspecified":
            entry = entry.add_extension(x509.CRLReason(_reason_flag(r.reason)), critical=False)
        builder = builder.add_revoked_certificate(entry.build())
    crl = builder.sign(
        ca_key,
        hash_for_key(ca_key),
        ecdsa_deterministic=True if isinstance(ca_key, ec.EllipticCurvePrivateKey) else None,
    )
    return crl.public_bytes(Encoding.DER)


def build_ocsp_response(
    cert: x509.Certificate,
    issuer_cert: x509.Certificate,
    responder_cert: x509.Certificate,
    responder_key: PrivateKey,
    *,
    revocation: RevokedSerial | None,
    produced_at: datetime,
    this_update: datetime,
    next_update: datetime | None,
    unknown: bool = False,
    nonce: bytes | None = None,
    cert_id_hash: str = "sha1",
) -> bytes:
    """A DER OCSPResponse (successful, BasicOCSPResponse) about one certificate.

    The status is REVOKED when ``revocation`` is given and dated no later than ``this_update``,
    UNKNOWN when ``unknown`` is set, GOOD otherwise. The responder is identified by key hash; its
    certificate is embedded unless it is the issuing CA itself.
    """
    issuer = _asn1(issuer_cert)
    cert_id = ocsp.CertId(
        {
            "hash_algorithm": {"algorithm": cert_id_hash},
            "issuer_name_hash": hashlib.new(cert_id_hash, issuer.subject.dump()).digest(),
            "issuer_key_hash": hashlib.new(
                cert_id_hash, issuer.public_key["public_key"].contents[1:]
            ).digest(),
            "serial_number": cert.serial_number,
        }
    )
    this_update = _seconds(this_update)
    status: ocsp.CertStatus
    if unknown:
        status = ocsp.CertStatus(name="unknown", value=core.Null())
    elif revocation is not None and revocation.date <= this_update:
        info: dict[str, object] = {"revocation_time": _seconds(revocation.date)}
        if revocation.reason != "unspecified":
            info["revocation_reason"] = _REASON_SNAKE[revocation.reason]
        status = ocsp.CertStatus(name="revoked", value=ocsp.RevokedInfo(info))
    else:
        status = ocsp.CertStatus(name="good", value=core.Null())
    single: dict[str, object] = {
        "cert_id": cert_id,
        "cert_status": status,
        "this_update": this_update,
    }
    if next_update is not None:
        single["next_update"] = _seconds(next_update)
    responder = _asn1(responder_cert)
    data: dict[str, object] = {
        "version": "v1",
        "responder_id": ocsp.ResponderId(name="by_key", value=responder.public_key.sha1),
        "produced_at": _seconds(produced_at),
        "responses": [ocsp.SingleResponse(single)],
    }
    if nonce is not None:
        data["response_extensions"] = [{"extn_id": "nonce", "extn_value": nonce}]
    tbs = ocsp.ResponseData(data)
    signature, algorithm = _sign(responder_key, tbs.dump())
    basic: dict[str, object] = {
        "tbs_response_data": tbs,
        "signature_algorithm": {"algorithm": algorithm},
        "signature": signature,
    }
    if responder_cert != issuer_cert:
        basic["certs"] = [responder]
    response = ocsp.OCSPResponse(
        {
            "response_status": "successful",
            "response_bytes": {
                "response_type": "basic_ocsp_response",
                "response": ocsp.BasicOCSPResponse(basic),
            },
        }
    )
    der: bytes = response.dump()
    return der


def build_timestamp_token(
    imprint: MessageImprint,
    tsa_cert: x509.Certificate,
    tsa_key: PrivateKey,
    *,
    at: datetime,
    policy: str,
    nonce: int | None = None,
    extra_certs: Sequence[x509.Certificate] = (),
) -> bytes:
    """A DER TimeStampToken (CMS ContentInfo of SignedData over TSTInfo), RFC 3161 / RFC 5816.

    ``genTime`` is ``at`` (UTC, fractional seconds kept); the serial number is derived from the
    inputs, so the same request at the same time gives the same token.
    """
    if at.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    at = at.astimezone(UTC)
    tsa = _asn1(tsa_cert)
    serial = int.from_bytes(
        hashlib.sha256(
            b"|".join(
                [tsa_cert.fingerprint(hashes.SHA256()), at.isoformat().encode(), imprint.digest]
            )
        ).digest()[:8],
        "big",
    )
    tst: dict[str, object] = {
        "version": "v1",
        "policy": policy,
        "message_imprint": {
            "hash_algorithm": {"algorithm": imprint.hash_algorithm},
            "hashed_message": imprint.digest,
        },
        "serial_number": serial,
        "gen_time": at,
        "accuracy": {"seconds": 1},
        "tsa": asn1_x509.GeneralName(name="directory_name", value=tsa.subject),
    }
    if nonce is not None:
        tst["nonce"] = nonce
    tst_der = tsp.TSTInfo(tst).dump()

    h = hash_for_key(tsa_key)
    digest_name = h.name
    ess_cert_id = {
        "cert_hash": hashlib.sha256(tsa.dump()).digest(),
        "issuer_serial": {
            "issuer": [asn1_x509.GeneralName(name="directory_name", value=tsa.issuer)],
            "serial_number": tsa.serial_number,
        },
    }
    attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "signing_time", "values": [cms.Time(name="utc_time", value=_seconds(at))]},
            {
                "type": "message_digest",
                "values": [hashlib.new(digest_name, tst_der).digest()],
            },
            {"type": "signing_certificate_v2", "values": [{"certs": [ess_cert_id]}]},
        ]
    )
    attrs_der = attrs.dump()
    signature, sig_algorithm = _sign(tsa_key, attrs_der)
    if sig_algorithm.endswith("_rsa"):
        sig_algorithm = "rsassa_pkcs1v15"
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value={"issuer": tsa.issuer, "serial_number": tsa.serial_number},
            ),
            "digest_algorithm": {"algorithm": digest_name},
            "signed_attrs": cms.CMSAttributes.load(attrs_der),
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_algorithm}),
            "signature": signature,
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": digest_name}],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(tst_der),
            },
            "certificates": [tsa, *(_asn1(c) for c in extra_certs)],
            "signer_infos": [signer_info],
        }
    )
    token = cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    der: bytes = token.dump()
    return der
