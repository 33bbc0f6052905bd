"""X.509 validation of a signing or time-stamping certificate at a control time (EN 319 102-1).

Built on pyhanko-certvalidator with esig's strict settings: trust roots are only the anchors the
trust source gives (never the operating system's store), zero time tolerance, revocation data
required for every certificate but the anchor ("require" mode: pyhanko-certvalidator's soft-fail
and hard-fail accept a certificate that a supplied CRL revokes when it names no distribution
point), the algorithm policy's end dates at the control time for certificate, OCSP and CRL
signatures (:mod:`esig.validation.crypto`), a document-signing profile for the end entity
(X.509 v3, not a CA, nonRepudiation or digitalSignature; timeStamping for TSAs) and a
path-building budget: attacker-supplied certificate sets are trimmed per subject name and the
whole search runs under a deadline. Over each path pyhanko-certvalidator validates, esig applies
its own RFC 5280 checks (:mod:`esig.validation._profile_checks`): name constraints, the anchor's
included; the CA profile of every issuer, the anchor included; the end-entity profile; explicit
elliptic curves. CRLs against the CRL profile are not used as revocation data. A DSA key without
domain parameters takes those of the nearest issuer of the path that has them (RFC 5280 6.1.4 f,
:mod:`esig.validation._dsa_params`), for CRL signatures too.

The outcome is data (:class:`ChainOutcome`): an indication, a sub-indication and reasons.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import enum
import hashlib
import time
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

from asn1crypto import algos
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator import errors as cv_errors
from pyhanko_certvalidator.path import ValidationPath
from pyhanko_certvalidator.policy_decl import PKIXValidationParams
from pyhanko_certvalidator.sig_validate import (
    DEFAULT_VALIDATION_CONTEXT,
    SignatureValidationContext,
)
from pyhanko_certvalidator.validate import async_validate_path

from esig.policy.algorithms import AlgorithmPolicy
from esig.report import Finding, Indication, SubIndication
from esig.validation._dsa_params import (
    InheritingSignatureValidator,
    lacks_dsa_parameters,
    with_key,
    working_keys,
)
from esig.validation._fetch import fetch_for_path, fetch_issuers
from esig.validation._profile_checks import (
    OUT_OF_VALIDITY,
    WEAK_KEY,
    crl_problems,
    path_problems,
)
from esig.validation.crypto import CertvalidatorAlgorithms

__all__ = [
    "ChainOutcome",
    "Revocation",
    "RevocationMaterial",
    "Usage",
    "end_entity_problems",
    "to_crypto",
    "trim_candidates",
    "validate_chain",
]


class Usage(enum.Enum):
    """What the end-entity certificate is used for."""

    SIGNING = "signing"
    TIMESTAMPING = "timestamping"
    PATH = "path"
    """RFC 5280 path validation only, without the document-signing or time-stamping profile of
    the end entity (for certificate-path test suites such as NIST PKITS)."""


@dataclass(frozen=True)
class Revocation:
    """A revocation found while validating: which certificate and when."""

    is_end_entity: bool
    date: datetime
    reason: str


@dataclass(frozen=True)
class ChainOutcome:
    """The result of validating one certificate path at one control time.

    ``chain`` is the validated (or best attempted) path, end entity first, anchor last, as
    cryptography certificates; empty when no path was built. A certificate whose DSA key inherits
    its domain parameters (RFC 5280 6.1.4 f), which cryptography cannot read as issued, is
    there re-encoded with the inherited parameters in its subjectPublicKeyInfo: its key is the
    one the path validated, its encoding, fingerprint and signature are not the original's.
    """

    indication: Indication
    sub_indication: SubIndication | None
    control_time: datetime
    chain: tuple[x509.Certificate, ...] = ()
    reasons: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    revocation: Revocation | None = None

    @property
    def passed(self) -> bool:
        return self.indication is Indication.TOTAL_PASSED


def _as_read(value: Any) -> bytes | None:
    """The encoding ``value`` was read from, where asn1crypto's ``dump()`` would re-encode it.

    asn1crypto takes a header whose last byte is 0x80 for an indefinite length and re-encodes
    the value and its children in place (wbond/asn1crypto#249), but a definite long-form length
    can end in 0x80 too: every 896-byte certificate starts ``30 82 03 80``. That re-encoding is
    not faithful for every field (a unique identifier BIT STRING with unused bits loses them:
    NIST PKITS 4.3.6; an explicitly encoded default value is dropped), so the signed bytes
    change and the certificate's own signature no longer verifies. None: ``dump()`` is exact.
    """
    contents = value.contents  # re-serialises changed children first (and resets the header)
    header = getattr(value, "_header", None)
    if (
        isinstance(header, bytes)
        and header[-1:] == b"\x80"
        and len(header) > 2
        and not getattr(value, "_trailer", b"")  # an indefinite length has an end-of-contents
        and isinstance(contents, bytes)
    ):
        return header + contents
    return None


def _encoded(value: Any) -> bytes:
    """``value.dump()`` without asn1crypto's re-encoding of a value read with a definite length
    (see :func:`_as_read`); the value is left as it was."""
    read = _as_read(value)
    return bytes(value.dump()) if read is None else read


class _TbsCertificateAsRead(asn1_x509.TbsCertificate):  # type: ignore[misc]
    def dump(self, force: bool = False) -> bytes:
        read = None if force else _as_read(self)
        return bytes(super().dump(force)) if read is None else read


class _CertificateAsRead(asn1_x509.Certificate):  # type: ignore[misc]
    """A certificate whose ``dump()`` and ``sha256`` give the bytes it was read from, and so does
    its ``tbs_certificate`` (the signed part): pyhanko-certvalidator hashes the certificate
    (``cert.sha256``) before it verifies the signature over ``tbs_certificate.dump()``.

    It also shows pyhanko-certvalidator no name constraints: esig applies them itself, the
    anchor's included (:mod:`esig.validation._profile_checks`), where pyhanko-certvalidator
    ignores the anchor's and raises on iPAddress and otherName constraints. The extension stays
    in the certificate (its bytes, its criticality); only ``name_constraints_value`` is None."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [
        ("tbs_certificate", _TbsCertificateAsRead),
        *asn1_x509.Certificate._fields[1:],
    ]

    def dump(self, force: bool = False) -> bytes:
        read = None if force else _as_read(self)
        return bytes(super().dump(force)) if read is None else read

    @property
    def name_constraints_value(self) -> None:
        return None


