"""verify_trusted_list: signature, signer pinning, scope (signature wrapping) and list freshness."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from esig.errors import ConfigurationError, InputError, TrustListError
from esig.trust import (
    LEGACY_TRUST_LIST_POLICY,
    STRICT_TRUST_LIST_POLICY,
    TrustListPolicy,
    parse_trusted_list,
    verify_trusted_list,
)
from esig.trust.uris import NS_DS, NS_TSL
from tests.trust import _tlgen

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
DS = f"{{{NS_DS}}}"
TSL = f"{{{NS_TSL}}}"


def codes(findings) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.code for f in findings]


def verify(
    xml: bytes, *certs, when: datetime = NOW, policy: TrustListPolicy = STRICT_TRUST_LIST_POLICY
):  # type: ignore[no-untyped-def]
    return verify_trusted_list(
        xml,
        signing_certificates=[_tlgen.der(c) for c in certs],
        validation_time=when,
        policy=policy,
    )


@pytest.fixture(scope="module")
def signed(signer) -> bytes:  # type: ignore[no-untyped-def]
    key, cert = signer
    return _tlgen.sign(_tlgen.tl_xml(), key, cert)


def test_good_list(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    result = verify(signed, signer[1])
    assert result.usable is True
    assert result.reasons == ()
    assert result.warnings == ()
    assert result.validation_time == NOW
    assert result.signer_certificate == _tlgen.der(signer[1])
    assert result.signature.present is True
    assert result.signature.count == 1
    assert (
        result.signature.signature_method == "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
    )
    assert result.signature.key_info_certificates == (_tlgen.der(signer[1]),)
    tl = result.trusted_list
    assert tl is not None
    # The model from the signed bytes equals the unsigned parse of the same list.
    unsigned = parse_trusted_list(_tlgen.tl_xml())
    assert tl.providers == unsigned.providers
    assert tl.pointers == unsigned.pointers
    assert (tl.sequence_number, tl.scheme_territory, tl.version) == (42, "AZ", 6)


def test_good_list_with_several_pinned_certificates(signed: bytes, signer, other_signer) -> None:  # type: ignore[no-untyped-def]
    result = verify(signed, other_signer[1], signer[1])
    assert result.usable is True
    assert result.signer_certificate == _tlgen.der(signer[1])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"Test TSP", b"Evil TSP"),
        (b"Svcstatus/withdrawn", b"Svcstatus/granted"),
        (b"<TSLSequenceNumber>42<", b"<TSLSequenceNumber>43<"),
        (b'Critical="true"', b'Critical="false"'),
    ],
)
def test_tampered_content(signed: bytes, signer, old: bytes, new: bytes) -> None:  # type: ignore[no-untyped-def]
    assert old in signed
    result = verify(signed.replace(old, new, 1), signer[1])
    assert result.usable is False
    assert codes(result.reasons) == ["tl.signature-invalid"]
    assert result.trusted_list is None
    assert result.signer_certificate is None


def test_tampered_signature_value(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    root = etree.fromstring(signed)
    value = root.find(f"{DS}Signature/{DS}SignatureValue")
    assert value is not None
    assert value.text
    value.text = value.text[:10] + ("A" if value.text[10] != "A" else "B") + value.text[11:]
    result = verify(etree.tostring(root), signer[1])
    assert result.usable is False
    assert codes(result.reasons) == ["tl.signature-invalid"]


def test_unsigned(signer) -> None:  # type: ignore[no-untyped-def]
    result = verify(_tlgen.tl_xml(), signer[1])
    assert result.usable is False
    assert codes(result.reasons) == ["tl.unsigned"]
    assert result.trusted_list is None
    assert result.signature.present is False


def test_signed_by_unexpected_certificate(signed: bytes, other_signer) -> None:  # type: ignore[no-untyped-def]
    result = verify(signed, other_signer[1])
    assert result.usable is False
    assert codes(result.reasons) == ["tl.unexpected-signer"]
    assert result.trusted_list is None


def test_attacker_signed_list_with_attacker_keyinfo(other_signer, signer) -> None:  # type: ignore[no-untyped-def]
    """An attacker re-signs a modified list with his own key: KeyInfo is never trusted."""
    evil = _tlgen.tl_xml(service_name="Evil CA")
    result = verify(_tlgen.sign(evil, *other_signer), signer[1])
    assert codes(result.reasons) == ["tl.unexpected-signer"]
    assert result.trusted_list is None


def test_expired_list(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    after_next_update = _tlgen.NEXT_UPDATE + timedelta(seconds=1)
    result = verify(signed, signer[1], when=after_next_update)
    assert result.usable is False
    assert codes(result.reasons) == ["tl.expired"]
    assert "2026-11-01T00:00:00Z" in result.reasons[0].message
    # The model is there (signed content), but the list is not usable.
    assert result.trusted_list is not None
    # At NextUpdate itself the list is still current.
    assert verify(signed, signer[1], when=_tlgen.NEXT_UPDATE).usable is True
    relaxed = verify(
        signed, signer[1], when=after_next_update, policy=TrustListPolicy(allow_expired=True)
    )
    assert relaxed.usable is True
    assert codes(relaxed.warnings) == ["tl.expired"]


def test_not_yet_issued(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    result = verify(signed, signer[1], when=_tlgen.ISSUED - timedelta(seconds=1))
    assert result.usable is False
    assert codes(result.reasons) == ["tl.not-yet-issued"]
    assert verify(signed, signer[1], when=_tlgen.ISSUED).usable is True


def test_closed_list_is_a_warning(signer) -> None:  # type: ignore[no-untyped-def]
    xml = _tlgen.sign(_tlgen.tl_xml(next_update=None), *signer)
    result = verify(xml, signer[1])
    assert result.usable is True
    assert codes(result.warnings) == ["tl.closed"]


@pytest.mark.parametrize(("version", "usable"), [(4, False), (5, True), (6, True), (7, False)])
def test_versions(signer, version: int, usable: bool) -> None:  # type: ignore[no-untyped-def]
    xml = _tlgen.sign(_tlgen.tl_xml(version=version), *signer)
    result = verify(xml, signer[1])
    assert result.usable is usable
    assert codes(result.reasons) == ([] if usable else ["tl.unsupported-version"])
    only_v6 = verify(xml, signer[1], policy=TrustListPolicy(accepted_versions=frozenset({6})))
    assert only_v6.usable is (version == 6)


def test_signer_certificate_outside_validity(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    # A list that is itself current, checked when the signer certificate has expired.
    xml = _tlgen.sign(_tlgen.tl_xml(next_update=datetime(2031, 1, 1, tzinfo=UTC)), *signer)
    when = _tlgen.SIGNER_NOT_AFTER + timedelta(days=1)
    result = verify(xml, signer[1], when=when)
    assert codes(result.reasons) == ["tl.signer-certificate-expired"]
    legacy = verify(xml, signer[1], when=when, policy=LEGACY_TRUST_LIST_POLICY)
    assert legacy.usable is True
    assert codes(legacy.warnings) == ["tl.signer-certificate-expired"]


def test_plain_xmldsig_is_a_warning(signer) -> None:  # type: ignore[no-untyped-def]
    xml = _tlgen.sign(_tlgen.tl_xml(), *signer, xades=False)
    result = verify(xml, signer[1])
    assert result.usable is True
    assert codes(result.warnings) == ["tl.not-xades"]


def test_reference_by_root_id(signer) -> None:  # type: ignore[no-untyped-def]
    xml = _tlgen.sign(_tlgen.tl_xml(), *signer, reference_uri="#tl-root")
    assert verify(xml, signer[1]).usable is True


def test_no_pinned_certificate(signed: bytes) -> None:
    with pytest.raises(ConfigurationError):
        verify_trusted_list(signed, signing_certificates=[], validation_time=NOW)


def test_unreadable_pinned_certificate(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    result = verify_trusted_list(
        signed, signing_certificates=[b"junk", _tlgen.der(signer[1])], validation_time=NOW
    )
    assert result.usable is True
    assert codes(result.warnings) == ["tl.pinned-certificate-unreadable"]
    from esig.errors import CertificateError

    with pytest.raises(CertificateError):
        verify_trusted_list(signed, signing_certificates=[b"junk"], validation_time=NOW)


def test_naive_validation_time(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError):
        verify(signed, signer[1], when=datetime(2026, 6, 1))


def test_not_a_trusted_list_raises(signer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TrustListError, match="not a TrustServiceStatusList"):
        verify(b"<a/>", signer[1])


# --- signature scope and XML signature wrapping ------------------------------------------------


def _evil_provider(root: etree._Element) -> etree._Element:
    tsp = copy.deepcopy(root.find(f"{TSL}TrustServiceProviderList/{TSL}TrustServiceProvider"))
    assert tsp is not None
    name = tsp.find(f"{TSL}TSPInformation/{TSL}TSPName/{TSL}Name")
    assert name is not None
    name.text = "Evil TSP"
    return tsp


def _provider_names(result) -> list[str]:  # type: ignore[no-untyped-def]
    if result.trusted_list is None:
        return []
    return [p.names[0].text for p in result.trusted_list.providers]


def test_provider_injected_into_the_signature_is_ignored(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    """Content inside ds:Signature is outside the signed bytes: it never reaches the model."""
    root = etree.fromstring(signed)
    sig = root.find(f"{DS}Signature")
    assert sig is not None
    obj = etree.SubElement(sig, f"{DS}Object")
    holder = etree.SubElement(obj, f"{TSL}TrustServiceProviderList")
    holder.append(_evil_provider(root))
    xml = etree.tostring(root)
    result = verify(xml, signer[1])
    assert result.usable is True
    assert _provider_names(result) == ["Test TSP"]
    assert [p.names[0].text for p in parse_trusted_list(xml).providers] == ["Test TSP"]


@pytest.mark.parametrize("outer_id", ["tl-root", "evil-root", None])
def test_signature_wrapping_with_id_reference(signer, outer_id: str | None) -> None:  # type: ignore[no-untyped-def]
    """XSW: the signed root is moved into ds:Object; a forged root with an extra TSP wraps it."""
    key, cert = signer
    signed = _tlgen.sign(_tlgen.tl_xml(), key, cert, reference_uri="#tl-root")
    original = etree.fromstring(signed)
    sig = original.find(f"{DS}Signature")
    assert sig is not None
    original.remove(sig)
    forged = copy.deepcopy(original)
    if outer_id is None:
        del forged.attrib["Id"]
    else:
        forged.set("Id", outer_id)
    providers = forged.find(f"{TSL}TrustServiceProviderList")
    assert providers is not None
    providers.append(_evil_provider(forged))
    etree.SubElement(sig, f"{DS}Object").append(original)
    forged.append(sig)
    result = verify(etree.tostring(forged), cert)
    assert result.usable is False
    assert "tl.signature-scope" in codes(result.reasons)
    assert "Evil TSP" not in _provider_names(result)


def test_signature_wrapping_with_whole_document_reference(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    """A forged outer root around the signed list: the signature is no longer the root's."""
    inner = etree.fromstring(signed)
    forged = copy.deepcopy(inner)
    forged.remove(forged.find(f"{DS}Signature"))
    providers = forged.find(f"{TSL}TrustServiceProviderList")
    assert providers is not None
    providers.append(_evil_provider(forged))
    forged.find(f"{TSL}SchemeInformation").append(inner)  # type: ignore[union-attr]
    result = verify(etree.tostring(forged), signer[1])
    assert result.usable is False
    assert codes(result.reasons) == ["tl.signature-scope"]
    assert result.trusted_list is None


