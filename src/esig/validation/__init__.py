"""ETSI EN 319 102-1 validation: :func:`verify` and the building blocks shared by formats.

``verify(document, trust=...)`` returns a :class:`~esig.report.ValidationReport`; an invalid,
revoked or untrusted signature is a verdict, never an exception.
"""

from __future__ import annotations

from esig.validation import _nameprep
from esig.validation._api import averify, verify
from esig.validation._trust import AnchorList, as_trust_source

_nameprep.install()  # asn1crypto re-prepares every name it compares (RFC 4518)

__all__ = ["AnchorList", "as_trust_source", "averify", "verify"]
