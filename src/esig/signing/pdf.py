"""PAdES signing at B-B, B-T, B-LT and B-LTA, and raising the level of existing signatures.

Built on pyHanko's ``PdfSigner`` (incremental update, CMS, DSS). esig adds: a level as one
parameter, refusal to sign with an expired, revoked or non-signing certificate (fail closed:
if revocation cannot be checked, esig does not sign unless told to skip the check), clear errors
for encrypted, certified and non-PDF input, and output written atomically beside the target.
"""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from esig.errors import ConfigurationError, DocumentError, SigningError
from esig.pades import _hexstring
from esig.report import SignatureLevel
from esig.signing.keys import Signer, token_error
from esig.signing.stamp import VisibleStamp

_hexstring.install()  # pyHanko reads signature hex strings byte by byte

__all__ = ["RevocationMaterial", "extend_pdf", "sign_pdf", "sign_pdf_file", "sign_pdfs"]

_LEVELS = (SignatureLevel.B_B, SignatureLevel.B_T, SignatureLevel.B_LT, SignatureLevel.B_LTA)


@dataclass(frozen=True)
class RevocationMaterial:
    """Revocation data for the signer's chain: given OCSP responses and CRLs (DER), and whether
    esig may fetch more from the URLs in the certificates (OCSP/CRL distribution points)."""

    ocsp_responses: tuple[bytes, ...] = ()
    crls: tuple[bytes, ...] = ()
    allow_fetching: bool = False


def _level(level: SignatureLevel | str) -> SignatureLevel:
    try:
        value = SignatureLevel(level)
    except ValueError:
        value = None
    if value not in _LEVELS:
        raise SigningError(f"unknown signature level {level!r}: use B-B, B-T, B-LT or B-LTA")
    assert value is not None
    return value


def _read(document: bytes | str | os.PathLike[str]) -> bytes:
    if isinstance(document, bytes):
        return document
    try:
        return Path(document).read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read {document}: {exc.strerror}") from exc


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _validation_context(
    signer: Signer,
    revocation: RevocationMaterial,
    at: datetime | None,
    backend: Any,
    extra_roots: Sequence[x509.Certificate] = (),
) -> Any:
    from pyhanko_certvalidator import ValidationContext

    try:
        ocsps = [asn1_ocsp.OCSPResponse.load(d) for d in revocation.ocsp_responses]
        crls = [asn1_crl.CertificateList.load(d) for d in revocation.crls]
        for item in (*ocsps, *crls):
            _ = item.native  # force parsing now, not deep inside pyHanko
    except ValueError as exc:
        raise SigningError(f"unreadable revocation data given: {exc}") from exc
    return ValidationContext(
        trust_roots=[_asn1(c) for c in (signer.chain[-1], *extra_roots)],
        other_certs=[_asn1(c) for c in signer.chain[1:-1]],
        ocsps=ocsps,
        crls=crls,
        allow_fetching=revocation.allow_fetching,
        fetcher_backend=backend,
        revocation_mode="require",
        moment=at,
        time_tolerance=timedelta(0),
    )


def _holder(cert: x509.Certificate) -> str:
    from esig.certs import read_certificate

    return read_certificate(cert.public_bytes(Encoding.DER)).holder_name


async def _check_revocation(signer: Signer, context: Any) -> None:
    """Refuse a revoked signer certificate; refuse when revocation cannot be established."""
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import (
        PathBuildingError,
        PathValidationError,
        RevokedError,
    )

    validator = CertificateValidator(
        _asn1(signer.certificate),
        intermediate_certs=[_asn1(c) for c in signer.chain[1:]],
        validation_context=context,
    )
    try:
        await validator.async_validate_usage(set())  # type: ignore[no-untyped-call]
    except RevokedError as exc:
        raise SigningError(
            f"refusing to sign: the certificate of {_holder(signer.certificate)} is revoked ({exc})"
        ) from exc
    except (PathValidationError, PathBuildingError) as exc:
        raise SigningError(
            f"refusing to sign: cannot establish that the certificate of "
            f"{_holder(signer.certificate)} is not revoked ({exc}); give revocation data, "
            "allow fetching, or pass check_revocation=False"
        ) from exc


def _timestamper_for(timestamper: Any, backend: Any) -> Any:
    if timestamper is None or not isinstance(timestamper, str):
        return timestamper
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(timestamper, session=backend.session)


