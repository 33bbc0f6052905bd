"""The enveloped-signature transform without copying the document.

esig canonicalises with the ds:Signature taken out of the tree for the moment instead of a copy
(memory: one tree instead of two for a large customs document). The octets must be exactly what
removing the signature from a copy gives (XML-DSig 6.6.4: the text around it stays), and the
tree must be as it was afterwards, wherever the signature sits.
"""

from __future__ import annotations

import pytest
from lxml import etree

from esig.xades import _xml as X
from esig.xades._core import _transformed

DS = "http://www.w3.org/2000/09/xmldsig#"
ENVELOPED = [
    etree.fromstring(f'<ds:Transform xmlns:ds="{DS}" Algorithm="{X.ENVELOPED_TRANSFORM}"/>')
]
SIG = f'<ds:Signature xmlns:ds="{DS}"><ds:SignedInfo>s</ds:SignedInfo></ds:Signature>'
BARE_SIG = "<ds:Signature><ds:SignedInfo>s</ds:SignedInfo></ds:Signature>"

DOCUMENTS = {
    "first child, no text before": f"<r xmlns='urn:c'>{SIG}after<a>1</a></r>",
    "first child, text before": f"<r xmlns='urn:c'>before{SIG}after<a>1</a></r>",
    "middle, tails on both sides": f"<r xmlns='urn:c'><a>1</a>t1{SIG}t2<b/>t3</r>",
    "last child, no tail": f"<r xmlns='urn:c'><a>1</a>t1{SIG}</r>",
    "nested, prefix declared on the root": (
        f"<r xmlns:ds='{DS}' xmlns='urn:c'><x><a/>{BARE_SIG}tail</x><!-- c --></r>"
    ),
    # sk-tsl.xml shape: the root declares the XAdES namespace under another prefix than the
    # signature uses; moving the signature out and back in would rename xades: to ns4:.
    "namespace declared twice under two prefixes": (
        f"<r xmlns='urn:c' xmlns:ns2='{DS}' xmlns:ns4='urn:xades'><a/>"
        f"<ds:Signature xmlns:ds='{DS}'><ds:Object><xades:P xmlns:xades='urn:xades'><xades:Q/>"
        "</xades:P></ds:Object></ds:Signature>\n</r>"
    ),
    "UBL-like extension content": (
        "<Invoice xmlns='urn:inv' xmlns:ext='urn:ext'><ext:UBLExtensions><ext:UBLExtension>"
        f"<ext:ExtensionContent>\n  {SIG}\n</ext:ExtensionContent></ext:UBLExtension>"
        "</ext:UBLExtensions><ID>1</ID></Invoice>"
    ),
}


def _by_copy(xml: str, method: str) -> bytes:
    """The reference result: remove the signature from a separate copy (the old way)."""
    root = etree.fromstring(xml.encode())
    sig = next(root.iter(f"{{{DS}}}Signature"))
    parent, prev = sig.getparent(), sig.getprevious()
    assert parent is not None
    if sig.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + sig.tail
        else:
            parent.text = (parent.text or "") + sig.tail
    parent.remove(sig)
    return bytes(
        etree.tostring(
            root.getroottree(),
            method="c14n",
            with_comments=method.endswith("WithComments"),
        )
    )


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
@pytest.mark.parametrize("comments", [False, True])
def test_same_octets_as_a_copy_and_tree_unchanged(name: str, comments: bool) -> None:
    xml = DOCUMENTS[name]
    tree = etree.fromstring(xml.encode()).getroottree()
    before = etree.tostring(tree)
    signature = next(tree.iter(f"{{{DS}}}Signature"))
    parent, index = signature.getparent(), signature.getparent().index(signature)  # type: ignore[union-attr]
    octets = _transformed(tree, None, signature, ENVELOPED, comments)
    method = X.C14N_10_COMMENTS if comments else X.C14N_10
    assert octets == _by_copy(xml, method)
    assert b"SignedInfo" not in octets
    assert etree.tostring(tree) == before
    assert signature.getparent() is parent
    assert parent.index(signature) == index  # type: ignore[union-attr]


def test_signature_as_document_element_is_refused() -> None:
    from esig.errors import DocumentError

    tree = etree.fromstring(SIG.encode()).getroottree()
    with pytest.raises(DocumentError, match="document element"):
        _transformed(tree, None, tree.getroot(), ENVELOPED, False)
