"""Names of certificate policy, QC-statement and extended-key-usage OIDs (EU, Turkey).

Each entry is ``OID: (readable name, scheme label)``. The scheme label says whose OID it is
("EU", "Kamu SM", "E-Tuğra", "BTK" ...). Sources are given per entry; "STANDARDS" means the
project's design note ``STANDARDS.md``, which cites them in turn.
"""

from __future__ import annotations

__all__ = [
    "EKU_NAMES",
    "EU_QUALIFIED_POLICIES",
    "POLICY_NAMES",
    "TURKISH_OID_PREFIX",
    "is_turkish_oid",
    "policy_name",
    "policy_scheme",
]

#: Every OID Turkey's national arc 2.16.792 covers (Turkish CAs and BTK).
TURKISH_OID_PREFIX = "2.16.792."

POLICY_NAMES: dict[str, tuple[str, str]] = {
    # ETSI EN 319 411-2 (DSS CertificatePolicy.java; STANDARDS §1.1)
    "0.4.0.194112.1.0": ("QCP-n", "EU"),
    "0.4.0.194112.1.1": ("QCP-l", "EU"),
    "0.4.0.194112.1.2": ("QCP-n-qscd", "EU"),
    "0.4.0.194112.1.3": ("QCP-l-qscd", "EU"),
    "0.4.0.194112.1.4": ("QEVCP-w", "EU"),
    "0.4.0.194112.1.5": ("QNCP-w", "EU"),
    "0.4.0.194112.1.6": ("QNCP-w-gen", "EU"),
    # ETSI EN 319 411-1 (DSS CertificatePolicy.java; STANDARDS §1.1 for .1-.3; .4-.7 same enum)
    "0.4.0.2042.1.1": ("NCP", "EU"),
    "0.4.0.2042.1.2": ("NCP+", "EU"),
    "0.4.0.2042.1.3": ("LCP", "EU"),
    "0.4.0.2042.1.4": ("EVCP", "EU"),
    "0.4.0.2042.1.5": ("DVCP", "EU"),
    "0.4.0.2042.1.6": ("OVCP", "EU"),
    "0.4.0.2042.1.7": ("IVCP", "EU"),
    # Turkish NES policies (PTTKEP QCStatementsID.cs / mersel TurkishCertificatePolicy.java;
    # STANDARDS §2)
    "2.16.792.1.2.1.1.5.7.1.1": ("NES (nitelikli elektronik sertifika)", "Kamu SM"),
    "2.16.792.1.2.1.1.5.7.1.8": ("NES, mobile", "Kamu SM"),
    "2.16.792.1.2.1.1.5.7.1.4.1": ("NES, test", "Kamu SM"),
    "2.16.792.1.2.1.1.5.7.1.9": ("SSL EV (not NES)", "Kamu SM"),  # browser EV tables
    "2.16.792.3.0.1.1.1.2": ("NES", "E-Güven"),
    "2.16.792.3.0.1.1.1.3": ("NES, mobile", "E-Güven"),
    "2.16.792.3.0.3.1.1.1": ("NES", "TÜRKTRUST"),
    "2.16.792.3.0.4.1.1.1": ("NES", "E-Tuğra"),
    "2.16.792.3.0.10.10.1.1": ("NES", "E-İmzaTR"),
    "2.16.792.3.0.10.10.2.1": ("NES", "E-İmzaTR"),
    # Mali Mühür (e-seal for e-Fatura) policy (PTTKEP source; decoded real certificate)
    "2.16.792.1.2.1.1.5.7.4.1": ("Mali Mühür", "Kamu SM"),
    # Kamu SM time-stamp policy (STANDARDS §2, a README hit)
    "2.16.792.1.2.1.1.5.7.3.1": ("time-stamp policy", "Kamu SM"),
    # Turkish signature policies P2/P3/P4 (AesobKEP TurkishESigProfile.cs; MA3 samples)
    "2.16.792.1.61.0.1.5070.3.1.1": ("signature policy P2 (EPES+T, CRL)", "BTK"),
    "2.16.792.1.61.0.1.5070.3.2.1": ("signature policy P3 (EPES+XL/A, CRL)", "BTK"),
    "2.16.792.1.61.0.1.5070.3.3.1": ("signature policy P4 (EPES+XL/A, OCSP)", "BTK"),
    # BTK NES statement; a QC statement in PTTKEP, a policy in mersel (STANDARDS §2)
    "2.16.792.1.61.0.1.5070.1.1": ("NES (nitelikli elektronik sertifika)", "BTK"),
    "2.16.792.1.61.0.1.5070.1.2": ("corporate", "BTK"),  # mersel TurkishCertificatePolicy.java
    # RFC 5280
    "2.5.29.32.0": ("anyPolicy", "X.509"),
}

#: EN 319 411-2 policies that claim EU qualification.
EU_QUALIFIED_POLICIES = frozenset(oid for oid in POLICY_NAMES if oid.startswith("0.4.0.194112.1."))

EKU_NAMES: dict[str, str] = {
    # RFC 5280 4.2.1.12
    "1.3.6.1.5.5.7.3.1": "serverAuth",
    "1.3.6.1.5.5.7.3.2": "clientAuth",
    "1.3.6.1.5.5.7.3.3": "codeSigning",
    "1.3.6.1.5.5.7.3.4": "emailProtection",
    "1.3.6.1.5.5.7.3.8": "timeStamping",
    "1.3.6.1.5.5.7.3.9": "OCSPSigning",
    "2.5.29.37.0": "anyExtendedKeyUsage",
    # RFC 9336
    "1.3.6.1.5.5.7.3.36": "documentSigning",
    # Adobe Authentic Documents Trust; Microsoft document signing / smart card logon
    "1.2.840.113583.1.1.5": "adobeAuthenticDocumentsTrust",
    "1.3.6.1.4.1.311.10.3.12": "msDocumentSigning",
    "1.3.6.1.4.1.311.20.2.2": "msSmartcardLogon",
    # Mali Mühür signing / encryption (PTTKEP source; decoded real certificate; STANDARDS §2)
    "2.16.792.1.2.1.1.5.7.50.1": "maliMuhurSigning",
    "2.16.792.1.2.1.1.5.7.50.2": "maliMuhurEncryption",
}


def policy_name(oid: str) -> str | None:
    """The readable name of a policy OID, or None when esig does not know it."""
    entry = POLICY_NAMES.get(oid)
    return None if entry is None else entry[0]


def policy_scheme(oid: str) -> str | None:
    """Whose policy it is ("EU", "Kamu SM", "E-Tuğra", ...), or None when unknown."""
    entry = POLICY_NAMES.get(oid)
    if entry is not None:
        return entry[1]
    return "Turkey" if is_turkish_oid(oid) else None


def is_turkish_oid(oid: str) -> bool:
    """True for OIDs under Turkey's arc 2.16.792."""
    return oid.startswith(TURKISH_OID_PREFIX)
