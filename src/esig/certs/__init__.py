"""Reading X.509 certificates the way real EU, Turkish and Azerbaijani certificates are encoded.

:func:`read_certificate` and :func:`read_certificates` accept PEM, DER, PKCS#7 bundles, files
and (with a password) PKCS#12, and return :class:`CertificateInfo` objects: names decoded
correctly (TeletexString in ISO-8859-9 for Turkish certificates, BMPString, invalid UTF-8
repaired with a warning), QC statements, policies with readable names, national identifiers
(EN 319 412-1 semantics, TCKN, VKN, FIN) and profile warnings. Certificates that cryptography
refuses (non-minimal INTEGERs, BER lengths, "_" in PrintableString) are still read, with a
warning, and their original bytes are kept. Any input that is not a readable certificate raises
:class:`~esig.errors.CertificateError` and nothing else.
"""

from __future__ import annotations

from esig.certs._api import read_certificate, read_certificates, select_end_entity
from esig.certs._identity import is_valid_estonian_personal_code, is_valid_tckn, is_valid_vkn
from esig.certs._model import (
    CertificateInfo,
    DistinguishedName,
    ExtendedKeyUsage,
    NameAttribute,
    PdsLocation,
    PolicyInfo,
    PublicKeyInfo,
    QcLimitValue,
    QcStatements,
    RawStatement,
    SemanticsInfo,
)
from esig.certs._profile import key_usage_option

__all__ = [
    "CertificateInfo",
    "DistinguishedName",
    "ExtendedKeyUsage",
    "NameAttribute",
    "PdsLocation",
    "PolicyInfo",
    "PublicKeyInfo",
    "QcLimitValue",
    "QcStatements",
    "RawStatement",
    "SemanticsInfo",
    "is_valid_estonian_personal_code",
    "is_valid_tckn",
    "is_valid_vkn",
    "key_usage_option",
    "read_certificate",
    "read_certificates",
    "select_end_entity",
]
