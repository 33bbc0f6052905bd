"""A memo for pyHanko's ``XRefCache.get_introducing_revision``, installed into pyHanko (private).

The difference analysis asks, for every reference it meets in every later revision, which
revision introduced it; pyHanko answers by resolving the reference against each cross-reference
section in turn, every time. On a file with 25 signatures (``pades/dss/lt-short.pdf``) that was
150,000 questions and 3 million section look-ups, 40 % of the verification. A reader's sections
do not change once read, so the answer per (object number, generation) is kept on the cache
object, the KeyError for an unknown reference included. ``tests/pades/test_xrefcache.py``
compares the memo with pyHanko's function over real files.

While :data:`UNDEFINED_AS_NULL` is set (esig's difference analysis sets it), a reference to an
object no revision defines is answered with -1 instead of a KeyError: such a reference is null
(ISO 32000-1 7.3.10) and introduces nothing, where pyHanko's orphan search would stop with a
KeyError on the first one (DSS's PDFBox-signed LibreOffice files hold one in their trailer).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

__all__ = ["UNDEFINED_AS_NULL", "get_introducing_revision", "install"]

UNDEFINED_AS_NULL: ContextVar[bool] = ContextVar("esig_undefined_as_null", default=False)

_original: Any = None
_MEMO = "_esig_introducing_revision"


def get_introducing_revision(self: Any, ref: Any) -> int:
    """The revision that introduced ``ref`` (pyHanko's answer, remembered per reader)."""
    memo: dict[tuple[int, int], int | None] | None = self.__dict__.get(_MEMO)
    if memo is None or len(memo) > 1_000_000:
        memo = self.__dict__[_MEMO] = {}
    key = (ref.idnum, ref.generation)
    try:
        found = memo[key]
    except KeyError:
        try:
            found = memo[key] = _original(self, ref)
        except KeyError:
            found = memo[key] = None
    if found is None:
        if UNDEFINED_AS_NULL.get():
            return -1
        raise KeyError(ref)
    return found


def install() -> None:
    """Make pyHanko's XRefCache remember introducing revisions (idempotent)."""
    global _original
    from pyhanko.pdf_utils.xref import XRefCache

    current = XRefCache.get_introducing_revision
    if current is get_introducing_revision:
        return
    _original = current
    XRefCache.get_introducing_revision = get_introducing_revision  # type: ignore[method-assign]
