"""A faster reader for PDF hex strings, installed into pyHanko (private).

pyHanko's ``read_hex_string_from_stream`` reads a hex string one byte at a time through
``read_non_whitespace``: for a signature's /Contents (16-32 KB of hex) that is about half of
the time esig spends verifying a one-page B-LT PDF (benchmarks, docs/performance.md).
:func:`read_hex_string_from_stream` finds the closing ``>`` in blocks and decodes in one call.
It returns what pyHanko's function returns and leaves the stream where pyHanko's would; whenever
the string holds anything but hex digits and whitespace (a comment, a bad byte) or the stream
ends first, it rewinds and lets pyHanko's own function read it, so errors are pyHanko's.
``tests/pades/test_hexstring.py`` compares both on generated inputs.
"""

from __future__ import annotations

import binascii
from typing import IO, Any

__all__ = ["install", "read_hex_string_from_stream"]

_BLOCK = 64 * 1024
_original: Any = None


def read_hex_string_from_stream(stream: IO[bytes]) -> Any:
    """Read ``<...>`` at the stream's position into a PDF string object (as pyHanko does)."""
    from pyhanko.pdf_utils.generic import HEX_DIGITS, pdf_string
    from pyhanko.pdf_utils.misc import PDF_WHITESPACE

    opening = stream.tell()
    stream.read(1)
    start = opening + 1
    parts = []
    while True:
        block = stream.read(_BLOCK)
        if not block:
            return _slow(stream, opening)
        end = block.find(b">")
        if end < 0:
            parts.append(block)
            continue
        parts.append(block[:end])
        break
    raw = b"".join(parts)
    digits = raw.translate(None, PDF_WHITESPACE)
    if digits.translate(None, HEX_DIGITS):  # a comment or another byte: pyHanko decides
        return _slow(stream, opening)
    stream.seek(start + len(raw) + 1)
    if len(digits) % 2:
        digits += b"0"
    return pdf_string(binascii.unhexlify(digits))


def _slow(stream: IO[bytes], opening: int) -> Any:
    stream.seek(opening)
    return _original(stream)


def install() -> None:
    """Make pyHanko's object reader use :func:`read_hex_string_from_stream` (idempotent)."""
    global _original
    from pyhanko.pdf_utils import generic

    current = generic.read_hex_string_from_stream
    if current is read_hex_string_from_stream:
        return
    _original = current
    generic.read_hex_string_from_stream = read_hex_string_from_stream
