"""Verify a trusted list's signature against pinned certificates and decide whether it is usable.

:func:`verify_trusted_list` is the safe way in: it checks the enveloped XML signature with each
pinned certificate (the ``ServiceDigitalIdentities`` of the pointing LOTL, or the certificates the
Official Journal publishes for the LOTL) and builds the :class:`~esig.trust.model.TrustedList`
**only** from the bytes the signature covers, re-parsed from their canonical form. Content outside
the signed scope (XML signature wrapping) never reaches the model.

Findings (``VerifiedList.reasons`` make a list unusable; ``warnings`` never do):

=============================  =================================================================
code                           meaning
=============================  =================================================================
tl.unsigned                    no ``ds:Signature`` in the document
tl.signature-scope             not exactly one signature as a child of the root, or a reference
                               other than the whole document (URI ``""`` or ``#<root Id>``) and
                               the XAdES SignedProperties, or a transform other than enveloped
                               and canonicalisation, or a reference to an ``Id`` that more than
                               one element carries (signature wrapping)
tl.signature-invalid           the signature value or a reference digest does not verify
tl.unexpected-signer           the signature verifies, but with none of the pinned certificates
tl.signing-certificate-mismatch  XAdES SigningCertificate names a certificate whose key is not
                               the pinned one
tl.weak-algorithm              SHA-1 in the signature or a digest (a warning when
                               ``TrustListPolicy.allow_sha1``)
tl.signer-certificate-expired  validation time outside the pinned certificate's validity (a
                               warning when ``allow_expired_signer``)
tl.unsupported-version         ``TSLVersionIdentifier`` not in ``accepted_versions``
tl.not-yet-issued              ``ListIssueDateTime`` after the validation time
tl.expired                     ``NextUpdate`` before the validation time (a warning when
                               ``allow_expired``)
tl.closed (warning)            no ``NextUpdate``: the scheme operator closed the list
tl.not-xades (warning)         plain XML-DSig without XAdES SignedProperties
tl.signer-certificate-differs  (warning) KeyInfo or SigningCertificate holds another certificate
                               with the pinned certificate's key (a re-issued signer certificate)
=============================  =================================================================

SHA-1: old lists (2009–2013) are signed with rsa-sha1. The default policy refuses them
(``tl.weak-algorithm``); :data:`LEGACY_TRUST_LIST_POLICY` accepts them with a warning, for reading
historical lists only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from lxml import etree

from esig.errors import CertificateError, ConfigurationError, InputError, TrustListError
from esig.report import Finding
from esig.trust._verified import ACTIVE_RECORDS, SignatureCore
from esig.trust._xml import hardened_parser, parse_base64, parse_document, text_of, tsl
from esig.trust.model import SignatureSummary, TrustedList
from esig.trust.parse import list_from_element, signature_summary
from esig.trust.uris import NS_DS, NS_XADES

__all__ = [
    "LEGACY_TRUST_LIST_POLICY",
    "STRICT_TRUST_LIST_POLICY",
    "TrustListPolicy",
    "VerifiedList",
    "verify_trusted_list",
]

_DS = f"{{{NS_DS}}}"
_XADES = f"{{{NS_XADES}}}"
_ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
_C14N = frozenset(
    {
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
        "http://www.w3.org/2006/12/xml-c14n11",
        "http://www.w3.org/2006/12/xml-c14n11#WithComments",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    }
)
_ID_ATTRS = frozenset({"Id", "ID", "id"})
_SHA1_URIS = frozenset(
    {
        "http://www.w3.org/2000/09/xmldsig#sha1",
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
        "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
    }
)
_DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmldsig-more#sha224": "sha224",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-256": "sha3_256",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-384": "sha3_384",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-512": "sha3_512",
}


@dataclass(frozen=True)
class TrustListPolicy:
    """What :func:`verify_trusted_list` accepts. The defaults are strict; each relaxation is named.

    ``accepted_versions``: TSLVersionIdentifier values accepted (5 and 6: TS 119 612 v2.x; v6 is
    mandatory for EU lists from 2026-04-28). ``allow_expired``: a NextUpdate in the past is a
    warning, not a reason. ``allow_expired_signer``: a pinned certificate outside its validity
    period at the validation time is a warning. ``allow_sha1``: SHA-1 in the signature is a warning.
    """

    accepted_versions: frozenset[int] = frozenset({5, 6})
    allow_expired: bool = False
    allow_expired_signer: bool = False
    allow_sha1: bool = False


#: The default policy.
STRICT_TRUST_LIST_POLICY = TrustListPolicy()
#: For reading archived lists: any version from 2, SHA-1, expired lists and signers (warnings).
LEGACY_TRUST_LIST_POLICY = TrustListPolicy(
    accepted_versions=frozenset({2, 3, 4, 5, 6}),
    allow_expired=True,
    allow_expired_signer=True,
    allow_sha1=True,
)


@dataclass(frozen=True)
class VerifiedList:
    """The outcome of :func:`verify_trusted_list`.

    ``trusted_list`` is built only from signed content, and only when the signature verified with
    a pinned certificate; it is None otherwise. ``usable`` is True exactly when ``reasons`` is
    empty. ``signer_certificate`` is the pinned certificate (DER) whose key verified the signature.
    """

    usable: bool
    trusted_list: TrustedList | None
    reasons: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    validation_time: datetime
    signer_certificate: bytes | None = None
    signature: SignatureSummary = field(default_factory=lambda: SignatureSummary(present=False))


class _Outcome:
    def __init__(self) -> None:
        self.reasons: list[Finding] = []
        self.warnings: list[Finding] = []

    def fail(self, code: str, message: str) -> None:
        self.reasons.append(Finding(code, message))

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(Finding(code, message))

    def either(self, allowed: bool, code: str, message: str) -> None:
        (self.warn if allowed else self.fail)(code, message)


def verify_trusted_list(
    xml_bytes: bytes,
    *,
    signing_certificates: Sequence[bytes],
    validation_time: datetime,
    policy: TrustListPolicy = STRICT_TRUST_LIST_POLICY,
) -> VerifiedList:
    """Verify a trusted list against pinned signer certificates (DER) at ``validation_time``.

    An unsigned, tampered, wrongly signed, expired or otherwise unusable list is a verdict
    (``usable=False`` with reasons), never an exception. Raises
    :class:`~esig.errors.TrustListError` for bytes that are not a well-formed, DTD-free
    ``TrustServiceStatusList`` (or whose signed content is not one),
    :class:`~esig.errors.CertificateError` for an unreadable pinned certificate and
    :class:`~esig.errors.ConfigurationError` when no certificate is pinned.
    """
    if validation_time.tzinfo is None:
        raise InputError("validation_time must be timezone-aware")
    out = _Outcome()
    pinned = _load_pinned(signing_certificates, out)
    cached = _from_record(bytes(xml_bytes), pinned, validation_time, policy, out)
    if cached is not None:
        return cached
    try:
        root = parse_document(xml_bytes)
        if root.tag != tsl("TrustServiceStatusList"):
            raise TrustListError(f"the root element is {root.tag!r}, not a TrustServiceStatusList")
        summary = signature_summary(root)
        return _verify(bytes(xml_bytes), root, summary, pinned, validation_time, policy, out)
    except TrustListError:
        raise
    except Exception as exc:  # fail closed: only TrustListError for bad bytes
        raise TrustListError(f"malformed trusted list ({type(exc).__name__}: {exc})") from exc


def _load_pinned(certs: Sequence[bytes], out: _Outcome) -> list[x509.Certificate]:
    if isinstance(certs, bytes | bytearray):  # type: ignore[unreachable]
        raise TypeError("signing_certificates must be a sequence of DER certificates")
    if not certs:
        raise ConfigurationError("no trusted-list signing certificate is pinned")
    loaded = []
    for index, der in enumerate(certs):
        try:
            loaded.append(x509.load_der_x509_certificate(bytes(der)))
        except ValueError as exc:
            out.warn(
                "tl.pinned-certificate-unreadable",
                f"pinned certificate #{index} is not a readable DER certificate ({exc}); skipped",
            )
    if not loaded:
        raise CertificateError("none of the pinned certificates is a readable DER certificate")
    return loaded


def _best_signer(
    found: x509.Certificate,
    pinned: list[x509.Certificate],
    summary: SignatureSummary,
    when: datetime,
) -> x509.Certificate:
    """Among pinned certificates with the verifying key, prefer the one in KeyInfo, then one
    valid at ``when``."""
    same = [c for c in pinned if _spki(c) == _spki(found)]
    for cert in same:
        if cert.public_bytes(Encoding.DER) in summary.key_info_certificates:
            return cert
    for cert in same:
        if cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
            return cert
    return found


def _result(
    out: _Outcome,
    when: datetime,
    summary: SignatureSummary,
    tl: TrustedList | None = None,
    signer: bytes | None = None,
) -> VerifiedList:
    """The verdict so far: usable exactly when no reason was recorded."""
    return VerifiedList(
        usable=not out.reasons,
        trusted_list=tl,
        reasons=tuple(out.reasons),
        warnings=tuple(out.warnings),
        validation_time=when,
        signer_certificate=signer,
        signature=summary,
    )


def _verify(
    data: bytes,
    root: etree._Element,
    summary: SignatureSummary,
    pinned: list[x509.Certificate],
    when: datetime,
    policy: TrustListPolicy,
    out: _Outcome,
) -> VerifiedList:
    result = partial(_result, out, when, summary)
    if summary.count == 0:
        out.fail("tl.unsigned", "the trusted list has no signature")
        return result()
    signature = root.find(_DS + "Signature")
    if summary.count != 1 or signature is None:
        out.fail(
            "tl.signature-scope",
            f"expected exactly one ds:Signature as a child of the root, found {summary.count} "
            f"signature(s){'' if signature is not None else ', none of them a child of the root'}",
        )
        return result()
    scope = _check_scope(root, signature)
    if isinstance(scope, str):
        out.fail("tl.signature-scope", scope)
        return result()
    doc_index, props_index = scope

    signer: x509.Certificate | None = None
    results = None
    for cert in pinned:
        status, res = _try_verify(data, cert)
        if status == "ok":
            signer, results = cert, res
            break
        if status == "digest":
            out.fail("tl.signature-invalid", "a signed part of the trusted list was modified")
            return result()
    if signer is None or results is None:
        own = _key_info_verdicts(data, summary)
        if "ok" in own:
            out.fail("tl.unexpected-signer", "the list is signed by a certificate not pinned")
        elif "digest" in own:
            out.fail("tl.unexpected-signer", "the list is signed by a certificate not pinned")
            out.fail("tl.signature-invalid", "a signed part of the trusted list was modified")
        else:
            out.fail(
                "tl.signature-invalid",
                "the signature verifies neither with a pinned certificate nor with its own KeyInfo",
            )
        return result()

    core = SignatureCore(
        verifier=signer.public_bytes(Encoding.DER),
        algorithms=_algorithm_uris(signature),
        signed_properties=(
            None if props_index is None else etree.tostring(results[props_index].signed_xml)
        ),
        root_id=root.get("Id"),
        summary=summary,
        trusted_list=list_from_element(parse_document(results[doc_index].signed_data), summary),
    )
    records = ACTIVE_RECORDS.get()
    if records is not None:
        records.put(data, core)
    return _finish(core, pinned, when, policy, out, result)


def _finish(
    core: SignatureCore,
    pinned: list[x509.Certificate],
    when: datetime,
    policy: TrustListPolicy,
    out: _Outcome,
    result: Callable[[TrustedList | None, bytes | None], VerifiedList],
) -> VerifiedList:
    """The checks after a pinned key verified the signature: those that depend on the
    validation time, the policy and the pins (run alike for a fresh check and a record)."""
    found = next(c for c in pinned if c.public_bytes(Encoding.DER) == core.verifier)
    signer = _best_signer(found, pinned, core.summary, when)
    _check_algorithms(core.algorithms, out, policy)
    _check_signer_validity(signer, when, out, policy)
    _check_key_info(signer, core.summary, out)
    if core.signed_properties is None:
        out.warn("tl.not-xades", "plain XML-DSig signature without XAdES SignedProperties")
    else:
        props = etree.fromstring(core.signed_properties, parser=hardened_parser())
        _check_xades(props, signer, core.summary, out)
    tl = core.trusted_list
    if tl.tsl_id != core.root_id:
        out.fail("tl.signature-scope", "the signed element is not the document root")
    _check_content(tl, when, out, policy)
    return result(tl, signer.public_bytes(Encoding.DER))


def _from_record(
    data: bytes,
    pinned: list[x509.Certificate],
    when: datetime,
    policy: TrustListPolicy,
    out: _Outcome,
) -> VerifiedList | None:
    """The outcome from the active cache's record for ``data``, or None (no usable record)."""
    records = ACTIVE_RECORDS.get()
    core = None if records is None else records.get(data)
    if core is None or not any(c.public_bytes(Encoding.DER) == core.verifier for c in pinned):
        return None
    return _finish(core, pinned, when, policy, out, partial(_result, out, when, core.summary))


