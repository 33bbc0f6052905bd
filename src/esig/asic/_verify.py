"""Verifying every XAdES signature of an ASiC container (private module).

Each ``META-INF/*signatures*.xml`` is verified by :func:`esig.xades.verify_xml` with the
container's files as detached content: a reference's URI is percent-decoded (RFC 3986, ``+``
stays ``+``) and looked up by exact name among the container's entries. On top of the XAdES
verdict, the container adds:

* a reference to a file the container does not hold: INDETERMINATE / SIGNED_DATA_NOT_FOUND
  (``asic.missing-data-file``), unless the signature already failed;
* a container that breaks EN 319 162-1's structure (no data file at all; ASiC-S with other than
  one data file at its root or with another signature file than ``META-INF/signatures.xml``):
  TOTAL_FAILED / FORMAT_FAILURE on every signature (``asic.format``);
* a data file no signature covers: a report warning (``asic.unsigned-data-file``); the verdict
  is the signatures' (as DSS; EN 319 162-1 does not require every file to be signed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import MappingProxyType
from urllib.parse import unquote

from lxml import etree

from esig.asic._container import DEFAULT_LIMITS, AsicLimits, Container, read_container
from esig.errors import DocumentError, InputError
from esig.policy import ValidationProfile
from esig.report import (
    Finding,
    Indication,
    SignatureReport,
    SubIndication,
    ValidationReport,
)
from esig.xades import XML_DEFAULT, RevocationData, XmlConstraints, verify_xml
from esig.xades import _xml as X
from esig.xades._api import _profile
from esig.xades._verify import top_level_signatures

__all__ = ["AsicVerification", "verify_asic", "verify_asic_detailed"]

_ASIC_NS = "http://uri.etsi.org/02918/"
_MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


@dataclass(frozen=True)
class AsicVerification:
    """The container's report plus what each signature covers.

    ``coverage`` maps each top-level signature's report id (``META-INF/signatures0.xml#S0``) to
    the data files its references name and the container holds; ``unsigned_files`` are the data
    files no signature references (each is also an ``asic.unsigned-data-file`` warning).
    """

    report: ValidationReport
    container: Container
    coverage: Mapping[str, tuple[str, ...]]
    unsigned_files: tuple[str, ...]


def _manifest_warnings(container: Container, name: str) -> list[Finding]:
    if container.manifest is None:
        if container.kind == "ASiC-E":
            return [
                Finding("asic.no-manifest", "the ASiC-E container has no META-INF/manifest.xml")
            ]
        return []
    try:
        root = X.parse(container.manifest, what=f"{name}: META-INF/manifest.xml").getroot()
    except DocumentError as exc:
        return [Finding("asic.manifest-unreadable", str(exc))]
    listed: list[str] = []
    for entry in root.iter(f"{{{_MANIFEST_NS}}}file-entry"):
        path = entry.get(f"{{{_MANIFEST_NS}}}full-path") or ""
        if path and path != "/" and not path.endswith("/"):
            listed.append(path)
    out: list[Finding] = []
    names = set(container.entries)
    absent = [p for p in listed if p not in names and unquote(p) not in names]
    if absent:
        out.append(
            Finding(
                "asic.manifest-lists-absent-file",
                f"META-INF/manifest.xml lists {', '.join(map(repr, absent))}, which the "
                "container does not hold",
            )
        )
    known = set(listed) | {unquote(p) for p in listed}
    unlisted = [f for f in container.data_files if f not in known]
    if unlisted:
        out.append(
            Finding(
                "asic.manifest-unlisted-file",
                f"data file(s) {', '.join(map(repr, unlisted))} not listed in "
                "META-INF/manifest.xml",
            )
        )
    return out


def _format_findings(container: Container) -> list[Finding]:
    out: list[Finding] = []
    if not container.data_files:
        out.append(Finding("asic.format", "the container holds no data file"))
    if container.kind == "ASiC-S":
        root_files = [f for f in container.data_files if "/" not in f]
        if len(container.data_files) != 1 or len(root_files) != 1:
            out.append(
                Finding(
                    "asic.format",
                    "an ASiC-S container holds exactly one data object at its root; this one "
                    f"holds {', '.join(map(repr, container.data_files)) or 'none'}",
                )
            )
        if len(container.signature_files) > 1:
            out.append(
                Finding(
                    "asic.format",
                    "an ASiC-S container holds its XAdES signatures in one file "
                    f"(META-INF/signatures.xml); this one has "
                    f"{', '.join(map(repr, container.signature_files))}",
                )
            )
    return out


def _references(sig: etree._Element) -> list[str]:
    return [
        uri
        for ref in X.findall(sig, "ds:SignedInfo/ds:Reference")
        if (uri := ref.get("URI")) and not uri.startswith("#")
    ]


def _missing(report: SignatureReport, uris: list[str]) -> SignatureReport:
    finding = Finding(
        "asic.missing-data-file",
        f"the signature references {', '.join(map(repr, uris))}, which the container does not hold",
    )
    reasons = tuple(r for r in report.reasons if r.code != "xml.external-reference")
    if report.indication is Indication.TOTAL_FAILED:
        return replace(report, reasons=(*reasons, finding))
    return replace(
        report,
        indication=Indication.INDETERMINATE,
        sub_indication=SubIndication.SIGNED_DATA_NOT_FOUND,
        reasons=(finding, *reasons),
    )


def _format_failed(report: SignatureReport, findings: list[Finding]) -> SignatureReport:
    if report.indication is Indication.TOTAL_FAILED:
        return replace(report, reasons=(*report.reasons, *findings))
    return replace(
        report,
        indication=Indication.TOTAL_FAILED,
        sub_indication=SubIndication.FORMAT_FAILURE,
        reasons=(*findings, *report.reasons),
    )


def verify_asic_detailed(
    document: bytes,
    *,
    trust: object,
    validation_time: datetime,
    profile: ValidationProfile | str | None = None,
    constraints: XmlConstraints = XML_DEFAULT,
    revocation: RevocationData | None = None,
    name: str = "container.asice",
    limits: AsicLimits = DEFAULT_LIMITS,
) -> AsicVerification:
    """Like :func:`verify_asic`, also returning the container and what each signature covers."""
    if validation_time.tzinfo is None:
        raise InputError("validation_time must be timezone-aware")
    when = validation_time.astimezone(UTC)
    prof = _profile(profile)
    data = bytes(document)
    container = read_container(data, name=name, limits=limits)
    warnings = [*container.warnings, *_manifest_warnings(container, name)]
    structure = _format_findings(container)
    if container.kind == "ASiC-S" and container.signature_files[:1] not in (
        (),
        ("META-INF/signatures.xml",),
    ):
        warnings.append(
            Finding(
                "asic.signature-file-name",
                f"an ASiC-S signature file is META-INF/signatures.xml, not "
                f"{container.signature_files[0]}",
            )
        )
    signatures: list[SignatureReport] = []
    coverage: dict[str, tuple[str, ...]] = {}
    for sig_file in container.signature_files:
        content = container.entries[sig_file]
        root = X.parse(content, what=f"{name}: {sig_file}").getroot()
        qname = etree.QName(root)
        if not (
            (qname.localname == "XAdESSignatures" and (qname.namespace or "").startswith(_ASIC_NS))
            or (qname.localname == "Signature" and qname.namespace == X.DS)
        ):
            warnings.append(
                Finding(
                    "asic.signature-file-root",
                    f"{sig_file}: root element {X.qname(root.tag)} is not asic:XAdESSignatures",
                )
            )
        detached: dict[str, bytes] = {}
        missing: dict[str, list[str]] = {}
        covers: dict[str, tuple[str, ...]] = {}
        for sig in top_level_signatures(root):
            sig_id = sig.get("Id") or X.path_of(sig)
            files: list[str] = []
            for uri in _references(sig):
                target = unquote(uri)
                if target in container.entries and target != "mimetype":
                    detached[uri] = container.entries[target]
                    if target in container.data_files:
                        files.append(target)
                else:
                    missing.setdefault(sig_id, []).append(uri)
            covers[sig_id] = tuple(dict.fromkeys(files))
        sub = verify_xml(
            content,
            trust=trust,
            validation_time=when,
            profile=prof,
            constraints=constraints,
            detached_content=detached,
            revocation=revocation,
            name=sig_file,
        )
        if not sub.signatures:
            warnings.append(Finding("asic.signature-file-empty", f"{sig_file} holds no signature"))
        for entry in sub.signatures:
            if entry.kind == "signature" and entry.id in missing:
                entry = _missing(entry, missing[entry.id])
            if structure:
                entry = _format_failed(entry, structure)
            full_id = f"{sig_file}#{entry.id}"
            if entry.kind == "signature" and entry.id in covers:
                coverage[full_id] = covers[entry.id]
            signatures.append(replace(entry, id=full_id))
    covered = {f for files in coverage.values() for f in files}
    unsigned = tuple(f for f in container.data_files if f not in covered)
    if unsigned and signatures:
        warnings.append(
            Finding(
                "asic.unsigned-data-file",
                f"no signature covers {', '.join(map(repr, unsigned))}: whatever it says is not "
                "signed",
            )
        )
    if not signatures:
        warnings.append(Finding("asic.no-signature", "the container holds no XAdES signature"))
    report = ValidationReport(
        document_name=name,
        document_sha256=hashlib.sha256(data).hexdigest(),
        document_format=container.kind,
        validation_time=when,
        profile=f"{prof.name}+{constraints.name}",
        signatures=tuple(signatures),
        warnings=tuple(warnings),
    )
    return AsicVerification(report, container, MappingProxyType(coverage), unsigned)


def verify_asic(
    document: bytes,
    *,
    trust: object,
    validation_time: datetime,
    profile: ValidationProfile | str | None = None,
    constraints: XmlConstraints = XML_DEFAULT,
    revocation: RevocationData | None = None,
    name: str = "container.asice",
    limits: AsicLimits = DEFAULT_LIMITS,
) -> ValidationReport:
    """Verify every XAdES signature of the ASiC-E or ASiC-S container ``document``.

    One :class:`~esig.report.ValidationReport` for the container: every signature (and
    counter-signature) of every ``META-INF/*signatures*.xml``, its id prefixed with the file
    (``META-INF/signatures0.xml#S0``). Nothing is fetched; see :func:`esig.xades.verify_xml`
    for ``trust``, ``profile``, ``constraints`` and ``revocation``.

    :raises DocumentError: not a readable ASiC container (see :func:`read_container`), or a
        signature file that is not acceptable XML.
    :raises UnsupportedContainerError: CAdES, time-stamp tokens, evidence records, ODF, ADOC.
    :raises AsicLimitError: over ``limits`` (a ZIP bomb).
    """
    return verify_asic_detailed(
        document,
        trust=trust,
        validation_time=validation_time,
        profile=profile,
        constraints=constraints,
        revocation=revocation,
        name=name,
        limits=limits,
    ).report
