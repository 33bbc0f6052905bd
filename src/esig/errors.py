"""The exceptions esig raises.

An invalid, revoked or untrusted signature is never an exception: it is a verdict in a
:class:`~esig.report.ValidationReport`. Exceptions are for input esig cannot use, for misuse of the
API and for failures of the environment (a token that is missing, a server that does not answer).
Every exception esig lets out derives from :class:`EsigError`; errors about bad input also derive
from :class:`ValueError`, so ``except ValueError`` keeps working for callers that expect it.
Exceptions raised by a dependency are chained with ``from`` and never escape raw.

The tree::

    EsigError
    ├── InputError (also ValueError)        input that esig cannot use
    │   ├── CertificateError                 not a certificate, or unreadable
    │   ├── DocumentError                    a PDF or XML document that cannot be processed
    │   ├── TrustListError                   a trusted list that is malformed or unusable
    │   └── ProfileError                     a profile file with an unknown key or a bad value
    ├── ConfigurationError                   the caller's set-up is unusable (e.g. no trust source)
    ├── SigningError                         esig refuses to sign, or signing failed
    │   └── TokenError                       PKCS#11 token or key missing, wrong PIN, locked token
    ├── FetchError                           OCSP, CRL, TSA or list source did not answer
    └── ResourceLimitError                   an input exceeded a time, size or memory budget

The command line maps each class to one line of text and an exit code (see ``esig --help``).
"""

from __future__ import annotations

__all__ = [
    "CertificateError",
    "ConfigurationError",
    "DocumentError",
    "EsigError",
    "FetchError",
    "InputError",
    "ProfileError",
    "ResourceLimitError",
    "SigningError",
    "TokenError",
    "TrustListError",
]


class EsigError(Exception):
    """Root of every exception esig raises."""


class InputError(EsigError, ValueError):
    """Input that esig cannot use: malformed, truncated, of the wrong kind, or hostile."""


class CertificateError(InputError):
    """The data is not a certificate esig can read (garbage, truncated, not X.509)."""


class DocumentError(InputError):
    """A PDF or XML document that cannot be processed at all (not a verdict on its signatures)."""


class TrustListError(InputError):
    """A trusted list that is malformed, of an unsupported version, or otherwise unusable."""


class ProfileError(InputError):
    """A validation or signing profile with an unknown key, a missing key or a bad value."""


class ConfigurationError(EsigError):
    """The caller's configuration cannot be used, e.g. validation asked for with no trust source."""


class SigningError(EsigError):
    """esig refuses to sign (expired, revoked or non-signing certificate, locked document) or
    signing failed."""


class TokenError(SigningError):
    """A PKCS#11 token, slot or key that is missing, a wrong PIN, or a locked token."""


class FetchError(EsigError):
    """A configured network source (OCSP, CRL, TSA, trusted list) did not answer usefully."""


class ResourceLimitError(EsigError):
    """An input exceeded a time, size or memory budget (deflate bombs, path-building explosions)."""
