"""Reading XAdES qualifying properties and detecting the baseline level (private).

Accepts XAdES 1.3.2 (``http://uri.etsi.org/01903/v1.3.2#``, with 1.4.1 additions) and the older
1.2.2 namespace for reading real-world files; esig writes 1.3.2 + 1.4.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from esig.errors import DocumentError
from esig.report import Finding, SignatureLevel
from esig.xades import _xml as X

_XADES_NS = (X.XADES, X.XADES122)


@dataclass(frozen=True)
class CertRef:
    """One ``xades:Cert`` of SigningCertificate(V2): digest algorithm URI and value."""

    algorithm: str
    value: bytes


@dataclass(frozen=True)
class EmbeddedTimestamp:
    """A time-stamp property: ``kind`` is ``signature-timestamp`` or ``archive-timestamp``."""

    kind: str
    element: etree._Element
    token: bytes
    c14n_method: str


@dataclass(frozen=True)
class Properties:
    """What the qualifying properties of one signature hold (elements stay in the tree)."""

    qualifying: etree._Element | None
    signed_properties: etree._Element | None
    unsigned_signature_properties: etree._Element | None
    signing_time: datetime | None
    cert_refs: tuple[CertRef, ...]
    cert_ref_version: str | None  # "v2", "v1" or None
    timestamps: tuple[EmbeddedTimestamp, ...]
    certificate_values: tuple[bytes, ...]
    crl_values: tuple[bytes, ...]
    ocsp_values: tuple[bytes, ...]
    has_lt_values: bool
    has_policy: bool
    problems: tuple[Finding, ...] = ()

    def level(self, sp_referenced: bool) -> SignatureLevel:
        """Baseline level by structure (EN 319 132-1 clause 6)."""
        if self.signed_properties is None or not sp_referenced or not self.cert_refs:
            return SignatureLevel.NONE
        kinds = {t.kind for t in self.timestamps}
        if "signature-timestamp" not in kinds:
            return SignatureLevel.B_B
        if not self.has_lt_values:
            return SignatureLevel.B_T
        if "archive-timestamp" not in kinds:
            return SignatureLevel.B_LT
        return SignatureLevel.B_LTA


def _children(parent: etree._Element | None, local: str) -> list[etree._Element]:
    if parent is None:
        return []
    return [c for c in parent if isinstance(c.tag, str) and etree.QName(c).localname == local]


def _child(parent: etree._Element | None, local: str) -> etree._Element | None:
    found = _children(parent, local)
    return found[0] if found else None


def find_qualifying(signature: etree._Element) -> tuple[etree._Element | None, list[Finding]]:
    """The QualifyingProperties of ``signature`` (in one of its own ds:Object children)."""
    found: list[etree._Element] = []
    for obj in X.findall(signature, "ds:Object"):
        for ns in _XADES_NS:
            found.extend(obj.findall(f"{{{ns}}}QualifyingProperties"))
    problems: list[Finding] = []
    if len(found) > 1:
        problems.append(
            Finding("xades.several-qualifying-properties", "more than one QualifyingProperties")
        )
    if not found:
        return None, problems
    qp = found[0]
    target = qp.get("Target")
    sig_id = signature.get("Id")
    if target is not None and sig_id is not None and target != f"#{sig_id}":
        problems.append(
            Finding(
                "xades.target-mismatch",
                f"QualifyingProperties/@Target is {target!r} but the signature's Id is {sig_id!r}",
            )
        )
    return qp, problems


def parse_time(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def read_properties(signature: etree._Element) -> Properties:
    qp, problems = find_qualifying(signature)
    sp = _child(qp, "SignedProperties")
    ssp = _child(sp, "SignedSignatureProperties")
    signing_time = None
    st = _child(ssp, "SigningTime")
    if st is not None:
        signing_time = parse_time(X.text(st))
        if signing_time is None:
            problems.append(Finding("xades.bad-signing-time", "SigningTime is not a dateTime"))
    refs: list[CertRef] = []
    version: str | None = None
    for local, ver in (("SigningCertificateV2", "v2"), ("SigningCertificate", "v1")):
        holder = _child(ssp, local)
        if holder is None:
            continue
        version = version or ver
        for cert in _children(holder, "Cert"):
            cd = _child(cert, "CertDigest")
            dm = X.find(cd, "ds:DigestMethod") if cd is not None else None
            dv = X.find(cd, "ds:DigestValue") if cd is not None else None
            alg = "" if dm is None else (dm.get("Algorithm") or "")
            try:
                refs.append(CertRef(alg, X.b64(dv, "CertDigest/DigestValue")))
            except DocumentError as exc:
                problems.append(Finding("xades.bad-cert-digest", str(exc)))
    has_policy = _child(ssp, "SignaturePolicyIdentifier") is not None
    usp = _child(_child(qp, "UnsignedProperties"), "UnsignedSignatureProperties")
    timestamps: list[EmbeddedTimestamp] = []
    certs: list[bytes] = []
    crls: list[bytes] = []
    ocsps: list[bytes] = []
    has_cv = has_rv = False
    for prop in [] if usp is None else list(usp.iterchildren("*")):
        local = etree.QName(prop).localname
        if local in ("SignatureTimeStamp", "ArchiveTimeStamp"):
            kind = "signature-timestamp" if local == "SignatureTimeStamp" else "archive-timestamp"
            cm = X.find(prop, "ds:CanonicalizationMethod")
            method = X.C14N_10 if cm is None else (cm.get("Algorithm") or X.C14N_10)
            enc = _child(prop, "EncapsulatedTimeStamp")
            try:
                token = X.b64(enc, f"{local}/EncapsulatedTimeStamp")
            except DocumentError as exc:
                problems.append(Finding("xades.bad-timestamp", str(exc)))
                continue
            timestamps.append(EmbeddedTimestamp(kind, prop, token, method))
        elif local in ("CertificateValues", "RevocationValues", "TimeStampValidationData"):
            if local == "CertificateValues":
                has_cv = True
            if local == "RevocationValues":
                has_rv = True
            _collect_values(prop, certs, crls, ocsps, problems)
    return Properties(
        qualifying=qp,
        signed_properties=sp,
        unsigned_signature_properties=usp,
        signing_time=signing_time,
        cert_refs=tuple(refs),
        cert_ref_version=version,
        timestamps=tuple(timestamps),
        certificate_values=tuple(certs),
        crl_values=tuple(crls),
        ocsp_values=tuple(ocsps),
        has_lt_values=has_cv and has_rv,
        has_policy=has_policy,
        problems=tuple(problems),
    )


def _collect_values(
    prop: etree._Element,
    certs: list[bytes],
    crls: list[bytes],
    ocsps: list[bytes],
    problems: list[Finding],
) -> None:
    for el in prop.iter("*"):
        local = etree.QName(el).localname
        target = {
            "EncapsulatedX509Certificate": certs,
            "EncapsulatedCRLValue": crls,
            "EncapsulatedOCSPValue": ocsps,
        }.get(local)
        if target is None:
            continue
        try:
            target.append(X.b64(el, local))
        except DocumentError as exc:
            problems.append(Finding("xades.bad-validation-data", str(exc)))
