"""Reading an ASiC container (ETSI EN 319 162-1) from bytes, safely (private module).

Nothing is extracted to disk and nothing is fetched. Every entry is read in memory under limits
(entry count, total uncompressed size, compression ratio), checked while inflating, not only from
the sizes the ZIP directory declares. Refused with :class:`~esig.errors.DocumentError`: a
non-ZIP, a missing or unknown ``mimetype``, duplicate entry names, absolute, ``..``, ``.`` or
empty path segments, backslashes, encrypted entries and unknown compression methods. Limits
raise :class:`AsicLimitError` (a ResourceLimitError that is also a DocumentError).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from esig.errors import DocumentError, ResourceLimitError
from esig.report import Finding

__all__ = [
    "ASIC_E",
    "ASIC_S",
    "DEFAULT_LIMITS",
    "AsicLimitError",
    "AsicLimits",
    "Container",
    "UnsupportedContainerError",
    "check_not_ddoc",
    "read_container",
]

ASIC_E = "application/vnd.etsi.asic-e+zip"
ASIC_S = "application/vnd.etsi.asic-s+zip"
#: BDOC 1.0 (Estonia, before BDOC 2.1 adopted ASiC-E): read as ASiC-E, with a warning.
BDOC_10 = "application/vnd.bdoc-1.0"
_KINDS = {ASIC_E: "ASiC-E", ASIC_S: "ASiC-S", BDOC_10: "ASiC-E"}
_UNSUPPORTED_TYPES = {
    "application/vnd.oasis.opendocument.": "OpenDocument (ODF) signatures",
    "application/vnd.lt.archyvai.adoc": "ADOC (Lithuanian) containers",
}

_ZIP_MAGIC = b"PK\x03\x04"
_SIGNATURE_FILE = re.compile(r"^META-INF/[^/]*signatures[^/]*\.xml$", re.IGNORECASE)
_CADES_FILE = re.compile(r"^META-INF/[^/]*signature[^/]*\.p7s$", re.IGNORECASE)
_TIMESTAMP_FILE = re.compile(r"^META-INF/[^/]*\.tst$", re.IGNORECASE)
_EVIDENCE_FILE = re.compile(r"^META-INF/[^/]*evidencerecord[^/]*\.(?:ers|xml)$", re.IGNORECASE)
_CHUNK = 64 * 1024


class AsicLimitError(ResourceLimitError, DocumentError):
    """A container over a limit (entries, total size, compression ratio): a likely ZIP bomb."""


class UnsupportedContainerError(DocumentError):
    """A well-formed container of a kind esig does not verify (CAdES, time-stamp tokens,
    evidence records, ODF, ADOC). ``feature`` names it, e.g. ``"CAdES signatures in ASiC"``."""

    def __init__(self, message: str, feature: str = "") -> None:
        super().__init__(message)
        self.feature = feature or message


@dataclass(frozen=True)
class AsicLimits:
    """What a container may hold before esig stops reading it.

    ``max_ratio`` applies to entries of more than ``ratio_floor`` uncompressed bytes (small
    entries legitimately compress very well).
    """

    max_entries: int = 1000
    max_total_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 100
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = AsicLimits()


@dataclass(frozen=True)
class Container:
    """An ASiC container as read: its type, entries and what each entry is.

    ``entries`` maps every file (not directory) name to its bytes. ``data_files`` are the entries
    outside ``META-INF/`` other than ``mimetype``, in ZIP order; ``signature_files`` the
    ``META-INF/*signatures*.xml`` entries. ``warnings`` say where the container departs from
    EN 319 162-1 without being refused.
    """

    kind: str  # "ASiC-E" or "ASiC-S"
    mimetype: str
    entries: Mapping[str, bytes]
    data_files: tuple[str, ...]
    signature_files: tuple[str, ...]
    manifest: bytes | None = None
    warnings: tuple[Finding, ...] = field(default=())


_DDOC_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?SignedDoc[\s>/]")


def check_not_ddoc(data: bytes, name: str = "document") -> None:
    """Refuse a DigiDoc (DDOC, ``SignedDoc`` root) XML container: not supported."""
    if _DDOC_ROOT.search(bytes(data[:4096])):
        raise UnsupportedContainerError(
            f"{name}: DigiDoc (DDOC) containers: not supported", "DigiDoc (DDOC) containers"
        )


def _check_name(name: str, where: str) -> None:
    if not name or "\x00" in name:
        raise DocumentError(f"{where}: an entry has an empty or NUL-containing name")
    if "\\" in name:
        raise DocumentError(f"{where}: entry {name!r} contains a backslash (refused)")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise DocumentError(f"{where}: entry {name!r} has an absolute path (refused)")
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    for part in parts:
        if part in ("", ".", ".."):
            raise DocumentError(
                f"{where}: entry {name!r} has a {part or 'empty'!r} path segment "
                "(path traversal refused)"
            )


#: What zipfile and zlib raise on a damaged container (found by tests/asic/test_fuzz.py:
#: zlib.error from a corrupt deflate stream, struct.error from truncated headers,
#: NotImplementedError for a damaged version field).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    ValueError,
    zlib.error,
    struct.error,
    OverflowError,
    NotImplementedError,
)


def _read_entry(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, limits: AsicLimits, where: str
) -> bytes:
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                out += chunk
                if len(out) > budget:
                    raise AsicLimitError(
                        f"{where}: the entries inflate to more than {limits.max_total_bytes} "
                        "bytes (ZIP bomb refused)"
                    )
                if len(out) > limits.ratio_floor and len(out) > limits.max_ratio * max(
                    info.compress_size, 1
                ):
                    raise AsicLimitError(
                        f"{where}: entry {info.filename!r} inflates more than {limits.max_ratio} "
                        "times its compressed size (ZIP bomb refused)"
                    )
    except _ZIP_ERRORS as exc:
        if isinstance(exc, DocumentError):
            raise
        raise DocumentError(f"{where}: entry {info.filename!r} cannot be read: {exc}") from exc
    return bytes(out)


def _mimetype(raw: bytes, where: str, warnings: list[Finding]) -> str:
    text = raw.decode("utf-8", errors="replace")
    clean = text.lstrip("\ufeff").strip()
    if clean != text:
        warnings.append(
            Finding(
                "asic.mimetype-padded",
                "the mimetype entry carries a byte-order mark or whitespace around the media type",
            )
        )
    for prefix, what in _UNSUPPORTED_TYPES.items():
        if clean.startswith(prefix):
            raise UnsupportedContainerError(f"{where}: {what} ({clean}): not supported", what)
    if clean not in _KINDS:
        raise DocumentError(
            f"{where}: mimetype {clean[:80]!r} is not an ASiC media type ({ASIC_E} or {ASIC_S})"
        )
    if clean == BDOC_10:
        warnings.append(
            Finding("asic.legacy-bdoc", f"legacy BDOC 1.0 media type {BDOC_10}: read as ASiC-E")
        )
    return clean


def read_container(
    data: bytes, *, name: str = "container", limits: AsicLimits = DEFAULT_LIMITS
) -> Container:
    """Read an ASiC-E or ASiC-S container with XAdES signatures from ``data``.

    :raises DocumentError: not a ZIP, unusable or hostile ZIP, missing or non-ASiC mimetype.
    :raises UnsupportedContainerError: CAdES signatures, time-stamp tokens or evidence records
        in ``META-INF/``, ODF or ADOC media types (a DocumentError).
    :raises AsicLimitError: more entries, bytes or compression than ``limits`` allow.
    """
    data = bytes(data)
    if data[:4] != _ZIP_MAGIC:
        raise DocumentError(f"{name}: not a ZIP container (no local file header at the start)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except _ZIP_ERRORS as exc:
        raise DocumentError(f"{name}: not a readable ZIP container: {exc}") from exc
    if len(infos) > limits.max_entries:
        raise AsicLimitError(
            f"{name}: {len(infos)} entries is more than esig reads ({limits.max_entries})"
        )
    seen: set[str] = set()
    for info in infos:
        _check_name(info.filename, name)
        if info.filename in seen:
            raise DocumentError(f"{name}: entry {info.filename!r} occurs twice (refused)")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise DocumentError(f"{name}: entry {info.filename!r} is encrypted (refused)")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise DocumentError(
                f"{name}: entry {info.filename!r} uses compression method {info.compress_type} "
                "(only stored and deflated are read)"
            )
    for pattern, what in (
        (_CADES_FILE, "CAdES signatures in ASiC (META-INF/*signature*.p7s)"),
        (_TIMESTAMP_FILE, "ASiC time-stamp tokens (META-INF/*.tst)"),
        (_EVIDENCE_FILE, "evidence records in ASiC (META-INF/*evidencerecord*)"),
    ):
        found = sorted(n for n in seen if pattern.match(n))
        if found:
            raise UnsupportedContainerError(
                f"{name}: {what}, e.g. {found[0]!r}: not supported", what
            )
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_total_bytes:
        raise AsicLimitError(
            f"{name}: the entries declare {declared} uncompressed bytes, more than esig reads "
            f"({limits.max_total_bytes}; ZIP bomb refused)"
        )
    for info in infos:
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise AsicLimitError(
                f"{name}: entry {info.filename!r} declares a compression ratio over "
                f"{limits.max_ratio} (ZIP bomb refused)"
            )
    warnings: list[Finding] = []
    if "mimetype" not in seen:
        raise DocumentError(
            f"{name}: no mimetype entry: not an ASiC container (EN 319 162-1 asks for "
            f"'mimetype' holding {ASIC_E} or {ASIC_S})"
        )
    entries: dict[str, bytes] = {}
    budget = limits.max_total_bytes
    for info in infos:
        if info.is_dir():
            continue
        content = _read_entry(zf, info, budget, limits, name)
        budget -= len(content)
        entries[info.filename] = content
    mimetype = _mimetype(entries["mimetype"], name, warnings)
    first = infos[0]
    if first.filename != "mimetype":
        warnings.append(
            Finding(
                "asic.mimetype-not-first",
                f"the mimetype entry is not the first in the ZIP (first: {first.filename!r})",
            )
        )
    elif first.compress_type != zipfile.ZIP_STORED or first.extra:
        warnings.append(
            Finding(
                "asic.mimetype-compressed",
                "the mimetype entry is compressed or has extra fields (it should be stored)",
            )
        )
    meta = [n for n in entries if n.startswith("META-INF/")]
    data_files = tuple(n for n in entries if n != "mimetype" and not n.startswith("META-INF/"))
    signature_files = tuple(n for n in meta if _SIGNATURE_FILE.match(n))
    return Container(
        kind=_KINDS[mimetype],
        mimetype=mimetype,
        entries=MappingProxyType(entries),
        data_files=data_files,
        signature_files=signature_files,
        manifest=entries.get("META-INF/manifest.xml"),
        warnings=tuple(warnings),
    )
