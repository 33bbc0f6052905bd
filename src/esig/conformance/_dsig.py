"""XML-DSig interop suites through esig's XML-DSig core (:func:`esig.xades._core.verify_core`).

Two suites from ``security/xml`` (issue 7):

* ``xmlsec-dsig``: xmlsec's test vectors with ``EXPECTED-testDSig.tsv`` (one row per xmlsec1
  run: file, required transforms and key data, xmlsec1 options, success or fail);
* ``xmldsig-interop``: the W3C/XMLDSig 1.1 interop signatures signxml tests against
  (``signxml-tests/interop``): valid unless ``bad`` is in the name.

What is judged is the XML-DSig *core* (SignedInfo canonicalisation, the signature value, every
reference's transforms and digest), with the key from the signature's KeyInfo (X509Certificate
or RSA/EC KeyValue) or from the certificate files the xmlsec1 options name; the certificate
chain, its validity and revocation are the job of esig's chain engine (PKITS, x509-limbo) and
are not judged here. SHA-1 is allowed (these vectors date from 2002-2012; esig's policy refuses
SHA-1 in XAdES). Therefore:

* a valid vector agrees when the core verifies; one using something esig refuses by design
  (HMAC, DSA, MD5, RIPEMD-160, XSLT/XPath/XPointer transforms, a DTD, an external URI that
  cannot be fetched offline, a key given only by name or retrieval method) is *unsupported*,
  with the reason;
* a negative vector about the core (a bad digest or signature value) agrees when the core
  fails or esig refuses the input; a negative about xmlsec's key management (an untrusted,
  expired or revoked certificate, key data disabled by an option) is *skipped* with that reason.
"""

from __future__ import annotations

import base64
import itertools
import shlex
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_der_public_key, load_pem_public_key
from lxml import etree

from esig.conformance._model import CaseResult, Expect, Status
from esig.errors import DocumentError, EsigError

__all__ = ["run_dsig_interop", "run_xmlsec_dsig"]

_DS = "http://www.w3.org/2000/09/xmldsig#"
_DS11 = "http://www.w3.org/2009/xmldsig11#"
_XMLSEC = Path("security") / "xml" / "xmlsec-dsig-suite"
_INTEROP = Path("security") / "xml" / "signxml-tests" / "interop"

#: xmlsec1 options whose argument is a certificate file that may hold the signer's key.
_CERT_OPTIONS = ("--pubkey-cert-", "--trusted-", "--untrusted-")
#: Negative xmlsec vectors that are about the XML-DSig core (the rest are key management).
_CORE_NEGATIVE = ("bad digest", "bad sig")
_CURVES = {
    "urn:oid:1.2.840.10045.3.1.7": ec.SECP256R1(),
    "urn:oid:1.3.132.0.34": ec.SECP384R1(),
    "urn:oid:1.3.132.0.35": ec.SECP521R1(),
}

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey


def _text(node: etree._Element) -> str:
    return "".join(t for t in node.itertext() if isinstance(t, str))


def _keys_from(signature: etree._Element) -> Iterator[x509.Certificate | PublicKey]:
    """Candidate keys in ``signature``'s KeyInfo: certificates, RSA and EC KeyValues."""
    for node in signature.iterfind(f"{{{_DS}}}KeyInfo//{{{_DS}}}X509Certificate"):
        try:
            yield x509.load_der_x509_certificate(base64.b64decode(_text(node)))
        except ValueError:
            continue
    for node in signature.iterfind(f"{{{_DS}}}KeyInfo//{{{_DS}}}RSAKeyValue"):
        try:
            n = int.from_bytes(base64.b64decode(node.findtext(f"{{{_DS}}}Modulus") or ""), "big")
            e = int.from_bytes(base64.b64decode(node.findtext(f"{{{_DS}}}Exponent") or ""), "big")
            yield rsa.RSAPublicNumbers(e, n).public_key()
        except ValueError:
            continue
    for node in signature.iterfind(f"{{{_DS}}}KeyInfo//{{{_DS11}}}DEREncodedKeyValue"):
        try:
            key = load_der_public_key(base64.b64decode(_text(node)))
        except ValueError:
            continue
        if isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            yield key
    for node in signature.iterfind(f"{{{_DS}}}KeyInfo//{{{_DS11}}}ECKeyValue"):
        curve_el = node.find(f"{{{_DS11}}}NamedCurve")
        curve = _CURVES.get("" if curve_el is None else curve_el.get("URI", ""))
        point = base64.b64decode(node.findtext(f"{{{_DS11}}}PublicKey") or "")
        if curve is None:
            continue
        try:
            yield ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
        except ValueError:
            continue


