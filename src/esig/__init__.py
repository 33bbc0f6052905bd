"""esig: cross-border electronic signatures for Azerbaijan, Turkey and the European Union.

The public API is re-exported here; everything else is an implementation detail.
"""

from __future__ import annotations

from esig.certs import CertificateInfo, read_certificate, read_certificates
from esig.errors import (
    CertificateError,
    ConfigurationError,
    DocumentError,
    EsigError,
    FetchError,
    InputError,
    ProfileError,
    ResourceLimitError,
    SigningError,
    TokenError,
    TrustListError,
)
from esig.policy import ValidationProfile, load_profile
from esig.report import (
    CertificateQualification,
    Finding,
    Indication,
    NationalIdentity,
    SignatureLevel,
    SignatureQualification,
    SignatureReport,
    SignerIdentity,
    SubIndication,
    TimestampReport,
    ValidationReport,
)
from esig.validation import verify

__version__ = "0.1.0"

__all__ = [
    "CertificateError",
    "CertificateInfo",
    "CertificateQualification",
    "ConfigurationError",
    "DocumentError",
    "EsigError",
    "FetchError",
    "Finding",
    "Indication",
    "InputError",
    "NationalIdentity",
    "ProfileError",
    "ResourceLimitError",
    "SignatureLevel",
    "SignatureQualification",
    "SignatureReport",
    "SignerIdentity",
    "SigningError",
    "SubIndication",
    "TimestampReport",
    "TokenError",
    "TrustListError",
    "ValidationProfile",
    "ValidationReport",
    "__version__",
    "load_profile",
    "read_certificate",
    "read_certificates",
    "verify",
]