def _open(data: bytes, password: str | None) -> Any:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise DocumentError("not a PDF document (no %PDF- header)")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AssertionError) as exc:
        raise DocumentError(f"malformed PDF: {exc!s:.200}") from exc
    if writer.prev.encrypted:
        if password is None:
            raise DocumentError("the PDF is encrypted: give its password")
        try:
            result = writer.encrypt(password.encode())  # type: ignore[no-untyped-call]
        except (PdfError, ValueError) as exc:
            raise DocumentError(f"cannot decrypt the PDF: {exc!s:.200}") from exc
        if getattr(result, "status", None) is not None and result.status.name == "FAILED":
            raise DocumentError("wrong password for the encrypted PDF")
    return writer


def sign_pdf(
    document: bytes | str | os.PathLike[str],
    signer: Signer,
    *,
    level: SignatureLevel | str = SignatureLevel.B_B,
    timestamper: Any = None,
    revocation: RevocationMaterial = RevocationMaterial(),
    check_revocation: bool = True,
    field_name: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    password: str | None = None,
    at: datetime | None = None,
    trust_roots: Sequence[x509.Certificate] = (),
    stamp: VisibleStamp | None = None,
    digest: str = "sha256",
) -> bytes:
    """Sign a PDF and return the signed bytes (the input is never modified).

    :param level: B-B, B-T (needs ``timestamper``), B-LT (embeds the chain's revocation data in
        the DSS) or B-LTA (adds a document time-stamp over it).
    :param timestamper: a TSA URL or a pyHanko ``TimeStamper``.
    :param revocation: revocation data for the signer's chain, used to refuse a revoked
        certificate and, at B-LT/B-LTA, embedded in the document.
    :param check_revocation: set False only to sign without knowing whether the certificate is
        revoked (B-B/B-T only; B-LT needs the data anyway).
    :param at: the moment the certificate checks use (default: now).
    :param trust_roots: roots besides the signer's own (e.g. the TSA's), needed at B-LT/B-LTA
        to collect the time-stamp's validation data.
    :param stamp: a visible stamp (signer name, national identifier, time); None: invisible.
    :param digest: the message digest: sha256 (default), sha384 or sha512.
    :raises SigningError: refused certificate, missing TSA for the level, pyHanko refusal
        (e.g. a certification signature forbids changes).
    :raises DocumentError: not a PDF, malformed, encrypted without (the right) password.
    """
    (signed,) = sign_pdfs(
        [document],
        signer,
        level=level,
        timestamper=timestamper,
        revocation=revocation,
        check_revocation=check_revocation,
        field_name=field_name,
        reason=reason,
        location=location,
        password=password,
        at=at,
        trust_roots=trust_roots,
        stamp=stamp,
        digest=digest,
    )
    return signed


def sign_pdfs(
    documents: Sequence[bytes | str | os.PathLike[str]],
    signer: Signer,
    *,
    level: SignatureLevel | str = SignatureLevel.B_B,
    timestamper: Any = None,
    revocation: RevocationMaterial = RevocationMaterial(),
    check_revocation: bool = True,
    field_name: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    password: str | None = None,
    at: datetime | None = None,
    trust_roots: Sequence[x509.Certificate] = (),
    stamp: VisibleStamp | None = None,
    digest: str = "sha256",
    jobs: int = 1,
) -> list[bytes]:
    """Sign many PDFs with one signer: the certificate and its revocation status are checked
    once for the batch (at ``at``), then each document is signed. Options as :func:`sign_pdf`;
    the first failing document raises and nothing is returned.

    :param jobs: with a key-file signer, sign in this many processes (forked, so the loaded key
        is shared, never serialised); results keep the input order. POSIX only.
    """
    if jobs > 1 and len(documents) > jobs:
        options: dict[str, Any] = {
            "level": level,
            "timestamper": timestamper,
            "revocation": revocation,
            "check_revocation": check_revocation,
            "field_name": field_name,
            "reason": reason,
            "location": location,
            "password": password,
            "at": at,
            "trust_roots": trust_roots,
            "stamp": stamp,
            "digest": digest,
        }
        return _sign_in_processes(documents, signer, jobs, options)
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.general import SigningError as PyhankoSigningError
    from pyhanko_certvalidator.errors import (
        InvalidCertificateError,
        PathBuildingError,
        PathValidationError,
    )
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    lvl = _level(level)
    if digest not in ("sha256", "sha384", "sha512"):
        raise SigningError(f"unsupported digest {digest!r}: use sha256, sha384 or sha512")
    signer.check_usable(at or datetime.now(UTC))
    if lvl is not SignatureLevel.B_B and timestamper is None:
        raise SigningError(f"level {lvl.value} needs a time-stamping authority (timestamper)")
    long_term = lvl in (SignatureLevel.B_LT, SignatureLevel.B_LTA)
    writers = [_open(_read(document), password) for document in documents]

    async def run() -> list[bytes]:
        # One event loop and one HTTP session for revocation checks, time-stamps and DSS data.
        backend = AIOHttpFetcherBackend()
        try:
            context = _validation_context(signer, revocation, at, backend, trust_roots)
            if check_revocation or long_term:
                await _check_revocation(signer, context)
            # B-B carries no time-stamp even when a TSA is configured.
            tsa = None if lvl is SignatureLevel.B_B else _timestamper_for(timestamper, backend)
            return [
                await _sign_one(
                    writer,
                    signer,
                    lvl,
                    tsa,
                    context if long_term else None,
                    (field_name, reason, location),
                    stamp,
                    digest,
                )
                for writer in writers
            ]
        finally:
            await backend.close()  # type: ignore[no-untyped-call]

    try:
        return asyncio.run(run())
    except (SigningError, DocumentError):
        raise
    except PyhankoSigningError as exc:
        raise SigningError(f"pyHanko refused to sign: {exc}") from exc
    except InvalidCertificateError as exc:
        raise SigningError(f"refusing to sign: {exc}") from exc
    except (PathBuildingError, PathValidationError) as exc:
        raise SigningError(
            f"cannot collect validation data for {lvl.value}: {exc!s:.300}; give the missing "
            "root (e.g. the time-stamping authority's) in trust_roots"
        ) from exc
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"cannot sign this PDF: {exc!s:.200}") from exc
    except Exception as exc:
        error = token_error(exc)
        if error is None:
            raise
        raise error from exc


