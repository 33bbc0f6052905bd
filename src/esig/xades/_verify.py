"""Verifying XML signatures: XML-DSig core, XAdES properties, time-stamps, chain (private).

The order follows ETSI EN 319 102-1: format and location checks, identification of the signing
certificate (5.2.3), cryptographic verification (5.2.7: references, then the signature value),
time-stamps as proof of existence (5.6), X.509 validation at the best signature time (5.2.6,
through :mod:`esig.validation.chain`), the profile's algorithm policy at each element's proof of
existence (5.2.8, through :mod:`esig.validation.crypto`: the signature, its references and chain
at the best signature time, each time-stamp at the next archive time-stamp or the validation
time), then the profile's constraints and qualification.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from esig.errors import CertificateError, DocumentError
from esig.policy import ValidationProfile
from esig.policy.algorithms import AlgorithmPolicy
from esig.report import (
    Finding,
    Indication,
    SignatureLevel,
    SignatureReport,
    SignerIdentity,
    SubIndication,
    TimestampReport,
)
from esig.trust.source import QualificationOutcome, TrustSource
from esig.validation.crypto import (
    CryptoUse,
    certificate_uses,
    check_algorithms,
    key_of,
    timestamp_uses,
)
from esig.xades import _xml as X
from esig.xades._chain import Usage, material, run_chain
from esig.xades._core import SIGNATURE_METHODS, ReferenceResult, verify_core
from esig.xades._extend import archive_input, signature_timestamp_input
from esig.xades._props import Properties, find_qualifying, read_properties
from esig.xades._qualify import qualification
from esig.xades._tsp import check_token
from esig.xades._types import (
    LegacyMode,
    RevocationData,
    SignatureLocation,
    SignedContent,
    XmlConstraints,
    level_rank,
)

_CONSTRAINT_CODES = {
    "xml.transform-refused",
    "xml.external-reference",
    "xml.reference-xpointer",
    "xml.transform-unsupported",
    "xml.reference-without-uri",
    "xml.digest-algorithm",
}


@dataclass(frozen=True)
class Context:
    tree: etree._ElementTree
    trust: TrustSource
    validation_time: datetime
    profile: ValidationProfile
    constraints: XmlConstraints
    external: Mapping[str, bytes]
    extra: RevocationData


@dataclass
class _State:
    """Mutable working state for one signature (turned into a frozen report at the end)."""

    reasons: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    verdict: tuple[Indication, SubIndication] | None = None

    def fail(self, indication: Indication, sub: SubIndication, finding: Finding) -> None:
        self.reasons.append(finding)
        if self.verdict is None:
            self.verdict = (indication, sub)


def top_level_signatures(root: etree._Element) -> list[etree._Element]:
    """Every ds:Signature not nested in another one (counter-signatures are not separate)."""
    out = []
    for sig in root.iter(f"{{{X.DS}}}Signature"):
        parent = sig.getparent()
        nested = False
        while parent is not None:
            if parent.tag == f"{{{X.DS}}}Signature":
                nested = True
                break
            parent = parent.getparent()
        if not nested:
            out.append(sig)
    return out


def _location_problem(
    sig: etree._Element, root: etree._Element, where: SignatureLocation
) -> Finding | None:
    parent = sig.getparent()
    if where is SignatureLocation.ROOT:
        if sig is root or parent is root:
            return None
        return Finding(
            "xml.signature-location",
            f"the signature is at {X.path_of(sig)}; this profile accepts it only as the root "
            "or a child of the root",
        )
    ext = f"{{{X.UBL_EXT}}}"
    content = root.find(f"{ext}UBLExtensions/{ext}UBLExtension/{ext}ExtensionContent")
    if content is None or parent is not content:
        return Finding(
            "xml.signature-location",
            f"the signature is at {X.path_of(sig)}, not in the first "
            "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent",
        )
    return None


def _ubl_reference_warning(sig: etree._Element, root: etree._Element) -> Finding | None:
    uri = root.findtext(
        f"{{{X.UBL_CAC}}}Signature/{{{X.UBL_CAC}}}DigitalSignatureAttachment/"
        f"{{{X.UBL_CAC}}}ExternalReference/{{{X.UBL_CBC}}}URI"
    )
    if uri is None:
        return None
    if uri.strip() != f"#{sig.get('Id')}":
        return Finding(
            "ubl.signature-reference-mismatch",
            f"cac:Signature points to {uri.strip()!r}, the signature's Id is {sig.get('Id')!r}",
        )
    return None


def _certs_in(sig: etree._Element, props: Properties) -> list[x509.Certificate]:
    """KeyInfo certificates, then CertificateValues; unreadable ones are skipped."""
    raw: list[bytes] = []
    for el in X.findall(sig, "ds:KeyInfo/ds:X509Data/ds:X509Certificate"):
        try:
            raw.append(X.b64(el, "X509Certificate"))
        except DocumentError:
            continue
    out: list[x509.Certificate] = []
    for der in [*raw, *props.certificate_values]:
        try:
            out.append(x509.load_der_x509_certificate(der))
        except ValueError:
            continue
    return out


def _signing_certificate(
    certs: Sequence[x509.Certificate], props: Properties, state: _State
) -> x509.Certificate | None:
    """EN 319 102-1 5.2.3: the certificate the signed SigningCertificate(V2) digest names."""
    if not props.cert_refs:
        return certs[0] if certs else None
    for cert in certs:
        der = cert.public_bytes(Encoding.DER)
        for ref in props.cert_refs:
            if ref.algorithm in X.DIGESTS and X.digest(der, ref.algorithm) == ref.value:
                return cert
    return None


def _legacy(ctx: Context, state: _State, finding: Finding) -> None:
    if ctx.constraints.legacy is LegacyMode.STRICT:
        state.fail(Indication.INDETERMINATE, SubIndication.SIG_CONSTRAINTS_FAILURE, finding)
    else:
        state.warnings.append(finding)


def _check_signed_properties(
    ctx: Context, refs: Sequence[ReferenceResult], props: Properties, state: _State
) -> bool:
    """Is SignedProperties covered by a reference with the right Type? Returns covered."""
    sp = props.signed_properties
    if sp is None:
        return False
    covering = [r for r in refs if r.target is sp]
    if not covering:
        _legacy(
            ctx,
            state,
            Finding(
                "xades.legacy-tr-missing-signedproperties-reference",
                "no ds:Reference covers xades:SignedProperties: SigningTime and "
                "SigningCertificate are not protected by the signature (legacy Turkish signers)",
            ),
        )
        return ctx.constraints.legacy is LegacyMode.LENIENT
    rtype = covering[0].type
    if rtype == X.SIGNED_PROPERTIES_TYPE:
        return True
    if rtype == X.LEGACY_TR_SIGNED_PROPERTIES_TYPE:
        _legacy(
            ctx,
            state,
            Finding(
                "xades.legacy-tr-signedproperties-type",
                f"the SignedProperties reference has Type {rtype!r} instead of "
                f"{X.SIGNED_PROPERTIES_TYPE!r} (legacy Turkish signers)",
            ),
        )
        return True
    state.fail(
        Indication.INDETERMINATE,
        SubIndication.SIG_CONSTRAINTS_FAILURE,
        Finding(
            "xades.signedproperties-type",
            f"the SignedProperties reference has Type {rtype!r}, not {X.SIGNED_PROPERTIES_TYPE!r}",
        ),
    )
    return True


def _timestamps(
    ctx: Context,
    sig: etree._Element,
    props: Properties,
    pool: RevocationData,
    state: _State,
) -> tuple[list[TimestampReport], list[datetime]]:
    reports: list[TimestampReport] = []
    proven: list[tuple[int, str, datetime, bytes, tuple[x509.Certificate, ...]]] = []
    anchors = ctx.trust.anchors(ctx.validation_time)
    for ts in props.timestamps:
        try:
            if ts.kind == "signature-timestamp":
                data = signature_timestamp_input(sig, ts.c14n_method)
            else:
                data = archive_input(
                    ctx.tree, sig, ts.element, ts.c14n_method, external=ctx.external
                )
        except DocumentError as exc:
            state.warnings.append(Finding("tsp.input", f"{ts.kind}: {exc}"))
            continue
        check = check_token(ts.token, data)
        when = check.gen_time or ctx.validation_time
        tsa_name = None if check.tsa_cert is None else check.tsa_cert.subject.rfc4514_string()
        if not check.intact:
            sub = (
                SubIndication.HASH_FAILURE
                if not check.imprint_ok
                else SubIndication.SIG_CRYPTO_FAILURE
            )
            reason = check.problem or Finding(
                "tsp.imprint" if not check.imprint_ok else "tsp.signature",
                f"the {ts.kind} does not match the signature"
                if not check.imprint_ok
                else f"the {ts.kind}'s TSA signature does not verify",
            )
            if check.problem is not None:
                sub = SubIndication.FORMAT_FAILURE
            reports.append(
                TimestampReport(
                    ts.kind, when, Indication.TOTAL_FAILED, sub, tsa_name, reasons=(reason,)
                )
            )
            state.warnings.append(Finding("tsp.failed", f"{ts.kind} ignored: {reason.message}"))
            continue
        assert check.tsa_cert is not None
        mat, _ = material([*pool.certificates, *check.certificates], pool.crls, pool.ocsp_responses)
        outcome = run_chain(
            check.tsa_cert,
            anchors=anchors,
            material=mat,
            control_time=when,
            usage=Usage.TIMESTAMPING,
            require_revocation=ctx.profile.require_revocation,
            budget_seconds=ctx.profile.path_budget_seconds,
            max_same_subject=ctx.profile.max_same_subject,
            algorithms=_algorithms(ctx),
        )
        reports.append(
            TimestampReport(
                ts.kind,
                when,
                outcome.indication,
                outcome.sub_indication,
                tsa_name,
                reasons=outcome.reasons,
            )
        )
        if outcome.passed:
            proven.append((len(reports) - 1, ts.kind, when, ts.token, outcome.chain))
        else:
            state.warnings.append(
                Finding(
                    "tsp.untrusted",
                    f"{ts.kind} at {when:%Y-%m-%dT%H:%M:%SZ} gives no proof "
                    f"of existence: {outcome.sub_indication}",
                )
            )
    return reports, _timestamp_algorithms(ctx, reports, proven, state)


def _timestamp_algorithms(
    ctx: Context,
    reports: list[TimestampReport],
    proven: list[tuple[int, str, datetime, bytes, tuple[x509.Certificate, ...]]],
    state: _State,
) -> list[datetime]:
    """Each trusted time-stamp's algorithms at its own proof of existence: the earliest later
    archive time-stamp that passes, else the validation time. Returns the times that prove."""
    kept: list[tuple[str, datetime]] = []
    for index, kind, when, token, chain in sorted(proven, key=lambda p: p[2], reverse=True):
        later = [t for k, t in kept if k == "archive-timestamp" and t > when]
        poe = min(later, default=ctx.validation_time)
        try:
            signed_data = cms.ContentInfo.load(token)["content"]
            uses = timestamp_uses(signed_data, chain, poe, kind)
        except (ValueError, KeyError, TypeError):
            uses = []
        crypto = check_algorithms(uses, _algorithms(ctx))
        state.warnings.extend(crypto.warnings)
        if crypto.passed:
            kept.append((kind, when))
            continue
        reports[index] = replace(
            reports[index],
            indication=crypto.indication,
            sub_indication=crypto.sub_indication,
            reasons=crypto.reasons,
        )
        state.warnings.extend(
            Finding(
                "tsp.weak-algorithm",
                f"{kind} at {when:%Y-%m-%dT%H:%M:%SZ} gives no proof of existence: {r.message}",
            )
            for r in crypto.reasons
        )
    return [t for _, t in kept]


def _algorithms(ctx: Context) -> AlgorithmPolicy:
    """The profile's algorithm policy; ``XmlConstraints.allow_sha1`` keeps SHA-1 acceptable."""
    policy = ctx.profile.algorithms
    if ctx.constraints.allow_sha1:
        policy = policy.with_end_dates({"sha1": datetime.max.replace(tzinfo=UTC)})
    return policy


