"""RFC 3161 time-stamp tokens: signature, content and document time-stamps (EN 319 102-1 5.4).

A time-stamp is checked for integrity (message imprint, TSA signature) and its TSA certificate
path is validated at the token's own generation time with the embedded revocation data: the
TSA's signature binds the time, so a token is proof of existence at ``genTime`` if the TSA's
certificate was trusted, valid and not revoked then. (This is the long-term model: see
``docs/verifying.md``, "How esig validates years later".)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import cms, core, tsp
from cryptography import x509
from pyhanko.sign.general import CMSStructuralError
from pyhanko.sign.validation.generic_cms import (
    extract_certs_for_validation,
    validate_sig_integrity,
)

from esig.policy.algorithms import AlgorithmPolicy
from esig.report import Finding, Indication, SubIndication, TimestampReport
from esig.validation._plain_ecdsa import SIGNATURE_VALIDATOR
from esig.validation.chain import ChainOutcome, RevocationMaterial, Usage, validate_chain

__all__ = ["TimestampCheck", "check_timestamp"]


@dataclass(frozen=True)
class TimestampCheck:
    """A checked time-stamp: its report, its time (None if unreadable), the TSA chain and the
    token itself (for the algorithm checks at its proof of existence)."""

    report: TimestampReport | None
    time: datetime | None
    chain: ChainOutcome | None = None
    token: cms.SignedData | None = None

    @property
    def passed(self) -> bool:
        return self.report is not None and self.report.indication is Indication.TOTAL_PASSED


def _failed(
    kind: str, at: datetime, sub: SubIndication, code: str, msg: str, tsa: str | None = None
) -> TimestampCheck:
    ind = (
        Indication.TOTAL_FAILED
        if Indication.TOTAL_FAILED in sub.parents
        else Indication.INDETERMINATE
    )
    report = TimestampReport(kind, at, ind, sub, tsa=tsa, reasons=(Finding(code, msg),))
    return TimestampCheck(report, at)


async def check_timestamp(
    token: cms.SignedData,
    expected_imprint: Callable[[str], bytes],
    *,
    kind: str,
    anchors: tuple[x509.Certificate, ...],
    material: RevocationMaterial,
    require_revocation: bool,
    online: bool,
    budget_seconds: float,
    max_same_subject: int,
    algorithms: AlgorithmPolicy | None = None,
) -> TimestampCheck:
    """Check one time-stamp token whose imprint must equal ``expected_imprint(hash_name)``."""
    try:
        content = token["encap_content_info"]["content"]
        tst_info = content.parsed if isinstance(content, core.ParsableOctetString) else None
        if not isinstance(tst_info, tsp.TSTInfo):
            return TimestampCheck(None, None)
        gen_time: datetime = tst_info["gen_time"].native
        imprint_algo = tst_info["message_imprint"]["hash_algorithm"]["algorithm"].native
        imprint = tst_info["message_imprint"]["hashed_message"].native
    except (ValueError, KeyError, TypeError, AttributeError):
        return TimestampCheck(None, None)
    try:
        certs = extract_certs_for_validation(token)
        tsa_cert = certs.signer_cert
    except (CMSStructuralError, ValueError, KeyError, TypeError, AttributeError):
        return _failed(
            kind,
            gen_time,
            SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
            "tsa.no-certificate",
            "the time-stamp does not carry its TSA certificate",
        )
    try:
        tsa_name = str(
            tsa_cert.subject.native.get("common_name") or tsa_cert.subject.human_friendly
        )
    except (ValueError, KeyError, AttributeError):
        tsa_name = "unreadable TSA name"
    if expected_imprint(imprint_algo) != imprint:
        return _failed(
            kind,
            gen_time,
            SubIndication.HASH_FAILURE,
            "timestamp.imprint-mismatch",
            "the time-stamp's message imprint does not match the time-stamped data",
            tsa_name,
        )
    try:
        signer_info = token["signer_infos"][0]
        md = signer_info["digest_algorithm"]["algorithm"].native
        digest = hashlib.new(md, bytes(content)).digest()
        intact, valid = validate_sig_integrity(
            signer_info,
            tsa_cert,
            expected_content_type="tst_info",
            actual_digest=digest,
            sig_validator=SIGNATURE_VALIDATOR,
        )
    except Exception as exc:  # CMS structure errors, unsupported or mismatched key types
        return _failed(
            kind,
            gen_time,
            SubIndication.FORMAT_FAILURE,
            "timestamp.format",
            f"{type(exc).__name__}: {exc}",
            tsa_name,
        )
    if not intact:
        return _failed(
            kind,
            gen_time,
            SubIndication.HASH_FAILURE,
            "timestamp.hash",
            "the time-stamp token's content digest does not match",
            tsa_name,
        )
    if not valid:
        return _failed(
            kind,
            gen_time,
            SubIndication.SIG_CRYPTO_FAILURE,
            "timestamp.signature",
            "the TSA's signature on the time-stamp does not verify",
            tsa_name,
        )
    chain = await validate_chain(
        tsa_cert,
        anchors=anchors,
        material=RevocationMaterial(
            material.certs + tuple(certs.other_certs), material.crls, material.ocsps
        ),
        control_time=gen_time,
        usage=Usage.TIMESTAMPING,
        require_revocation=require_revocation,
        online=online,
        budget_seconds=budget_seconds,
        max_same_subject=max_same_subject,
        algorithms=algorithms,
    )
    report = TimestampReport(
        kind,
        gen_time,
        chain.indication,
        chain.sub_indication,
        tsa=tsa_name,
        reasons=tuple(Finding("tsa." + r.code, r.message) for r in chain.reasons),
    )
    return TimestampCheck(report, gen_time, chain, token)
