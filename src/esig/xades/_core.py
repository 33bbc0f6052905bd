"""XML-DSig core validation, constrained (private).

Why not ``signxml.XMLVerifier.verify`` for verification: signxml looks the ``ds:Signature`` up
again (the first one under its ``location``) whenever it applies the enveloped-signature transform,
so with several signatures in one document it can remove the wrong one; its default location is
"anywhere"; and it re-serialises the whole document for every reference. esig therefore runs the
core steps itself on lxml's canonicalisation, for one given signature element:

1. canonicalise ``ds:SignedInfo`` in its document context and verify ``ds:SignatureValue`` with the
   signing certificate's key (RSA PKCS#1 v1.5, RSA-PSS, ECDSA; never HMAC);
2. re-parse the canonical SignedInfo bytes and take the references from *them* (what was signed,
   without comments), never from the live tree;
3. resolve each reference: ``""`` (the whole document), ``#id`` (exactly one element carrying that
   Id/ID/id/xml:id anywhere in the document: duplicates are refused as a wrapping attempt), or an
   external URI only when the caller supplied its bytes; XPointer, XPath, XPath Filter 2 and XSLT
   are refused;
4. apply the allowed transforms (enveloped-signature removes *this* signature; canonicalisation
   methods) and compare the digest.

The outcome is data; the caller maps it to EN 319 102-1 indications.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, cast

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from esig.errors import DocumentError
from esig.report import Finding
from esig.xades import _xml as X

_H: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
#: SignatureMethod URI -> (key kind, hash name).
SIGNATURE_METHODS: dict[str, tuple[str, str]] = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": ("rsa", "sha1"),
    _MORE + "rsa-sha224": ("rsa", "sha224"),
    _MORE + "rsa-sha256": ("rsa", "sha256"),
    _MORE + "rsa-sha384": ("rsa", "sha384"),
    _MORE + "rsa-sha512": ("rsa", "sha512"),
    _MORE + "ecdsa-sha1": ("ec", "sha1"),
    _MORE + "ecdsa-sha224": ("ec", "sha224"),
    _MORE + "ecdsa-sha256": ("ec", "sha256"),
    _MORE + "ecdsa-sha384": ("ec", "sha384"),
    _MORE + "ecdsa-sha512": ("ec", "sha512"),
    "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1": ("pss", "sha256"),
    "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1": ("pss", "sha384"),
    "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1": ("pss", "sha512"),
}
BASE64_TRANSFORM = "http://www.w3.org/2000/09/xmldsig#base64"
REFUSED_TRANSFORMS = {
    "http://www.w3.org/TR/1999/REC-xpath-19991116": "XPath",
    "http://www.w3.org/2002/06/xmldsig-filter2": "XPath Filter 2.0",
    "http://www.w3.org/TR/1999/REC-xslt-19991116": "XSLT",
}
#: WS-Security's utility Id (an ID by its schema), as in SOAP messages signed for customs
#: web services.
_WSU_ID = "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd}Id"
_ID_ATTRS = ("Id", "ID", "id", "{http://www.w3.org/XML/1998/namespace}id", _WSU_ID)


@dataclass(frozen=True)
class ReferenceResult:
    """One ``ds:Reference`` as validated.

    ``target`` is the referenced element in the document (None for an external URI or when
    unresolved); ``description`` names what was signed (a path, or the URI); ``data`` holds the
    octets whose digest was compared; ``problem`` is set when the reference could not be processed
    (then ``digest_ok`` is False and ``data`` empty).
    """

    index: int
    uri: str
    type: str | None
    id: str | None
    digest_ok: bool
    description: str
    data: bytes = b""
    target: etree._Element | None = None
    whole_document: bool = False
    problem: Finding | None = None


@dataclass(frozen=True)
class CoreOutcome:
    """``signature_ok``: the SignatureValue verifies with the given certificate's key."""

    signature_ok: bool
    references: tuple[ReferenceResult, ...]
    signature_method: str
    problems: tuple[Finding, ...] = ()


def _public_key(cert: x509.Certificate | PublicKeyTypes) -> object:
    """The certificate's key (a bare public key is used as it is); an RSA modulus encoded as a
    negative INTEGER (Estonian ID cards of 2011-2014 lack the leading zero byte) is read as
    unsigned, as libdigidocpp and DSS do."""
    if not isinstance(cert, x509.Certificate):
        return cert
    try:
        return cert.public_key()
    except ValueError:
        from asn1crypto import x509 as asn1_x509

        try:
            spki = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)).public_key
            if spki.algorithm != "rsa":
                return None
            numbers = spki["public_key"].parsed
            n = int.from_bytes(numbers["modulus"].contents, "big")
            return rsa.RSAPublicNumbers(numbers["public_exponent"].native, n).public_key()
        except (ValueError, TypeError, KeyError):
            return None


