"""RFC 3161 time-stamp tokens inside XAdES: imprint and CMS signature checks (private).

Trust in the TSA (its chain and revocation) is checked by the caller through :mod:`._chain`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from esig.report import Finding

_HASHES = {"sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512"}


@dataclass(frozen=True)
class TokenCheck:
    """What a token says and whether it is intact.

    ``imprint_ok``: its message imprint is the digest of the expected data; ``signature_ok``: the
    TSA's CMS signature over the TSTInfo verifies with ``tsa_cert``.
    """

    gen_time: datetime | None
    tsa_cert: x509.Certificate | None
    certificates: tuple[asn1_x509.Certificate, ...]
    imprint_ok: bool
    signature_ok: bool
    problem: Finding | None = None

    @property
    def intact(self) -> bool:
        return self.imprint_ok and self.signature_ok and self.problem is None


def check_token(token: bytes, data: bytes) -> TokenCheck:
    """Check ``token`` (DER TimeStampToken) against ``data`` (the time-stamped octets)."""
    try:
        return _check(token, data)
    except Exception as exc:  # asn1crypto raises many kinds on hostile DER
        return TokenCheck(
            None,
            None,
            (),
            False,
            False,
            Finding(
                "tsp.malformed", f"the time-stamp token cannot be read: {type(exc).__name__}: {exc}"
            ),
        )


def _check(token: bytes, data: bytes) -> TokenCheck:
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    from esig.validation._plain_ecdsa import SIGNATURE_VALIDATOR

    info = cms.ContentInfo.load(token, strict=True)
    if info["content_type"].native != "signed_data":
        raise ValueError("not a CMS SignedData")
    sd = info["content"]
    encap = sd["encap_content_info"]
    if encap["content_type"].native != "tst_info":
        raise ValueError("the SignedData does not hold a TSTInfo")
    raw_tst = encap["content"].contents
    tst = encap["content"].parsed
    gen_time = tst["gen_time"].native
    imprint = tst["message_imprint"]
    algo = imprint["hash_algorithm"]["algorithm"].native
    if algo not in _HASHES:
        raise ValueError(f"unsupported imprint hash {algo}")
    imprint_ok = hashlib.new(algo, data).digest() == imprint["hashed_message"].native
    certs = tuple(
        c.chosen for c in (sd["certificates"] or []) if isinstance(c.chosen, asn1_x509.Certificate)
    )
    signer = sd["signer_infos"][0]
    sid = signer["sid"]
    tsa: asn1_x509.Certificate | None = None
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            if (
                cert.issuer == sid.chosen["issuer"]
                and cert.serial_number == sid.chosen["serial_number"].native
            ):
                tsa = cert
        elif cert.key_identifier == sid.chosen.native:
            tsa = cert
    if tsa is None:
        return TokenCheck(
            gen_time,
            None,
            certs,
            imprint_ok,
            False,
            Finding("tsp.no-tsa-certificate", "the token does not carry the TSA's certificate"),
        )
    digest_algo = signer["digest_algorithm"]["algorithm"].native
    if digest_algo not in _HASHES:
        raise ValueError(f"unsupported digest {digest_algo}")
    actual = hashlib.new(digest_algo, raw_tst).digest()
    intact, valid = validate_sig_integrity(
        signer, tsa, "tst_info", actual, sig_validator=SIGNATURE_VALIDATOR
    )
    return TokenCheck(
        gen_time,
        x509.load_der_x509_certificate(tsa.dump()),
        certs,
        imprint_ok,
        bool(intact and valid),
    )
