"""XML signature wrapping: ambiguous Ids fail; wrapped content is never handed back as signed."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from lxml import etree

from esig.report import Indication, SubIndication
from esig.testing import TestPki
from esig.xades import sign_xml, verify_xml_signed
from tests.xades.conftest import DOC, T, TrustDouble, revocation

SIGNER = "ee-idcard-signer"
C = "{urn:test:customs}"


@pytest.fixture(scope="module")
def signed(pki: TestPki) -> bytes:
    """An enveloped signature over the Goods element only (``#goods``)."""
    return sign_xml(
        DOC, pki.key(SIGNER), pki.chain(SIGNER), signing_time=T, reference_ids=("goods",)
    )


def _verify(pki: TestPki, trust: TrustDouble, data: bytes):  # type: ignore[no-untyped-def]
    return verify_xml_signed(
        data,
        trust=trust,
        validation_time=T + timedelta(hours=1),
        revocation=revocation(pki, SIGNER),
    )


def test_genuine_signature_names_the_signed_element(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    result = _verify(pki, trust, signed)
    assert result.report.passed
    assert result.report.signatures[0].signed_objects[0] == "#goods /Declaration/Goods"


def test_duplicate_id_is_format_failure(pki: TestPki, trust: TrustDouble, signed: bytes) -> None:
    root = etree.fromstring(signed)
    goods = root.find(f"{C}Goods")
    assert goods is not None
    wrapper = etree.SubElement(root, f"{C}Wrapper")
    wrapper.append(copy.deepcopy(goods))
    goods.find(f"{C}Value").text = "999999"  # type: ignore[union-attr]
    result = _verify(pki, trust, etree.tostring(root))
    (sig,) = result.report.signatures
    assert (sig.indication, sig.sub_indication) == (
        Indication.TOTAL_FAILED,
        SubIndication.FORMAT_FAILURE,
    )
    assert any(r.code == "xml.ambiguous-id" for r in sig.reasons)
    assert result.signed == ()


def test_wrapped_original_is_what_callers_get(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    # XSW: the signed element is moved into a wrapper, an unsigned look-alike (no Id) takes its
    # place. The signature is genuinely valid, so the verdict is TOTAL_PASSED; the defence is
    # that the report says exactly what was signed and callers read only the signed content.
    root = etree.fromstring(signed)
    goods = root.find(f"{C}Goods")
    assert goods is not None
    evil = copy.deepcopy(goods)
    del evil.attrib["Id"]
    evil.find(f"{C}Value").text = "1"  # type: ignore[union-attr]
    wrapper = etree.SubElement(root, f"{C}Wrapper")
    root.replace(goods, evil)
    wrapper.append(goods)
    result = _verify(pki, trust, etree.tostring(root))
    (sig,) = result.report.signatures
    assert sig.passed
    assert sig.signed_objects[0] == "#goods /Declaration/Wrapper/Goods"
    contents = [c for c in result.signed if c.uri == "#goods"]
    assert len(contents) == 1
    assert contents[0].element is not None
    assert contents[0].element.findtext(f"{C}Value") == "100"
    assert all(b">1<" not in c.data for c in result.signed)