def verify_signature_value(
    cert: x509.Certificate | PublicKeyTypes, method: str, data: bytes, value: bytes
) -> bool:
    kind, hname = SIGNATURE_METHODS[method]
    algo = _H[hname]()
    key = _public_key(cert)
    try:
        if kind == "rsa" and isinstance(key, rsa.RSAPublicKey):
            key.verify(value, data, padding.PKCS1v15(), algo)
        elif kind == "pss" and isinstance(key, rsa.RSAPublicKey):
            pss = padding.PSS(mgf=padding.MGF1(algo), salt_length=algo.digest_size)
            key.verify(value, data, pss, algo)
        elif kind == "ec" and isinstance(key, ec.EllipticCurvePublicKey):
            if len(value) % 2 or not value:
                return False
            half = len(value) // 2
            der = encode_dss_signature(
                int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
            )
            key.verify(der, data, ec.ECDSA(algo))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


#: Id-like attribute names (``xml:id`` and ``wsu:Id`` in Clark notation), as lxml lists them.
_ID_KEYS = frozenset(_ID_ATTRS)


def id_index(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Id value -> the elements carrying it (Id/ID/id/xml:id/wsu:Id), in document order.

    One pass over the elements asking only for their attribute names (libxml2's XPath for the
    same question took 0.4-0.6 s on a 20 MB document, this 0.2 s).
    """
    index: dict[str, list[etree._Element]] = {}
    for el in root.iter(etree.Element):
        names = el.keys()
        if not names:
            continue
        for name in names:
            if name in _ID_KEYS:
                value = el.get(name)
                if value is None:
                    continue
                holders = index.setdefault(value, [])
                if not holders or holders[-1] is not el:  # Id="x" and id="x" on one element
                    holders.append(el)
    return index


def find_by_id(root: etree._Element, ident: str) -> list[etree._Element]:
    """Every element whose Id/ID/id/xml:id is ``ident`` (several means an ambiguous document)."""
    return list(id_index(root).get(ident, ()))


def _has_id(el: etree._Element, ident: str) -> bool:
    return any(el.get(a) == ident for a in _ID_ATTRS)


def _transformed(
    tree: etree._ElementTree,
    target: etree._Element | None,
    signature: etree._Element,
    transform_elements: list[etree._Element],
    with_comments: bool,
) -> bytes:
    """Octets of ``target`` (None: the whole document) after the reference's transforms."""
    method = X.C14N_10_COMMENTS if with_comments else X.C14N_10
    prefixes: list[str] = []
    enveloped = False
    for el in transform_elements:
        alg = el.get("Algorithm") or ""
        if alg == X.ENVELOPED_TRANSFORM:
            enveloped = True
        elif alg in X.C14N_METHODS:
            method, prefixes = X.c14n_spec(el)
        elif alg == BASE64_TRANSFORM:
            if target is None:
                raise DocumentError("a base64 transform needs an element")
            return X.b64(target, "base64-transformed content")
    if enveloped and (target is None or signature in target.iter()):
        return _without(signature, tree if target is None else target, method, prefixes)
    if target is None:
        return _c14n_doc(tree, method)
    return X.c14n(target, method, prefixes)


def _without(
    signature: etree._Element,
    scope: etree._ElementTree | etree._Element,
    method: str,
    prefixes: list[str],
) -> bytes:
    """``scope`` canonicalised without ``signature`` (the enveloped-signature transform).

    No copy of the document is made, and the tree is not restructured (taking the element out
    and back in makes lxml rewrite namespace prefixes inside it): two random markers are put
    in the text just before and just after the signature, the canonical form is written
    through a filter that drops everything from the first marker to the second, and the text
    is restored. The signature's tail text stays, as XML-DSig requires.
    """
    parent = signature.getparent()
    if parent is None:
        raise DocumentError("the enveloped signature is the document element")
    start, end = (f"esig{secrets.token_hex(16)}" for _ in range(2))
    prev = signature.getprevious()
    before = prev.tail if prev is not None else parent.text
    tail = signature.tail
    if prev is not None:
        prev.tail = (before or "") + start
    else:
        parent.text = (before or "") + start
    signature.tail = end + (tail or "")
    sink = _Cut(start.encode(), end.encode())
    try:
        if isinstance(scope, etree._ElementTree):
            if method not in X.C14N_METHODS:
                raise DocumentError(f"unsupported canonicalization method {method!r}")
            scope.write(
                cast("IO[bytes]", sink),
                method="c14n",
                exclusive=method.startswith(X.EXC_C14N),
                with_comments=method.endswith("WithComments"),
            )
        else:
            sink.write(X.c14n(scope, method, prefixes))
    finally:
        if prev is not None:
            prev.tail = before
        else:
            parent.text = before
        signature.tail = tail
    return sink.value()


def _c14n_doc(tree: etree._ElementTree, method: str) -> bytes:
    if method not in X.C14N_METHODS:
        raise DocumentError(f"unsupported canonicalization method {method!r}")
    return bytes(
        etree.tostring(
            tree,
            method="c14n",
            exclusive=method.startswith(X.EXC_C14N),
            with_comments=method.endswith("WithComments"),
        )
    )


class _Cut:
    """A ``write()`` sink keeping all bytes except those from ``start`` through ``end``."""

    def __init__(self, start: bytes, end: bytes) -> None:
        self._out = io.BytesIO()
        self._markers = [start, end]
        self._pending = b""

    def write(self, chunk: bytes) -> int:
        data = self._pending + bytes(chunk)
        while self._markers:
            marker = self._markers[0]
            found = data.find(marker)
            if found < 0:
                keep = max(0, len(data) - len(marker) + 1)
                if len(self._markers) == 2:  # outside the cut: keep what cannot be a marker
                    self._out.write(data[:keep])
                self._pending = data[keep:]
                return len(chunk)
            if len(self._markers) == 2:
                self._out.write(data[:found])
            data = data[found + len(marker) :]
            self._markers.pop(0)
        self._out.write(data)
        self._pending = b""
        return len(chunk)

    def value(self) -> bytes:
        if self._markers:
            raise DocumentError("the enveloped signature is not where the transform expects it")
        return self._out.getvalue()


def verify_core(
    tree: etree._ElementTree,
    signature: etree._Element,
    cert: x509.Certificate | PublicKeyTypes,
    *,
    external: Mapping[str, bytes] | None = None,
    allow_sha1: bool = False,
) -> CoreOutcome:
    """Run the XML-DSig core steps for ``signature`` with ``cert``'s public key (or a bare
    public key, for the XML-DSig interop suites)."""
    signed_info = X.find(signature, "ds:SignedInfo")
    if signed_info is None:
        raise DocumentError("ds:Signature has no ds:SignedInfo")
    c14n_el = X.find(signed_info, "ds:CanonicalizationMethod")
    sm_el = X.find(signed_info, "ds:SignatureMethod")
    c14n_method = "" if c14n_el is None else (c14n_el.get("Algorithm") or "")
    method = "" if sm_el is None else (sm_el.get("Algorithm") or "")
    problems: list[Finding] = []
    if c14n_method not in X.C14N_METHODS:
        raise DocumentError(f"unsupported SignedInfo canonicalization {c14n_method!r}")
    if method not in SIGNATURE_METHODS:
        raise DocumentError(
            f"unsupported or refused signature method {method!r} (HMAC is never accepted)"
        )
    if SIGNATURE_METHODS[method][1] == "sha1" and not allow_sha1:
        problems.append(Finding("xml.weak-algorithm", f"signature method {method} uses SHA-1"))
    value = X.b64(X.find(signature, "ds:SignatureValue"), "ds:SignatureValue")
    si_bytes = X.c14n(signed_info, c14n_method, X.c14n_spec(c14n_el)[1])
    ok = verify_signature_value(cert, method, si_bytes, value)
    results = process_references(
        tree, signature, signed_info_c14n=si_bytes, external=external, allow_sha1=allow_sha1
    )
    return CoreOutcome(ok, results, method, tuple(problems))


def process_references(
    tree: etree._ElementTree,
    signature: etree._Element,
    *,
    signed_info_c14n: bytes | None = None,
    external: Mapping[str, bytes] | None = None,
    allow_sha1: bool = False,
) -> tuple[ReferenceResult, ...]:
    """Resolve, transform and digest-check every reference of ``signature``.

    References are read from the canonical SignedInfo (``signed_info_c14n``, computed when not
    given), i.e. from what the signature value covers.
    """
    if signed_info_c14n is None:
        signed_info = X.find(signature, "ds:SignedInfo")
        if signed_info is None:
            raise DocumentError("ds:Signature has no ds:SignedInfo")
        method, prefixes = X.c14n_spec(X.find(signed_info, "ds:CanonicalizationMethod"))
        signed_info_c14n = X.c14n(signed_info, method, prefixes)
    signed_si = etree.fromstring(signed_info_c14n, parser=X.parser())
    ids = id_index(tree.getroot())  # one pass for all same-document references
    results = tuple(
        _reference(tree, signature, ref, index, external or {}, allow_sha1, ids)
        for index, ref in enumerate(X.findall(signed_si, "ds:Reference"))
    )
    if not results:
        raise DocumentError("ds:SignedInfo has no ds:Reference")
    return results


def _reference(
    tree: etree._ElementTree,
    signature: etree._Element,
    ref: etree._Element,
    index: int,
    external: Mapping[str, bytes],
    allow_sha1: bool,
    ids: Mapping[str, list[etree._Element]],
) -> ReferenceResult:
    uri = ref.get("URI")
    rtype, rid = ref.get("Type"), ref.get("Id")
    dm = X.find(ref, "ds:DigestMethod")
    dalg = "" if dm is None else (dm.get("Algorithm") or "")
    expected = X.b64(X.find(ref, "ds:DigestValue"), f"DigestValue of reference {index}")
    transform_elements = X.findall(ref, "ds:Transforms/ds:Transform")
    transforms = [t.get("Algorithm") or "" for t in transform_elements]

    def fail(code: str, message: str, description: str = "") -> ReferenceResult:
        return ReferenceResult(
            index,
            uri or "",
            rtype,
            rid,
            False,
            description or (uri or "(no URI)"),
            problem=Finding(code, message),
        )

    if uri is None:
        return fail("xml.reference-without-uri", f"reference {index} has no URI")
    if dalg not in X.DIGESTS:
        return fail("xml.digest-algorithm", f"reference {index}: unsupported digest {dalg!r}")
    if X.DIGESTS[dalg] in X.WEAK_DIGESTS and not allow_sha1:
        return fail("xml.weak-algorithm", f"reference {index} ({uri}) uses SHA-1")
    for alg in transforms:
        if alg in REFUSED_TRANSFORMS:
            return fail(
                "xml.transform-refused",
                f"reference {index} ({uri}) uses a {REFUSED_TRANSFORMS[alg]} transform, "
                "which esig refuses (signature wrapping risk)",
            )
        if alg not in (X.ENVELOPED_TRANSFORM, BASE64_TRANSFORM) and alg not in X.C14N_METHODS:
            return fail("xml.transform-unsupported", f"reference {index}: transform {alg!r}")
    root = tree.getroot()
    target: etree._Element | None
    whole = False
    comments = False
    if uri == "" or uri == "#xpointer(/)":
        target, whole, comments = None, True, uri != ""
        description = f"whole document {X.path_of(root)}"
    elif uri.startswith("#xpointer(id(") and uri.endswith("))"):
        ident = uri[len("#xpointer(id(") : -2].strip("'\"")
        matches = list(ids.get(ident, ()))
        if len(matches) != 1:
            return _unresolved(fail, uri, ident, len(matches))
        target, comments = matches[0], True
        description = f"{uri} {X.path_of(target)}"
    elif uri.startswith("#"):
        if uri.startswith("#xpointer("):
            return fail("xml.reference-xpointer", f"reference {index}: XPointer {uri!r} refused")
        matches = list(ids.get(uri[1:], ()))
        if len(matches) != 1:
            return _unresolved(fail, uri, uri[1:], len(matches))
        target = matches[0]
        description = f"{uri} {X.path_of(target)}"
    else:
        content = external.get(uri)
        if content is None:
            return fail(
                "xml.external-reference",
                f"reference {index} points outside the document ({uri!r}) and no content "
                "was supplied for it",
            )
        if any(a in X.C14N_METHODS for a in transforms):
            ext_root = X.parse(content, what=f"detached content {uri!r}").getroot()
            spec = [t for t in transform_elements if t.get("Algorithm") in X.C14N_METHODS][-1]
            method, prefixes = X.c14n_spec(spec)
            data = X.c14n(ext_root, method, prefixes)
        else:
            data = content
        ok = X.digest(data, dalg) == expected
        return ReferenceResult(index, uri, rtype, rid, ok, f"detached {uri}", data)
    data = _transformed(tree, target, signature, transform_elements, comments)
    ok = X.digest(data, dalg) == expected
    return ReferenceResult(index, uri, rtype, rid, ok, description, data, target, whole)


def _unresolved(fail: object, uri: str, ident: str, count: int) -> ReferenceResult:
    assert callable(fail)
    if count == 0:
        result = fail("xml.reference-not-found", f"no element has the Id {ident!r} ({uri})")
    else:
        result = fail(
            "xml.ambiguous-id",
            f"{count} elements carry the Id {ident!r}: refused as a signature wrapping attempt",
        )
    assert isinstance(result, ReferenceResult)
    return result


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