#: signxml's test_ws_security passes this key explicitly (the messages name it by reference).
_WSS_KEY = Path("ws-security") / "ws.js" / "examples" / "server_public.pem"


def _public_keys(path: Path) -> list[x509.Certificate | PublicKey]:
    """The certificates in ``path``, or the bare public key it holds."""
    if not path.is_file():
        return []
    found: list[x509.Certificate | PublicKey] = [*_certificates(path)]
    if not found:
        try:
            key = load_pem_public_key(path.read_bytes())
        except ValueError:
            return []
        if isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            found.append(key)
    return found


def _certificates(path: Path) -> list[x509.Certificate]:
    data = path.read_bytes()
    try:
        return (
            x509.load_pem_x509_certificates(data)
            if b"-----BEGIN" in data
            else [x509.load_der_x509_certificate(data)]
        )
    except ValueError:
        return []


def core_verdict(
    path: Path,
    signer_keys: Sequence[x509.Certificate | PublicKey] = (),
    other_certificates: Sequence[x509.Certificate] = (),
) -> tuple[str, str]:
    """``("ok"|"failed"|"refused", detail)`` for the first ds:Signature of ``path``.

    ``ok``: some candidate key verifies the signature value and every reference digest matches.
    ``refused``: esig refuses something in the input (the detail says what). Candidates: the
    keys in KeyInfo and ``signer_keys`` (given for this vector), then ``other_certificates``
    (CA or untrusted certificates that may hold the signer's key, xmlsec's lax key search).
    """
    from esig.xades import _xml as X
    from esig.xades._core import verify_core

    try:
        tree = X.parse(path.read_bytes(), what="XML-DSig vector")
    except DocumentError as exc:
        return "refused", str(exc)
    signature = next(tree.getroot().iter(f"{{{_DS}}}Signature"), None)
    if signature is None:
        return "refused", "no ds:Signature"
    from esig.xades._core import SIGNATURE_METHODS

    method_el = signature.find(f"{{{_DS}}}SignedInfo/{{{_DS}}}SignatureMethod")
    method = "" if method_el is None else method_el.get("Algorithm", "")
    if method not in SIGNATURE_METHODS:
        return "refused", f"signature method {method!r} (HMAC, DSA, MD5...: refused by design)"
    direct = [*_keys_from(signature), *signer_keys]
    candidates = [*direct, *other_certificates]
    if not candidates:
        return "refused", "no key: KeyInfo has no certificate or RSA/EC KeyValue (KeyName, ...)"
    details = []
    for key in candidates:
        try:
            outcome = verify_core(tree, signature, key, allow_sha1=True)
        except EsigError as exc:
            return "refused", str(exc)
        problems = [r.problem for r in outcome.references if r.problem is not None]
        for problem in problems:
            if problem.code in (
                "xml.transform-refused",
                "xml.transform-unsupported",
                "xml.reference-xpointer",
                "xml.digest-algorithm",
            ):
                return "refused", f"{problem.code}: {problem.message}"
            if problem.code == "xml.external-reference":
                return "refused", f"{problem.code}: {problem.message} (offline)"
        bad = [r.uri for r in outcome.references if not r.digest_ok]
        if outcome.signature_ok and not bad:
            return "ok", f"core verified ({outcome.signature_method.rsplit('#', 1)[-1]})"
        if outcome.signature_ok:  # the right key: the references are what failed
            return "failed", f"digest mismatch for {bad}"
        details.append("signature value does not verify")
    if not direct:
        return "refused", (
            "no key in KeyInfo (only a name, issuer/serial, SKI or retrieval method) and none "
            "of the certificates given verifies"
        )
    return "failed", "; ".join(dict.fromkeys(details))


