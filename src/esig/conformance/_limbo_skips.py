"""x509-limbo cases that do not apply to document signing, with the reason (one place).

A case is skipped when its outcome depends on something a document-signing validator does
not have or does not do: a peer name to match (TLS hostname checks), a web-PKI rule that
EN 319 412 does not make (serverAuth EKU, public-suffix wildcards), or a verifier parameter
esig's chain engine does not take (a maximum chain depth, a required EKU).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["skip_reason"]

#: id prefix -> reason
PREFIXES: tuple[tuple[str, str], ...] = (
    (
        "webpki::san::",
        "TLS hostname matching against subjectAltName: no peer name in document signing",
    ),
    (
        "webpki::cn::",
        "TLS hostname matching against the common name: no peer name in document signing",
    ),
    (
        "webpki::eku::",
        "web-PKI serverAuth/clientAuth EKU rules: document signing has its own EKU rules",
    ),
    (
        "online::",
        "live web-server chains (TLS leaves with serverAuth EKU): TLS, not document signing",
    ),
)

#: limbo feature -> reason
FEATURES: Mapping[str, str] = {
    "max-chain-depth": "max_chain_depth is a verifier parameter esig's chain engine does not take",
    "pedantic-webpki-eku": "web-PKI EKU pedantry (CA/Browser Forum), not EN 319 412",
    "pedantic-public-suffix-wildcard": "public-suffix wildcard rules apply to TLS names only",
}


def skip_reason(case: Mapping[str, Any]) -> str:
    """Why ``case`` does not apply ('' when it does)."""
    cid = str(case["id"])
    for prefix, reason in PREFIXES:
        if cid.startswith(prefix):
            return reason
    for feature in case.get("features") or ():
        if feature in FEATURES:
            return FEATURES[feature]
    if case.get("extended_key_usage"):
        return (
            "the case asks for an EKU (serverAuth/clientAuth) the document-signing profile "
            "does not use"
        )
    return ""
