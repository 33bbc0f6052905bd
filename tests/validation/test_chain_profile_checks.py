"""esig's own RFC 5280 checks over a validated path (esig.validation._profile_checks).

Each test builds a small PKI with the one property under test and asserts the exact outcome of
``validate_chain``: indication, sub-indication and the code of the first finding. The lenient
cases (non-critical name constraints or basicConstraints, a malformed dNSName constraint on a
path without dNSName, a CRL without cRLNumber) mirror certificates of EU trusted lists that must
keep validating.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtensionOID, NameOID, ObjectIdentifier

from esig import Indication, SubIndication
from esig.testing import REFERENCE_TIME
from esig.validation import _profile_checks
from esig.validation.chain import (
    ChainOutcome,
    RevocationMaterial,
    Usage,
    _CertificateAsRead,
    validate_chain,
)
from tests.certs.builder import ctx, oid, seq, tlv

AT = REFERENCE_TIME
ROOT_KEY = ec.derive_private_key(0x5EED01, ec.SECP256R1())
CA_KEY = ec.derive_private_key(0x5EED02, ec.SECP256R1())
LEAF_KEY = ec.derive_private_key(0x5EED03, ec.SECP256R1())

Ext = tuple[x509.ExtensionType, bool]

CONSTRAINTS = (Indication.INDETERMINATE, SubIndication.CHAIN_CONSTRAINTS_FAILURE)
PASSED = (Indication.TOTAL_PASSED, None)


def dn(cn: str, country: str = "EE") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


ROOT_NAME = dn("Profile Test Root")
CA_NAME = dn("Profile Test CA")
LEAF_NAME = dn("Mari Maasikas")


def _ku(*, sign: bool = False, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


CA_EXTS: list[Ext] = [
    (x509.BasicConstraints(ca=True, path_length=None), True),
    (_ku(cert_sign=True), True),
]
LEAF_EXTS: list[Ext] = [(_ku(sign=True), True)]


def issue(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Name,
    issuer_key: ec.EllipticCurvePrivateKey,
    extensions: Sequence[Ext],
    *,
    not_before: datetime = AT - timedelta(days=30),
    not_after: datetime = AT + timedelta(days=30),
    serial: int = 2,
    mutate: Callable[[asn1_x509.TbsCertificate], None] | None = None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    for ext, critical in extensions:
        builder = builder.add_extension(ext, critical=critical)
    cert = builder.sign(issuer_key, hashes.SHA256())
    if mutate is None:
        return cert
    # change what cryptography's builder will not write, then sign again
    tbs = asn1_x509.TbsCertificate.load(cert.tbs_certificate_bytes)
    mutate(tbs)
    tbs_der = tbs.dump(force=True)
    signature = issuer_key.sign(tbs_der, ec.ECDSA(hashes.SHA256()))
    der = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature_value": signature,
        }
    ).dump()
    return x509.load_der_x509_certificate(der)


def root(extensions: Sequence[Ext] = CA_EXTS, **kw: object) -> x509.Certificate:
    return issue(ROOT_NAME, ROOT_KEY, ROOT_NAME, ROOT_KEY, extensions, serial=1, **kw)  # type: ignore[arg-type]


def intermediate(extensions: Sequence[Ext] = CA_EXTS, **kw: object) -> x509.Certificate:
    return issue(CA_NAME, CA_KEY, ROOT_NAME, ROOT_KEY, extensions, **kw)  # type: ignore[arg-type]


def leaf(
    subject: x509.Name = LEAF_NAME,
    extensions: Sequence[Ext] = (),
    *,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] = (ROOT_NAME, ROOT_KEY),
    **kw: object,
) -> x509.Certificate:
    return issue(subject, LEAF_KEY, *issuer, [*LEAF_EXTS, *extensions], serial=3, **kw)  # type: ignore[arg-type]


def a(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def run(
    end_entity: x509.Certificate,
    anchor: x509.Certificate,
    *intermediates: x509.Certificate,
    crls: Sequence[bytes] = (),
    at: datetime = AT,
) -> ChainOutcome:
    return asyncio.run(
        validate_chain(
            a(end_entity),
            anchors=[anchor],
            material=RevocationMaterial(
                tuple(a(c) for c in intermediates),
                tuple(asn1_crl.CertificateList.load(c) for c in crls),
            ),
            control_time=at,
            usage=Usage.SIGNING,
            require_revocation=bool(crls),
        )
    )


def verdict(out: ChainOutcome) -> tuple[Indication, SubIndication | None, str]:
    return out.indication, out.sub_indication, out.reasons[0].code if out.reasons else ""


def test_a_plain_path_passes() -> None:
    assert verdict(run(leaf(), root())) == (*PASSED, "")


# -- name constraints ----------------------------------------------------------------------

NC = ExtensionOID.NAME_CONSTRAINTS


def nc(permitted: Sequence[bytes] = (), excluded: Sequence[bytes] = ()) -> bytes:
    """A NameConstraints value from GeneralName encodings (each one a GeneralSubtree)."""
    parts = []
    if permitted:
        parts.append(ctx(0, *(seq(g) for g in permitted)))
    if excluded:
        parts.append(ctx(1, *(seq(g) for g in excluded)))
    return seq(*parts)


def dns(name: str) -> bytes:
    return tlv(0x82, name.encode())


def email(name: str) -> bytes:
    return tlv(0x81, name.encode())


def ip(network: str) -> bytes:
    net = ipaddress.ip_network(network)
    return tlv(0x87, net.network_address.packed + net.netmask.packed)


def dirname(name: x509.Name) -> bytes:
    return ctx(4, name.public_bytes())


def other_name(type_id: str) -> bytes:
    return ctx(0, oid(type_id), ctx(0, b"\x05\x00"))


def constrained_root(value: bytes, *, critical: bool = True) -> x509.Certificate:
    return root([*CA_EXTS, (x509.UnrecognizedExtension(NC, value), critical)])


def san(*names: x509.GeneralName, critical: bool = False) -> Ext:
    return (x509.SubjectAlternativeName(list(names)), critical)


def test_anchor_name_constraints_apply_to_the_subject() -> None:
    """pyhanko-certvalidator ignores the anchor's name constraints; esig applies them."""
    anchor = constrained_root(
        nc(permitted=[dirname(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "EE")]))])
    )
    assert verdict(run(leaf(dn("Mari", "EE")), anchor)) == (*PASSED, "")
    assert verdict(run(leaf(dn("Janis", "LV")), anchor)) == (
        *CONSTRAINTS,
        "chain.name-constraints",
    )


