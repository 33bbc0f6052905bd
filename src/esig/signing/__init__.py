"""Signing: signers (key files, PKCS#11 tokens) and PAdES signing at B-B to B-LTA.

:class:`Signer` loads a key once and signs many documents. :func:`sign_pdf` returns signed
bytes; :func:`sign_pdf_file` writes them atomically next to the target; :func:`extend_pdf`
raises existing signatures to B-LT or B-LTA. Every refusal is a :class:`~esig.errors.SigningError`
(or :class:`~esig.errors.TokenError`) saying why; malformed input is a
:class:`~esig.errors.DocumentError`.
"""

from __future__ import annotations

from esig.signing.keys import PIN_ENVIRONMENT_VARIABLE, Signer, check_signing_certificate
from esig.signing.pdf import RevocationMaterial, extend_pdf, sign_pdf, sign_pdf_file, sign_pdfs
from esig.signing.stamp import VisibleStamp
from esig.signing.xml import sign_xml_document

__all__ = [
    "PIN_ENVIRONMENT_VARIABLE",
    "RevocationMaterial",
    "Signer",
    "VisibleStamp",
    "check_signing_certificate",
    "extend_pdf",
    "sign_pdf",
    "sign_pdf_file",
    "sign_pdfs",
    "sign_xml_document",
]