def test_signature_covering_one_provider_only(signer) -> None:  # type: ignore[no-untyped-def]
    xml = _tlgen.tl_xml().replace(b"<TrustServiceProvider>", b'<TrustServiceProvider Id="tsp-1">')
    result = verify(_tlgen.sign(xml, *signer, reference_uri="#tsp-1"), signer[1])
    assert result.usable is False
    assert codes(result.reasons) == ["tl.signature-scope"]
    assert result.trusted_list is None


def test_two_signatures(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    root = etree.fromstring(signed)
    sig = root.find(f"{DS}Signature")
    root.append(copy.deepcopy(sig))
    result = verify(etree.tostring(root), signer[1])
    assert codes(result.reasons) == ["tl.signature-scope"]
    assert "found 2 signature(s)" in result.reasons[0].message


def test_signature_not_a_child_of_the_root(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    root = etree.fromstring(signed)
    sig = root.find(f"{DS}Signature")
    assert sig is not None
    root.remove(sig)
    root.find(f"{TSL}SchemeInformation").append(sig)  # type: ignore[union-attr]
    result = verify(etree.tostring(root), signer[1])
    assert codes(result.reasons) == ["tl.signature-scope"]
    assert "none of them a child of the root" in result.reasons[0].message


def test_comment_injection_does_not_truncate_text(signed: bytes, signer) -> None:  # type: ignore[no-untyped-def]
    """CVE-2017-11427 family: a comment splits a signed text node; c14n drops it, so the
    signature still verifies, and the model must read the whole text, not the first node."""
    xml = signed.replace(b">Test TSP<", b">Test <!-- x -->TSP<", 1)
    assert xml != signed
    result = verify(xml, signer[1])
    assert result.usable is True
    assert _provider_names(result) == ["Test TSP"]
