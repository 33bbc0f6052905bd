"""The data esig reads out of a certificate: frozen dataclasses holding tuples."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from esig.report import Finding, NationalIdentity

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509 as crypto_x509

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
]

_CONFIDENCE_RANK = {"certain": 0, "likely": 1, "possible": 2}


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: Aliases accepted by :meth:`DistinguishedName.get` (lower-case) -> the short name esig uses.
NAME_ALIASES: dict[str, str] = {
    "commonname": "CN",
    "countryname": "C",
    "localityname": "L",
    "stateorprovincename": "ST",
    "organizationname": "O",
    "organizationalunitname": "OU",
    "streetaddress": "STREET",
    "street": "STREET",
    "gn": "givenName",
    "sn": "surname",
    "e": "emailAddress",
    "email": "emailAddress",
    "domaincomponent": "DC",
    "userid": "UID",
}


@dataclass(frozen=True)
class NameAttribute:
    """One attribute of a distinguished name.

    ``oid`` is the dotted attribute type; ``name`` its short name (``CN``, ``C``, ``O``,
    ``serialNumber``, ``givenName``...) or the dotted OID when esig does not know it; ``value``
    the decoded text (for a value that is not a string, ``#`` + hex of its DER, as RFC 4514
    does); ``asn1_type`` the ASN.1 type it was encoded with (``UTF8String``, ``PrintableString``,
    ``TeletexString``, ``BMPString``...).
    """

    oid: str
    name: str
    value: str
    asn1_type: str


def _escape_rfc4514(value: str) -> str:
    out = []
    for i, ch in enumerate(value):
        if ch in ',+"\\<>;' or (i == 0 and ch in "# ") or (i == len(value) - 1 and ch == " "):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class DistinguishedName:
    """A subject or issuer name.

    ``rdns`` holds the relative distinguished names in certificate order (most significant,
    usually ``C``, first), each a tuple of attributes (more than one for a multi-valued RDN).
    ``text`` is the RFC 4514 form: RDNs in *reverse* certificate order (most significant last,
    e.g. ``CN=Ayşe Yılmaz, serialNumber=10000000146, C=TR``), separated by ", ", multi-valued
    RDNs joined with "+", special characters escaped with a backslash. ``der`` is the name's
    encoding exactly as it appears in the certificate (use it to match issuer to subject).
    """

    rdns: tuple[tuple[NameAttribute, ...], ...]
    der: bytes = field(repr=False)

    @property
    def attributes(self) -> tuple[NameAttribute, ...]:
        """All attributes, flattened, in certificate order."""
        return tuple(a for rdn in self.rdns for a in rdn)

    @property
    def text(self) -> str:
        """RFC 4514-style one-line form, most significant RDN last."""
        return ", ".join(
            "+".join(f"{a.name}={_escape_rfc4514(a.value)}" for a in rdn)
            for rdn in reversed(self.rdns)
        )

    def __str__(self) -> str:
        return self.text

    @staticmethod
    def _key(name: str) -> str:
        return NAME_ALIASES.get(name.lower(), name)

    def get_all(self, name: str) -> tuple[str, ...]:
        """Every value of an attribute, by short name (``CN``), long name (``commonName``) or
        dotted OID, case-insensitively, in certificate order."""
        key = self._key(name).lower()
        return tuple(a.value for a in self.attributes if key in (a.name.lower(), a.oid))

    def get(self, name: str) -> str | None:
        """The first value of an attribute (see :meth:`get_all`), or None."""
        values = self.get_all(name)
        return values[0] if values else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "attributes": [
                {"oid": a.oid, "name": a.name, "value": a.value, "asn1_type": a.asn1_type}
                for a in self.attributes
            ],
        }


@dataclass(frozen=True)
class PublicKeyInfo:
    """The subject public key: ``algorithm`` ("RSA", "EC", "Ed25519", "Ed448", "DSA",
    "RSASSA-PSS", or the dotted OID), ``size`` in bits (None if unreadable), ``curve`` for EC
    keys (e.g. "secp256r1", or a dotted OID; None otherwise), ``oid`` the algorithm OID."""

    algorithm: str
    size: int | None
    curve: str | None
    oid: str

    @property
    def description(self) -> str:
        """Officer-readable form: ``RSA 3072``, ``EC secp256r1 (256 bits)``, ``Ed25519``."""
        if self.curve:
            bits = f" ({self.size} bits)" if self.size else ""
            return f"{self.algorithm} {self.curve}{bits}"
        return f"{self.algorithm} {self.size}" if self.size else self.algorithm


@dataclass(frozen=True)
class ExtendedKeyUsage:
    """An extended key usage: dotted ``oid`` and readable ``name`` (None if unknown)."""

    oid: str
    name: str | None


@dataclass(frozen=True)
class PolicyInfo:
    """A certificate policy: dotted ``oid``, readable ``name`` and ``scheme`` (whose policy:
    "EU", "Kamu SM", "E-Tuğra"...; None if unknown), the CPS URIs and user-notice texts of its
    qualifiers (``noticeRef`` organisations are given as "organisation #n,m")."""

    oid: str
    name: str | None
    scheme: str | None
    cps_uris: tuple[str, ...] = ()
    user_notices: tuple[str, ...] = ()

    @property
    def qualifiers(self) -> tuple[str, ...]:
        """CPS URIs then user-notice texts."""
        return self.cps_uris + self.user_notices


@dataclass(frozen=True)
class PdsLocation:
    """A PKI disclosure statement (QcPDS): its ``url`` and two-letter ``language``."""

    url: str
    language: str


@dataclass(frozen=True)
class QcLimitValue:
    """QcLimitValue: the limit is ``amount`` × 10^``exponent`` in ``currency`` (ISO 4217
    alphabetic code, or the numeric code as a string)."""

    currency: str
    amount: int
    exponent: int


@dataclass(frozen=True)
class SemanticsInfo:
    """RFC 3739 SemanticsInformation: ``oid`` of the semantics identifier (None if absent),
    its ``name`` ("natural", "legal", "eIDASNatural", "eIDASLegal" for ETSI EN 319 412-1) and
    the name registration authorities as text."""

    oid: str | None
    name: str | None
    registration_authorities: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawStatement:
    """A QC statement esig does not interpret: its ``oid`` and the DER of its statementInfo
    (empty when absent)."""

    oid: str
    der: bytes


@dataclass(frozen=True)
class QcStatements:
    """The qcStatements extension (RFC 3739, ETSI EN 319 412-5).

    ``present`` is False when the certificate has no qcStatements extension (then every other
    field is empty). ``compliance`` QcCompliance; ``sscd`` QcSSCD (key in a QSCD); ``types``
    QcType values ("esign", "eseal", "web" or the dotted OID); ``pds`` QcPDS locations;
    ``retention_period`` QcRetentionPeriod in years; ``cc_legislation`` QcCClegislation country
    codes; ``limit_value`` QcLimitValue; ``semantics`` from id-qcs-pkixQCSyntax-v1/v2;
    ``btk_nes`` the Turkish BTK "nitelikli elektronik sertifika" statement
    (2.16.792.1.61.0.1.5070.1.1); ``ident_method`` QcIdentMethod OIDs (0.4.0.1862.1.8);
    ``qscd_legislation`` QcQSCDlegislation country codes (0.4.0.1862.1.9); ``unknown`` every
    other statement, raw; ``oids`` every statement OID in certificate order.
    """

    present: bool = False
    compliance: bool = False
    sscd: bool = False
    types: tuple[str, ...] = ()
    pds: tuple[PdsLocation, ...] = ()
    retention_period: int | None = None
    cc_legislation: tuple[str, ...] = ()
    limit_value: QcLimitValue | None = None
    semantics: tuple[SemanticsInfo, ...] = ()
    btk_nes: bool = False
    ident_method: tuple[str, ...] = ()
    qscd_legislation: tuple[str, ...] = ()
    unknown: tuple[RawStatement, ...] = ()
    oids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        lv = self.limit_value
        return {
            "present": self.present,
            "compliance": self.compliance,
            "sscd": self.sscd,
            "types": list(self.types),
            "pds": [{"url": p.url, "language": p.language} for p in self.pds],
            "retention_period": self.retention_period,
            "cc_legislation": list(self.cc_legislation),
            "limit_value": None
            if lv is None
            else {"currency": lv.currency, "amount": lv.amount, "exponent": lv.exponent},
            "semantics": [
                {
                    "oid": s.oid,
                    "name": s.name,
                    "registration_authorities": list(s.registration_authorities),
                }
                for s in self.semantics
            ],
            "btk_nes": self.btk_nes,
            "ident_method": list(self.ident_method),
            "qscd_legislation": list(self.qscd_legislation),
            "unknown": [
                {"oid": u.oid, "der": base64.b64encode(u.der).decode("ascii")} for u in self.unknown
            ],
            "oids": list(self.oids),
        }


@dataclass(frozen=True)
class CertificateInfo:
    """Everything esig reads from one X.509 certificate.

    Fields:
        der: the certificate's bytes exactly as given (for PEM, the decoded base64), never
            re-encoded: if the input was BER rather than DER, so is this.
        sha256: lower-case hex SHA-256 of ``der``.
        version: 1, 2 or 3.
        serial_number: the serial as a (possibly negative) integer.
        serial_hex: lower-case hex of ``serial_number`` (even length; "-" prefix if negative).
        subject, issuer: the names (see :class:`DistinguishedName`).
        not_before, not_after: validity, timezone-aware UTC.
        signature_algorithm: readable signature algorithm (asn1crypto's name, e.g.
            "sha256_rsa", "sha384_ecdsa", "rsassa_pss", "ed25519"; the dotted OID if unknown).
        signature_algorithm_oid: its dotted OID.
        key: the subject public key (see :class:`PublicKeyInfo`).
        key_usage: names of the key-usage bits set ("digitalSignature", "nonRepudiation",
            "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign",
            "encipherOnly", "decipherOnly"), empty without the extension.
        extended_key_usage: extended key usages.
        is_ca: basicConstraints cA.
        path_length: basicConstraints pathLenConstraint, or None.
        self_issued: subject equals issuer (byte-for-byte or as decoded text).
        ocsp_urls, ca_issuer_urls: Authority Information Access URIs.
        crl_urls: CRL distribution point URIs.
        policies: certificate policies.
        qc: the QC statements.
        identities: national identifiers found in the subject (best first by confidence order
            of discovery; see :attr:`national_id`).
        holder_name: the subject's commonName, else "givenName surname", else pseudonym or
            organizationName, else the subject text.
        country: the subject's countryName, or None.
        subject_key_identifier, authority_key_identifier: key identifiers as lower-case hex.
        extension_oids: dotted OIDs of every extension, in certificate order (duplicates kept).
        warnings: findings about the certificate's encoding and profile (stable dotted codes;
            codes containing ".option-" are informative).
    """

    der: bytes = field(repr=False)
    sha256: str
    version: int
    serial_number: int
    serial_hex: str
    subject: DistinguishedName
    issuer: DistinguishedName
    not_before: datetime
    not_after: datetime
    signature_algorithm: str
    signature_algorithm_oid: str
    key: PublicKeyInfo
    key_usage: tuple[str, ...]
    extended_key_usage: tuple[ExtendedKeyUsage, ...]
    is_ca: bool
    path_length: int | None
    self_issued: bool
    ocsp_urls: tuple[str, ...]
    ca_issuer_urls: tuple[str, ...]
    crl_urls: tuple[str, ...]
    policies: tuple[PolicyInfo, ...]
    qc: QcStatements
    identities: tuple[NationalIdentity, ...]
    holder_name: str
    country: str | None
    subject_key_identifier: str | None
    authority_key_identifier: str | None
    extension_oids: tuple[str, ...]
    warnings: tuple[Finding, ...] = ()

    @property
    def national_id(self) -> NationalIdentity | None:
        """The most confident identity (ties: the first found), ignoring scheme "UNKNOWN"."""
        candidates = [i for i in self.identities if i.scheme != "UNKNOWN"]
        if not candidates:
            return None
        return min(candidates, key=lambda i: _CONFIDENCE_RANK.get(i.confidence, 3))

    @property
    def policy_oids(self) -> tuple[str, ...]:
        """The dotted OIDs of :attr:`policies`."""
        return tuple(p.oid for p in self.policies)

    def has_warning(self, code: str) -> bool:
        """True if a warning with this exact code was recorded."""
        return any(w.code == code for w in self.warnings)

    def to_asn1crypto(self) -> asn1_x509.Certificate:
        """The certificate as an asn1crypto object, parsed from :attr:`der` (lenient)."""
        from asn1crypto import x509 as _x509

        return _x509.Certificate.load(self.der)

    def to_cryptography(self) -> crypto_x509.Certificate | None:
        """The certificate as a ``cryptography`` object, or None when cryptography refuses it
        (non-minimal INTEGERs, BER lengths, "_" in a PrintableString...)."""
        from cryptography import x509 as _cx509

        try:
            return _cx509.load_der_x509_certificate(self.der)
        except ValueError:
            return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: times ISO 8601 with "Z", the DER as base64."""
        nid = self.national_id
        return {
            "der": base64.b64encode(self.der).decode("ascii"),
            "sha256": self.sha256,
            "version": self.version,
            "serial_number": str(self.serial_number),
            "serial_hex": self.serial_hex,
            "subject": self.subject.to_dict(),
            "issuer": self.issuer.to_dict(),
            "not_before": _iso(self.not_before),
            "not_after": _iso(self.not_after),
            "signature_algorithm": self.signature_algorithm,
            "signature_algorithm_oid": self.signature_algorithm_oid,
            "key": {
                "algorithm": self.key.algorithm,
                "size": self.key.size,
                "curve": self.key.curve,
                "oid": self.key.oid,
            },
            "key_usage": list(self.key_usage),
            "extended_key_usage": [{"oid": e.oid, "name": e.name} for e in self.extended_key_usage],
            "is_ca": self.is_ca,
            "path_length": self.path_length,
            "self_issued": self.self_issued,
            "ocsp_urls": list(self.ocsp_urls),
            "ca_issuer_urls": list(self.ca_issuer_urls),
            "crl_urls": list(self.crl_urls),
            "policies": [
                {
                    "oid": p.oid,
                    "name": p.name,
                    "scheme": p.scheme,
                    "cps_uris": list(p.cps_uris),
                    "user_notices": list(p.user_notices),
                }
                for p in self.policies
            ],
            "qc": self.qc.to_dict(),
            "identities": [i.to_dict() for i in self.identities],
            "national_id": None if nid is None else nid.to_dict(),
            "holder_name": self.holder_name,
            "country": self.country,
            "subject_key_identifier": self.subject_key_identifier,
            "authority_key_identifier": self.authority_key_identifier,
            "extension_oids": list(self.extension_oids),
            "warnings": [w.to_dict() for w in self.warnings],
        }