def _check_scope(root: etree._Element, signature: etree._Element) -> tuple[int, int | None] | str:
    """Indices of the document and SignedProperties references, or why the scope is refused."""
    refs = signature.findall(f"{_DS}SignedInfo/{_DS}Reference")
    root_id = root.get("Id")
    doc_index = props_index = None
    for index, ref in enumerate(refs):
        uri = ref.get("URI")
        transforms = [t.get("Algorithm") for t in ref.iterfind(f"{_DS}Transforms/{_DS}Transform")]
        if uri and uri.startswith("#") and len(_elements_with_id(root, uri[1:])) != 1:
            # Two elements with the same Id: which one a verifier digests is an accident of
            # its implementation (signature wrapping). Refuse instead of guessing.
            return f"the reference {uri} does not name exactly one element of the document"
        if uri == "" or (uri is not None and root_id and uri == "#" + root_id):
            if doc_index is not None:
                return "more than one reference to the whole document"
            if _ENVELOPED not in transforms:
                return "the document reference has no enveloped-signature transform"
            if any(t != _ENVELOPED and t not in _C14N for t in transforms):
                return f"the document reference has a transform other than c14n: {transforms}"
            doc_index = index
        elif uri and uri.startswith("#"):
            # Only elements of the signature itself (SignedProperties, KeyInfo) may be covered
            # besides the document: they never widen what the list says.
            target = _elements_with_id(root, uri[1:])
            if not any(a is signature for a in target[0].iterancestors()):
                return f"the reference {uri} does not point to one element of the signature"
            if any(t not in _C14N for t in transforms):
                return f"the reference {uri} has a transform other than c14n: {transforms}"
            if target[0].tag == _XADES + "SignedProperties":
                if props_index is not None:
                    return "more than one SignedProperties reference"
                props_index = index
        else:
            return f"the signature covers something other than the whole list: URI={uri!r}"
    if doc_index is None:
        return 'the signature does not cover the whole document (no URI "" or #<root Id>)'
    return doc_index, props_index