def _signature_uses(
    sig: etree._Element,
    cert: x509.Certificate,
    method: str,
    chain: Sequence[x509.Certificate],
    best: datetime,
) -> list[CryptoUse]:
    """The signature value, every reference digest and the signer's chain, proven at
    ``best``."""
    key = key_of(cert.public_key())
    hname = SIGNATURE_METHODS[method][1] if method in SIGNATURE_METHODS else None
    uses = [CryptoUse("the signature value", best, hname, key)]
    for i, dm in enumerate(X.findall(sig, "ds:SignedInfo/ds:Reference/ds:DigestMethod")):
        name = X.DIGESTS.get(dm.get("Algorithm") or "")
        if name is not None:
            uses.append(CryptoUse(f"reference {i}", best, name))
    return uses + certificate_uses(chain, best)


def counter_signatures(sig: etree._Element) -> list[etree._Element]:
    """The ds:Signature elements of ``sig``'s xades:CounterSignature properties."""
    out: list[etree._Element] = []
    qp, _ = find_qualifying(sig)
    if qp is None:
        return out
    ns = etree.QName(qp).namespace
    for up in qp.iterchildren(f"{{{ns}}}UnsignedProperties"):
        for usp in up.iterchildren(f"{{{ns}}}UnsignedSignatureProperties"):
            for cs in usp.iterchildren(f"{{{ns}}}CounterSignature"):
                out.extend(cs.iterchildren(f"{{{X.DS}}}Signature"))
    return out