_SOURCES = {
    "xmlsec-dsig": "lsh123/xmlsec",
    "xmldsig-interop": "XML-Security/signxml",
    "signxml-xades": "XML-Security/signxml",
}


def _row(
    suite: str, case: str, expect: Expect, expected: str, status: Status, **rest: Any
) -> CaseResult:
    """One table row of ``suite`` (its source and vocabulary filled in)."""
    return CaseResult(
        suite=suite,
        category=suite,
        source=_SOURCES[suite],
        case=case,
        vocabulary=suite,
        expect=expect,
        expected=expected[:160],
        status=status,
        **rest,
    )


def _result(
    suite: str,
    case: str,
    expect_ok: bool,
    expected: str,
    verdict: tuple[str, str],
    seconds: float,
) -> CaseResult:
    kind, detail = verdict
    if expect_ok:
        status = {"ok": Status.AGREE, "refused": Status.UNSUPPORTED}.get(kind, Status.DISAGREE)
        reason = "" if kind == "ok" else detail
    else:
        status = Status.DISAGREE if kind == "ok" else Status.AGREE
        reason = "the vector must fail; esig's core verifies it" if kind == "ok" else ""
    return _row(
        suite,
        case,
        Expect.PASS if expect_ok else Expect.FAIL,
        expected,
        status,
        got=f"{kind}: {detail}"[:200],
        reason=reason[:200],
        seconds=seconds,
    )


def _skip(
    suite: str, case: str, expected: str, reason: str, expect: Expect = Expect.FAIL
) -> CaseResult:
    return _row(suite, case, expect, expected, Status.SKIPPED, reason=reason)


def _option_files(options: str, base: Path, test_dir: Path) -> tuple[list[Path], list[Path]]:
    """(files of ``--pubkey-cert-*`` options, files of ``--trusted-*``/``--untrusted-*``)."""
    words = shlex.split(options.replace("$cert_format", "pem").replace("$topfolder/", ""))
    signer: list[Path] = []
    others: list[Path] = []
    for option, value in itertools.pairwise(words):
        if option.startswith(_CERT_OPTIONS) and not value.startswith("-"):
            for candidate in (base / value, test_dir / value):
                if candidate.is_file():
                    (signer if option.startswith("--pubkey-cert-") else others).append(candidate)
                    break
    return signer, others


def run_xmlsec_dsig(corpus: Path) -> list[CaseResult]:
    """Every row of ``EXPECTED-testDSig.tsv`` (see the module docstring for the rules)."""
    base = corpus / _XMLSEC
    rows = (base / "EXPECTED-testDSig.tsv").read_text(encoding="utf-8").splitlines()[1:]
    results = []
    for number, line in enumerate(rows, start=1):
        expected, name, _transforms, _keydata, options, *rest = [*line.split("\t"), "", ""][:6]
        note = rest[0] if rest else ""
        case = f"{name} #{number}"
        path = base / f"{name}.xml"
        words = f"{expected}: {note or options}"
        if expected == "fail" and not any(k in note.lower() for k in _CORE_NEGATIVE):
            results.append(
                _skip(
                    "xmlsec-dsig",
                    case,
                    words,
                    f"negative on xmlsec's key management ({note.strip() or options.strip()}): "
                    "esig's XML-DSig core does not judge keys; its chain engine does",
                )
            )
            continue
        if "--enable-asn1-signatures-hack" in options:
            verdict = ("refused", "a DER-encoded ECDSA SignatureValue (not XML-DSig's r||s)")
            results.append(_result("xmlsec-dsig", case, expected == "success", words, verdict, 0.0))
            continue
        signer_files, other_files = _option_files(options, base, path.parent)
        start = time.perf_counter()
        verdict = (
            core_verdict(
                path,
                [c for f in signer_files for c in _certificates(f)],
                [c for f in other_files for c in _certificates(f)],
            )
            if path.is_file()
            else ("refused", "file missing")
        )
        results.append(
            _result(
                "xmlsec-dsig",
                case,
                expected == "success",
                words,
                verdict,
                time.perf_counter() - start,
            )
        )
    return results


