"""Hardened XML parsing, namespaces, algorithm tables and canonicalisation helpers (private).

Parsing never resolves entities, never loads a DTD, never touches the network and refuses any
DOCTYPE, entity reference or XInclude element with :class:`~esig.errors.DocumentError`.
Canonicalisation is lxml's (libxml2's); esig only picks the algorithm.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from lxml import etree

from esig.errors import DocumentError

DS = "http://www.w3.org/2000/09/xmldsig#"
DS11 = "http://www.w3.org/2009/xmldsig11#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
XADES141 = "http://uri.etsi.org/01903/v1.4.1#"
XADES122 = "http://uri.etsi.org/01903/v1.2.2#"
UBL_EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
UBL_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
UBL_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
XINCLUDE = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")

NSMAP = {"ds": DS, "xades": XADES, "xades141": XADES141}
PREFIXES = {
    DS: "ds",
    DS11: "dsig11",
    XADES: "xades",
    XADES141: "xades141",
    XADES122: "xades122",
    UBL_EXT: "ext",
    UBL_CAC: "cac",
    UBL_CBC: "cbc",
}

SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"
#: The Type URI legacy Turkish signers write (DSS rejects it: SIG_CONSTRAINTS_FAILURE).
LEGACY_TR_SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903/v1.3.2/XAdES.xsd#SignedProperties"
ENVELOPED_TRANSFORM = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

C14N_10 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
C14N_10_COMMENTS = C14N_10 + "#WithComments"
C14N_11 = "http://www.w3.org/2006/12/xml-c14n11"
C14N_11_COMMENTS = C14N_11 + "#WithComments"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
EXC_C14N_COMMENTS = EXC_C14N + "WithComments"
C14N_METHODS = frozenset(
    {C14N_10, C14N_10_COMMENTS, C14N_11, C14N_11_COMMENTS, EXC_C14N, EXC_C14N_COMMENTS}
)

#: Digest algorithm URI -> hashlib name.
DIGESTS: dict[str, str] = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
    "http://www.w3.org/2001/04/xmldsig-more#sha224": "sha224",
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-256": "sha3_256",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-384": "sha3_384",
    "http://www.w3.org/2007/05/xmldsig-more#sha3-512": "sha3_512",
}
SHA256_URI = "http://www.w3.org/2001/04/xmlenc#sha256"
#: Digests esig refuses by default (ETSI TS 119 312: SHA-1 is not acceptable for new signatures).
WEAK_DIGESTS = frozenset({"sha1"})

#: Largest XML document accepted.
MAX_XML_BYTES = 64 * 1024 * 1024


def parser() -> etree.XMLParser:
    """A parser that never resolves entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
        remove_blank_text=False,
    )