def test_non_critical_name_constraints_are_applied() -> None:
    """ESTEID-SK 2015, EID-SK 2016, HARICA SubCAs: non-critical name constraints (RFC 5280 makes
    criticality the CA's duty); esig applies them and does not refuse the CA."""
    anchor = constrained_root(nc(excluded=[email("example.org")]), critical=False)
    ok = leaf(extensions=[san(x509.RFC822Name("mari@example.com"))])
    bad = leaf(extensions=[san(x509.RFC822Name("mari@example.org"))])
    assert verdict(run(ok, anchor)) == (*PASSED, "")
    assert verdict(run(bad, anchor)) == (*CONSTRAINTS, "chain.name-constraints")


def test_intermediate_excluded_ip_subtree() -> None:
    ca = intermediate(
        [*CA_EXTS, (x509.UnrecognizedExtension(NC, nc(excluded=[ip("192.0.2.0/24")])), True)]
    )
    issuer = (CA_NAME, CA_KEY)
    inside = leaf(
        extensions=[san(x509.IPAddress(ipaddress.ip_address("192.0.2.7")))], issuer=issuer
    )
    outside = leaf(
        extensions=[san(x509.IPAddress(ipaddress.ip_address("198.51.100.7")))], issuer=issuer
    )
    assert verdict(run(outside, root(), ca)) == (*PASSED, "")
    assert verdict(run(inside, root(), ca)) == (*CONSTRAINTS, "chain.name-constraints")


