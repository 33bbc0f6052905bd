"""Online mode: fetch OCSP responses and CRLs for a certificate path (plain HTTP, bounded).

Only used when the profile says ``online = true``. Only ``http://`` URLs from the certificates
are followed (OCSP and CRLs are signed objects; HTTPS adds nothing and would pull in the
operating system's TLS trust), each request has a timeout and a size limit, and failures are
silent here: missing data shows up as INDETERMINATE/TRY_LATER in the verdict.
"""

from __future__ import annotations

import asyncio
import itertools
import urllib.request
from collections.abc import Sequence

from asn1crypto import crl, ocsp
from asn1crypto import x509 as asn1_x509

__all__ = ["fetch_for_path", "fetch_issuers"]

_TIMEOUT = 5.0
_MAX_BYTES = 8 * 1024 * 1024


def _http(url: str, body: bytes | None = None) -> bytes | None:
    if not url.startswith("http://"):
        return None
    request = urllib.request.Request(url, data=body)
    if body is not None:
        request.add_header("Content-Type", "application/ocsp-request")
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
            data: bytes = response.read(_MAX_BYTES + 1)
    except (OSError, ValueError):
        return None
    return data if len(data) <= _MAX_BYTES else None


def _ocsp_request(cert: asn1_x509.Certificate, issuer: asn1_x509.Certificate) -> bytes:
    cert_id = ocsp.CertId(
        {
            "hash_algorithm": {"algorithm": "sha1"},
            "issuer_name_hash": issuer.subject.sha1,
            "issuer_key_hash": issuer.public_key.sha1,
            "serial_number": cert.serial_number,
        }
    )
    request = ocsp.OCSPRequest({"tbs_request": {"request_list": [{"req_cert": cert_id}]}})
    return bytes(request.dump())


def _fetch_sync(
    path: Sequence[asn1_x509.Certificate],
) -> tuple[list[crl.CertificateList], list[ocsp.OCSPResponse]]:
    crls: list[crl.CertificateList] = []
    ocsps: list[ocsp.OCSPResponse] = []
    for cert, issuer in itertools.pairwise(path):
        for url in cert.ocsp_urls:
            data = _http(url, _ocsp_request(cert, issuer))
            if data is None:
                continue
            try:
                response = ocsp.OCSPResponse.load(data)
                if response["response_status"].native == "successful":
                    ocsps.append(response)
            except ValueError:
                continue
        for point in cert.crl_distribution_points:
            url = point.url
            data = _http(url) if url else None
            if data is None:
                continue
            try:
                parsed = crl.CertificateList.load(data)
                parsed.native  # noqa: B018 - parse fully now, fail here rather than later
                crls.append(parsed)
            except ValueError:
                continue
    return crls, ocsps


async def fetch_for_path(
    path: Sequence[asn1_x509.Certificate],
) -> tuple[list[crl.CertificateList], list[ocsp.OCSPResponse]]:
    """OCSP responses and CRLs for each certificate of ``path`` (end entity first)."""
    return await asyncio.to_thread(_fetch_sync, list(path))


def _ca_issuer_urls(cert: asn1_x509.Certificate) -> list[str]:
    aia = cert.authority_information_access_value
    if aia is None:
        return []
    return [
        str(entry["access_location"].native)
        for entry in aia
        if entry["access_method"].native == "ca_issuers"
        and entry["access_location"].name == "uniform_resource_identifier"
    ]


def _fetch_issuers_sync(
    cert: asn1_x509.Certificate, known: Sequence[asn1_x509.Certificate], depth: int
) -> list[asn1_x509.Certificate]:
    found: list[asn1_x509.Certificate] = []
    pool = list(known)
    current = cert
    for _ in range(depth):
        if current.self_issued or any(c.subject == current.issuer for c in pool):
            break
        issuer = None
        for url in _ca_issuer_urls(current):
            data = _http(url)
            if data is None:
                continue
            try:
                candidate = asn1_x509.Certificate.load(data)
                candidate.native  # noqa: B018 - parse fully now
            except ValueError:
                continue
            if candidate.subject == current.issuer:
                issuer = candidate
                break
        if issuer is None:
            break
        found.append(issuer)
        pool.append(issuer)
        current = issuer
    return found


async def fetch_issuers(
    cert: asn1_x509.Certificate, known: Sequence[asn1_x509.Certificate], depth: int = 5
) -> list[asn1_x509.Certificate]:
    """Missing issuer certificates from the caIssuers URLs (AIA), up to ``depth`` levels."""
    return await asyncio.to_thread(_fetch_issuers_sync, cert, list(known), depth)