def _elements_with_id(root: etree._Element, value: str) -> list[etree._Element]:
    """Elements of the document carrying an ``Id``/``ID``/``id`` attribute equal to ``value``."""
    return [
        e
        for e in root.iter()
        if any(etree.QName(k).localname in _ID_ATTRS and v == value for k, v in e.attrib.items())
    ]


def _try_verify(data: bytes, cert: x509.Certificate) -> tuple[str, list[Any] | None]:
    """``("ok", results)``, ``("digest", None)`` (right key, changed content), ``("key", None)``."""
    from signxml.algorithms import DigestAlgorithm, SignatureMethod
    from signxml.exceptions import InvalidDigest, SignXMLException
    from signxml.verifier import SignatureConfiguration, XMLVerifier

    # signxml checks the pinned certificate's validity itself; esig reports that separately.
    lo, hi = cert.not_valid_before_utc, cert.not_valid_after_utc
    config = SignatureConfiguration(
        require_x509=True,
        location="./",
        expect_references=True,
        signature_methods=frozenset(m for m in SignatureMethod if not m.name.startswith("HMAC")),
        digest_algorithms=frozenset(DigestAlgorithm),
        verification_time=lo + (hi - lo) / 2 if hi > lo else lo + timedelta(0),
    )
    try:
        results = XMLVerifier().verify(
            data, x509_cert=cert, expect_config=config, parser=hardened_parser()
        )
    except InvalidDigest:
        return "digest", None
    except (SignXMLException, ValueError, etree.LxmlError, TypeError, KeyError):
        return "key", None
    return "ok", list(results) if isinstance(results, list) else [results]