def test_excluded_wins_over_permitted() -> None:
    anchor = constrained_root(nc(permitted=[dns("example.com")], excluded=[dns("example.com")]))
    out = run(leaf(extensions=[san(x509.DNSName("example.com"))]), anchor)
    assert verdict(out) == (*CONSTRAINTS, "chain.name-constraints")
    assert "excluded" in out.reasons[0].message


def test_a_wildcard_that_may_stand_for_an_excluded_name_fails() -> None:
    anchor = constrained_root(nc(excluded=[dns("bar.example.com")]))
    out = run(leaf(extensions=[san(x509.DNSName("*.example.com"))]), anchor)
    assert verdict(out) == (*CONSTRAINTS, "chain.name-constraints")


def test_a_malformed_constraint_fails_only_against_a_name_of_its_form() -> None:
    """ESTEID-SK 2015 excludes the dNSName '""' (two quote characters): Estonian ID-card
    certificates have no dNSName and validate; a dNSName meeting that constraint fails."""
    anchor = constrained_root(nc(excluded=[dns('""'), ip("0.0.0.0/0")]), critical=False)
    assert verdict(run(leaf(), anchor)) == (*PASSED, "")
    with_dns = leaf(extensions=[san(x509.DNSName("mari.example.com"))])
    out = run(with_dns, anchor)
    assert verdict(out) == (*CONSTRAINTS, "chain.name-constraints")
    assert "not a domain name" in out.reasons[0].message


def test_an_ip_constraint_without_mask_is_malformed() -> None:
    anchor = constrained_root(nc(permitted=[tlv(0x87, bytes([192, 0, 2, 1]))]))
    out = run(leaf(extensions=[san(x509.IPAddress(ipaddress.ip_address("192.0.2.1")))]), anchor)
    assert verdict(out) == (*CONSTRAINTS, "chain.name-constraints")


def test_name_constraints_without_subtrees_are_malformed() -> None:
    assert verdict(run(leaf(), constrained_root(seq()))) == (*CONSTRAINTS, "chain.name-constraints")


def test_other_name_constraints() -> None:
    """A constraint on an otherName form is a no-op when no name of the path has that form, and
    fails closed when one has (esig cannot compare otherName values)."""
    type_id = "1.3.6.1.4.1.311.20.2.3"  # UPN
    anchor = constrained_root(nc(permitted=[dns("example.com")], excluded=[other_name(type_id)]))
    plain = leaf(extensions=[san(x509.DNSName("example.com"))])
    upn = leaf(
        extensions=[
            san(
                x509.DNSName("example.com"),
                x509.OtherName(ObjectIdentifier(type_id), b"\x0c\x03a@b"),
            )
        ]
    )
    assert verdict(run(plain, anchor)) == (*PASSED, "")
    assert verdict(run(upn, anchor)) == (*CONSTRAINTS, "chain.name-constraints")


def test_name_constraints_in_an_end_entity_fail() -> None:
    ee = leaf(
        extensions=[(x509.UnrecognizedExtension(NC, nc(permitted=[dns("example.com")])), True)]
    )
    assert verdict(run(ee, root())) == (*CONSTRAINTS, "chain.name-constraints")


def test_name_constraint_comparisons_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_profile_checks, "MAX_NAME_CHECKS", 3)
    anchor = constrained_root(nc(permitted=[dns("a.example"), dns("b.example")]))
    ee = leaf(extensions=[san(x509.DNSName("a.example"), x509.DNSName("b.example"))])
    out = run(ee, anchor)
    assert verdict(out) == (*CONSTRAINTS, "chain.name-constraints")
    assert "comparisons" in out.reasons[0].message


def test_pyhanko_certvalidator_sees_no_name_constraints() -> None:
    anchor = constrained_root(nc(excluded=[other_name("1.2.3.4")]))
    copy = _CertificateAsRead.load(anchor.public_bytes(Encoding.DER))
    assert copy.name_constraints_value is None
    assert "name_constraints" in copy.critical_extensions


# -- CA and anchor profile -----------------------------------------------------------------


def test_an_anchor_without_basic_constraints_asserting_key_cert_sign_passes() -> None:
    """German signature-law CAs (RegTP 3R-CA..., CA DATEV): the anchor is input, not path."""
    anchor = root([(_ku(cert_sign=True), True)])
    assert verdict(run(leaf(), anchor)) == (*PASSED, "")