#: What forked workers sign: set by the parent just before it forks, never pickled.
_FORK_JOB: tuple[Sequence[bytes | str | os.PathLike[str]], Signer, dict[str, Any]] | None = None


def _sign_chunk(bounds: tuple[int, int]) -> list[bytes]:
    assert _FORK_JOB is not None, "worker started without a job"
    documents, signer, options = _FORK_JOB
    return sign_pdfs(documents[bounds[0] : bounds[1]], signer, **options)


def _sign_in_processes(
    documents: Sequence[bytes | str | os.PathLike[str]],
    signer: Signer,
    jobs: int,
    options: dict[str, Any],
) -> list[bytes]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _FORK_JOB
    if signer.private_key is None:
        raise SigningError("jobs > 1 needs a key file signer: a token cannot be shared")
    if "fork" not in multiprocessing.get_all_start_methods():
        raise ConfigurationError("jobs > 1 needs the fork start method (POSIX)")
    # The first document goes through every check (certificate, revocation); the rest only
    # re-check the certificate's validity, in the workers.
    first = sign_pdfs(documents[:1], signer, **options)
    rest = len(documents) - 1
    step = -(-rest // jobs)
    bounds = [(lo, min(lo + step, len(documents))) for lo in range(1, len(documents), step)]
    _FORK_JOB = (documents, signer, {**options, "check_revocation": False})
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            parts = list(pool.map(_sign_chunk, bounds))
    finally:
        _FORK_JOB = None
    return first + [signed for part in parts for signed in part]


async def _sign_one(
    writer: Any,
    signer: Signer,
    lvl: SignatureLevel,
    tsa: Any,
    context: Any,
    texts: tuple[str | None, str | None, str | None],
    stamp: VisibleStamp | None,
    digest: str,
) -> bytes:
    from pyhanko.sign import fields, signers

    field_name, reason, location = texts
    name = field_name or _free_field_name(writer)
    visible = stamp.pyhanko_options(name, signer.certificate) if stamp is not None else {}
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm=digest,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        embed_validation_info=context is not None,
        use_pades_lta=lvl is SignatureLevel.B_LTA,
        validation_context=context,
        signer_key_usage=_signing_key_usages(signer),
    )
    out = io.BytesIO()
    pdf_signer = signers.PdfSigner(meta, signer=signer.pyhanko_signer, timestamper=tsa, **visible)
    await pdf_signer.async_sign_pdf(writer, output=out, bytes_reserved=_reserve(signer, lvl))
    return out.getvalue()


def _signing_key_usages(signer: Signer) -> set[str]:
    """What pyHanko's pre-signing check should require: the certificate's own signing bits
    (e-seals often carry digitalSignature only, EN 319 412-2 option C)."""
    try:
        ku = signer.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return set()
    usages = {"non_repudiation"} if ku.content_commitment else set()
    return usages or ({"digital_signature"} if ku.digital_signature else set())


