"""TEST-ONLY sample documents: small, valid, unsigned PDFs written byte by byte.

:func:`simple_pdf` writes a one-page PDF 1.7 with a few lines of Helvetica text and a correct
cross-reference table, so tests and the demo do not depend on a PDF generator.
:data:`CUSTOMS_DECLARATION_LINES` is the text of the bundled sample declaration (fictitious).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["CUSTOMS_DECLARATION_LINES", "simple_pdf"]

#: A fictitious Azerbaijan -> Turkey export declaration (ASCII: the standard 14 fonts are Latin-1).
CUSTOMS_DECLARATION_LINES: tuple[str, ...] = (
    "TEST-ONLY SAMPLE - CUSTOMS DECLARATION (fictitious)",
    "Declaration no: AZ-TR-2026-000123",
    "Exporter: AZ TEST Export MMC, Baku, Azerbaijan (VOEN 1234567891)",
    "Importer: TR TEST Ithalat A.S., Kars, Turkiye (VKN 1234567890)",
    "Border crossing point: Sadarak - Dilucu",
    "Goods: 20 t dried apricots, HS code 0813.10",
    "Invoice value: 48,000.00 USD",
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(lines: Sequence[str] = CUSTOMS_DECLARATION_LINES, *, padding: int = 0) -> bytes:
    """A one-page PDF showing ``lines``; ``padding`` adds that many bytes of an unused stream
    (to make large test documents)."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "56 780 Td"]
    for line in lines:
        ops.append(f"({_escape(line)}) Tj T*")
    ops.append("ET")
    content = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    if padding:
        filler = b"%" * padding
        objects.append(b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