def _countersigned(refs: Sequence[ReferenceResult], parent: etree._Element, state: _State) -> None:
    """A counter-signature must cover its parent's ds:SignatureValue (EN 319 132-1 5.2.7)."""
    value = X.find(parent, "ds:SignatureValue")
    if not any(r.target is value and value is not None for r in refs):
        state.fail(
            Indication.INDETERMINATE,
            SubIndication.SIG_CONSTRAINTS_FAILURE,
            Finding(
                "xades.countersignature-target",
                "the counter-signature does not cover the countersigned ds:SignatureValue",
            ),
        )


def verify_signature(
    ctx: Context, sig: etree._Element, parent: etree._Element | None = None
) -> tuple[SignatureReport, tuple[SignedContent, ...]]:
    """Validate ``sig``; ``parent`` is the countersigned signature for a counter-signature."""
    root = ctx.tree.getroot()
    sig_id = sig.get("Id") or X.path_of(sig)
    state = _State()
    loc = None if parent is not None else _location_problem(sig, root, ctx.constraints.location)
    if loc is not None:
        state.fail(Indication.INDETERMINATE, SubIndication.SIG_CONSTRAINTS_FAILURE, loc)
    if parent is None and ctx.constraints.location is SignatureLocation.UBL_EXTENSION:
        warn = _ubl_reference_warning(sig, root)
        if warn is not None:
            state.warnings.append(warn)
    props = read_properties(sig)
    for problem in props.problems:
        if problem.code == "xades.target-mismatch":
            _legacy(ctx, state, problem)
        else:
            state.warnings.append(problem)
    certs = _certs_in(sig, props)
    cert = _signing_certificate(certs, props, state)
    base: dict[str, object] = {
        "id": sig_id,
        "kind": "signature" if parent is None else "counter-signature",
        "format": "XAdES",
        "claimed_signing_time": props.signing_time,
    }
    if cert is None:
        msg = (
            "no certificate in the signature matches the signed SigningCertificate digest"
            if props.cert_refs
            else "the signature carries no X.509 certificate"
        )
        state.fail(
            Indication.INDETERMINATE,
            SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
            Finding("xades.signing-certificate", msg),
        )
        return _report(state, base, ctx.validation_time), ()
    # SHA-1 is judged by the algorithm policy at the proof of existence, below
    core = verify_core(ctx.tree, sig, cert, external=ctx.external, allow_sha1=True)
    signed_objects = tuple(r.description for r in core.references)
    base["signed_objects"] = signed_objects
    _core_verdict(core.references, core.signature_ok, core.problems, state)
    if parent is not None:
        _countersigned(core.references, parent, state)
    sp_covered = _check_signed_properties(ctx, core.references, props, state)
    if not props.cert_refs:
        key_info = X.find(sig, "ds:KeyInfo")
        if key_info is None or not any(r.target is key_info for r in core.references):
            state.fail(
                Indication.INDETERMINATE,
                SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
                Finding(
                    "xades.signing-certificate-unbound",
                    "neither a signed SigningCertificate(V2) nor a signed KeyInfo binds the "
                    "signing certificate to the signature",
                ),
            )
    level = props.level(sp_covered)
    base["level"] = level
    base["signer"] = _identity(cert)
    if state.verdict is not None and state.verdict[0] is Indication.TOTAL_FAILED:
        return _report(state, base, ctx.validation_time), ()
    pool = RevocationData(
        ocsp_responses=props.ocsp_values + ctx.extra.ocsp_responses,
        crls=props.crl_values + ctx.extra.crls,
        certificates=tuple(certs) + ctx.extra.certificates,
    )
    ts_reports, poe = _timestamps(ctx, sig, props, pool, state)
    base["timestamps"] = tuple(ts_reports)
    sig_ts = [
        t.time
        for t in ts_reports
        if t.kind == "signature-timestamp" and t.indication is Indication.TOTAL_PASSED
    ]
    if props.signing_time is not None and sig_ts and props.signing_time > min(sig_ts):
        state.fail(
            Indication.INDETERMINATE,
            SubIndication.TIMESTAMP_ORDER_FAILURE,
            Finding(
                "xades.signing-time-after-timestamp",
                "the claimed signing time is after the signature time-stamp",
            ),
        )
    best = min(poe) if poe else ctx.validation_time
    base["best_signature_time"] = best
    mat, bad = material(pool.certificates, pool.crls, pool.ocsp_responses)
    state.warnings.extend(bad)
    outcome = run_chain(
        cert,
        anchors=ctx.trust.anchors(ctx.validation_time),
        material=mat,
        control_time=best,
        usage=Usage.SIGNING,
        require_revocation=ctx.profile.require_revocation,
        budget_seconds=ctx.profile.path_budget_seconds,
        max_same_subject=ctx.profile.max_same_subject,
        algorithms=_algorithms(ctx),
    )
    state.warnings.extend(outcome.warnings)
    if outcome.passed and state.verdict is None:
        uses = _signature_uses(sig, cert, core.signature_method, outcome.chain, best)
        crypto = check_algorithms(uses, _algorithms(ctx))
        state.warnings.extend(crypto.warnings)
        for reason in crypto.reasons:
            assert crypto.sub_indication is not None
            state.fail(crypto.indication, crypto.sub_indication, reason)
    if not outcome.passed:
        assert outcome.sub_indication is not None
        for reason in outcome.reasons:
            state.fail(outcome.indication, outcome.sub_indication, reason)
        if not outcome.reasons:
            state.fail(
                outcome.indication,
                outcome.sub_indication,
                Finding("chain.failed", "chain validation failed"),
            )
    elif poe:
        state.warnings.append(
            Finding(
                "chain.validated-at-poe",
                f"certificate chain validated at the proof of existence {best:%Y-%m-%dT%H:%M:%SZ}",
            )
        )
    if state.verdict is None and level_rank(level) < level_rank(ctx.profile.minimum_level):
        state.fail(
            Indication.INDETERMINATE,
            SubIndication.SIG_CONSTRAINTS_FAILURE,
            Finding(
                "policy.level",
                f"level {level.value} is below the required {ctx.profile.minimum_level.value}",
            ),
        )
    qualified = ctx.trust.qualify(outcome.chain or (cert,), signing_time=best)
    _profile_checks(ctx, cert, qualified, state)
    indication = Indication.TOTAL_PASSED if state.verdict is None else state.verdict[0]
    base["qualification"], notes = qualification(qualified, indication)
    state.warnings.extend(notes)
    report = _report(state, base, ctx.validation_time)
    signed: tuple[SignedContent, ...] = ()
    if report.passed:
        signed = tuple(SignedContent(sig_id, r.uri, r.description, r.data) for r in core.references)
    return report, signed