def parse(data: bytes, *, what: str = "XML document") -> etree._ElementTree:
    """Parse ``data`` with :func:`parser`; refuse DOCTYPE, entities and XInclude.

    :raises DocumentError: for anything that is not a well-formed, DTD-free document.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DocumentError(f"the {what} must be bytes, not {type(data).__name__}")
    raw = bytes(data)
    if not raw.strip():
        raise DocumentError(f"the {what} is empty")
    if len(raw) > MAX_XML_BYTES:
        raise DocumentError(f"the {what} is larger than {MAX_XML_BYTES} bytes")
    try:
        root = etree.fromstring(raw, parser=parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"the {what} is not well-formed XML: {exc}") from exc
    except (ValueError, etree.LxmlError) as exc:  # e.g. unsupported encodings
        raise DocumentError(f"the {what} cannot be parsed: {exc}") from exc
    if root is None:
        raise DocumentError(f"the {what} has no root element")
    tree = root.getroottree()
    docinfo = tree.docinfo
    if (
        getattr(docinfo, "doctype", "")
        or docinfo.internalDTD is not None
        or docinfo.externalDTD is not None
    ):
        raise DocumentError(f"the {what} contains a DOCTYPE declaration (refused: XXE/DTD)")
    for _ in root.iter(etree.Entity):
        raise DocumentError(f"the {what} contains an entity reference (refused)")
    for _ in root.iter(*(f"{{{ns}}}*" for ns in XINCLUDE)):
        raise DocumentError(f"the {what} contains XInclude elements (refused)")
    return tree


def c14n(
    node: etree._Element,
    algorithm: str = C14N_10,
    inclusive_prefixes: Sequence[str] | None = None,
) -> bytes:
    """Canonicalise ``node`` in its document context with ``algorithm`` (a C14N URI).

    ``inclusive_prefixes``: the exclusive c14n InclusiveNamespaces PrefixList.
    Canonical XML 1.1 is computed as 1.0 (lxml has no 1.1), except that only ``xml:lang`` and
    ``xml:space`` of ancestors are inherited (1.1 does not inherit ``xml:id`` and fixes up
    ``xml:base``, which esig does not do).

    Work-arounds for libxml2 2.14 (bundled with lxml 6), inclusive C14N of a subtree: it renders
    a spurious ``xmlns=""`` on grand-children when the default namespace is declared above the
    subtree, and it leaves out the ``xml:*`` attributes the subtree's apex inherits from its
    ancestors (C14N 1.0 section 2.4; xmlsec1 includes them). Such subtrees are serialised with
    their in-scope namespaces, re-parsed, and given the inherited ``xml:*`` attributes first,
    which gives the canonical form the recommendation defines.
    """
    if algorithm not in C14N_METHODS:
        raise DocumentError(f"unsupported canonicalization method {algorithm!r}")
    exclusive = algorithm.startswith(EXC_C14N)
    comments = algorithm.endswith("WithComments")
    if not exclusive and node.getparent() is not None:
        inherited = inherited_xml_attributes(node, algorithm.startswith(C14N_11))
        node = etree.fromstring(etree.tostring(node, with_tail=False), parser=parser())
        for name, value in inherited.items():
            node.set(name, value)
    return bytes(
        etree.tostring(
            node,
            method="c14n",
            exclusive=exclusive,
            with_comments=comments,
            inclusive_ns_prefixes=list(inclusive_prefixes)
            if exclusive and inclusive_prefixes
            else None,
        )
    )


_XML_ATTR = "{http://www.w3.org/XML/1998/namespace}"


def inherited_xml_attributes(node: etree._Element, c14n_11: bool) -> dict[str, str]:
    """The ``xml:*`` attributes ``node`` does not carry, from its nearest ancestors that do."""
    names = ("lang", "space") if c14n_11 else ("lang", "space", "base", "id")
    wanted = {_XML_ATTR + n for n in names} - set(node.attrib.keys())
    found: dict[str, str] = {}
    for ancestor in node.iterancestors():
        for key in wanted - set(found):
            value = ancestor.get(key)
            if value is not None:
                found[key] = value
    return found


def c14n_spec(element: etree._Element | None, default: str = C14N_10) -> tuple[str, list[str]]:
    """The algorithm of a CanonicalizationMethod/Transform element and its PrefixList."""
    if element is None:
        return default, []
    algorithm = element.get("Algorithm") or default
    prefixes: list[str] = []
    for inc in element.iter(f"{{{EXC_C14N}}}InclusiveNamespaces"):
        prefixes.extend((inc.get("PrefixList") or "").split())
    return algorithm, ["" if p == "#default" else p for p in prefixes]


def digest(data: bytes, algorithm_uri: str) -> bytes:
    name = DIGESTS.get(algorithm_uri)
    if name is None:
        raise DocumentError(f"unsupported digest algorithm {algorithm_uri!r}")
    return hashlib.new(name, data).digest()


def qname(tag: str) -> str:
    """``{ns}local`` as ``prefix:local`` with esig's prefixes (for reports)."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        prefix = PREFIXES.get(ns)
        return f"{prefix}:{local}" if prefix else local
    return tag


def path_of(element: etree._Element) -> str:
    """A readable absolute path such as ``/Invoice/ext:UBLExtensions[1]/ds:Signature``."""
    parts: list[str] = []
    node: Any = element
    while node is not None:
        parent = node.getparent()
        name = qname(node.tag) if isinstance(node.tag, str) else "?"
        if parent is not None and isinstance(node.tag, str):
            # Only same-named siblings are visited (libxml2 filters by tag): a signature at the
            # end of a root with a million children costs no Python loop over them.
            before = sum(1 for _ in node.itersiblings(node.tag, preceding=True))
            after = next(node.itersiblings(node.tag), None) is not None
            if before or after:
                name += f"[{before + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))


def find(element: etree._Element, path: str) -> etree._Element | None:
    found = element.find(path, namespaces=NSMAP)
    return found


def findall(element: etree._Element, path: str) -> list[etree._Element]:
    return list(element.findall(path, namespaces=NSMAP))


def text(element: etree._Element | None) -> str:
    if element is None or element.text is None:
        return ""
    return "".join(str(t) for t in element.itertext()).strip()


def b64(element: etree._Element | None, what: str) -> bytes:
    """The base64 content of ``element``; DocumentError when missing or not base64."""
    import base64
    import binascii

    value = "".join(text(element).split())
    if not value:
        raise DocumentError(f"{what} is missing or empty")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DocumentError(f"{what} is not valid base64") from exc
