"""A visible signature stamp: who signed (name, national identifier) and when.

The stamp is drawn with a standard PDF font, which has no glyphs for ş, ğ, ı, İ or ə: the
stamp text is folded to ASCII ("Rəşad Ağayev" -> "Resad Agayev"). The signature itself, its
certificate and every report keep the exact names.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

__all__ = ["VisibleStamp", "ascii_fold"]

_FOLD = str.maketrans({"ı": "i", "İ": "I", "ə": "e", "Ə": "E", "ß": "ss", "ø": "o", "Ø": "O"})


def ascii_fold(text: str) -> str:
    """``text`` with diacritics removed and Turkish/Azerbaijani letters mapped to ASCII."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if ord(c) < 128)


@dataclass(frozen=True)
class VisibleStamp:
    """Where and what: ``box`` = (x1, y1, x2, y2) in points on page ``page`` (0 = first).

    ``text`` may use ``{name}``, ``{national_id}`` and pyHanko's ``%(ts)s`` (signing time).
    """

    box: tuple[int, int, int, int] = (340, 40, 560, 110)
    page: int = 0
    text: str = "Signed by {name}\n{national_id}\nTime: %(ts)s"

    def render_text(self, certificate: x509.Certificate) -> str:
        from esig.certs import read_certificate

        info = read_certificate(certificate.public_bytes(Encoding.DER))
        nid = info.national_id
        national = f"{nid.scheme} {nid.value} ({nid.country})" if nid else ""
        return ascii_fold(self.text.format(name=info.holder_name, national_id=national))

    def pyhanko_options(self, field_name: str, certificate: x509.Certificate) -> dict[str, Any]:
        """Keyword arguments for pyHanko's ``PdfSigner``."""
        from pyhanko.sign.fields import SigFieldSpec
        from pyhanko.stamp import TextStampStyle

        return {
            "stamp_style": TextStampStyle(stamp_text=self.render_text(certificate)),
            "new_field_spec": SigFieldSpec(field_name, on_page=self.page, box=self.box),
        }