def _key_info_verdicts(data: bytes, summary: SignatureSummary) -> set[str]:
    verdicts = set()
    for der in summary.key_info_certificates:
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError:
            continue
        verdicts.add(_try_verify(data, cert)[0])
    return verdicts


def _algorithm_uris(signature: etree._Element) -> tuple[str, ...]:
    paths = (
        f"{_DS}SignedInfo/{_DS}SignatureMethod",
        f"{_DS}SignedInfo/{_DS}Reference/{_DS}DigestMethod",
    )
    return tuple(e.get("Algorithm") or "" for path in paths for e in signature.iterfind(path))


def _check_algorithms(algs: Sequence[str], out: _Outcome, policy: TrustListPolicy) -> None:
    weak = sorted({a for a in algs if a in _SHA1_URIS})
    if weak:
        out.either(policy.allow_sha1, "tl.weak-algorithm", f"SHA-1 used in the signature: {weak}")


def _check_signer_validity(
    cert: x509.Certificate, when: datetime, out: _Outcome, policy: TrustListPolicy
) -> None:
    if not cert.not_valid_before_utc <= when <= cert.not_valid_after_utc:
        out.either(
            policy.allow_expired_signer,
            "tl.signer-certificate-expired",
            f"the signer certificate is valid from {cert.not_valid_before_utc:%Y-%m-%d} to "
            f"{cert.not_valid_after_utc:%Y-%m-%d}, not at {when:%Y-%m-%dT%H:%M:%SZ}",
        )


