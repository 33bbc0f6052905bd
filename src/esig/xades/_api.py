"""The public functions of esig.xades (private module; import from :mod:`esig.xades`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from cryptography import x509
from lxml import etree

from esig.errors import DocumentError, InputError, SigningError
from esig.policy import DEFAULT_PROFILE, ValidationProfile, load_profile
from esig.report import (
    Finding,
    Indication,
    SignatureLevel,
    SignatureReport,
    SubIndication,
    ValidationReport,
)
from esig.validation import as_trust_source
from esig.xades import _xml as X
from esig.xades._props import find_qualifying
from esig.xades._sign import serialize
from esig.xades._types import (
    XML_DEFAULT,
    RevocationData,
    RevocationSource,
    SignedContent,
    Timestamper,
    XmlConstraints,
    XmlVerification,
    level_of,
)
from esig.xades._verify import (
    Context,
    counter_signatures,
    top_level_signatures,
    verify_signature,
)

__all__ = ["extend_xml", "verify_xml", "verify_xml_signed"]


def _profile(profile: ValidationProfile | str | None) -> ValidationProfile:
    if profile is None:
        return DEFAULT_PROFILE
    if isinstance(profile, ValidationProfile):
        return profile
    return load_profile(profile)


def verify_xml_signed(
    document: bytes,
    *,
    trust: object,
    validation_time: datetime,
    profile: ValidationProfile | str | None = None,
    constraints: XmlConstraints = XML_DEFAULT,
    detached_content: Mapping[str, bytes] | None = None,
    revocation: RevocationData | None = None,
    name: str = "document.xml",
) -> XmlVerification:
    """Like :func:`verify_xml`, also returning the signed content of every passed signature.

    Read signed data only from :attr:`XmlVerification.signed` (canonical bytes re-parsed on their
    own), never from the document you passed in: that is the defence against XML signature
    wrapping, where an attacker adds unsigned content next to signed content.
    """
    if validation_time.tzinfo is None:
        raise InputError("validation_time must be timezone-aware")
    when = validation_time.astimezone(UTC)
    source = as_trust_source(trust)
    prof = _profile(profile)
    tree = X.parse(document, what=name)
    ctx = Context(
        tree=tree,
        trust=source,
        validation_time=when,
        profile=prof,
        constraints=constraints,
        external=dict(detached_content or {}),
        extra=revocation or RevocationData(),
    )
    reports: list[SignatureReport] = []
    signed: list[SignedContent] = []
    try:
        todo: list[tuple[etree._Element, etree._Element | None]] = [
            (sig, None) for sig in top_level_signatures(tree.getroot())
        ]
        while todo:
            sig, parent = todo.pop(0)
            todo.extend((cs, sig) for cs in counter_signatures(sig))
            try:
                report, content = verify_signature(ctx, sig, parent)
            except DocumentError as exc:
                report = SignatureReport(
                    id=sig.get("Id") or X.path_of(sig),
                    kind="signature" if parent is None else "counter-signature",
                    format="XAdES",
                    indication=Indication.TOTAL_FAILED,
                    sub_indication=SubIndication.FORMAT_FAILURE,
                    best_signature_time=when,
                    reasons=(Finding("xml.malformed-signature", str(exc)),),
                )
                content = ()
            reports.append(report)
            signed.extend(content)
    except (etree.LxmlError, UnicodeError) as exc:
        raise DocumentError(f"{name}: cannot process the XML: {exc}") from exc
    warnings: tuple[Finding, ...] = ()
    if not reports:
        warnings = (Finding("xml.no-signature", "the document contains no ds:Signature"),)
    result = ValidationReport(
        document_name=name,
        document_sha256=hashlib.sha256(bytes(document)).hexdigest(),
        document_format="XAdES",
        validation_time=when,
        profile=f"{prof.name}+{constraints.name}",
        signatures=tuple(reports),
        warnings=warnings,
    )
    return XmlVerification(result, tuple(signed))


def verify_xml(
    document: bytes,
    *,
    trust: object,
    validation_time: datetime,
    profile: ValidationProfile | str | None = None,
    constraints: XmlConstraints = XML_DEFAULT,
    detached_content: Mapping[str, bytes] | None = None,
    revocation: RevocationData | None = None,
    name: str = "document.xml",
) -> ValidationReport:
    """Verify every top-level XML signature of ``document`` at ``validation_time``.

    :param trust: a :class:`~esig.trust.source.TrustSource` or a list of anchor certificates.
    :param validation_time: timezone-aware; recorded in the report. Nothing is fetched: the
        verdict uses the data embedded in the signature plus ``revocation``.
    :param profile: generic constraints (:class:`~esig.policy.ValidationProfile` or a bundled
        profile name): revocation required, minimum level, path budget.
    :param constraints: XML constraints: signature location, legacy Turkish quirks, SHA-1.
    :param detached_content: bytes of documents a detached signature references, by URI.
    :param revocation: extra OCSP responses, CRLs and certificates (e.g. fetched by the caller).
    :raises DocumentError: the input is not acceptable XML (malformed, DOCTYPE, entities,
        XInclude). Bad signatures are verdicts, never exceptions.
    """
    return verify_xml_signed(
        document,
        trust=trust,
        validation_time=validation_time,
        profile=profile,
        constraints=constraints,
        detached_content=detached_content,
        revocation=revocation,
        name=name,
    ).report


def extend_xml(
    signed: bytes,
    level: SignatureLevel | str,
    *,
    timestamper: Timestamper,
    revocation: RevocationSource | None = None,
    certificates: Sequence[x509.Certificate] = (),
    signature_id: str | None = None,
    detached_content: Mapping[str, bytes] | None = None,
) -> bytes:
    """Raise the level of the XAdES signatures in ``signed`` to ``level`` and return the XML.

    Adds only what is missing (see :mod:`esig.xades._extend` for the exact elements); asking for
    B-LTA on a B-LTA signature adds a new archive time-stamp (renewal) after the validation data
    of the previous one. ``signature_id`` selects one signature (default: all top-level XAdES
    signatures). ``certificates`` helps find issuers (the signer's and TSAs' chains).
    ``detached_content`` gives a detached signature's documents by URI (B-LTA needs them).
    The signature is not validated first: verify before extending.

    :raises DocumentError: ``signed`` is not acceptable XML.
    :raises SigningError: no XAdES signature, missing timestamper/revocation, service failure.
    """
    from esig.xades._extend import extend_signature

    target = level_of(level)
    if target is SignatureLevel.B_B:
        raise SigningError("extend_xml raises a level: use B-T, B-LT or B-LTA")
    tree = X.parse(signed, what="signed document")
    chosen = [
        s
        for s in top_level_signatures(tree.getroot())
        if find_qualifying(s)[0] is not None
        and (signature_id is None or s.get("Id") == signature_id)
    ]
    if not chosen:
        raise SigningError(
            "no XAdES signature to extend" + (f" with Id {signature_id!r}" if signature_id else "")
        )
    try:
        for sig in chosen:
            extend_signature(
                tree,
                sig,
                target,
                timestamper=timestamper,
                revocation=revocation,
                certificates=tuple(certificates),
                external=detached_content,
            )
    except (etree.LxmlError, UnicodeError) as exc:
        raise DocumentError(f"cannot process the signed document: {exc}") from exc
    return serialize(tree)