def _profile_checks(
    ctx: Context, cert: x509.Certificate, qualified: QualificationOutcome, state: _State
) -> None:
    """The profile's qualification and signer-country requirements (as PAdES applies them)."""
    if state.verdict is not None:
        return
    profile = ctx.profile
    if profile.require_qualified and not qualified.signature.is_qualified:
        state.fail(
            Indication.INDETERMINATE,
            SubIndication.CHAIN_CONSTRAINTS_FAILURE,
            Finding(
                "policy.not-qualified",
                f"profile {profile.name!r} requires a qualified signature or seal; "
                f"the trust source says {qualified.signature.value}",
            ),
        )
    elif profile.signer_countries:
        attrs = cert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)
        country = str(attrs[0].value).upper() if attrs else None
        if country not in profile.signer_countries:
            state.fail(
                Indication.INDETERMINATE,
                SubIndication.CHAIN_CONSTRAINTS_FAILURE,
                Finding(
                    "policy.signer-country",
                    f"profile {profile.name!r} accepts signers from "
                    f"{', '.join(profile.signer_countries)}; the certificate says "
                    f"{country or 'none'}",
                ),
            )


def _core_verdict(
    refs: Sequence[ReferenceResult], signature_ok: bool, problems: Sequence[Finding], state: _State
) -> None:
    for ref in refs:
        if ref.problem is None:
            continue
        if ref.problem.code == "xml.reference-not-found":
            state.fail(Indication.INDETERMINATE, SubIndication.SIGNED_DATA_NOT_FOUND, ref.problem)
        elif ref.problem.code == "xml.ambiguous-id":
            state.fail(Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE, ref.problem)
        elif ref.problem.code == "xml.weak-algorithm":
            state.fail(
                Indication.INDETERMINATE,
                SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
                ref.problem,
            )
        else:
            state.fail(Indication.INDETERMINATE, SubIndication.SIG_CONSTRAINTS_FAILURE, ref.problem)
    bad = [r for r in refs if r.problem is None and not r.digest_ok]
    for ref in bad:
        finding = Finding(
            "xml.digest-mismatch",
            f"the digest of reference {ref.index} ({ref.description}) does not match: "
            "the signed data was changed",
        )
        _first(state, Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE, finding)
    if not signature_ok:
        finding = Finding(
            "xml.signature-value",
            "the signature value does not verify with the signing certificate's key",
        )
        _first(state, Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE, finding)
    for problem in problems:
        state.fail(
            Indication.INDETERMINATE, SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE, problem
        )


