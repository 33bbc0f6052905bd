"""The public entry points :func:`verify` and :func:`averify`."""

from __future__ import annotations

import asyncio
import concurrent.futures
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path

from esig.errors import DocumentError, InputError, ResourceLimitError
from esig.policy import DEFAULT_PROFILE, ValidationProfile, load_profile
from esig.report import ValidationReport
from esig.validation._trust import as_trust_source

__all__ = ["averify", "verify"]

#: Documents above this size are refused with ResourceLimitError.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

Document = bytes | bytearray | memoryview | str | PathLike[str]


def _read(document: Document) -> tuple[bytes, str]:
    if isinstance(document, bytes | bytearray | memoryview):
        return bytes(document), "document"
    path = Path(document)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise ResourceLimitError(
                f"{path}: {size} bytes is more than esig verifies ({MAX_DOCUMENT_BYTES})"
            )
        return path.read_bytes(), path.name
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


async def averify(
    document: Document,
    *,
    trust: object,
    profile: ValidationProfile | str | None = None,
    validation_time: datetime | None = None,
) -> ValidationReport:
    """Asynchronous :func:`verify` (use inside a running event loop)."""
    source = as_trust_source(trust)
    if profile is None:
        prof = DEFAULT_PROFILE
    elif isinstance(profile, ValidationProfile):
        prof = profile
    else:
        prof = load_profile(profile)
    when = validation_time or datetime.now(UTC)
    if when.tzinfo is None:
        raise InputError("validation_time must be timezone-aware")
    data, name = _read(document)
    if b"%PDF-" in data[:1024]:
        from esig.pades import verify_pdf

        return await verify_pdf(
            data, name, trust=source, profile=prof, validation_time=when.astimezone(UTC)
        )
    if data[:4] == b"PK\x03\x04":  # a ZIP: an ASiC container (esig.asic)
        from esig.asic import verify_asic

        report = await asyncio.to_thread(
            verify_asic,
            data,
            trust=source,
            validation_time=when.astimezone(UTC),
            profile=prof,
            name=name,
        )
        if not report.signatures:
            raise DocumentError(f"{name}: the container has no signature")
        return report
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        from esig.asic import check_not_ddoc
        from esig.xades import UBL_TR_STRICT, XML_DEFAULT, verify_xml

        check_not_ddoc(data, name)  # DigiDoc XML containers: not supported

        # UBL documents (Turkish e-invoices) carry their signature in the first UBL extension;
        # any other XML must have it at the root. Strict either way (legacy quirks fail).
        ubl = b"urn:oasis:names:specification:ubl:schema:xsd:" in data[:4096]
        # XAdES validation is synchronous (lxml); keep the event loop free meanwhile.
        report = await asyncio.to_thread(
            verify_xml,
            data,
            trust=source,
            validation_time=when.astimezone(UTC),
            profile=prof,
            constraints=UBL_TR_STRICT if ubl else XML_DEFAULT,
            name=name,
        )
        if not report.signatures:  # as for PDFs: nothing to verify is unusable input
            raise DocumentError(f"{name}: the XML document has no signature")
        return report
    raise DocumentError(
        f"{name}: neither a PDF (no %PDF- header), an XML document nor an ASiC container"
    )


def verify(
    document: Document,
    *,
    trust: object,
    profile: ValidationProfile | str | None = None,
    validation_time: datetime | None = None,
) -> ValidationReport:
    """Verify every signature of ``document`` (PDF, XML or ASiC, bytes or a path); return the
    report.

    PDFs are verified as PAdES (:mod:`esig.pades`), XML as XAdES / XML-DSig
    (:func:`esig.xades.verify_xml` with its default constraints: enveloped signatures at the
    document root or in a UBL extension, no XPath transforms, no external references), ZIP
    files as ASiC-E / ASiC-S containers with XAdES signatures (:func:`esig.asic.verify_asic`).

    :param trust: a :class:`~esig.trust.source.TrustSource` (e.g. a TrustStore) or a list of
        anchor certificates (``cryptography.x509.Certificate``; qualification is then N/A).
        The operating system's CA store is never used.
    :param profile: a :class:`~esig.policy.ValidationProfile`, a bundled profile name
        (``default``, ``eu-qes``, ``customs-az-tr``) or a path to a TOML profile.
    :param validation_time: the time to validate at (timezone-aware; default: now). Recorded
        in the report.
    :raises DocumentError: neither PDF, XML nor ASiC, malformed, truncated, encrypted, hostile
        XML (DTD, entities) or ZIP (see :mod:`esig.asic`), or without signature.
    :raises ConfigurationError: no usable trust.
    :raises ProfileError: an unknown or malformed profile.
    """
    coro = averify(document, trust=trust, profile=profile, validation_time=validation_time)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # inside a running loop
        return pool.submit(asyncio.run, coro).result()
