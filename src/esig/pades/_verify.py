"""PAdES verification: every signature and document time-stamp of a PDF, EN 319 102-1 verdicts.

Per signature: PDF integrity (byte range coverage, difference analysis of every later revision,
DocMDP), CMS integrity (digest, signature value), time-stamps, then the signer's certificate path
validated at the best signature time (the earliest proof of existence: a valid signature
time-stamp or a later document time-stamp; the validation time when there is none) with the
revocation data the document embeds (DSS/VRI, Adobe revocation attribute), then the profile's
algorithm policy (EN 319 102-1 5.2.8: the signature and its chain at the best signature time,
each time-stamp at the time of the next document time-stamp or the validation time; see
:mod:`esig.validation.crypto`) and its requirements (level, qualification, signer country).
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.misc import PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
from pyhanko.sign.general import CMSStructuralError
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter, validate_sig_integrity
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from esig.certs import read_certificate
from esig.errors import CertificateError
from esig.pades._diff import DIFF_POLICY
from esig.pades._document import (
    PKCS7_SHA1,
    LenientTwins,
    Unusable,
    dss_material,
    hidden_revision,
    merge,
    open_pdf,
    signature_material,
    tolerable_objection,
)
from esig.pades._timestamps import TimestampCheck, check_timestamp
from esig.policy import ValidationProfile
from esig.report import (
    Finding,
    Indication,
    SignatureLevel,
    SignatureQualification,
    SignatureReport,
    SignerIdentity,
    SubIndication,
    ValidationReport,
)
from esig.trust.source import TrustSource
from esig.validation._plain_ecdsa import SIGNATURE_VALIDATOR
from esig.validation.chain import (
    ChainOutcome,
    RevocationMaterial,
    Usage,
    to_crypto,
    validate_chain,
)
from esig.validation.crypto import (
    CryptoCheck,
    CryptoUse,
    certificate_uses,
    check_algorithms,
    key_of,
    signature_digest,
    timestamp_uses,
)

__all__ = ["verify_pdf"]

_PADES_SUBFILTER = "/ETSI.CAdES.detached"
_DOC_TS = "/DocTimeStamp"
_RFC3161_SUBFILTER = "/ETSI.RFC3161"


@dataclass(frozen=True)
class _Context:
    reader: PdfFileReader
    trust: TrustSource
    anchors: tuple[x509.Certificate, ...]
    tsa_anchors: tuple[x509.Certificate, ...]
    dss: RevocationMaterial
    profile: ValidationProfile
    validation_time: datetime
    twins: LenientTwins
    strict_objection: str | None
    hidden_revision: str | None


@dataclass(frozen=True)
class _Verdict:
    indication: Indication
    sub: SubIndication | None
    reasons: tuple[Finding, ...] = ()


def _fail(sub: SubIndication, code: str, message: str) -> _Verdict:
    ind = (
        Indication.TOTAL_FAILED
        if Indication.TOTAL_FAILED in sub.parents
        else Indication.INDETERMINATE
    )
    return _Verdict(ind, sub, (Finding(code, message),))


async def verify_pdf(
    data: bytes,
    name: str,
    *,
    trust: TrustSource,
    profile: ValidationProfile,
    validation_time: datetime,
) -> ValidationReport:
    """Verify every signature and document time-stamp of the PDF ``data``."""
    reader, signatures, strict_objection, unusable = open_pdf(data, name)
    dss, _ = dss_material(reader)
    anchors = tuple(trust.anchors(validation_time))
    # a TrustStore also names time-stamping services (TSA/QTST): they anchor TSA chains
    tsa_anchors_of = getattr(trust, "tsa_anchors", None)
    tsa_anchors = tuple(tsa_anchors_of(validation_time)) if callable(tsa_anchors_of) else ()
    ctx = _Context(
        reader,
        trust,
        anchors,
        anchors + tsa_anchors,
        dss,
        profile,
        validation_time,
        LenientTwins(data),
        strict_objection,
        hidden_revision(data, reader, signatures),
    )
    doc_ts: list[tuple[EmbeddedPdfSignature, TimestampCheck]] = []
    reports: list[SignatureReport] = []
    for sig in signatures:
        if _is_document_timestamp(sig):
            try:
                report, check = await _document_timestamp(sig, ctx)
            except Exception as exc:  # hostile structures: a verdict, never a traceback
                report, check = _unprocessable(sig, exc, "document-timestamp"), None
            reports.append(report)
            if check is not None:
                doc_ts.append((sig, check))
    doc_ts = _document_timestamp_algorithms(doc_ts, reports, ctx)
    for sig in signatures:
        if not _is_document_timestamp(sig):
            try:
                reports.append(await _signature(sig, ctx, doc_ts))
            except Exception as exc:
                reports.append(_unprocessable(sig, exc, "signature"))
    reports.extend(_unusable(u) for u in unusable)
    order = {s.field_name: i for i, s in enumerate(signatures)}
    reports.sort(key=lambda r: order.get(r.id, len(order)))
    return ValidationReport(
        document_name=name,
        document_sha256=hashlib.sha256(data).hexdigest(),
        document_format="PAdES",
        validation_time=validation_time,
        profile=profile.name,
        signatures=tuple(reports),
    )


def _unusable(field: Unusable) -> SignatureReport:
    verdict = _fail(SubIndication.FORMAT_FAILURE, field.code, field.message)
    return SignatureReport(
        id=field.field,
        indication=verdict.indication,
        sub_indication=verdict.sub,
        kind="signature",
        format="PAdES",
        reasons=verdict.reasons,
    )


def _unprocessable(sig: EmbeddedPdfSignature, exc: Exception, kind: str) -> SignatureReport:
    verdict = _fail(
        SubIndication.FORMAT_FAILURE,
        "pdf.unprocessable-signature",
        f"the signature cannot be processed ({type(exc).__name__}: {exc})",
    )
    try:
        return _report(sig, verdict, kind=kind)
    except Exception:  # even the signature dictionary is unusable
        return SignatureReport(
            id=str(getattr(sig, "field_name", "?")),
            indication=verdict.indication,
            sub_indication=verdict.sub,
            kind=kind,
            reasons=verdict.reasons,
        )


# -- integrity ---------------------------------------------------------------------------------


def _is_document_timestamp(sig: EmbeddedPdfSignature) -> bool:
    """A document time-stamp by its dictionary type or by its /SubFilter: some writers put an
    RFC 3161 token in a dictionary typed /Sig or with no /Type (ISO 32000-2 12.8.5)."""
    return bool(
        sig.sig_object_type == _DOC_TS or sig.sig_object.get("/SubFilter") == _RFC3161_SUBFILTER
    )


def _integrity_info(sig: EmbeddedPdfSignature) -> dict[str, Any]:
    sig.compute_integrity_info(  # type: ignore[no-untyped-call]
        diff_policy=DIFF_POLICY, skip_diff=False
    )
    return dict(sig.summarise_integrity_info())


def _lenient_integrity(
    sig: EmbeddedPdfSignature, ctx: _Context
) -> tuple[dict[str, Any], tuple[Finding, ...]]:
    """The integrity summary from pyHanko's strict reader, or, for a hybrid-reference file or
    a revision the strict reader refuses, from a lenient reading of the same signature; the
    second part says which, for the report."""
    if ctx.strict_objection is not None:
        return _integrity_info(sig), (_lenient_finding(ctx.strict_objection),)
    if sig.reader.xrefs.hybrid_xrefs_present:
        objection = "hybrid-reference file (an xref table plus xref streams)"
    else:
        try:
            return _integrity_info(sig), ()
        except PdfStrictReadError as exc:
            if not tolerable_objection(exc, analysing=True):
                raise
            objection = str(exc)
    return _integrity_info(ctx.twins.of(sig)), (_lenient_finding(objection),)


def _lenient_finding(objection: str) -> Finding:
    return Finding(
        "pdf.lenient-read",
        f"pyHanko's strict reader refuses this file ({objection}); its revisions were "
        "analysed as ISO 32000 prescribes (hybrid cross-references per 7.5.8.4, undefined "
        "objects as null per 7.3.10), with the full difference analysis",
    )


def _pdf_integrity(
    sig: EmbeddedPdfSignature, ctx: _Context
) -> tuple[_Verdict | None, tuple[Finding, ...]]:
    """Byte-range coverage and modification analysis; (failure or None, warnings)."""
    if ctx.hidden_revision is not None:
        return _fail(SubIndication.FORMAT_FAILURE, "pdf.hidden-revision", ctx.hidden_revision), ()
    for name in {sig.md_algorithm, sig.external_md_algorithm}:
        if not _is_digest(name):
            return _fail(
                SubIndication.FORMAT_FAILURE,
                "cms.format",
                f"the signature names {name!r} as its digest algorithm, which is not one",
            ), ()
    try:
        info, notes = _lenient_integrity(sig, ctx)
    except Exception as exc:  # pyHanko's diff analysis raises many kinds; DocumentError
        return _fail(
            SubIndication.FORMAT_FAILURE,
            "pdf.unreadable-revision",
            f"the signed revision cannot be analysed ({type(exc).__name__}: {exc})",
        ), ()
    coverage = info["coverage"]
    if coverage not in (SignatureCoverageLevel.ENTIRE_REVISION, SignatureCoverageLevel.ENTIRE_FILE):
        return _fail(
            SubIndication.FORMAT_FAILURE,
            "pdf.byte-range",
            "the signature's byte range does not cover its whole revision "
            f"(coverage: {coverage.name if coverage is not None else 'unknown'})",
        ), notes
    diff = info["diff_result"]
    level = diff.modification_level if isinstance(diff, DiffResult) else ModificationLevel.OTHER
    if not info["docmdp_ok"]:
        docmdp = sig.docmdp_level
        allowed = f" (DocMDP permits {docmdp.name})" if docmdp is not None else ""
        detail = "" if isinstance(diff, DiffResult) else f": {diff}"
        # DSS's format-checking building block: FORMAT_FAILURE (the signed bytes are intact)
        return _fail(
            SubIndication.FORMAT_FAILURE,
            "pdf.modified-after-signing",
            f"the document was modified after signing beyond what is allowed{allowed}; "
            f"modification level {level.name}{detail}",
        ), notes
    warnings: tuple[Finding, ...] = notes
    if level not in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        warnings += (
            Finding(
                "pdf.later-changes",
                f"permitted changes were made after signing ({level.name})",
            ),
        )
    return None, warnings


def _is_digest(name: str) -> bool:
    """Whether pyHanko can digest with ``name`` (asn1crypto's name of the algorithm)."""
    try:
        get_pyca_cryptography_hash(name)
    except (AttributeError, TypeError, ValueError):
        return False
    return True


def _is_pkcs7_sha1(sig: EmbeddedPdfSignature) -> bool:
    return bool(sig.sig_object.get("/SubFilter") == PKCS7_SHA1)


def _cms_integrity(sig: EmbeddedPdfSignature) -> _Verdict | None:
    try:
        cert = sig.signer_cert
    except (CMSStructuralError, ValueError, KeyError, IndexError):
        return _fail(
            SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
            "cms.no-signing-certificate",
            "the signing certificate is not in the signature",
        )
    digest: bytes
    if not _is_pkcs7_sha1(sig):
        digest = sig.compute_digest()
    else:
        # the signed content is the SHA-1 digest of the byte range, encapsulated
        content = sig.signed_data["encap_content_info"]["content"]
        encapsulated = content.native
        if not isinstance(encapsulated, bytes):
            return _fail(
                SubIndication.FORMAT_FAILURE,
                "cms.format",
                "an adbe.pkcs7.sha1 signature without the encapsulated digest",
            )
        if encapsulated != sig.compute_digest("sha1"):
            return _fail(
                SubIndication.HASH_FAILURE,
                "cms.digest-mismatch",
                "the signed bytes do not match the SHA-1 digest in the signature: "
                "the document was altered",
            )
        digest = hashlib.new(sig.md_algorithm, encapsulated).digest()
    try:
        intact, valid = validate_sig_integrity(
            sig.signer_info,
            cert,
            expected_content_type="data",
            actual_digest=digest,
            sig_validator=SIGNATURE_VALIDATOR,  # pyHanko's plus BSI plain ECDSA (r || s)
        )
    except Exception as exc:  # structural CMS errors, unsupported algorithms
        return _fail(
            SubIndication.FORMAT_FAILURE,
            "cms.format",
            f"the signature cannot be processed ({type(exc).__name__}: {exc})",
        )
    if not intact:
        return _fail(
            SubIndication.HASH_FAILURE,
            "cms.digest-mismatch",
            "the signed bytes do not match the digest in the signature: the document was altered",
        )
    if not valid:
        return _fail(
            SubIndication.SIG_CRYPTO_FAILURE,
            "cms.bad-signature",
            "the signature value does not verify with the signer's public key",
        )
    return None


# -- document time-stamps ----------------------------------------------------------------------


async def _check(
    token: cms.SignedData, imprint: object, kind: str, ctx: _Context, extra: RevocationMaterial
) -> TimestampCheck:
    p = ctx.profile
    return await check_timestamp(
        token,
        imprint,  # type: ignore[arg-type]
        kind=kind,
        anchors=ctx.tsa_anchors,
        material=merge(ctx.dss, extra),
        require_revocation=p.require_revocation,
        online=p.online,
        budget_seconds=p.path_budget_seconds,
        max_same_subject=p.max_same_subject,
        algorithms=p.algorithms,
    )


async def _document_timestamp(
    sig: EmbeddedPdfSignature, ctx: _Context
) -> tuple[SignatureReport, TimestampCheck | None]:
    failure, warnings = _pdf_integrity(sig, ctx)
    check = await _check(
        sig.signed_data, sig.compute_digest, "document-timestamp", ctx, RevocationMaterial()
    )
    if check.report is None or check.time is None:
        failure = failure or _fail(
            SubIndication.FORMAT_FAILURE, "timestamp.format", "not an RFC 3161 time-stamp token"
        )
        return _report(sig, failure, kind="document-timestamp", warnings=warnings), None
    if failure is None and not check.passed:
        failure = _Verdict(
            check.report.indication, check.report.sub_indication, check.report.reasons
        )
    report = _report(
        sig,
        failure,
        kind="document-timestamp",
        warnings=warnings,
        best=check.time,
        timestamps=(check.report,),
        signer_cert=check.chain.chain[0] if check.chain and check.chain.chain else None,
    )
    return report, (check if failure is None else None)


# -- signatures --------------------------------------------------------------------------------


async def _signature(
    sig: EmbeddedPdfSignature,
    ctx: _Context,
    doc_ts: list[tuple[EmbeddedPdfSignature, TimestampCheck]],
) -> SignatureReport:
    failure, warnings = _pdf_integrity(sig, ctx)
    failure = failure or _cms_integrity(sig)
    if failure is not None:
        return _report(sig, failure, warnings=warnings)
    extra = signature_material(sig)
    signature_value = sig.signer_info["signature"].native

    def sig_imprint(algo: str) -> bytes:
        return hashlib.new(algo, signature_value).digest()

    checks: list[TimestampCheck] = []
    for token in extract_tst_data_iter(sig.signer_info, signed=False):
        checks.append(await _check(token, sig_imprint, "signature-timestamp", ctx, extra))
    content_checks: list[TimestampCheck] = []
    for token in extract_tst_data_iter(sig.signer_info, signed=True):
        content_checks.append(
            await _check(token, sig.compute_digest, "content-timestamp", ctx, extra)
        )
    later = [(s, c) for s, c in doc_ts if s.signed_revision > sig.signed_revision]
    later_doc_ts = [c for _, c in later]
    for c in checks + content_checks:
        if not c.passed:
            warnings += (
                Finding(
                    "timestamp.not-usable",
                    f"a {c.report.kind if c.report else 'time-stamp'} "
                    "could not be validated and gives no proof of existence",
                ),
            )
    # a signature time-stamp is itself proven at the next document time-stamp (or now)
    ts_poe = min([c.time for c in later_doc_ts if c.time], default=ctx.validation_time)
    usable: list[TimestampCheck] = []
    for c in checks:
        if c.passed and c.time:
            crypto = check_algorithms(_timestamp_uses(c, ts_poe), ctx.profile.algorithms)
            warnings += crypto.warnings
            if crypto.passed:
                usable.append(c)
            else:
                warnings += _unusable_timestamp(c, crypto)
    poe = [c.time for c in usable if c.time] + [c.time for c in later_doc_ts if c.time]
    best = min([*poe, ctx.validation_time])
    p = ctx.profile
    chain = await validate_chain(
        sig.signer_cert,
        anchors=ctx.anchors,
        material=merge(ctx.dss, extra),
        control_time=best,
        usage=Usage.SIGNING,
        require_revocation=p.require_revocation,
        online=p.online,
        budget_seconds=p.path_budget_seconds,
        max_same_subject=p.max_same_subject,
        algorithms=p.algorithms,
    )
    warnings += chain.warnings
    verdict = _chain_verdict(chain, best, bool(poe), content_checks)
    if verdict.indication is Indication.TOTAL_PASSED:
        crypto = check_algorithms(_signature_uses(sig, chain, best), p.algorithms)
        warnings += crypto.warnings
        if not crypto.passed:
            assert crypto.sub_indication is not None
            verdict = _Verdict(crypto.indication, crypto.sub_indication, crypto.reasons)
    level = _level(sig, ctx, checks, later, extra)
    qualification = SignatureQualification.NA
    if verdict.indication is Indication.TOTAL_PASSED and chain.chain:
        outcome = ctx.trust.qualify(chain.chain, signing_time=best)
        qualification = outcome.signature
        warnings += outcome.findings
        verdict = _profile_verdict(ctx.profile, level, qualification, chain.chain[0])
    timestamps = tuple(c.report for c in checks + content_checks if c.report is not None)
    return _report(
        sig,
        verdict,
        warnings=warnings,
        best=best,
        level=level,
        qualification=qualification,
        timestamps=timestamps,
        signer_cert=chain.chain[0] if chain.chain else None,
    )


def _signature_uses(
    sig: EmbeddedPdfSignature, chain: ChainOutcome, best: datetime
) -> list[CryptoUse]:
    """The signature value (message digest, signature mechanism, signer's key) and the
    signer's chain, all proven at the best signature time."""
    info = sig.signer_info
    key = key_of(chain.chain[0].public_key()) if chain.chain else None
    digest = str(info["digest_algorithm"]["algorithm"].native)
    uses = [CryptoUse("the signature value", best, digest, key)]
    if _is_pkcs7_sha1(sig):  # the byte range is digested with SHA-1 whatever the signer says
        uses.append(CryptoUse("the document digest (adbe.pkcs7.sha1)", best, "sha1", None))
    mech_digest = signature_digest(info["signature_algorithm"])
    if mech_digest is not None and mech_digest != digest:
        uses.append(CryptoUse("the signature mechanism", best, str(mech_digest), key))
    return uses + certificate_uses(chain.chain, best)


def _timestamp_uses(check: TimestampCheck, poe: datetime) -> list[CryptoUse]:
    if check.token is None:
        return []
    kind = check.report.kind if check.report is not None else "time-stamp"
    chain = check.chain.chain if check.chain is not None else ()
    return timestamp_uses(check.token, chain, poe, kind)


def _unusable_timestamp(check: TimestampCheck, crypto: CryptoCheck) -> tuple[Finding, ...]:
    kind = check.report.kind if check.report is not None else "time-stamp"
    at = f" of {check.time:%Y-%m-%dT%H:%M:%SZ}" if check.time else ""
    return tuple(
        Finding(
            "timestamp.weak-algorithm", f"the {kind}{at} gives no proof of existence: {r.message}"
        )
        for r in crypto.reasons
    )


def _document_timestamp_algorithms(
    doc_ts: list[tuple[EmbeddedPdfSignature, TimestampCheck]],
    reports: list[SignatureReport],
    ctx: _Context,
) -> list[tuple[EmbeddedPdfSignature, TimestampCheck]]:
    """Each document time-stamp's algorithms at its proof of existence: the next document
    time-stamp that passes, or the validation time for the newest. One that fails is reported
    INDETERMINATE and proves nothing."""
    kept: list[tuple[EmbeddedPdfSignature, TimestampCheck]] = []
    for sig, check in sorted(doc_ts, key=lambda x: x[0].signed_revision, reverse=True):
        poe = min([c.time for _, c in kept if c.time], default=ctx.validation_time)
        crypto = check_algorithms(_timestamp_uses(check, poe), ctx.profile.algorithms)
        index = next(
            i
            for i, r in enumerate(reports)
            if r.id == str(sig.field_name) and r.kind == "document-timestamp"
        )
        report = reports[index]
        if crypto.passed:
            kept.append((sig, check))
            reports[index] = replace(report, warnings=report.warnings + crypto.warnings)
        else:
            reports[index] = replace(
                report,
                indication=crypto.indication,
                sub_indication=crypto.sub_indication,
                reasons=crypto.reasons,
                warnings=report.warnings + crypto.warnings,
            )
    return sorted(kept, key=lambda x: x[0].signed_revision)


def _chain_verdict(
    chain: ChainOutcome, best: datetime, proven: bool, content_checks: list[TimestampCheck]
) -> _Verdict:
    """EN 319 102-1 with time: turn the path outcome at the best signature time into a verdict."""
    if chain.passed:
        return _Verdict(Indication.TOTAL_PASSED, None)
    not_before = [c.time for c in content_checks if c.passed and c.time]
    rev = chain.revocation
    if rev is not None and rev.is_end_entity and not_before and max(not_before) >= rev.date:
        return _Verdict(
            Indication.TOTAL_FAILED,
            SubIndication.REVOKED,
            (
                *chain.reasons,
                Finding(
                    "chain.signed-after-revocation",
                    "a content time-stamp proves the signature was made after revocation",
                ),
            ),
        )
    if chain.sub_indication is SubIndication.OUT_OF_BOUNDS_NO_POE and chain.chain:
        leaf = chain.chain[0]
        if best < leaf.not_valid_before_utc:
            # a proof of existence before notBefore: the signature was made with a certificate
            # not yet valid (TOTAL_FAILED); without one, only the validation time is before it
            ind = Indication.TOTAL_FAILED if proven else Indication.INDETERMINATE
            return _Verdict(ind, SubIndication.NOT_YET_VALID, chain.reasons)
        if not_before and max(not_before) > leaf.not_valid_after_utc:
            return _Verdict(Indication.TOTAL_FAILED, SubIndication.EXPIRED, chain.reasons)
    assert chain.sub_indication is not None
    return _Verdict(chain.indication, chain.sub_indication, chain.reasons)


def _profile_verdict(
    profile: ValidationProfile,
    level: SignatureLevel,
    qualification: SignatureQualification,
    signer: x509.Certificate,
) -> _Verdict:
    if not profile.level_reached(level):
        return _fail(
            SubIndication.SIG_CONSTRAINTS_FAILURE,
            "policy.level",
            f"profile {profile.name!r} requires level {profile.minimum_level.value} or higher; "
            f"the signature is {level.value}",
        )
    if profile.require_qualified and not qualification.is_qualified:
        return _fail(
            SubIndication.CHAIN_CONSTRAINTS_FAILURE,
            "policy.not-qualified",
            f"profile {profile.name!r} requires a qualified signature or seal; "
            f"the trust source says {qualification.value}",
        )
    if profile.signer_countries:
        country = _country(signer)
        if country not in profile.signer_countries:
            return _fail(
                SubIndication.CHAIN_CONSTRAINTS_FAILURE,
                "policy.signer-country",
                f"profile {profile.name!r} accepts signers from "
                f"{', '.join(profile.signer_countries)}; the certificate says {country or 'none'}",
            )
    return _Verdict(Indication.TOTAL_PASSED, None)


def _revinfo_embedded_for(cert: Any, material: RevocationMaterial) -> bool:
    """Whether the document embeds an OCSP response or a CRL about the signer's certificate."""
    issuer = cert.issuer
    serial = cert.serial_number
    for crl in material.crls:
        with contextlib.suppress(ValueError, KeyError):
            if crl.issuer == issuer:
                return True
    for response in material.ocsps:
        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
            data = response.basic_ocsp_response["tbs_response_data"]
            if any(r["cert_id"]["serial_number"].native == serial for r in data["responses"]):
                return True
    return False


def _country(cert: x509.Certificate) -> str | None:
    attrs = cert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)
    return str(attrs[0].value).upper() if attrs else None


