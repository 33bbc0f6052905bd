"""Tampering and constraint violations each give one exact EN 319 102-1 verdict."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from esig.report import Indication, SubIndication
from esig.testing import TestPki
from esig.xades import sign_xml, verify_xml
from tests.xades.conftest import DOC, DS, NS, T, TrustDouble, resign, revocation, timestamper

SIGNER = "az-idcard-signer"


@pytest.fixture(scope="module")
def signed(pki: TestPki) -> bytes:
    return sign_xml(
        DOC,
        pki.key(SIGNER),
        pki.chain(SIGNER),
        level="B-T",
        timestamper=timestamper(pki, SIGNER),
        signing_time=T,
    )


def _verdict(
    pki: TestPki, trust: TrustDouble, data: bytes
) -> tuple[Indication, SubIndication | None]:
    report = verify_xml(
        data,
        trust=trust,
        validation_time=T + timedelta(hours=1),
        revocation=revocation(pki, SIGNER),
    )
    (sig,) = report.signatures
    return sig.indication, sig.sub_indication


def _edit(data: bytes, path: str, change: object) -> bytes:
    root = etree.fromstring(data)
    el = root.find(path, {**NS, "c": "urn:test:customs"})
    assert el is not None, path
    assert callable(change)
    change(el)
    return bytes(etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8"))


def test_untouched_passes(pki: TestPki, trust: TrustDouble, signed: bytes) -> None:
    assert _verdict(pki, trust, signed) == (Indication.TOTAL_PASSED, None)


def test_changed_signed_element_is_hash_failure(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    bad = _edit(signed, "c:Goods/c:Value", lambda el: setattr(el, "text", "1"))
    assert _verdict(pki, trust, bad) == (Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE)


def test_added_unsigned_content_is_hash_failure(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    bad = _edit(signed, "c:Goods", lambda el: etree.SubElement(el, "{urn:test:customs}Item"))
    assert _verdict(pki, trust, bad) == (Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE)


def test_changed_signed_properties_is_hash_failure(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    path = ".//xades:SignedProperties/xades:SignedSignatureProperties/xades:SigningTime"
    bad = _edit(signed, path, lambda el: setattr(el, "text", "2020-01-01T00:00:00Z"))
    assert _verdict(pki, trust, bad) == (Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE)


def test_changed_signature_value_is_sig_crypto_failure(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    def flip(el: etree._Element) -> None:
        raw = bytearray(base64.b64decode(el.text or ""))
        raw[5] ^= 1
        el.text = base64.b64encode(bytes(raw)).decode()

    bad = _edit(signed, "ds:Signature/ds:SignatureValue", flip)
    assert _verdict(pki, trust, bad) == (Indication.TOTAL_FAILED, SubIndication.SIG_CRYPTO_FAILURE)


def test_substituted_certificate_is_no_signing_certificate_found(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    other = base64.b64encode(pki.cert("az-mobile-signer").public_bytes(Encoding.DER)).decode()

    def swap(el: etree._Element) -> None:
        for cert in el.findall("ds:X509Data/ds:X509Certificate", NS):
            cert.text = other

    bad = _edit(signed, "ds:Signature/ds:KeyInfo", swap)
    assert _verdict(pki, trust, bad) == (
        Indication.INDETERMINATE,
        SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
    )


def test_removed_certificate_is_no_signing_certificate_found(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    def drop(el: etree._Element) -> None:
        for cert in el.findall("ds:X509Data/ds:X509Certificate", NS):
            cert.getparent().remove(cert)  # type: ignore[union-attr]

    bad = _edit(signed, "ds:Signature/ds:KeyInfo", drop)
    assert _verdict(pki, trust, bad) == (
        Indication.INDETERMINATE,
        SubIndication.NO_SIGNING_CERTIFICATE_FOUND,
    )


def test_untrusted_root_is_no_certificate_chain_found(pki: TestPki, signed: bytes) -> None:
    trust = TrustDouble((pki.cert("ee-root"),))
    assert _verdict(pki, trust, signed) == (
        Indication.INDETERMINATE,
        SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
    )


def test_revoked_signer_is_revoked_no_poe(pki: TestPki, trust: TrustDouble) -> None:
    signer = "tr-nes-revoked"
    revoked_on = pki.entity(signer).revoked
    assert revoked_on is not None
    at = max(T, revoked_on.date + timedelta(days=1))
    data = sign_xml(DOC, pki.key(signer), pki.chain(signer), signing_time=at)
    report = verify_xml(
        data, trust=trust, validation_time=at, revocation=revocation(pki, signer, at)
    )
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.REVOKED_NO_POE,
    )


def test_signature_moved_out_of_place_is_sig_constraints_failure(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    def move(root: etree._Element) -> None:
        sig = root.find("ds:Signature", NS)
        note = root.find("{urn:test:customs}Note")
        assert sig is not None
        assert note is not None
        note.append(sig)

    root = etree.fromstring(signed)
    move(root)
    bad = etree.tostring(root)
    assert _verdict(pki, trust, bad) == (
        Indication.INDETERMINATE,
        SubIndication.SIG_CONSTRAINTS_FAILURE,
    )


def test_xpath_transform_is_refused(pki: TestPki, trust: TrustDouble, signed: bytes) -> None:
    def add_xpath(sig: etree._Element) -> None:
        transforms = sig.find("ds:SignedInfo/ds:Reference/ds:Transforms", NS)
        assert transforms is not None
        xp = etree.SubElement(transforms, f"{{{DS}}}Transform")
        xp.set("Algorithm", "http://www.w3.org/TR/1999/REC-xpath-19991116")
        etree.SubElement(xp, f"{{{DS}}}XPath").text = "not(ancestor-or-self::ds:Signature)"

    bad = resign(signed, pki.key(SIGNER), add_xpath)
    assert _verdict(pki, trust, bad) == (
        Indication.INDETERMINATE,
        SubIndication.SIG_CONSTRAINTS_FAILURE,
    )


def test_external_reference_without_content_is_refused(pki: TestPki, trust: TrustDouble) -> None:
    data = sign_xml(
        DOC,
        pki.key(SIGNER),
        pki.chain(SIGNER),
        signing_time=T,
        placement="detached",
        detached_uri="http://127.0.0.1:9/declaration.xml",
    )
    assert _verdict(pki, trust, data) == (
        Indication.INDETERMINATE,
        SubIndication.SIG_CONSTRAINTS_FAILURE,
    )


def test_comment_injection_changes_nothing_signed(
    pki: TestPki, trust: TrustDouble, signed: bytes
) -> None:
    # A comment inside signed text does not change the canonical form (comments excluded),
    # and the signed content handed back is the canonical text, without the comment.
    from esig.xades import verify_xml_signed

    bad = signed.replace(b"<Item>Tea</Item>", b"<Item>Te<!-- evil -->a</Item>")
    result = verify_xml_signed(
        bad, trust=trust, validation_time=T + timedelta(hours=1), revocation=revocation(pki, SIGNER)
    )
    assert result.report.passed
    doc = next(c for c in result.signed if "whole document" in c.description)
    assert doc.element is not None
    assert doc.element.findtext(".//{urn:test:customs}Item") == "Tea"


def test_document_without_signature_is_signed_data_not_found(trust: TrustDouble) -> None:
    report = verify_xml(DOC, trust=trust, validation_time=T)
    assert report.signatures == ()
    assert (report.indication, report.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.SIGNED_DATA_NOT_FOUND,
    )


@pytest.mark.parametrize(
    ("name", "target_ok"),
    [
        ("xades/xades4j/document.signed.bes.cs.cs.xml", True),
        ("xades/dss/validation/xades-fake-counter-signature.xml", False),
        ("xades/dss/validation/xades-counter-signature-injected.xml", False),
    ],
)
def test_counter_signatures_are_reported_and_must_cover_the_signature_value(
    corpus: Path, name: str, target_ok: bool
) -> None:
    from esig.xades import XmlConstraints

    report = verify_xml(
        (corpus / name).read_bytes(),
        trust=TrustDouble(()),
        validation_time=T,
        constraints=XmlConstraints(allow_sha1=True),
    )
    counters = [s for s in report.signatures if s.kind == "counter-signature"]
    assert counters
    bad = [s for s in counters if any(r.code == "xades.countersignature-target" for r in s.reasons)]
    assert (not bad) is target_ok
    for sig in bad:
        assert sig.sub_indication is SubIndication.SIG_CONSTRAINTS_FAILURE