def _reserve(signer: Signer, level: SignatureLevel) -> int | None:
    """Bytes to reserve for the CMS at B-B/B-T, so pyHanko skips its trial signature (which
    costs as much as the real one); B-LT/B-LTA let pyHanko estimate."""
    if level not in (SignatureLevel.B_B, SignatureLevel.B_T):
        return None
    certs = sum(len(c.public_bytes(Encoding.DER)) for c in signer.chain)
    # Generous: unused space is zero padding; too little space is a failed signature.
    return 2 * certs + (24576 if level is SignatureLevel.B_T else 8192)


def _free_field_name(writer: Any) -> str:
    from pyhanko.sign import fields

    taken = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev)}
    n = 1
    while f"Signature{n}" in taken:
        n += 1
    return f"Signature{n}"


def extend_pdf(
    document: bytes | str | os.PathLike[str],
    *,
    level: SignatureLevel | str,
    timestamper: Any,
    revocation: RevocationMaterial,
    trust_roots: Sequence[x509.Certificate],
) -> bytes:
    """Raise the level of the signatures in a PDF: B-LT adds validation data (DSS) for every
    signature; B-LTA adds a document time-stamp over it (call again later to add the next
    archive time-stamp before the previous one's certificate expires).

    :param trust_roots: the roots of the signers' chains (used to collect their revocation data).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.general import SigningError as PyhankoSigningError
    from pyhanko.sign.validation.dss import async_add_validation_info
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    lvl = _level(level)
    if lvl not in (SignatureLevel.B_LT, SignatureLevel.B_LTA):
        raise SigningError("a PDF signature can only be extended to B-LT or B-LTA")
    if lvl is SignatureLevel.B_LTA and timestamper is None:
        raise SigningError("B-LTA needs a time-stamping authority (timestamper)")
    data = _read(document)
    _open(data, None)

    def reader(pdf: bytes) -> Any:
        return PdfFileReader(io.BytesIO(pdf), strict=False)

    if not reader(data).embedded_signatures:
        raise DocumentError("the PDF has no signature to extend")

    async def run() -> bytes:
        backend = AIOHttpFetcherBackend()
        try:
            context = ValidationContext(
                trust_roots=[_asn1(c) for c in trust_roots],
                ocsps=[asn1_ocsp.OCSPResponse.load(d) for d in revocation.ocsp_responses],
                crls=[asn1_crl.CertificateList.load(d) for d in revocation.crls],
                allow_fetching=revocation.allow_fetching,
                fetcher_backend=backend,
                revocation_mode="require",
            )
            current = data
            count = len(reader(data).embedded_signatures)
            for index in range(count):
                sig = reader(current).embedded_signatures[index]
                out = io.BytesIO()
                await async_add_validation_info(sig, context, output=out, force_write=True)
                current = out.getvalue()
            if lvl is SignatureLevel.B_LTA:
                from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

                out = io.BytesIO()
                stamper = signers.PdfTimeStamper(_timestamper_for(timestamper, backend))
                await stamper.async_timestamp_pdf(
                    IncrementalPdfFileWriter(io.BytesIO(current), strict=False),
                    "sha256",
                    context,
                    output=out,
                )
                current = out.getvalue()
            return current
        finally:
            await backend.close()  # type: ignore[no-untyped-call]

    try:
        return asyncio.run(run())
    except (SigningError, DocumentError):
        raise
    except PyhankoSigningError as exc:
        raise SigningError(f"cannot extend: {exc}") from exc
    except Exception as exc:  # pyHanko raises many kinds of exception on odd PDFs
        raise SigningError(f"cannot extend this PDF: {type(exc).__name__}: {exc!s:.200}") from exc


def sign_pdf_file(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    signer: Signer,
    **options: Any,
) -> Path:
    """Sign ``source`` into ``target`` atomically: the signed bytes are written to a temporary
    file in the target's directory and moved into place; on any error nothing is left behind
    and ``source`` is untouched. ``target`` must differ from ``source``."""
    src, dst = Path(source), Path(target)
    refuse_overwriting_input(src, dst)
    signed = sign_pdf(src, signer, **options)
    write_atomically(dst, signed)
    return dst


def refuse_overwriting_input(source: Path, target: Path) -> None:
    """Raise :class:`SigningError` when ``target`` is ``source`` (the input is never modified)."""
    if source.exists() and target.exists() and source.resolve() == target.resolve():
        raise SigningError("the output must not overwrite the input document")


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a temporary file and a rename (no partial output)."""
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise SigningError(f"cannot write to {directory}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