def _certificate_as_read(cert: asn1_x509.Certificate) -> asn1_x509.Certificate:
    return _CertificateAsRead.load(_encoded(cert))


def to_crypto(cert: asn1_x509.Certificate) -> x509.Certificate:
    with warnings.catch_warnings():  # non-positive serials: reported by esig.certs, not here
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_der_x509_certificate(_encoded(cert))


class _MissingDsaParameters(ValueError):
    """A DSA key of the path has no domain parameters and no issuer supplies them."""


def _crypto_chain(certs: Sequence[asn1_x509.Certificate]) -> tuple[x509.Certificate, ...]:
    """``certs`` (a path, end entity first, anchor last) as cryptography certificates; a DSA key
    without domain parameters gets those its issuers give it (see :class:`ChainOutcome`).

    Raises :class:`_MissingDsaParameters`, naming the one nearest the anchor, when no issuer of
    the path supplies them."""
    keys = working_keys(certs)
    for index in reversed(range(len(certs))):
        if lacks_dsa_parameters(keys[index]):
            who = "the end-entity certificate" if index == 0 else f"certificate {index} of the path"
            raise _MissingDsaParameters(
                f"the DSA key of {who} ({certs[index].subject.human_friendly}) has no domain "
                "parameters and no issuer of the path supplies them (RFC 3279 2.3.2, "
                "RFC 5280 6.1.4 f)"
            )
    chain: list[x509.Certificate] = []
    for cert, key in zip(certs, keys, strict=True):
        if not lacks_dsa_parameters(cert.public_key):
            chain.append(to_crypto(cert))
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CryptographyDeprecationWarning)
                chain.append(x509.load_der_x509_certificate(with_key(_encoded(cert), key)))
    return tuple(chain)


def _leaf_chain(cert: asn1_x509.Certificate) -> tuple[x509.Certificate, ...]:
    """The end entity alone, when no path was built: empty when its DSA key lacks its domain
    parameters (only a path gives them)."""
    return () if lacks_dsa_parameters(cert.public_key) else (to_crypto(cert),)


