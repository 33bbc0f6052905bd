"""Memoised RFC 4518 string preparation for asn1crypto's X.501 name comparison (private).

pyhanko-certvalidator compares names while it builds and checks paths; asn1crypto prepares
every attribute value of both names with ``NameTypeAndValue._ldap_string_prep`` (regular
expressions, stringprep tables, NFKC) each time a new certificate object is compared, which was
a quarter of esig's batch verification time (docs/performance.md). The preparation is a pure
function of the string, so esig keeps its results in a bounded LRU cache, errors included (an
unassigned or prohibited code point raises the same ValueError each time).
``tests/validation/test_nameprep.py`` compares the cached and uncached results.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

__all__ = ["install"]

_original: Callable[[Any, str], str] | None = None


@lru_cache(maxsize=8192)
def _prepared(string: str) -> tuple[bool, str]:
    assert _original is not None
    try:
        return True, _original(None, string)
    except ValueError as exc:
        return False, str(exc)


def _ldap_string_prep(self: Any, string: str) -> str:
    ok, value = _prepared(string)
    if not ok:
        raise ValueError(value)
    return value


def install() -> None:
    """Make asn1crypto use the memoised preparation (idempotent)."""
    global _original
    from asn1crypto.x509 import NameTypeAndValue

    current = NameTypeAndValue._ldap_string_prep
    if current is _ldap_string_prep:
        return
    _original = current
    NameTypeAndValue._ldap_string_prep = _ldap_string_prep
