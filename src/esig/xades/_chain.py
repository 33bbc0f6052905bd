"""The seam between XAdES and the shared EN 319 102-1 chain validation (private).

Certificate paths are validated by :func:`esig.validation.chain.validate_chain` (pyhanko-
certvalidator, strict document-signing profile, revocation required, path-building budget), the
same core PAdES uses. This module only adapts it: it turns embedded XAdES validation data into
:class:`~esig.validation.chain.RevocationMaterial` and runs the coroutine synchronously, also when
the caller is inside a running event loop (then in a worker thread).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from esig.policy.algorithms import AlgorithmPolicy
from esig.report import Finding
from esig.validation.chain import ChainOutcome, RevocationMaterial, Usage, validate_chain

__all__ = ["ChainOutcome", "Usage", "material", "run_chain"]

T = TypeVar("T")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def material(
    certs: Iterable[bytes | x509.Certificate | asn1_x509.Certificate],
    crls: Iterable[bytes],
    ocsps: Iterable[bytes],
) -> tuple[RevocationMaterial, tuple[Finding, ...]]:
    """Embedded validation data as RevocationMaterial; unreadable items become warnings."""
    out_certs: list[asn1_x509.Certificate] = []
    out_crls: list[asn1_crl.CertificateList] = []
    out_ocsps: list[asn1_ocsp.OCSPResponse] = []
    warnings: list[Finding] = []
    for c in certs:
        try:
            if isinstance(c, asn1_x509.Certificate):
                out_certs.append(c)
            elif isinstance(c, x509.Certificate):
                out_certs.append(asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)))
            else:
                cert = asn1_x509.Certificate.load(c, strict=True)
                _ = cert.subject.native
                out_certs.append(cert)
        except Exception as exc:  # asn1crypto raises many kinds on hostile DER
            warnings.append(
                Finding("xades.bad-certificate-value", f"unreadable certificate: {exc}")
            )
    for raw in crls:
        try:
            crl = asn1_crl.CertificateList.load(raw, strict=True)
            _ = crl["tbs_cert_list"]["issuer"].native
            out_crls.append(crl)
        except Exception as exc:
            warnings.append(Finding("xades.bad-crl-value", f"unreadable CRL: {exc}"))
    for raw in ocsps:
        try:
            resp = asn1_ocsp.OCSPResponse.load(raw, strict=True)
            _ = resp["response_status"].native
            out_ocsps.append(resp)
        except Exception as exc:
            warnings.append(Finding("xades.bad-ocsp-value", f"unreadable OCSP response: {exc}"))
    return RevocationMaterial(tuple(out_certs), tuple(out_crls), tuple(out_ocsps)), tuple(warnings)


def run_chain(
    cert: x509.Certificate,
    *,
    anchors: Sequence[x509.Certificate],
    material: RevocationMaterial,
    control_time: datetime,
    usage: Usage,
    require_revocation: bool = True,
    budget_seconds: float = 5.0,
    max_same_subject: int = 4,
    algorithms: AlgorithmPolicy | None = None,
) -> ChainOutcome:
    """Validate ``cert``'s path at ``control_time`` offline with the given material."""
    leaf = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    return _run(
        validate_chain(
            leaf,
            anchors=anchors,
            material=material,
            control_time=control_time,
            usage=usage,
            require_revocation=require_revocation,
            online=False,
            budget_seconds=budget_seconds,
            max_same_subject=max_same_subject,
            algorithms=algorithms,
        )
    )
