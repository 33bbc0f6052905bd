"""Independent checks of esig's output with pyHanko's validator and Poppler's pdfsig."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def pyhanko_statuses(
    pdf: bytes, roots: Sequence[x509.Certificate]
) -> list[tuple[bool, bool, bool]]:
    """(intact, valid, trusted) per signature, revocation fetched from the loopback server."""
    reader = PdfFileReader(io.BytesIO(pdf))
    out = []
    for sig in reader.embedded_regular_signatures:
        context = ValidationContext(trust_roots=[_asn1(r) for r in roots], allow_fetching=True)
        status = validate_pdf_signature(
            sig,
            context,
            key_usage_settings=KeyUsageConstraints(
                key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
            ),
        )
        out.append((status.intact, status.valid, status.trusted))
    return out


def pyhanko_offline_from_dss(pdf: bytes, roots: Sequence[x509.Certificate]) -> tuple[bool, bool]:
    """(valid, trusted) of the first signature by pyHanko with revocation required and only the
    document's DSS as revocation source (no fetching)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    dss = DocumentSecurityStore.read_dss(reader)
    context = dss.as_validation_context(
        {
            "trust_roots": [_asn1(r) for r in roots],
            "allow_fetching": False,
            "revocation_mode": "require",
        }
    )
    sig = reader.embedded_regular_signatures[0]
    status = validate_pdf_signature(
        sig,
        context,
        key_usage_settings=KeyUsageConstraints(
            key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
        ),
    )
    return status.valid, status.trusted


def pdfsig_verdicts(path: Path) -> list[str] | None:
    """Poppler's 'Signature Validation' line per signature (None when pdfsig is absent)."""
    exe = shutil.which("pdfsig")
    if exe is None:
        return None
    run = subprocess.run(
        [exe, "-nocert", "-no-ocsp", str(path)], capture_output=True, text=True, timeout=60
    )
    return [
        line.split(":", 1)[1].strip()
        for line in run.stdout.splitlines()
        if line.strip().startswith("- Signature Validation:")
    ]


__all__ = ["pdfsig_verdicts", "pyhanko_offline_from_dss", "pyhanko_statuses"]