def _indeterminate(
    sub: SubIndication, at: datetime, code: str, message: str, **kw: object
) -> ChainOutcome:
    return ChainOutcome(
        Indication.INDETERMINATE,
        sub,
        at,
        reasons=(Finding(code, message),),
        **kw,  # type: ignore[arg-type]
    )


def end_entity_problems(cert: x509.Certificate, usage: Usage) -> tuple[Finding, ...]:
    """Document-signing profile checks on the end entity (EN 319 412-2, RFC 3161); none for
    :attr:`Usage.PATH`."""
    if usage is Usage.PATH:
        return ()
    problems: list[Finding] = []
    if cert.version is not x509.Version.v3:
        problems.append(Finding("cert.not-v3", "the certificate is not X.509 version 3"))
    try:
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        if bc.ca:
            problems.append(Finding("cert.ca-as-signer", "a CA certificate cannot sign documents"))
    except x509.ExtensionNotFound:
        pass
    except ValueError as exc:  # duplicate or malformed extensions
        problems.append(Finding("cert.malformed-extensions", f"unreadable extensions: {exc}"))
        return tuple(problems)
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        ku = None
    if usage is Usage.SIGNING:
        if ku is None or not (ku.content_commitment or ku.digital_signature):
            problems.append(
                Finding(
                    "cert.key-usage",
                    "the key usage allows neither nonRepudiation nor digitalSignature "
                    "(EN 319 412-2)",
                )
            )
    else:
        try:
            eku_ext = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
            eku_ok = ExtendedKeyUsageOID.TIME_STAMPING in eku_ext.value and eku_ext.critical
        except x509.ExtensionNotFound:
            eku_ok = False
        if not eku_ok:
            problems.append(
                Finding("tsa.eku", "the TSA certificate lacks a critical timeStamping EKU")
            )
    return tuple(problems)


def trim_candidates(
    certs: Iterable[asn1_x509.Certificate], max_same_subject: int
) -> tuple[list[asn1_x509.Certificate], bool]:
    """Deduplicate and keep at most ``max_same_subject`` certificates per subject name."""
    seen: set[bytes] = set()
    per_subject: dict[bytes, int] = defaultdict(int)
    kept: list[asn1_x509.Certificate] = []
    trimmed = False
    for cert in certs:
        digest = hashlib.sha256(_encoded(cert)).digest()  # not cert.sha256: see _encoded()
        if digest in seen:
            continue
        seen.add(digest)
        subject = cert.subject.dump()
        if per_subject[subject] >= max_same_subject:
            trimmed = True
            continue
        per_subject[subject] += 1
        kept.append(cert)
    return kept, trimmed


@dataclass(frozen=True)
class RevocationMaterial:
    """Revocation data and certificates available to validation (embedded or fetched)."""

    certs: tuple[asn1_x509.Certificate, ...] = ()
    crls: tuple[asn1_crl.CertificateList, ...] = ()
    ocsps: tuple[asn1_ocsp.OCSPResponse, ...] = ()


async def _fetch_revinfo(
    cert: asn1_x509.Certificate,
    anchors: Sequence[asn1_x509.Certificate],
    material: RevocationMaterial,
) -> RevocationMaterial:
    """Online mode: fetch missing issuers (AIA caIssuers), then OCSP/CRLs along the first path
    found (no validation here)."""
    issuers = await fetch_issuers(cert, [*material.certs, *anchors])
    material = RevocationMaterial(material.certs + tuple(issuers), material.crls, material.ocsps)
    vc = ValidationContext(trust_roots=list(anchors), other_certs=list(material.certs))
    paths = vc.path_builder.async_build_paths_lazy(cert)
    try:
        async for path in paths:
            chain = list(reversed(list(path.iter_certs(include_root=True))))
            crls, ocsps = await fetch_for_path(chain)
            return RevocationMaterial(
                material.certs, material.crls + tuple(crls), material.ocsps + tuple(ocsps)
            )
    except cv_errors.PathBuildingError:
        pass
    finally:
        await paths.cancel()  # type: ignore[no-untyped-call]
    return material


