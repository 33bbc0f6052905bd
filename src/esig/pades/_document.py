"""Opening a PDF for verification and gathering its embedded validation material.

Every exception pyHanko's reader raises on a malformed file (it raises many kinds besides
``PdfError``) becomes :class:`~esig.errors.DocumentError` with a message for a person.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from asn1crypto import cms, crl, ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError, PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.general import (
    MultivaluedAttributeError,
    NonexistentAttributeError,
    find_unique_cms_attribute,
)
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from esig.errors import DocumentError
from esig.pades import _hexstring, _xrefcache
from esig.validation.chain import RevocationMaterial

_hexstring.install()  # pyHanko reads signature hex strings byte by byte
_xrefcache.install()  # and looks up introducing revisions section by section, every time

__all__ = [
    "PKCS7_SHA1",
    "LenientTwins",
    "OpenedPdf",
    "Unusable",
    "dss_material",
    "hidden_revision",
    "open_pdf",
    "pdf_errors",
    "signature_material",
    "tolerable_objection",
]

_HEADER_WINDOW = 1024


@contextmanager
def pdf_errors(what: str) -> Iterator[None]:
    """Turn any exception of the PDF stack into DocumentError (fail closed, never a traceback)."""
    try:
        yield
    except DocumentError:
        raise
    except RecursionError as exc:
        raise DocumentError(f"{what}: the PDF nests objects too deeply") from exc
    except MemoryError as exc:
        raise DocumentError(f"{what}: the PDF needs too much memory") from exc
    except PdfError as exc:
        raise DocumentError(f"{what}: malformed PDF: {exc}") from exc
    except Exception as exc:  # pyHanko raises KeyError, AssertionError, zlib.error... on junk
        raise DocumentError(f"{what}: malformed PDF ({type(exc).__name__}: {exc})") from exc


class Unusable(NamedTuple):
    """A filled signature field esig cannot verify, reported as such (never dropped)."""

    field: str
    code: str
    message: str


class OpenedPdf(NamedTuple):
    reader: PdfFileReader
    signatures: tuple[EmbeddedPdfSignature, ...]
    strict_objection: str | None
    """Why pyHanko's strict reader refused the file, when it had to be read leniently."""
    unusable: tuple[Unusable, ...] = ()
    """Filled signature fields with a /SubFilter esig does not support or a signature
    dictionary it cannot read: each becomes a failed signature in the report."""


def open_pdf(data: bytes, name: str) -> OpenedPdf:
    """Parse ``data`` and list its signatures and document time-stamps, in revision order.

    The file is read in pyHanko's strict mode. A file whose cross-reference sections break
    only a declaration rule of the strict reader (:data:`TOLERABLE_OBJECTIONS`: a /Size that
    shrinks or undercounts, an xref stream's object number reused) is read again leniently, as
    ISO 32000 readers read it, and the objection is returned so that every verdict can say so.
    Any other strict objection (an xref that does not parse, a generation that does not follow
    its free entry...) stays a DocumentError: a lenient reader would skip what a viewer's repair
    mode shows. The difference analysis of every later revision runs in full either way.

    Every filled signature field counts: one whose /SubFilter esig does not support, or whose
    signature dictionary cannot be read (no /ByteRange, /Contents null or not CMS, two
    SignerInfos...), is returned in ``unusable`` and the others are still verified.

    :raises DocumentError: not a PDF, truncated or malformed, encrypted, or no signature at all.
    """
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise DocumentError(f"{name}: not a PDF file (no %PDF- header)")
    if b"%%EOF" not in data[-_HEADER_WINDOW:]:
        raise DocumentError(f"{name}: truncated PDF (no %%EOF marker at the end)")
    objection: str | None = None
    with pdf_errors(name):
        try:
            reader, signatures, unusable = _read(data, strict=True)
        except PdfStrictReadError as exc:
            if not tolerable_objection(exc):
                raise
            objection = str(exc)
            reader, signatures, unusable = _read(data, strict=False)
        if reader.encrypted:
            raise DocumentError(f"{name}: encrypted PDFs are not supported")
    if not signatures and not unusable:
        raise DocumentError(f"{name}: the PDF has no signature or document time-stamp")
    return OpenedPdf(reader, signatures, objection, unusable)


#: the legacy PKCS #7 signature whose encapsulated content is the SHA-1 digest of the byte
#: range (ISO 32000-1 12.8.3.3.1; deprecated by ISO 32000-2): pyHanko passes it over, esig
#: verifies it (:func:`esig.pades._verify._cms_integrity`)
PKCS7_SHA1 = "/adbe.pkcs7.sha1"
#: the /SubFilter values esig verifies
SUBFILTERS = frozenset(
    {"/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/ETSI.RFC3161", PKCS7_SHA1}
)