def test_an_anchor_without_basic_constraints_or_key_usage_fails() -> None:
    out = run(leaf(), root([]))
    assert verdict(out) == (*CONSTRAINTS, "chain.ca-profile")
    assert "without basicConstraints" in out.reasons[0].message


def test_an_anchor_with_basic_constraints_ca_false_fails() -> None:
    anchor = root(
        [(x509.BasicConstraints(ca=False, path_length=None), True), (_ku(cert_sign=True), True)]
    )
    out = run(leaf(), anchor)
    assert verdict(out) == (*CONSTRAINTS, "chain.ca-profile")
    assert "cA false" in out.reasons[0].message


def test_an_intermediate_without_basic_constraints_fails_whatever_its_key_usage() -> None:
    ica = intermediate([(_ku(cert_sign=True), True)])
    out = run(leaf(issuer=(CA_NAME, CA_KEY)), root(), ica)
    # pyhanko-certvalidator already refuses a non-CA issuer inside the path
    assert verdict(out)[:2] == (
        Indication.INDETERMINATE,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    )


def test_a_non_critical_basic_constraints_passes() -> None:
    """LuxTrust Global Root, ESTEID-SK, CNIPA CA1...: criticality is the CA's duty."""
    anchor = root(
        [(x509.BasicConstraints(ca=True, path_length=None), False), (_ku(cert_sign=True), True)]
    )
    assert verdict(run(leaf(), anchor)) == (*PASSED, "")


def test_an_anchor_key_usage_without_key_cert_sign_fails() -> None:
    anchor = root(
        [(x509.BasicConstraints(ca=True, path_length=None), True), (_ku(sign=True), True)]
    )
    assert verdict(run(leaf(), anchor)) == (*CONSTRAINTS, "chain.ca-profile")


def test_an_unknown_critical_extension_in_the_anchor_fails() -> None:
    unknown = x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.4.1.55738.666.1"), b"\x05\x00")
    assert verdict(run(leaf(), root([*CA_EXTS, (unknown, True)]))) == (
        *CONSTRAINTS,
        "chain.ca-profile",
    )
    assert verdict(run(leaf(), root([*CA_EXTS, (unknown, False)]))) == (*PASSED, "")


def test_a_ca_with_an_empty_subject_fails() -> None:
    empty = x509.Name([])
    ca = issue(empty, CA_KEY, ROOT_NAME, ROOT_KEY, CA_EXTS)
    ee = leaf(issuer=(empty, CA_KEY))
    assert verdict(run(ee, root(), ca)) == (*CONSTRAINTS, "chain.ca-profile")


def test_an_expired_anchor_is_out_of_bounds() -> None:
    anchor = root(not_before=AT - timedelta(days=60), not_after=AT - timedelta(days=1))
    ee = leaf(not_before=AT - timedelta(days=30))
    out = run(ee, anchor)
    assert verdict(out) == (
        Indication.INDETERMINATE,
        SubIndication.OUT_OF_BOUNDS_NO_POE,
        "chain.out-of-validity",
    )
    assert "trust anchor" in out.reasons[0].message


# -- end-entity profile --------------------------------------------------------------------


def test_key_cert_sign_in_a_non_ca_signer_fails() -> None:
    ee = issue(
        dn("Mari"),
        LEAF_KEY,
        ROOT_NAME,
        ROOT_KEY,
        [(x509.KeyUsage(False, True, False, False, False, True, False, False, False), True)],
    )
    assert verdict(run(ee, root())) == (*CONSTRAINTS, "chain.ee-profile")


def test_a_critical_authority_information_access_fails() -> None:
    aia = x509.AuthorityInformationAccess(
        [
            x509.AccessDescription(
                x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
                x509.UniformResourceIdentifier("http://example.com/ca.crt"),
            )
        ]
    )
    assert verdict(run(leaf(extensions=[(aia, True)]), root())) == (
        *CONSTRAINTS,
        "chain.ee-profile",
    )
    assert verdict(run(leaf(extensions=[(aia, False)]), root())) == (*PASSED, "")