async def validate_chain(
    cert: asn1_x509.Certificate,
    *,
    anchors: Sequence[x509.Certificate],
    material: RevocationMaterial,
    control_time: datetime,
    usage: Usage,
    require_revocation: bool = True,
    online: bool = False,
    budget_seconds: float = 5.0,
    max_same_subject: int = 4,
    algorithms: AlgorithmPolicy | None = None,
    pkix_params: PKIXValidationParams | None = None,
) -> ChainOutcome:
    """Validate ``cert``'s path to one of ``anchors`` at ``control_time``.

    Revocation data issued after ``control_time`` counts (it says whether the certificate had
    been revoked by then); a revocation dated after ``control_time`` does not invalidate, and
    gives the warning ``chain.revoked-after-poe`` naming the revocation date.

    ``algorithms``: the policy certificate, OCSP and CRL signatures must satisfy at
    ``control_time``; None keeps pyhanko-certvalidator's fixed floor (no MD5/SHA-1, RSA and DSA
    keys of at least 2048 and 3192 bits) for callers without a validation profile. The end
    entity's own key signs no certificate of the path: its caller judges it (as a signature
    value's key). Whatever the policy, an elliptic-curve key with explicit curve parameters in
    the path gives INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE (``chain.weak-key``).

    A path that pyhanko-certvalidator accepts and esig's RFC 5280 checks refuse gives
    INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE with ``chain.name-constraints``,
    ``chain.ca-profile`` or ``chain.ee-profile``, or OUT_OF_BOUNDS_NO_POE with
    ``chain.out-of-validity`` for an anchor outside its validity period. A CRL with a critical
    cRLNumber is not used; when the path then lacks revocation data, ``chain.crl-profile`` comes
    first in the reasons (INDETERMINATE/TRY_LATER), otherwise it is a warning. Validity is
    compared at a resolution of one second (the resolution of certificate times).

    ``pkix_params``: the RFC 5280 (6.1.1) initial inputs of path validation, passed to
    pyhanko-certvalidator: user-initial-policy-set, initial-explicit-policy,
    initial-policy-mapping-inhibit, initial-any-policy-inhibit, initial permitted and excluded
    subtrees. None validates under anyPolicy with none of these flags set. A path that fails them
    (no valid policy where one is required, for instance) gives
    INDETERMINATE/CERTIFICATE_CHAIN_GENERAL_FAILURE with ``chain.invalid``, like any other
    RFC 5280 failure.

    Never raises on hostile input: a certificate or revocation object that a dependency cannot
    process (asn1crypto/cryptography/certvalidator raise ValueError, TypeError, RecursionError,
    NotImplementedError...) gives INDETERMINATE/CERTIFICATE_CHAIN_GENERAL_FAILURE with
    ``chain.unprocessable``.
    """
    cache = ACTIVE_CHAIN_CACHE.get()
    key = None
    if cache is not None and not online:  # fetched data is never cached
        key = chain_cache_key(
            cert,
            anchors,
            material,
            control_time=control_time.isoformat(),
            usage=usage,
            require_revocation=require_revocation,
            budget_seconds=budget_seconds,
            max_same_subject=max_same_subject,
            algorithms=algorithms,
            pkix_params=_pkix_params_key(pkix_params),
        )
        found = cache.get(key)
        if found is not None:
            return found
    try:
        outcome = await _validate_chain(
            cert,
            anchors=anchors,
            material=material,
            control_time=control_time,
            usage=usage,
            require_revocation=require_revocation,
            online=online,
            budget_seconds=budget_seconds,
            max_same_subject=max_same_subject,
            algorithms=algorithms,
            pkix_params=pkix_params,
        )
    except Exception as exc:  # dependencies raise many kinds on hostile input
        outcome = _indeterminate(
            SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
            control_time,
            "chain.unprocessable",
            f"the certificate path cannot be processed: {type(exc).__name__}: {exc!s:.200}",
        )
    budget_hit = any(r.code == "chain.budget-exceeded" for r in outcome.reasons)
    if key is not None and cache is not None and not budget_hit:
        cache.put(key, outcome)
    return outcome


class ChainOutcomeCache(Protocol):
    """Where :func:`validate_chain` keeps outcomes while :data:`ACTIVE_CHAIN_CACHE` is set."""

    def get(self, key: bytes) -> ChainOutcome | None: ...

    def put(self, key: bytes, outcome: ChainOutcome) -> None: ...