def _read(
    data: bytes, *, strict: bool
) -> tuple[PdfFileReader, tuple[EmbeddedPdfSignature, ...], tuple[Unusable, ...]]:
    """The reader, its signatures (in revision order) and the filled signature fields esig
    cannot verify. pyHanko's own list (``embedded_signatures``) logs and skips a /SubFilter it
    does not know and fails as a whole on one unreadable signature dictionary; this one does
    neither."""
    reader = PdfFileReader(io.BytesIO(data), strict=strict)
    if reader.encrypted:
        return reader, (), ()
    found: list[EmbeddedPdfSignature] = []
    unusable: list[Unusable] = []
    for name, value, field in enumerate_sig_fields(reader, filled_status=True):
        subfilter = value.get_object().get("/SubFilter")
        if subfilter not in SUBFILTERS:
            unusable.append(
                Unusable(
                    str(name),
                    "pdf.unsupported-subfilter",
                    f"the signature's /SubFilter {subfilter or 'none'} is not supported "
                    "(ISO 32000-2 deprecates adbe.x509.rsa_sha1; PAdES uses "
                    "ETSI.CAdES.detached): esig cannot validate this signature",
                )
            )
            continue
        try:
            found.append(EmbeddedPdfSignature(reader, field, str(name)))
        except Exception as exc:  # no /ByteRange, /Contents null or not CMS, 2 SignerInfos...
            unusable.append(
                Unusable(
                    str(name),
                    "pdf.unreadable-signature",
                    f"the signature dictionary cannot be read ({type(exc).__name__}: {exc})",
                )
            )
    found.sort(key=lambda sig: sig.signed_revision)
    return reader, tuple(found), tuple(unusable)


#: pyHanko strict-mode objections to what a file declares, not to what it holds: the lenient
#: reading of such a file finds the same objects (DSS-2821, hello_signed_INCSAVE_signed).
TOLERABLE_OBJECTIONS = (
    "XRef stream objects must not be clobbered",
    "XRef section sizes must be nondecreasing",
    "Xref table size mismatch",
)
#: and, during the difference analysis, a reference to an object that is not defined (null by
#: ISO 32000-1 7.3.10)
_UNDEFINED_OBJECT = "not found in the current context"


def tolerable_objection(exc: PdfStrictReadError, *, analysing: bool = False) -> bool:
    """Whether a lenient reading may stand in for the strict one after ``exc``."""
    text = str(exc)
    return text.startswith(TOLERABLE_OBJECTIONS) or (analysing and _UNDEFINED_OBJECT in text)