def test_an_empty_subject_needs_a_critical_subject_alt_name() -> None:
    name = x509.RFC822Name("mari@example.com")
    assert verdict(run(leaf(x509.Name([]), [san(name)]), root())) == (
        *CONSTRAINTS,
        "chain.ee-profile",
    )
    assert verdict(run(leaf(x509.Name([]), [san(name, critical=True)]), root())) == (
        *PASSED,
        "",
    )


@pytest.mark.parametrize("name", ["foo_bar.example.com", "192.0.2.1", ".example.com"])
def test_a_dns_name_outside_preferred_name_syntax_fails(name: str) -> None:
    out = run(leaf(extensions=[san(x509.DNSName(name))]), root())
    assert verdict(out) == (*CONSTRAINTS, "chain.ee-profile")


# -- keys ----------------------------------------------------------------------------------

# NIST P-256 (SEC 2 secp256r1) domain parameters, spelled out as explicit parameters
_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
_GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
_GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5
_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _explicit_curve(tbs: asn1_x509.TbsCertificate) -> None:
    point = tbs["subject_public_key_info"]["public_key"].native

    def octets(n: int) -> bytes:
        return n.to_bytes(32, "big")

    tbs["subject_public_key_info"] = asn1_keys.PublicKeyInfo(
        {
            "algorithm": {
                "algorithm": "ec",
                "parameters": (
                    "specified",
                    {
                        "version": "ecdpVer1",
                        "field_id": {"field_type": "prime_field", "parameters": _P},
                        "curve": {"a": octets(_P - 3), "b": octets(_B)},
                        "base": b"\x04" + octets(_GX) + octets(_GY),
                        "order": _N,
                        "cofactor": 1,
                    },
                ),
            },
            "public_key": point,
        }
    )


def test_an_explicit_curve_key_is_refused() -> None:
    ee = leaf(mutate=_explicit_curve)
    assert verdict(run(ee, root())) == (
        Indication.INDETERMINATE,
        SubIndication.CRYPTO_CONSTRAINTS_FAILURE,
        "chain.weak-key",
    )


# -- CRL profile ---------------------------------------------------------------------------


def crl(*, number: int | None = 1, critical: bool = False) -> bytes:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ROOT_NAME)
        .last_update(AT - timedelta(hours=1))
        .next_update(AT + timedelta(days=1))
    )
    if number is not None:
        builder = builder.add_extension(x509.CRLNumber(number), critical=critical)
    return builder.sign(ROOT_KEY, hashes.SHA256()).public_bytes(Encoding.DER)


def test_a_crl_with_a_critical_crl_number_is_not_used() -> None:
    out = run(leaf(), root(), crls=[crl(critical=True)])
    assert verdict(out) == (Indication.INDETERMINATE, SubIndication.TRY_LATER, "chain.crl-profile")
    assert [r.code for r in out.reasons] == ["chain.crl-profile", "chain.no-revocation-data"]


def test_a_crl_without_crl_number_is_used() -> None:
    """The Belgian eID root CAs issue version 1 CRLs: no cRLNumber."""
    assert verdict(run(leaf(), root(), crls=[crl(number=None)])) == (*PASSED, "")
    assert verdict(run(leaf(), root(), crls=[crl()])) == (*PASSED, "")


def test_an_ignored_crl_is_a_warning_when_other_data_covers_the_path() -> None:
    out = run(leaf(), root(), crls=[crl(critical=True), crl(number=2)])
    assert verdict(out) == (*PASSED, "")
    assert [w.code for w in out.warnings] == ["chain.crl-profile"]


# -- validity ------------------------------------------------------------------------------


def test_a_control_time_within_the_second_of_not_after_is_valid() -> None:
    """x509-limbo notafter-fractional: validity times have a resolution of one second."""
    end = AT + timedelta(days=1)
    ee = leaf(not_after=end)
    assert verdict(run(ee, root(), at=end + timedelta(milliseconds=5))) == (*PASSED, "")
    assert verdict(run(ee, root(), at=end + timedelta(seconds=1)))[2] == "chain.out-of-validity"