#: The chain-outcome cache of the current context (batch verification sets it; None: no cache).
ACTIVE_CHAIN_CACHE: contextvars.ContextVar[ChainOutcomeCache | None] = contextvars.ContextVar(
    "esig_chain_cache", default=None
)


def chain_cache_key(
    cert: asn1_x509.Certificate,
    anchors: Sequence[x509.Certificate],
    material: RevocationMaterial,
    **settings: object,
) -> bytes:
    """A key that changes with anything that could change the outcome: the certificate, every
    anchor, every supplied certificate, CRL and OCSP response, and every setting."""
    h = hashlib.sha256()

    def part(data: bytes) -> None:
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)

    part(b"ee")
    part(_encoded(cert))
    for tag, items in (
        (b"anchors", [a.public_bytes(Encoding.DER) for a in anchors]),
        (b"certs", [_encoded(c) for c in material.certs]),
        (b"crls", [_encoded(c) for c in material.crls]),
        (b"ocsps", [_encoded(o) for o in material.ocsps]),
    ):
        part(tag)
        part(len(items).to_bytes(8, "big"))
        for item in items:
            part(item)
    for name in sorted(settings):
        part(f"{name}={settings[name]!r}".encode())
    return h.digest()


def _pkix_params_key(params: PKIXValidationParams | None) -> str:
    """A canonical text of ``params`` for :func:`chain_cache_key` (sets sorted, names as DER)."""
    if params is None:
        return "None"

    def base(tree: Any) -> object:
        value = None if tree.tree_base is None else tree.tree_base.value
        return value if value is None or isinstance(value, str) else _encoded(value)

    def subtrees(trees: Any) -> object:
        if trees is None:
            return None
        return sorted(
            (kind.name, sorted(repr((base(t), t.min, t.max)) for t in trees[kind]))
            for kind in trees
        )

    return repr(
        (
            sorted(params.user_initial_policy_set),
            params.initial_policy_mapping_inhibit,
            params.initial_explicit_policy,
            params.initial_any_policy_inhibit,
            subtrees(params.initial_permitted_subtrees),
            subtrees(params.initial_excluded_subtrees),
            params.max_policy_graph_nodes,
        )
    )


async def _validate_chain(
    cert: asn1_x509.Certificate,
    *,
    anchors: Sequence[x509.Certificate],
    material: RevocationMaterial,
    control_time: datetime,
    usage: Usage,
    require_revocation: bool,
    online: bool,
    budget_seconds: float,
    max_same_subject: int,
    algorithms: AlgorithmPolicy | None,
    pkix_params: PKIXValidationParams | None,
) -> ChainOutcome:
    if usage is not Usage.PATH:  # PATH: no profile; a DSA key may inherit its parameters
        if lacks_dsa_parameters(cert.public_key):
            return _indeterminate(
                SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
                control_time,
                "chain.unprocessable",
                "the certificate's DSA key has no domain parameters (inherited from its "
                "issuer, RFC 3279 2.3.2): esig does not take such a key as a signer's or TSA's",
            )
        crypto_cert = to_crypto(cert)
        problems = end_entity_problems(crypto_cert, usage)
        if problems:
            return ChainOutcome(
                Indication.INDETERMINATE,
                SubIndication.CHAIN_CONSTRAINTS_FAILURE,
                control_time,
                chain=(crypto_cert,),
                reasons=problems,
            )
    if not anchors:
        return _indeterminate(
            SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
            control_time,
            "chain.no-anchors",
            "no trust anchors are configured",
        )
    # pyhanko-certvalidator gets copies that keep their encoding (see _CertificateAsRead)
    asn1_anchors = [_CertificateAsRead.load(a.public_bytes(Encoding.DER)) for a in anchors]
    cert = _certificate_as_read(cert)
    others, trimmed = trim_candidates(material.certs, max_same_subject)
    warnings: tuple[Finding, ...] = ()
    if trimmed:
        warnings = (
            Finding(
                "chain.candidates-trimmed",
                f"more than {max_same_subject} candidate certificates share a subject name; "
                "extra ones were ignored",
            ),
        )
    usable_crls, crl_findings = _usable_crls(material.crls)
    material = RevocationMaterial(
        tuple(_certificate_as_read(c) for c in others), usable_crls, material.ocsps
    )
    deadline = time.monotonic() + budget_seconds
    try:
        if online:
            material = await asyncio.wait_for(
                _fetch_revinfo(cert, asn1_anchors, material), timeout=budget_seconds
            )
        outcome = await asyncio.wait_for(
            _validate(
                cert,
                asn1_anchors,
                material,
                control_time,
                require_revocation,
                deadline,
                algorithms,
                pkix_params,
            ),
            timeout=max(0.001, deadline - time.monotonic()),
        )
    except TimeoutError:
        outcome = _indeterminate(
            SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
            control_time,
            "chain.budget-exceeded",
            f"certificate path building exceeded its {budget_seconds:g} s budget",
        )
    if crl_findings:
        if any(r.code == "chain.no-revocation-data" for r in outcome.reasons):
            outcome = ChainOutcome(
                outcome.indication,
                outcome.sub_indication,
                outcome.control_time,
                outcome.chain,
                crl_findings + outcome.reasons,
                outcome.warnings,
                outcome.revocation,
            )
        else:
            warnings += crl_findings
    if outcome.passed:
        later = _later_revocation(cert, material, control_time)
        if later is not None:
            warnings += (
                Finding(
                    "chain.revoked-after-poe",
                    f"the certificate was revoked on {later.date:%Y-%m-%dT%H:%M:%SZ} "
                    f"({later.reason}), after the control time "
                    f"{control_time:%Y-%m-%dT%H:%M:%SZ}: it was valid then",
                ),
            )
    if warnings:
        outcome = ChainOutcome(
            outcome.indication,
            outcome.sub_indication,
            outcome.control_time,
            outcome.chain,
            outcome.reasons,
            outcome.warnings + warnings,
            outcome.revocation,
        )
    return outcome