class LenientTwins:
    """The signatures of a lenient reading of the same bytes, read once, on first need.

    pyHanko's strict reader refuses to analyse revisions of hybrid-reference files and raises
    on references to undefined objects; a lenient reader analyses hybrid sections as ISO
    32000-2 7.5.8.4 prescribes and reads undefined objects as null (ISO 32000-1 7.3.10).
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._signatures: tuple[EmbeddedPdfSignature, ...] | None = None

    def of(self, sig: EmbeddedPdfSignature) -> EmbeddedPdfSignature:
        """The same signature (same field, same byte range) in the lenient reading.

        :raises DocumentError: the lenient reading fails or has no such signature.
        """
        with pdf_errors("lenient reading"):
            if self._signatures is None:
                self._signatures = _read(self._data, strict=False)[1]
            for twin in self._signatures:
                if twin.field_name == sig.field_name and repr(twin.byte_range) == repr(
                    sig.byte_range
                ):
                    return twin
        raise DocumentError(f"lenient reading: no signature {sig.field_name!r}")


#: what a revision (or an object outside any revision) is made of
_REVISION_SYNTAX = re.compile(rb"startxref|\bxref\b|\btrailer\b|\b\d+\s+\d+\s+obj\b")
#: an object header at the start of a line, as a viewer's repair mode scans for them
_OBJECT_HEADER = re.compile(rb"(?:\A|(?<=[\r\n]))[ \t]*(\d+)[ \t\r\n]+(\d+)[ \t\r\n]+obj\b")
_WHITESPACE = b" \t\r\n\f\x00"


def hidden_revision(
    data: bytes, reader: PdfFileReader, signatures: tuple[EmbeddedPdfSignature, ...]
) -> str | None:
    """Why the file holds an update after signing that the reader does not read, or None.

    pyHanko, like every reader, finds the newest revision from the last ``%%EOF`` and each
    object through a cross-reference section. An update appended with a damaged ``%%EOF``, or
    object bodies that no cross-reference section indexes, are then invisible to its difference
    analysis, while viewers (which look for the last ``startxref``, or rebuild the index by
    scanning for ``N G obj`` when it is broken) show them. Checked: revision syntax after the
    last ``%%EOF``, and every object header after the first signed revision. A comment or
    whitespace after ``%%EOF`` is not an update.
    """
    end = data.rfind(b"%%EOF")
    tail = data[end + 5 :] if end >= 0 else b""
    found = _REVISION_SYNTAX.search(tail)
    if found is not None:
        token = found.group().decode("latin-1").split()[-1]
        return (
            f"{len(tail)} bytes after the last %%EOF hold PDF revision syntax ({token!r}): "
            "an update that a viewer may show and the signature's analysis cannot see"
        )
    signed_end = min((_signed_end(sig) for sig in signatures), default=len(data))
    known: list[tuple[int, int]] | None = None
    for header in _OBJECT_HEADER.finditer(data, signed_end):
        if known is None:
            known = _object_extents(data, reader, signed_end)
        at = header.start(1)
        i = bisect.bisect_right(known, (at, len(data) + 1)) - 1
        if i >= 0:
            start, stop = known[i]
            # the indexed object's own header, or text inside its body (a stream's bytes)
            if at < stop or not data[start:at].strip(_WHITESPACE):
                continue
        obj = f"{int(header.group(1))} {int(header.group(2))} obj"
        return (
            f"object {obj!r} at offset {at}, after the signed revision, is in no "
            "cross-reference section: a viewer that rebuilds a broken index shows it, the "
            "signature's analysis cannot see it"
        )
    return None


def _signed_end(sig: EmbeddedPdfSignature) -> int:
    try:
        return int(sig.byte_range[2]) + int(sig.byte_range[3])
    except (TypeError, ValueError, IndexError, KeyError):
        return 0


def _object_extents(data: bytes, reader: PdfFileReader, after: int) -> list[tuple[int, int]]:
    """(start, end) of every object a cross-reference section indexes from offset ``after`` on
    (a revision ends with its ``%%EOF``: no object before runs past it), sorted; the end is the
    object's ``endobj`` (or the start when there is none)."""
    xrefs = reader.xrefs
    starts: set[int] = set()
    for rev in range(xrefs.total_revisions):
        section = xrefs.get_xref_data(rev)
        parts = [section] if section.hybrid is None else [section, section.hybrid.xref_data]
        for part in parts:
            starts.update(offset for _, offset in part.standard_xrefs.values())
        starts.add(xrefs.get_xref_container_info(rev).start_location)
        if section.hybrid is not None:
            starts.add(section.hybrid.meta_info.start_location)
    extents = []
    for start in sorted(x for x in starts if x >= after):
        stop = data.find(b"endobj", start)
        extents.append((start, stop if stop >= 0 else start))
    return extents


def dss_material(reader: PdfFileReader) -> tuple[RevocationMaterial, bool]:
    """Certificates, OCSP responses and CRLs of the Document Security Store (all VRI entries
    included: they reference the same streams). Returns (material, DSS present)."""
    with pdf_errors("DSS"):
        try:
            dss = DocumentSecurityStore.read_dss(reader)
        except NoDSSFoundError:
            return RevocationMaterial(), False
        ocsps = tuple(ocsp.OCSPResponse.load(o.get_object().data) for o in dss.ocsps)
        crls = tuple(crl.CertificateList.load(c.get_object().data) for c in dss.crls)
        certs = tuple(dss.load_certs())
    return RevocationMaterial(certs, crls, ocsps), True


def signature_material(sig: EmbeddedPdfSignature) -> RevocationMaterial:
    """Certificates of the CMS and the Adobe revocation-info-archival attribute's data."""
    signed_data: cms.SignedData = sig.signed_data
    certs: list[asn1_x509.Certificate] = [
        c.chosen for c in signed_data["certificates"] or () if c.name == "certificate"
    ]
    crls: tuple[crl.CertificateList, ...] = ()
    ocsps: tuple[ocsp.OCSPResponse, ...] = ()
    try:
        ria = find_unique_cms_attribute(
            sig.signer_info["signed_attrs"], "adobe_revocation_info_archival"
        )
        crls = tuple(ria["crl"] or ())
        ocsps = tuple(ria["ocsp"] or ())
    except (MultivaluedAttributeError, NonexistentAttributeError):
        pass
    return RevocationMaterial(tuple(certs), crls, ocsps)


def merge(*parts: RevocationMaterial) -> RevocationMaterial:
    return RevocationMaterial(
        tuple(c for p in parts for c in p.certs),
        tuple(c for p in parts for c in p.crls),
        tuple(o for p in parts for o in p.ocsps),
    )
