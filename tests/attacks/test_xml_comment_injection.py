"""Comment injection into signed XML (the CVE-2017-11427 family), against esig.xades.sign_xml.

esig signs with C14N 1.0 *without* comments, so a comment inserted into signed content is not
part of what was signed: the digest still matches and the verdict stays TOTAL_PASSED. That is
correct only if the caller reads the signed content esig returns (canonical bytes, re-parsed),
where the text is whole; the original tree splits it at the comment (``.text`` is truncated),
which is how the SAML attacks turned ``admin@evil.com<!---->.example`` into ``admin@evil.com``.
Comments inside DigestValue or SignatureValue must not truncate the values either.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from lxml import etree

from esig.report import Indication, SubIndication
from esig.testing import TestPki
from esig.xades import sign_xml, verify_xml_signed
from tests.xades.conftest import DOC, T, TrustDouble, revocation

SIGNER = "az-idcard-signer"
NS = {"c": "urn:test:customs"}


@pytest.fixture(scope="module")
def signed_xml(attack_pki: TestPki) -> bytes:
    return sign_xml(DOC, attack_pki.key(SIGNER), attack_pki.chain(SIGNER), signing_time=T)


def _verify(data: bytes, pki: TestPki) -> tuple[Indication, bytes, etree._Element]:
    out = verify_xml_signed(
        data,
        trust=TrustDouble(tuple(pki.roots())),
        validation_time=T + timedelta(hours=1),
        revocation=revocation(pki, SIGNER),
    )
    (sig,) = out.report.signatures
    document = next(c for c in out.signed if c.uri == "")
    assert document.element is not None
    return sig.indication, document.data, document.element


CANONICAL = (
    b'<Declaration xmlns="urn:test:customs"><Goods Id="goods"><Item>Tea</Item>'
    b'<Value currency="AZN">100</Value></Goods><Note>hello</Note></Declaration>'
)


def test_honest_document(signed_xml: bytes, attack_pki: TestPki) -> None:
    indication, data, _ = _verify(signed_xml, attack_pki)
    assert (indication, data) == (Indication.TOTAL_PASSED, CANONICAL)


@pytest.mark.parametrize(
    ("original", "injected", "xpath", "whole"),
    [
        (b"<Item>Tea</Item>", b"<Item>T<!-- x -->ea</Item>", "c:Goods/c:Item", "Tea"),
        (b">100</Value>", b">1<!---->00</Value>", "c:Goods/c:Value", "100"),
        (b"<Note>hello</Note>", b"<Note>hel<!--lo-->lo</Note>", "c:Note", "hello"),
    ],
)
def test_comment_in_signed_content_is_not_signed_and_not_truncating(
    signed_xml: bytes,
    attack_pki: TestPki,
    original: bytes,
    injected: bytes,
    xpath: str,
    whole: str,
) -> None:
    tampered = signed_xml.replace(original, injected)
    assert tampered != signed_xml
    indication, data, element = _verify(tampered, attack_pki)
    assert indication is Indication.TOTAL_PASSED  # comments are outside C14N 1.0 (no comments)
    assert data == CANONICAL  # the signed bytes have no comment
    assert element.findtext(xpath, namespaces=NS) == whole  # signed content: whole text
    naive = etree.fromstring(tampered).find(xpath, namespaces=NS)
    assert naive is not None
    assert naive.text != whole  # the trap: the original tree's .text stops at the comment


def test_comment_inside_digest_value_is_ignored(signed_xml: bytes, attack_pki: TestPki) -> None:
    match = re.search(rb"<ds:DigestValue>([^<]+)</ds:DigestValue>", signed_xml)
    assert match is not None
    value = match.group(1)
    tampered = signed_xml.replace(value, value[:10] + b"<!---->" + value[10:], 1)
    assert _verify(tampered, attack_pki)[0] is Indication.TOTAL_PASSED


def test_comment_inside_signature_value_is_ignored(signed_xml: bytes, attack_pki: TestPki) -> None:
    match = re.search(rb"<ds:SignatureValue[^>]*>([^<]+)</ds:SignatureValue>", signed_xml)
    assert match is not None
    value = match.group(1)
    tampered = signed_xml.replace(value, value[:20] + b"<!---->" + value[20:], 1)
    assert _verify(tampered, attack_pki)[0] is Indication.TOTAL_PASSED


def test_text_changed_next_to_a_comment_fails(signed_xml: bytes, attack_pki: TestPki) -> None:
    """Control: the comment hides nothing; changing the signed text itself still fails."""
    tampered = signed_xml.replace(b"<Item>Tea</Item>", b"<Item>T<!-- x -->ee</Item>")
    out = verify_xml_signed(
        tampered,
        trust=TrustDouble(tuple(attack_pki.roots())),
        validation_time=T + timedelta(hours=1),
        revocation=revocation(attack_pki, SIGNER),
    )
    (sig,) = out.report.signatures
    assert (sig.indication, sig.sub_indication) == (
        Indication.TOTAL_FAILED,
        SubIndication.HASH_FAILURE,
    )
    assert out.signed == ()