_MAX_PATHS = 16


def _usable_crls(
    crls: Sequence[asn1_crl.CertificateList],
) -> tuple[tuple[asn1_crl.CertificateList, ...], tuple[Finding, ...]]:
    """The CRLs that are usable revocation data, and why the others are not: a CRL against the
    RFC 5280 CRL profile (:func:`~esig.validation._profile_checks.crl_problems`) is ignored, so
    a path that has no other revocation data fails with ``chain.crl-profile`` first."""
    usable: list[asn1_crl.CertificateList] = []
    findings: list[Finding] = []
    for crl in crls:
        problems = crl_problems(crl)
        if problems:
            findings.extend(Finding(p.code, f"{p.message}; the CRL is ignored") for p in problems)
        else:
            usable.append(crl)
    return tuple(usable), tuple(findings)


def _later_revocation(
    cert: asn1_x509.Certificate, material: RevocationMaterial, control_time: datetime
) -> Revocation | None:
    """A revocation of ``cert`` dated after ``control_time`` in the CRLs or OCSP responses."""
    found: list[Revocation] = []
    serial = cert.serial_number
    for crl in material.crls:
        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
            tbs = crl["tbs_cert_list"]
            if tbs["issuer"] != cert.issuer:
                continue
            for entry in tbs["revoked_certificates"] or []:
                if entry["user_certificate"].native == serial:
                    reason = entry.crl_reason_value
                    found.append(
                        Revocation(
                            True,
                            entry["revocation_date"].native,
                            str(reason.native if reason is not None else "unspecified"),
                        )
                    )
    for response in material.ocsps:
        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):
            data = response.basic_ocsp_response["tbs_response_data"]
            for single in data["responses"]:
                cert_id = single["cert_id"]
                algo = cert_id["hash_algorithm"]["algorithm"].native
                if cert_id["serial_number"].native != serial or cert_id[
                    "issuer_name_hash"
                ].native != getattr(cert.issuer, algo):
                    continue
                status = single["cert_status"]
                if status.name == "revoked":
                    info = status.chosen
                    reason = info["revocation_reason"].native or "unspecified"
                    found.append(Revocation(True, info["revocation_time"].native, str(reason)))
    later = [r for r in found if r.date > control_time]
    return min(later, key=lambda r: r.date) if later else None


