"""xmlsec1 (an independent implementation) verifies the XML-DSig core of esig's signatures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from esig.testing import TestPki
from esig.xades import sign_xml
from tests.xades.conftest import DOC, T, revocation, timestamper

XMLSEC1 = shutil.which("xmlsec1")
pytestmark = pytest.mark.skipif(XMLSEC1 is None, reason="xmlsec1 is not installed (Debian xmlsec1)")

ID_ATTRS = [
    "--id-attr:Id",
    "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
    "--id-attr:Id",
    "http://www.w3.org/2000/09/xmldsig#:KeyInfo",
    "--id-attr:Id",
    "http://www.w3.org/2000/09/xmldsig#:Object",
    "--id-attr:Id",
    "urn:test:customs:Goods",
]


def _xmlsec1(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert XMLSEC1 is not None
    # --insecure: trust is esig's business; here only the signature value and references count.
    cmd = [XMLSEC1, "--verify", "--insecure", *ID_ATTRS, *extra, str(path)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("placement", ["enveloped", "enveloping", "detached", "ubl-extension"])
@pytest.mark.parametrize("signer", ["az-idcard-signer", "tr-nes-signer", "ee-idcard-signer"])
def test_xmlsec1_verifies_esig_signatures(
    pki: TestPki, tmp_path: Path, signer: str, placement: str
) -> None:
    doc = DOC
    if placement == "ubl-extension":
        doc = (
            b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
            b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
            b"<cbc:ID>INV1</cbc:ID></Invoice>"
        )
    (tmp_path / "declaration.xml").write_bytes(doc)
    signed = sign_xml(
        doc,
        pki.key(signer),
        pki.chain(signer),
        level="B-LTA",
        placement=placement,
        timestamper=timestamper(pki, signer),
        revocation=revocation(pki, signer),
        signing_time=T,
        detached_uri="declaration.xml",
    )
    path = tmp_path / "signed.xml"
    path.write_bytes(signed)
    extra = ["--url-map:declaration.xml", str(tmp_path / "declaration.xml")]
    result = _xmlsec1(path, *extra)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout + result.stderr


def test_xmlsec1_rejects_a_tampered_signature(pki: TestPki, tmp_path: Path) -> None:
    signer = "tr-nes-signer"
    signed = sign_xml(DOC, pki.key(signer), pki.chain(signer), signing_time=T)
    path = tmp_path / "signed.xml"
    path.write_bytes(signed.replace(b">Tea<", b">Coffee<"))
    assert _xmlsec1(path).returncode != 0


def _assert_xmlsec1_verifies_goods(doc: bytes, pki: TestPki, tmp_path: Path) -> None:
    """esig signs the element with Id "goods" of ``doc``; xmlsec1 verifies the result."""
    signer = "tr-nes-signer"
    signed = sign_xml(
        doc, pki.key(signer), pki.chain(signer), signing_time=T, reference_ids=("goods",)
    )
    path = tmp_path / "signed.xml"
    path.write_bytes(signed)
    result = _xmlsec1(path)
    assert result.returncode == 0, result.stderr


def test_default_namespace_subtree_signature_is_interoperable(pki: TestPki, tmp_path: Path) -> None:
    # Regression for the libxml2 2.14 inclusive-C14N subtree bug (spurious xmlns="" on
    # grand-children when the default namespace is declared above the signed element).
    doc = (
        b'<Declaration xmlns="urn:test:customs"><Goods Id="goods"><Item><Name>Tea</Name>'
        b"<Origin><Country>AZ</Country></Origin></Item></Goods></Declaration>"
    )
    _assert_xmlsec1_verifies_goods(doc, pki, tmp_path)


def test_c14n_work_around_matches_a_standalone_copy() -> None:
    from lxml import etree

    from esig.xades import _xml

    root = etree.fromstring(b'<a xmlns="urn:d" xmlns:u="urn:u"><b><c><d>x</d></c></b></a>')
    expected = b'<b xmlns="urn:d" xmlns:u="urn:u"><c><d>x</d></c></b>'
    assert _xml.c14n(root[0]) == expected


def test_inherited_xml_attributes_are_interoperable(pki: TestPki, tmp_path: Path) -> None:
    """C14N 1.0 section 2.4: the apex of a signed subtree carries the xml:lang/xml:space it
    inherits (libxml2 2.14 leaves them out; xmlsec1 includes them). esig signs such a reference
    and a SignedProperties inside a document with xml:lang on its root, xmlsec1 verifies."""
    doc = (
        b'<Declaration xmlns="urn:test:customs" xml:lang="tr" xml:space="preserve">'
        b'<Goods Id="goods"><Item>Tea</Item></Goods></Declaration>'
    )
    _assert_xmlsec1_verifies_goods(doc, pki, tmp_path)


def test_inherited_xml_attributes_in_canonical_form() -> None:
    from lxml import etree

    from esig.xades import _xml

    root = etree.fromstring(
        b'<r xmlns="urn:x" xml:lang="tr" xml:space="preserve"><m xml:lang="az">'
        b'<a Id="a" xml:space="default"><b>x</b></a></m></r>'
    )
    a = root[0][0]
    # nearest ancestor's xml:lang, the element's own xml:space; attributes in canonical order
    assert _xml.c14n(a) == (
        b'<a xmlns="urn:x" Id="a" xml:lang="az" xml:space="default"><b>x</b></a>'
    )
    # exclusive C14N inherits nothing
    assert (
        _xml.c14n(a, _xml.EXC_C14N) == b'<a xmlns="urn:x" Id="a" xml:space="default"><b>x</b></a>'
    )
    # C14N 1.1 does not inherit xml:id
    root2 = etree.fromstring(b'<r xml:id="top"><a>x</a></r>')
    assert _xml.c14n(root2[0], _xml.C14N_10) == b'<a xml:id="top">x</a>'
    assert _xml.c14n(root2[0], _xml.C14N_11) == b"<a>x</a>"