def run_dsig_interop(corpus: Path) -> list[CaseResult]:
    """The W3C/XMLDSig 1.1 interop signatures (signxml's ``test/interop``)."""
    base = corpus / _INTEROP
    results = []
    for path in sorted(base.rglob("*.xml")):
        case = str(path.relative_to(base))
        lowered = case.lower()
        if not _in_signxml_interop_test(case):
            results.append(
                _skip(
                    "xmldsig-interop",
                    case,
                    "(none)",
                    "no expectation: not among the vectors signxml's interop tests verify",
                    Expect.NONE,
                )
            )
            continue
        if "expired" in lowered or lowered.endswith("wsfederation_metadata.xml"):
            results.append(
                _skip(
                    "xmldsig-interop",
                    case,
                    "expired certificate: certificate invalid",
                    "negative on the certificate's validity: judged by esig's chain engine",
                )
            )
            continue
        expect_ok = not any(w in Path(lowered).name for w in ("bad", "invalid", "md5", "ripemd160"))
        start = time.perf_counter()
        verdict = core_verdict(path, _public_keys(base / _WSS_KEY) if "ws-security" in case else ())
        results.append(
            _result(
                "xmldsig-interop",
                case,
                expect_ok,
                "valid" if expect_ok else "bad/invalid/md5/ripemd160 in the name: must fail",
                verdict,
                time.perf_counter() - start,
            )
        )
    return results


def _in_signxml_interop_test(case: str) -> bool:
    """Whether signxml's tests verify ``case`` (``test_xmldsig_interop`` globs and
    ``test_ws_security``): only those carry an expectation."""
    parts = Path(case).parts
    if len(parts) == 2:
        folder, name = parts
        return (
            name.startswith("signature")
            or folder.startswith("aleksey")
            or folder in ("xml-crypto", "pyXMLSecurity")
        )
    return case.startswith("ws-security/") and case.endswith(
        ("valid wss resp.xml", "invalid wss resp - changed content.xml")
    )


_SIGNXML_XADES = Path("security") / "xml" / "signxml-tests"


def run_signxml_xades(corpus: Path) -> list[CaseResult]:
    """signxml's 58 XAdES samples (``EXPECTED-xades-signxml.tsv``) through esig's XAdES
    verification, judged like the manifest rows (no anchors: the integrity part decides).

    signxml's VERIFY_OK (crypto level with the embedded certificate) is an *intact* expectation;
    InvalidSignature, InvalidDigest and InvalidInput are a *reject*.
    """
    from esig.conformance._judge import judge, run_document

    base = corpus / _SIGNXML_XADES
    rows = (base / "EXPECTED-xades-signxml.tsv").read_text(encoding="utf-8").splitlines()[1:]
    results = []
    for line in rows:
        name, expected, *_ = [*line.split("\t"), ""]
        expect = Expect.INTACT if expected == "VERIFY_OK" else Expect.REJECT
        outcome = run_document(base / name, measure_memory=False)
        status, reason = judge(expect, expected, outcome)
        results.append(
            _row(
                "signxml-xades",
                name,
                expect,
                f"signxml: {expected}",
                status,
                got=outcome.describe(),
                reason=reason,
                seconds=outcome.seconds,
            )
        )
    return results