async def _validate(
    cert: asn1_x509.Certificate,
    anchors: list[asn1_x509.Certificate],
    material: RevocationMaterial,
    control_time: datetime,
    require_revocation: bool,
    deadline: float,
    algorithms: AlgorithmPolicy | None = None,
    pkix_params: PKIXValidationParams | None = None,
) -> ChainOutcome:
    # RFC 5280 validity times have a resolution of one second: a control time within the second
    # of a notAfter is within the validity period (x509-limbo notafter-fractional)
    at = control_time.replace(microsecond=0)
    vc = ValidationContext(
        trust_roots=anchors,
        other_certs=list(material.certs),
        moment=at,
        best_signature_time=at,
        allow_fetching=False,
        crls=list(material.crls),
        ocsps=list(material.ocsps),
        revocation_mode="require" if require_revocation else "hard-fail",
        time_tolerance=timedelta(0),
        retroactive_revinfo=True,
        algorithm_usage_policy=None if algorithms is None else CertvalidatorAlgorithms(algorithms),
        signature_validator=_PolicySignatureValidator(
            None if algorithms is None else CertvalidatorAlgorithms(algorithms), at
        ),
    )
    outcome = await _try_paths(vc, cert, control_time, deadline, pkix_params)
    refused = (
        vc.sig_validator.refused if isinstance(vc.sig_validator, _PolicySignatureValidator) else ()
    )
    return _with_refused_revinfo(outcome, refused)


async def _try_paths(
    vc: ValidationContext,
    cert: asn1_x509.Certificate,
    control_time: datetime,
    deadline: float,
    pkix_params: PKIXValidationParams | None,
) -> ChainOutcome:
    last: ChainOutcome | None = None
    paths = vc.path_builder.async_build_paths_lazy(cert)
    tried = 0
    try:
        async for path in paths:
            tried += 1
            outcome = await _validate_one(vc, path, control_time, pkix_params)
            if outcome.passed:
                return outcome
            last = outcome if last is None or _rank(outcome) > _rank(last) else last
            if tried >= _MAX_PATHS or time.monotonic() > deadline:
                break
    except cv_errors.PathBuildingError as exc:
        return _indeterminate(
            SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
            control_time,
            "chain.no-trust-anchor",
            f"no certificate path to a trusted anchor: {exc}",
            chain=_leaf_chain(cert),
        )
    finally:
        await paths.cancel()  # type: ignore[no-untyped-call]
    if last is None:
        return _indeterminate(
            SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
            control_time,
            "chain.no-trust-anchor",
            "no certificate path to a trusted anchor",
            chain=_leaf_chain(cert),
        )
    return last


class _PolicySignatureValidator(InheritingSignatureValidator):
    """Also judges the signature algorithm of every CRL and OCSP response it verifies under the
    algorithm policy at the control time: pyhanko-certvalidator applies its algorithm usage
    policy to certificate signatures only (it has judged those before they reach here). A
    refused one is an invalid signature to pyhanko-certvalidator (the revocation data is not
    used); :attr:`refused` says why."""

    def __init__(self, policy: CertvalidatorAlgorithms | None, moment: datetime) -> None:
        super().__init__()
        self._policy = policy
        self._moment = moment
        self.refused: list[str] = []

    def validate_signature(
        self,
        signature: bytes,
        signed_data: bytes,
        public_key_info: asn1_keys.PublicKeyInfo,
        signature_algorithm: algos.SignedDigestAlgorithm,
        context: SignatureValidationContext = DEFAULT_VALIDATION_CONTEXT,
    ) -> None:
        if self._policy is not None:
            verdict = self._policy.signature_algorithm_allowed(
                signature_algorithm, self._moment, self.completed(public_key_info)
            )
            if not verdict.allowed:
                reason = verdict.failure_reason or "a refused signature algorithm"
                if reason not in self.refused:
                    self.refused.append(reason)
                raise InvalidSignature(reason)
        super().validate_signature(
            signature, signed_data, public_key_info, signature_algorithm, context
        )


def _with_refused_revinfo(outcome: ChainOutcome, refused: Sequence[str]) -> ChainOutcome:
    """Name the revocation data refused for its algorithms: a reason when the path lacks
    revocation data, a warning otherwise."""
    if not refused:
        return outcome
    found = tuple(
        Finding("chain.revinfo-weak-algorithm", f"revocation data not used: {r}") for r in refused
    )
    if any(r.code == "chain.no-revocation-data" for r in outcome.reasons):
        return replace(outcome, reasons=found + outcome.reasons)
    return replace(outcome, warnings=outcome.warnings + found)