def _spki(cert: x509.Certificate) -> bytes:
    return cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)


def _check_key_info(signer: x509.Certificate, summary: SignatureSummary, out: _Outcome) -> None:
    certs = summary.key_info_certificates
    if not certs or signer.public_bytes(Encoding.DER) in certs:
        return
    out.warn(
        "tl.signer-certificate-differs",
        "KeyInfo carries other certificate(s) than the pinned one; the pinned key verified",
    )


def _check_xades(
    props: etree._Element | None,
    signer: x509.Certificate,
    summary: SignatureSummary,
    out: _Outcome,
) -> None:
    cert_elem = None
    if props is not None:
        for name in ("SigningCertificate", "SigningCertificateV2"):
            found = props.find(
                f"{_XADES}SignedSignatureProperties/{_XADES}{name}/{_XADES}Cert/{_XADES}CertDigest"
            )
            if found is not None:
                cert_elem = found
                break
    if cert_elem is None:
        out.warn("tl.not-xades", "XAdES SignedProperties without a SigningCertificate")
        return
    method = cert_elem.find(f"{_DS}DigestMethod")
    value = text_of(cert_elem.find(f"{_DS}DigestValue"))
    hash_name = _DIGESTS.get("" if method is None else method.get("Algorithm", ""))
    if hash_name is None or value is None:
        out.fail("tl.signing-certificate-mismatch", "unreadable XAdES SigningCertificate digest")
        return
    expected = parse_base64(value, "XAdES CertDigest")
    signer_der = signer.public_bytes(Encoding.DER)
    if hashlib.new(hash_name, signer_der).digest() == expected:
        return
    for der in summary.key_info_certificates:
        if hashlib.new(hash_name, der).digest() != expected:
            continue
        try:
            same_key = _spki(x509.load_der_x509_certificate(der)) == _spki(signer)
        except ValueError:
            same_key = False
        if same_key:
            out.warn(
                "tl.signer-certificate-differs",
                "XAdES SigningCertificate names another certificate with the pinned key",
            )
            return
    out.fail(
        "tl.signing-certificate-mismatch",
        "XAdES SigningCertificate does not name the pinned certificate or one with its key",
    )


def _check_content(tl: TrustedList, when: datetime, out: _Outcome, policy: TrustListPolicy) -> None:
    if tl.version not in policy.accepted_versions:
        out.fail(
            "tl.unsupported-version",
            f"unsupported TSL version {tl.version} (accepted: {sorted(policy.accepted_versions)})",
        )
    if tl.issue_time > when:
        out.fail("tl.not-yet-issued", f"the list is issued at {tl.issue_time:%Y-%m-%dT%H:%M:%SZ}")
    if tl.next_update is None:
        out.warn("tl.closed", "the list has no NextUpdate: its scheme operator closed it")
    elif tl.next_update < when:
        out.either(
            policy.allow_expired,
            "tl.expired",
            f"the list's NextUpdate {tl.next_update:%Y-%m-%dT%H:%M:%SZ} has passed",
        )
