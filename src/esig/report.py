"""The verdict model: ETSI EN 319 102-1 indications, TS 119 615 qualification, and reports.

Every validation in esig ends in these objects. They are frozen dataclasses holding tuples, never
lists, so a report can be shared, cached and compared. Enum values are the standards' own tokens
(``TOTAL_PASSED``, ``HASH_FAILURE``, ``QESig``...), so a report reads the same as DSS's.

JSON form (``ValidationReport.to_dict`` / ``from_dict``; schema id ``esig/validation-report/v1``)::

    {
      "schema": "esig/validation-report/v1",
      "document": {"name": "declaration.pdf", "sha256": "<hex>", "format": "PAdES"},
      "validation_time": "2026-11-23T10:00:00Z",
      "profile": "default",
      "indication": "TOTAL_PASSED",              # the document's overall verdict
      "sub_indication": null,
      "signatures": [ {SignatureReport...} ],
      "warnings": [ {"code": "...", "message": "..."} ]
    }

A signature report::

    {
      "id": "Signature1", "kind": "signature" | "document-timestamp",
      "indication": "INDETERMINATE", "sub_indication": "OUT_OF_BOUNDS_NO_POE",
      "level": "B-LTA", "qualification": "QESig",
      "signer": {"name": "...", "national_id": {...} | null, "country": "TR", "issuer": "...",
                 "certificate_sha256": "<hex>"} | null,
      "claimed_signing_time": "...Z" | null, "best_signature_time": "...Z",
      "signed_objects": ["..."], "reasons": [...], "warnings": [...], "timestamps": [...]
    }

Times are UTC, ISO 8601 with a ``Z``. Keys are never removed within a schema version; new keys
may be added. ``docs/reports.md`` documents every field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography import x509

__all__ = [
    "REPORT_SCHEMA",
    "CertificateQualification",
    "Finding",
    "Indication",
    "NationalIdentity",
    "SignatureLevel",
    "SignatureQualification",
    "SignatureReport",
    "SignerIdentity",
    "SubIndication",
    "TimestampReport",
    "ValidationReport",
]

REPORT_SCHEMA = "esig/validation-report/v1"


class Indication(StrEnum):
    """Main status indication of ETSI EN 319 102-1 (clause 5.1.3)."""

    TOTAL_PASSED = "TOTAL_PASSED"
    TOTAL_FAILED = "TOTAL_FAILED"
    INDETERMINATE = "INDETERMINATE"

    @property
    def uri(self) -> str:
        """The ETSI TS 119 102-2 URI, e.g. ``urn:etsi:019102:mainindication:total-passed``."""
        return "urn:etsi:019102:mainindication:" + self.value.lower().replace("_", "-")


class SubIndication(StrEnum):
    """Sub-indications of ETSI EN 319 102-1 (clause 5.1.3, tables 5 and 6).

    ``parents`` says under which main indication each may appear.
    """

    # under TOTAL_FAILED
    FORMAT_FAILURE = "FORMAT_FAILURE"
    HASH_FAILURE = "HASH_FAILURE"
    SIG_CRYPTO_FAILURE = "SIG_CRYPTO_FAILURE"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    # under INDETERMINATE
    SIG_CONSTRAINTS_FAILURE = "SIG_CONSTRAINTS_FAILURE"
    CHAIN_CONSTRAINTS_FAILURE = "CHAIN_CONSTRAINTS_FAILURE"
    CERTIFICATE_CHAIN_GENERAL_FAILURE = "CERTIFICATE_CHAIN_GENERAL_FAILURE"
    CRYPTO_CONSTRAINTS_FAILURE = "CRYPTO_CONSTRAINTS_FAILURE"
    POLICY_PROCESSING_ERROR = "POLICY_PROCESSING_ERROR"
    SIGNATURE_POLICY_NOT_AVAILABLE = "SIGNATURE_POLICY_NOT_AVAILABLE"
    TIMESTAMP_ORDER_FAILURE = "TIMESTAMP_ORDER_FAILURE"
    NO_SIGNING_CERTIFICATE_FOUND = "NO_SIGNING_CERTIFICATE_FOUND"
    NO_CERTIFICATE_CHAIN_FOUND = "NO_CERTIFICATE_CHAIN_FOUND"
    NO_CERTIFICATE_CHAIN_FOUND_NO_POE = "NO_CERTIFICATE_CHAIN_FOUND_NO_POE"
    REVOKED_NO_POE = "REVOKED_NO_POE"
    REVOKED_CA_NO_POE = "REVOKED_CA_NO_POE"
    OUT_OF_BOUNDS_NOT_REVOKED = "OUT_OF_BOUNDS_NOT_REVOKED"
    OUT_OF_BOUNDS_NO_POE = "OUT_OF_BOUNDS_NO_POE"
    REVOCATION_OUT_OF_BOUNDS_NO_POE = "REVOCATION_OUT_OF_BOUNDS_NO_POE"
    CRYPTO_CONSTRAINTS_FAILURE_NO_POE = "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"
    NO_POE = "NO_POE"
    TRY_LATER = "TRY_LATER"
    SIGNED_DATA_NOT_FOUND = "SIGNED_DATA_NOT_FOUND"

    @property
    def uri(self) -> str:
        """The ETSI TS 119 102-2 URI, e.g. ``urn:etsi:019102:subindication:HASH_FAILURE``."""
        return "urn:etsi:019102:subindication:" + self.value

    @property
    def parents(self) -> frozenset[Indication]:
        """Main indications this sub-indication may accompany.

        NOT_YET_VALID appears under both: TOTAL_FAILED when it is proven the signature was made
        before notBefore, INDETERMINATE in older editions of EN 319 102-1 (pyHanko keeps both).
        EXPIRED is TOTAL_FAILED only, as in EN 319 102-1 V1.3.1 and DSS.
        """
        if self is SubIndication.NOT_YET_VALID:
            return frozenset({Indication.TOTAL_FAILED, Indication.INDETERMINATE})
        if self in _FAILED_SUBS:
            return frozenset({Indication.TOTAL_FAILED})
        return frozenset({Indication.INDETERMINATE})


_FAILED_SUBS = frozenset(
    {
        SubIndication.FORMAT_FAILURE,
        SubIndication.HASH_FAILURE,
        SubIndication.SIG_CRYPTO_FAILURE,
        SubIndication.REVOKED,
        SubIndication.EXPIRED,
        SubIndication.NOT_YET_VALID,
    }
)


class CertificateQualification(StrEnum):
    """Qualification of a certificate at a given time (ETSI TS 119 615; DSS's readable tokens)."""

    QC_FOR_ESIG_QSCD = "QC for eSig with QSCD"
    QC_FOR_ESEAL_QSCD = "QC for eSeal with QSCD"
    QC_FOR_UNKNOWN_QSCD = "QC for unknown type with QSCD"
    QC_FOR_ESIG = "QC for eSig"
    QC_FOR_ESEAL = "QC for eSeal"
    QC_FOR_WSA = "QC for WSA"
    QC_FOR_UNKNOWN = "QC for unknown type"
    CERT_FOR_ESIG = "Cert for eSig"
    CERT_FOR_ESEAL = "Cert for eSeal"
    CERT_FOR_WSA = "Cert for WSA"
    CERT_FOR_UNKNOWN = "Cert for unknown type"
    NA = "N/A"

    @property
    def is_qualified(self) -> bool:
        return self.name.startswith("QC_")

    @property
    def is_qscd(self) -> bool:
        return self.name.endswith("_QSCD")


class SignatureQualification(StrEnum):
    """Qualification of a signature (ETSI TS 119 615 / eIDAS art. 3; DSS's readable tokens)."""

    QESIG = "QESig"
    QESEAL = "QESeal"
    QES = "QES?"
    UNKNOWN_QC_QSCD = "Unknown-QC-QSCD"
    ADESIG_QC = "AdESig-QC"
    ADESEAL_QC = "AdESeal-QC"
    ADES_QC = "AdES?-QC"
    UNKNOWN_QC = "Unknown-QC"
    ADESIG = "AdESig"
    ADESEAL = "AdESeal"
    ADES = "AdES?"
    UNKNOWN = "Unknown"
    INDETERMINATE_QESIG = "Indeterminate QESig"
    INDETERMINATE_QESEAL = "Indeterminate QESeal"
    INDETERMINATE_QES = "Indeterminate QES?"
    INDETERMINATE_UNKNOWN_QC_QSCD = "Indeterminate Unknown-QC-QSCD"
    INDETERMINATE_ADESIG_QC = "Indeterminate AdESig-QC"
    INDETERMINATE_ADESEAL_QC = "Indeterminate AdESeal-QC"
    INDETERMINATE_ADES_QC = "Indeterminate AdES?-QC"
    INDETERMINATE_UNKNOWN_QC = "Indeterminate Unknown-QC"
    INDETERMINATE_ADESIG = "Indeterminate AdESig"
    INDETERMINATE_ADESEAL = "Indeterminate AdESeal"
    INDETERMINATE_ADES = "Indeterminate AdES?"
    INDETERMINATE_UNKNOWN = "Indeterminate Unknown"
    NOT_ADES_QC_QSCD = "Not AdES but QC with QSCD"
    NOT_ADES_QC = "Not AdES but QC"
    NOT_ADES = "Not AdES"
    NA = "N/A"

    @property
    def uri(self) -> str:
        """DSS's URI for the qualification (``urn:cef:dss:signatureQualification:...``)."""
        return "urn:cef:dss:signatureQualification:" + _SIG_QUAL_URI_SUFFIX[self]

    @property
    def is_qualified(self) -> bool:
        """True for QESig, QESeal and QES? (a qualified signature or seal, proven)."""
        return self in (
            SignatureQualification.QESIG,
            SignatureQualification.QESEAL,
            SignatureQualification.QES,
        )


_SIG_QUAL_URI_SUFFIX: dict[SignatureQualification, str] = {
    SignatureQualification.QESIG: "QESig",
    SignatureQualification.QESEAL: "QESeal",
    SignatureQualification.QES: "QES",
    SignatureQualification.UNKNOWN_QC_QSCD: "UnknownQCwithQSCD",
    SignatureQualification.ADESIG_QC: "AdESigQC",
    SignatureQualification.ADESEAL_QC: "AdESealQC",
    SignatureQualification.ADES_QC: "AdESQC",
    SignatureQualification.UNKNOWN_QC: "UnknownQC",
    SignatureQualification.ADESIG: "AdESig",
    SignatureQualification.ADESEAL: "AdESeal",
    SignatureQualification.ADES: "AdES",
    SignatureQualification.UNKNOWN: "Unknown",
    SignatureQualification.INDETERMINATE_QESIG: "indeterminateQESig",
    SignatureQualification.INDETERMINATE_QESEAL: "indeterminateQESeal",
    SignatureQualification.INDETERMINATE_QES: "indeterminateQES",
    SignatureQualification.INDETERMINATE_UNKNOWN_QC_QSCD: "indeterminateUnknownQCwithQSCD",
    SignatureQualification.INDETERMINATE_ADESIG_QC: "indeterminateAdESigQC",
    SignatureQualification.INDETERMINATE_ADESEAL_QC: "indeterminateAdESealQC",
    SignatureQualification.INDETERMINATE_ADES_QC: "indeterminateAdESQC",
    SignatureQualification.INDETERMINATE_UNKNOWN_QC: "indeterminateUnknownQC",
    SignatureQualification.INDETERMINATE_ADESIG: "indeterminateAdESig",
    SignatureQualification.INDETERMINATE_ADESEAL: "indeterminateAdESeal",
    SignatureQualification.INDETERMINATE_ADES: "indeterminateAdES",
    SignatureQualification.INDETERMINATE_UNKNOWN: "indeterminateUnknown",
    SignatureQualification.NOT_ADES_QC_QSCD: "notAdESbutQCwithQSCD",
    SignatureQualification.NOT_ADES_QC: "notAdESbutQC",
    SignatureQualification.NOT_ADES: "notAdES",
    SignatureQualification.NA: "notApplicable",
}


class SignatureLevel(StrEnum):
    """Baseline level reached by a signature (ETSI EN 319 142-1 / 319 132-1)."""

    NONE = "none"  # not a baseline signature (e.g. a legacy PKCS#7 signature)
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"


# --------------------------------------------------------------------------------------------
# data classes


def _time_to_json(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("report times must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _time_from_json(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 time, got {value!r}")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _require_aware(name: str, value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True)
class Finding:
    """A reason or a warning: a stable machine code and a sentence for a person.

    ``code`` is stable across releases (e.g. ``chain.no-trust-anchor``); ``message`` may change.
    """

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(code=str(data["code"]), message=str(data["message"]))


@dataclass(frozen=True)
class NationalIdentity:
    """A holder's national identifier as found in a certificate.

    ``scheme`` is the EN 319 412-1 type (``PNO``, ``IDC``, ``PAS``, ``TIN``, ``TAX``...) or a
    national one (``TCKN``, ``VKN``, ``FIN``); ``country`` an ISO 3166 code or None if unknown;
    ``source`` where it was read (e.g. ``subject.serialNumber``); ``confidence`` is ``certain``
    (explicit semantics or a verified checksum), ``likely`` or ``possible``.
    """

    scheme: str
    country: str | None
    value: str
    source: str
    confidence: str

    def to_dict(self) -> dict[str, str | None]:
        return {
            "scheme": self.scheme,
            "country": self.country,
            "value": self.value,
            "source": self.source,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NationalIdentity:
        return cls(
            scheme=str(data["scheme"]),
            country=None if data.get("country") is None else str(data["country"]),
            value=str(data["value"]),
            source=str(data["source"]),
            confidence=str(data["confidence"]),
        )


@dataclass(frozen=True)
class SignerIdentity:
    """Who signed: read from the signing certificate."""

    name: str
    country: str | None
    issuer: str
    certificate_sha256: str
    national_id: NationalIdentity | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "national_id": None if self.national_id is None else self.national_id.to_dict(),
            "country": self.country,
            "issuer": self.issuer,
            "certificate_sha256": self.certificate_sha256,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignerIdentity:
        nid = data.get("national_id")
        return cls(
            name=str(data["name"]),
            country=None if data.get("country") is None else str(data["country"]),
            issuer=str(data["issuer"]),
            certificate_sha256=str(data["certificate_sha256"]),
            national_id=None if nid is None else NationalIdentity.from_dict(nid),
        )


def _check_verdict(indication: Indication, sub_indication: SubIndication | None) -> None:
    if indication is Indication.TOTAL_PASSED:
        if sub_indication is not None:
            raise ValueError(f"TOTAL_PASSED carries no sub-indication (got {sub_indication})")
        return
    if sub_indication is None:
        raise ValueError(f"{indication} needs a sub-indication")
    if indication not in sub_indication.parents:
        raise ValueError(f"{sub_indication} is not a sub-indication of {indication}")


@dataclass(frozen=True)
class TimestampReport:
    """A timestamp attached to a signature (signature, archive or document timestamp)."""

    kind: str  # "signature-timestamp" | "archive-timestamp" | "document-timestamp" | ...
    time: datetime
    indication: Indication
    sub_indication: SubIndication | None = None
    tsa: str | None = None
    qualified: bool | None = None
    reasons: tuple[Finding, ...] = ()

    def __post_init__(self) -> None:
        _require_aware("time", self.time)
        _check_verdict(self.indication, self.sub_indication)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "time": _time_to_json(self.time),
            "indication": self.indication.value,
            "sub_indication": None if self.sub_indication is None else self.sub_indication.value,
            "tsa": self.tsa,
            "qualified": self.qualified,
            "reasons": [r.to_dict() for r in self.reasons],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimestampReport:
        time = _time_from_json(data["time"])
        assert time is not None
        sub = data.get("sub_indication")
        return cls(
            kind=str(data["kind"]),
            time=time,
            indication=Indication(data["indication"]),
            sub_indication=None if sub is None else SubIndication(sub),
            tsa=data.get("tsa"),
            qualified=data.get("qualified"),
            reasons=tuple(Finding.from_dict(r) for r in data.get("reasons", ())),
        )


@dataclass(frozen=True)
class SignatureReport:
    """The verdict on one signature or document timestamp.

    ``indication``/``sub_indication`` follow EN 319 102-1; the constructor refuses a
    sub-indication that does not belong to the indication, and TOTAL_PASSED with one.
    ``best_signature_time`` is the earliest proven time of existence (a validated timestamp), or
    the validation time when nothing proves an earlier one. ``reasons`` explain a verdict other
    than TOTAL_PASSED; ``warnings`` never change the indication.
    """

    id: str
    indication: Indication
    sub_indication: SubIndication | None = None
    kind: str = "signature"
    format: str = "PAdES"
    level: SignatureLevel = SignatureLevel.NONE
    qualification: SignatureQualification = SignatureQualification.NA
    signer: SignerIdentity | None = None
    claimed_signing_time: datetime | None = None
    best_signature_time: datetime | None = None
    signed_objects: tuple[str, ...] = ()
    reasons: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    timestamps: tuple[TimestampReport, ...] = ()

    def __post_init__(self) -> None:
        _check_verdict(self.indication, self.sub_indication)
        _require_aware("claimed_signing_time", self.claimed_signing_time)
        _require_aware("best_signature_time", self.best_signature_time)
        for name in ("signed_objects", "reasons", "warnings", "timestamps"):
            if not isinstance(getattr(self, name), tuple):
                raise TypeError(f"SignatureReport.{name} must be a tuple")

    @property
    def passed(self) -> bool:
        return self.indication is Indication.TOTAL_PASSED

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "format": self.format,
            "indication": self.indication.value,
            "sub_indication": None if self.sub_indication is None else self.sub_indication.value,
            "level": self.level.value,
            "qualification": self.qualification.value,
            "signer": None if self.signer is None else self.signer.to_dict(),
            "claimed_signing_time": _time_to_json(self.claimed_signing_time),
            "best_signature_time": _time_to_json(self.best_signature_time),
            "signed_objects": list(self.signed_objects),
            "reasons": [r.to_dict() for r in self.reasons],
            "warnings": [w.to_dict() for w in self.warnings],
            "timestamps": [t.to_dict() for t in self.timestamps],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignatureReport:
        sub = data.get("sub_indication")
        signer = data.get("signer")
        return cls(
            id=str(data["id"]),
            kind=str(data.get("kind", "signature")),
            format=str(data.get("format", "PAdES")),
            indication=Indication(data["indication"]),
            sub_indication=None if sub is None else SubIndication(sub),
            level=SignatureLevel(data.get("level", "none")),
            qualification=SignatureQualification(data.get("qualification", "N/A")),
            signer=None if signer is None else SignerIdentity.from_dict(signer),
            claimed_signing_time=_time_from_json(data.get("claimed_signing_time")),
            best_signature_time=_time_from_json(data.get("best_signature_time")),
            signed_objects=tuple(str(s) for s in data.get("signed_objects", ())),
            reasons=tuple(Finding.from_dict(r) for r in data.get("reasons", ())),
            warnings=tuple(Finding.from_dict(w) for w in data.get("warnings", ())),
            timestamps=tuple(TimestampReport.from_dict(t) for t in data.get("timestamps", ())),
        )


_SEVERITY = {Indication.TOTAL_PASSED: 0, Indication.INDETERMINATE: 1, Indication.TOTAL_FAILED: 2}


@dataclass(frozen=True)
class ValidationReport:
    """The verdict on a whole document: every signature and document timestamp in it.

    The document's overall ``indication`` is the worst of its signatures' (TOTAL_FAILED over
    INDETERMINATE over TOTAL_PASSED), taking the first such signature's sub-indication. A document
    with no signature at all is INDETERMINATE / SIGNED_DATA_NOT_FOUND: fail closed.
    """

    document_name: str
    document_sha256: str
    document_format: str
    validation_time: datetime
    profile: str
    signatures: tuple[SignatureReport, ...] = ()
    warnings: tuple[Finding, ...] = field(default=())

    def __post_init__(self) -> None:
        _require_aware("validation_time", self.validation_time)
        if not isinstance(self.signatures, tuple) or not isinstance(self.warnings, tuple):
            raise TypeError("ValidationReport.signatures and .warnings must be tuples")

    @property
    def indication(self) -> Indication:
        return self._overall()[0]

    @property
    def sub_indication(self) -> SubIndication | None:
        return self._overall()[1]

    def _overall(self) -> tuple[Indication, SubIndication | None]:
        if not self.signatures:
            return Indication.INDETERMINATE, SubIndication.SIGNED_DATA_NOT_FOUND
        worst = max(self.signatures, key=lambda s: _SEVERITY[s.indication])
        return worst.indication, worst.sub_indication

    @property
    def passed(self) -> bool:
        return self.indication is Indication.TOTAL_PASSED

    def to_dict(self) -> dict[str, Any]:
        sub = self.sub_indication
        return {
            "schema": REPORT_SCHEMA,
            "document": {
                "name": self.document_name,
                "sha256": self.document_sha256,
                "format": self.document_format,
            },
            "validation_time": _time_to_json(self.validation_time),
            "profile": self.profile,
            "indication": self.indication.value,
            "sub_indication": None if sub is None else sub.value,
            "signatures": [s.to_dict() for s in self.signatures],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, sort_keys=False)

    def to_etsi_xml(
        self,
        *,
        document: bytes | None = None,
        certificates: Iterable[bytes | x509.Certificate] = (),
    ) -> str:
        """The report as an ETSI TS 119 102-2 XML validation report (:mod:`esig.report_xml`).

        ``document``: the validated document's bytes, to include the signers' certificates,
        signature values and digests read from it; ``certificates``: more certificates to show
        in full. A one-way view: there is no ``from_etsi_xml``.
        """
        from esig.report_xml import to_etsi_xml

        return to_etsi_xml(self, document=document, certificates=certificates)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ValidationReport:
        if data.get("schema") != REPORT_SCHEMA:
            raise ValueError(f"not an {REPORT_SCHEMA} report (schema={data.get('schema')!r})")
        doc = data["document"]
        vtime = _time_from_json(data["validation_time"])
        assert vtime is not None
        return cls(
            document_name=str(doc["name"]),
            document_sha256=str(doc["sha256"]),
            document_format=str(doc["format"]),
            validation_time=vtime,
            profile=str(data["profile"]),
            signatures=tuple(SignatureReport.from_dict(s) for s in data.get("signatures", ())),
            warnings=tuple(Finding.from_dict(w) for w in data.get("warnings", ())),
        )

    @classmethod
    def from_json(cls, text: str) -> ValidationReport:
        return cls.from_dict(json.loads(text))