def _level(
    sig: EmbeddedPdfSignature,
    ctx: _Context,
    checks: list[TimestampCheck],
    later: list[tuple[EmbeddedPdfSignature, TimestampCheck]],
    extra: RevocationMaterial,
) -> SignatureLevel:
    subfilter = sig.sig_object.get("/SubFilter")
    if subfilter != _PADES_SUBFILTER:
        return SignatureLevel.NONE
    if not (any(c.passed for c in checks) or later):
        return SignatureLevel.B_B
    if not _revinfo_embedded_for(sig.signer_cert, merge(ctx.dss, extra)):
        return SignatureLevel.B_T
    # B-LTA: a valid document time-stamp covers a revision that already held the DSS
    if any("/DSS" in ctx.reader.get_historical_root(s.signed_revision) for s, _ in later):
        return SignatureLevel.B_LTA
    return SignatureLevel.B_LT


def _report(
    sig: EmbeddedPdfSignature,
    verdict: _Verdict | None,
    *,
    kind: str = "signature",
    warnings: tuple[Finding, ...] = (),
    best: datetime | None = None,
    level: SignatureLevel = SignatureLevel.NONE,
    qualification: SignatureQualification = SignatureQualification.NA,
    timestamps: tuple[object, ...] = (),
    signer_cert: x509.Certificate | None = None,
) -> SignatureReport:
    verdict = verdict or _Verdict(Indication.TOTAL_PASSED, None)
    if signer_cert is None:
        try:
            signer_cert = to_crypto(sig.signer_cert)
        except Exception:  # no or unreadable certificate: no identity
            signer_cert = None
    claimed = sig.self_reported_timestamp
    if claimed is not None and claimed.tzinfo is None:
        claimed = claimed.replace(tzinfo=UTC)
    return SignatureReport(
        id=str(sig.field_name),
        indication=verdict.indication,
        sub_indication=verdict.sub,
        kind=kind,
        format="PAdES",
        level=level,
        qualification=qualification,
        signer=_identity(signer_cert),
        claimed_signing_time=claimed,
        best_signature_time=best,
        signed_objects=(f"revision {sig.signed_revision}",),
        reasons=verdict.reasons,
        warnings=warnings,
        timestamps=timestamps,  # type: ignore[arg-type]
    )


def _identity(cert: x509.Certificate | None) -> SignerIdentity | None:
    if cert is None:
        return None
    try:
        info = read_certificate(cert.public_bytes(Encoding.DER))
    except CertificateError:
        return None
    return SignerIdentity(
        name=info.holder_name,
        country=info.country,
        issuer=str(info.issuer),
        certificate_sha256=info.sha256,
        national_id=info.national_id,
    )