def _rank(outcome: ChainOutcome) -> int:
    # prefer the most informative failure: revocation > validity > others
    if outcome.revocation is not None:
        return 3
    if outcome.sub_indication is SubIndication.OUT_OF_BOUNDS_NO_POE:
        return 2
    return 1


async def _validate_one(
    vc: ValidationContext,
    path: ValidationPath,
    control_time: datetime,
    pkix_params: PKIXValidationParams | None = None,
) -> ChainOutcome:
    certs = list(reversed(list(path.iter_certs(include_root=True))))
    try:
        chain = _crypto_chain(certs)
    except _MissingDsaParameters as exc:
        return ChainOutcome(
            Indication.INDETERMINATE,
            SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
            control_time,
            reasons=(Finding("chain.invalid", str(exc)),),
        )
    if isinstance(vc.sig_validator, InheritingSignatureValidator):
        vc.sig_validator.use_path(certs)
    try:
        await async_validate_path(vc, path, parameters=pkix_params)
    except cv_errors.RevokedError as exc:
        leaf = bool(exc.is_ee_cert)
        sub = SubIndication.REVOKED_NO_POE if leaf else SubIndication.REVOKED_CA_NO_POE
        what = "the signer's certificate" if leaf else "a CA certificate of the chain"
        reason = exc.reason.native or "unspecified"
        return ChainOutcome(
            Indication.INDETERMINATE,
            sub,
            control_time,
            chain,
            (Finding("chain.revoked", f"{what} was revoked on {exc.revocation_dt} ({reason})"),),
            revocation=Revocation(leaf, exc.revocation_dt, str(reason)),
        )
    except cv_errors.ExpiredError as exc:
        return _out_of_bounds(chain, control_time, str(exc))
    except cv_errors.NotYetValidError as exc:
        return _out_of_bounds(chain, control_time, str(exc))
    except cv_errors.InsufficientRevinfoError as exc:
        return ChainOutcome(
            Indication.INDETERMINATE,
            SubIndication.TRY_LATER,
            control_time,
            chain,
            (Finding("chain.no-revocation-data", f"no usable revocation data: {exc}"),),
        )
    except cv_errors.InsufficientPOEError as exc:
        return ChainOutcome(
            Indication.INDETERMINATE,
            SubIndication.NO_POE,
            control_time,
            chain,
            (Finding("chain.no-poe", str(exc)),),
        )
    except cv_errors.DisallowedAlgorithmError as exc:
        return ChainOutcome(
            Indication.INDETERMINATE,
            SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
            control_time,
            chain,
            (Finding("chain.weak-algorithm", str(exc)),),
        )
    except (cv_errors.PathValidationError, cv_errors.ValidationError) as exc:
        return ChainOutcome(
            Indication.INDETERMINATE,
            SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
            control_time,
            chain,
            (Finding("chain.invalid", str(exc)),),
        )
    problems = path_problems(certs, control_time.replace(microsecond=0))
    if problems:
        return ChainOutcome(
            Indication.INDETERMINATE,
            _PROFILE_SUB.get(problems[0].code, _CONSTRAINTS),
            control_time,
            chain,
            problems,
        )
    return ChainOutcome(Indication.TOTAL_PASSED, None, control_time, chain)


_CONSTRAINTS = SubIndication.CHAIN_CONSTRAINTS_FAILURE
#: the sub-indication of a path that RFC 5280 accepts and esig's own rules refuse, by the code
#: of the first finding (:func:`~esig.validation._profile_checks.path_problems`); others:
#: CHAIN_CONSTRAINTS_FAILURE (name constraints, CA and end-entity profile)
_PROFILE_SUB = {
    WEAK_KEY: SubIndication.CRYPTO_CONSTRAINTS_FAILURE,
    OUT_OF_VALIDITY: SubIndication.OUT_OF_BOUNDS_NO_POE,
}


def _out_of_bounds(
    chain: tuple[x509.Certificate, ...], control_time: datetime, message: str
) -> ChainOutcome:
    return ChainOutcome(
        Indication.INDETERMINATE,
        SubIndication.OUT_OF_BOUNDS_NO_POE,
        control_time,
        chain,
        (
            Finding(
                "chain.out-of-validity",
                f"{message} (control time {control_time:%Y-%m-%d %H:%M:%SZ})",
            ),
        ),
    )
