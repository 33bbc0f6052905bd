"""x509-limbo cases that do not apply to document signing, with the reason (one place).

A case is skipped when its outcome depends on something a document-signing validator does
not have or does not do: a peer name to match (TLS hostname checks), a web-PKI rule that
EN 319 412 does not make (serverAuth EKU, public-suffix wildcards, CA/Browser Forum key and
root profiles), a verifier parameter esig's chain engine does not take (a maximum chain depth,
a required EKU), a certificate the document-signing profile refuses whatever the path (a CA or
a certificate without key usage as the signer), or a rule RFC 5280 sets for issuing CAs only
("conforming CAs MUST") that certificates of EU trusted lists break: there esig stays lenient,
and the reason names such certificates (found in the shared corpus).
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


_AKI = (
    "RFC 5280 4.2.1.1 binds issuing CAs only (authorityKeyIdentifier present and non-critical); "
    "certificates on EU trusted lists break it: no authorityKeyIdentifier in Digidentity SSCD "
    "CA - G2 (NL) or the NetLock qualified time-stamping units (HU), a critical one in a Dutch "
    "Registeraccountant signing certificate"
)
_SKI = (
    "RFC 5280 4.2.1.2 binds issuing CAs only (subjectKeyIdentifier in CA certificates); "
    "qualified CAs on EU trusted lists have none: CERTUM QACA (PL), NetLock Class A/B/C (HU), "
    "DIGISIGN Qualified CA (RO)"
)
_CABF_ROOT_AKI = (
    "CA/Browser Forum root profile (7.1.2.1.3: the form of a root's authorityKeyIdentifier), "
    "not RFC 5280 or EN 319 412"
)
_DOCUMENT_SIGNING = (
    "the document-signing profile (EN 319 412-2) refuses this signer whatever the path: "
)

#: case id -> reason
CASES: Mapping[str, str] = {
    "rfc5280::aki::critical-aki": _AKI,
    "rfc5280::aki::leaf-missing-aki": _AKI,
    "rfc5280::aki::intermediate-missing-aki": _AKI,
    "rfc5280::aki::cross-signed-root-missing-aki": _AKI,
    "rfc5280::ski::root-missing-ski": _SKI,
    "rfc5280::ski::intermediate-missing-ski": _SKI,
    "webpki::aki::root-with-aki-missing-keyidentifier": _CABF_ROOT_AKI,
    "webpki::aki::root-with-aki-authoritycertissuer": _CABF_ROOT_AKI,
    "webpki::aki::root-with-aki-authoritycertserialnumber": _CABF_ROOT_AKI,
    "webpki::aki::root-with-aki-all-fields": _CABF_ROOT_AKI,
    "webpki::aki::root-with-aki-ski-mismatch": _CABF_ROOT_AKI,
    "rfc5280::serial::too-long": (
        "RFC 5280 4.1.2.2 asks certificate users to handle non-conforming serial numbers "
        "gracefully (esig.certs reports serial.too-long); qualified certificates on EU trusted "
        "lists have serials over 20 octets: Certinomis - AA et Agents (FR), InfoCert CA 3 (IT)"
    ),
    "rfc5280::serial::zero": (
        "RFC 5280 4.1.2.2 asks certificate users to handle non-conforming serial numbers "
        "gracefully (esig.certs reports serial.zero); certificates on EU trusted lists have "
        "serial 0: GLOBALTRUST 2015 (AT), the HARICA root CAs 2011 and 2015 (GR)"
    ),
    "rfc5280::root-non-critical-basic-constraints": (
        "RFC 5280 4.2.1.9 makes criticality a rule for issuing CAs (esig checks that cA is "
        "set); qualified CAs on EU trusted lists mark basicConstraints non-critical: LuxTrust "
        "Global Root (LU), ESTEID-SK (EE), CNIPA CA1 (IT), Halcom CA PO (SI)"
    ),
    "rfc5280::root-missing-basic-constraints": (
        "RFC 5280 6.1.1 (d) makes the trust anchor an input, not part of the path, and 4.2.1.9 "
        "binds issuing CAs; esig requires basicConstraints cA of every CA in the path and of an "
        "anchor whose key usage does not assert keyCertSign. The German trusted list holds "
        "signature-law CAs without basicConstraints whose key usage asserts keyCertSign: "
        "RegTP/BNetzA 3R-CA to 7R-CA, CA DATEV D01-D87, TeleSec PKS SigG CA, CA BNotK"
    ),
    "rfc5280::pc::ica-noncritical-pc": (
        "RFC 5280 4.2.1.11 makes criticality a rule for issuing CAs (esig processes the "
        "constraint either way); qualified CAs on EU trusted lists mark policyConstraints "
        "non-critical: CNIPA CA1, CT RUPA CA1, Postecom CA1 (IT)"
    ),
    "rfc5280::nc::permitted-dns-match-noncritical": (
        "RFC 5280 4.2.1.10 makes criticality a rule for issuing CAs; esig applies name "
        "constraints whether critical or not, and qualified CAs on EU trusted lists mark them "
        "non-critical: ESTEID-SK 2015, EID-SK 2016 (EE), HARICA Qualified SubCAs (GR)"
    ),
    "crl::crlnumber-missing": (
        "RFC 5280 5.2.3 binds CRL issuers; the Belgian eID root CAs (Belgium Root CA, CA2, CA3) "
        "issue version 1 CRLs, which have no cRLNumber: esig uses such CRLs"
    ),
    "webpki::forbidden-dsa-root": (
        "CA/Browser Forum key types (6.1.5); ETSI TS 119 312, esig's algorithm policy, accepts "
        "DSA with a 3072-bit modulus"
    ),
    "webpki::forbidden-dsa-leaf": (
        "CA/Browser Forum subscriber key types (6.1.5); ETSI TS 119 312, esig's algorithm "
        "policy, accepts DSA with a 3072-bit modulus"
    ),
    "webpki::forbidden-rsa-not-divisible-by-8-in-root": (
        "CA/Browser Forum 6.1.5 (RSA modulus size a multiple of 8), not RFC 5280 or "
        "ETSI TS 119 312, which accepts a 2052-bit modulus"
    ),
    "webpki::forbidden-rsa-key-not-divisible-by-8-in-leaf": (
        "CA/Browser Forum 6.1.5 (RSA modulus size a multiple of 8), not RFC 5280 or "
        "ETSI TS 119 312, which accepts a 2052-bit modulus"
    ),
    "rfc5280::ca-as-leaf": _DOCUMENT_SIGNING + "a CA certificate cannot sign documents",
    "pathlen::validation-ignores-pathlen-in-leaf": _DOCUMENT_SIGNING
    + "a CA certificate cannot sign documents",
    "rfc5280::no-keyusage": _DOCUMENT_SIGNING
    + "its key usage must allow nonRepudiation or digitalSignature",
    "webpki::cryptographydotio-chain": (
        "a saved web-server chain (cryptography.io, serverAuth EKU) whose certificates name OCSP "
        "and CRL sources; the case gives no revocation data, which esig requires of a signer's "
        "path: TLS, not document signing"
    ),
}


def skip_reason(case: Mapping[str, Any]) -> str:
    """Why ``case`` does not apply ('' when it does)."""
    cid = str(case["id"])
    if cid in CASES:
        return CASES[cid]
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