def _first(state: _State, indication: Indication, sub: SubIndication, finding: Finding) -> None:
    """TOTAL_FAILED outranks an earlier INDETERMINATE (a changed document is failed)."""
    state.reasons.append(finding)
    if state.verdict is None or state.verdict[0] is not Indication.TOTAL_FAILED:
        state.verdict = (indication, sub)


def _identity(cert: x509.Certificate) -> SignerIdentity | None:
    from esig.certs import read_certificate

    der = cert.public_bytes(Encoding.DER)
    try:
        info = read_certificate(der)
    except CertificateError:
        return SignerIdentity(
            name=cert.subject.rfc4514_string(),
            country=None,
            issuer=cert.issuer.rfc4514_string(),
            certificate_sha256=hashlib.sha256(der).hexdigest(),
        )
    return SignerIdentity(
        name=info.holder_name,
        country=info.country,
        issuer=str(info.issuer),
        certificate_sha256=info.sha256,
        national_id=info.national_id,
    )


def _report(state: _State, base: dict[str, object], validation_time: datetime) -> SignatureReport:
    indication, sub = (
        state.verdict if state.verdict is not None else (Indication.TOTAL_PASSED, None)
    )
    base.setdefault("best_signature_time", validation_time)
    base.setdefault("level", SignatureLevel.NONE)
    return SignatureReport(
        indication=indication,
        sub_indication=sub,
        reasons=tuple(state.reasons) if sub is not None else (),
        warnings=tuple(state.warnings),
        **base,  # type: ignore[arg-type]
    )
