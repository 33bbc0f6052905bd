"""Certificates of the bundled TEST-ONLY national PKIs: chains, names, extensions, QC statements."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier
from pyhanko.sign.ades import qualified_asn1 as qa
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError

from esig.testing import Role, TestPki
from esig.testing.qc import SemanticsInformation

MOMENT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LEAVES = [
    "az-idcard-signer",
    "az-mobile-signer",
    "az-tsa",
    "tr-nes-signer",
    "tr-malimuhur-seal",
    "tr-tsa",
    "ee-idcard-signer",
    "ee-seal",
    "ee-tsa",
]
QC_OID = ObjectIdentifier("1.3.6.1.5.5.7.1.3")


def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def test_every_chain_verifies_link_by_link(pki: TestPki) -> None:
    for name in pki.names:
        chain = pki.chain(name)
        for child, parent in itertools.pairwise(chain):
            child.verify_directly_issued_by(parent)
        chain[-1].verify_directly_issued_by(chain[-1])
        assert chain[-1] in pki.roots()


def test_chains_and_roots(pki: TestPki) -> None:
    names = [c.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value for c in pki.roots()]
    assert names == [
        "AZ TEST Root Certification Authority",
        "TR TEST Kök Elektronik Sertifika Hizmet Sağlayıcısı",
        "EE TEST Root CA",
    ]
    assert [pki.entity(n).name for n in pki.declaration.chain_names("az-idcard-signer")] == [
        "az-idcard-signer",
        "az-idcard-ca",
        "az-policy-ca",
        "az-root",
    ]
    assert pki.chain("tr-nes-signer")[1] == pki.cert("tr-nes-ca")


def _validate(pki: TestPki, name: str, root: x509.Certificate) -> None:
    context = ValidationContext(
        trust_roots=[asn1(root)],
        allow_fetching=False,
        moment=MOMENT,
        revocation_mode="soft-fail",
    )
    validator = CertificateValidator(
        asn1(pki.cert(name)),
        intermediate_certs=[asn1(c) for c in pki.chain(name)[1:-1]],
        validation_context=context,
    )
    asyncio.run(validator.async_validate_usage(set()))


@pytest.mark.parametrize("name", LEAVES)
def test_leaf_validates_to_its_own_root_only(pki: TestPki, name: str) -> None:
    own = pki.chain(name)[-1]
    _validate(pki, name, own)
    for other in pki.roots():
        if other != own:
            with pytest.raises(PathBuildingError):
                _validate(pki, name, other)


def test_validity_periods(pki: TestPki) -> None:
    expected = {
        Role.ROOT: (datetime(2024, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)),
        Role.CA: (datetime(2024, 6, 1, tzinfo=UTC), datetime(2036, 1, 1, tzinfo=UTC)),
    }
    leaf = (datetime(2025, 6, 1, tzinfo=UTC), datetime(2028, 6, 1, tzinfo=UTC))
    for name in pki.names:
        cert = pki.cert(name)
        want = expected.get(pki.entity(name).role, leaf)
        if name == "tr-nes-expired":
            want = (datetime(2024, 7, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
        assert (cert.not_valid_before_utc, cert.not_valid_after_utc) == want, name


def test_key_types_follow_the_profiles(pki: TestPki) -> None:
    for name in ("tr-nes-signer", "tr-malimuhur-seal", "tr-nes-ca"):
        key = pki.key(name)
        assert isinstance(key, rsa.RSAPrivateKey)
        assert key.key_size == 2048
    for name in ("ee-idcard-signer", "ee-idcard-ca", "ee-root"):
        key = pki.key(name)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        assert key.curve.name == "secp384r1"
    assert pki.cert("ee-seal").public_key() == pki.key("ee-seal").public_key()


def _rdns(cert: x509.Certificate) -> list[tuple[str, str, str]]:
    """(attribute type, ASN.1 string type, value) in order, read with asn1crypto."""
    out = []
    for rdn in asn1(cert).subject.chosen:
        for atv in rdn:
            out.append((atv["type"].dotted, atv["value"].name, atv["value"].native))
    return out


def test_azerbaijani_id_card_subject_round_trips(pki: TestPki) -> None:
    assert _rdns(pki.cert("az-idcard-signer")) == [
        ("2.5.4.6", "printable_string", "AZ"),
        ("2.5.4.4", "utf8_string", "Ağayev"),
        ("2.5.4.42", "utf8_string", "Rəşad"),
        ("2.5.4.5", "printable_string", "5ZJBKQG"),
        ("2.5.4.3", "utf8_string", "Rəşad Ağayev"),
    ]
    cert = pki.cert("az-mobile-signer")
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == (
        "ASAN İmza TEST"
    )
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "PNOAZ-7QH2M4T"


def test_turkish_nes_subject_round_trips(pki: TestPki) -> None:
    assert _rdns(pki.cert("tr-nes-signer")) == [
        ("2.5.4.6", "printable_string", "TR"),
        ("2.5.4.5", "printable_string", "10000000146"),
        ("2.5.4.42", "utf8_string", "Ayşe İlkgül"),
        ("2.5.4.4", "utf8_string", "Yılmazoğlu"),
        ("2.5.4.3", "utf8_string", "Ayşe İlkgül Yılmazoğlu"),
    ]
    issuer_cn = pki.cert("tr-nes-signer").issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert issuer_cn[0].value == "TR TEST Nitelikli Sertifika Hizmet Sağlayıcısı - Sürüm 1"


def test_estonian_id_card_subject(pki: TestPki) -> None:
    assert _rdns(pki.cert("ee-idcard-signer")) == [
        ("2.5.4.6", "printable_string", "EE"),
        ("2.5.4.3", "utf8_string", "JÕGI,MARI-LIIS,PNOEE-48001010005"),
        ("2.5.4.4", "utf8_string", "JÕGI"),
        ("2.5.4.42", "utf8_string", "MARI-LIIS"),
        ("2.5.4.5", "printable_string", "PNOEE-48001010005"),
    ]
    seal = pki.cert("ee-seal").subject
    assert seal.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value == "NTREE-10000000"


def test_mali_muhur_profile(pki: TestPki) -> None:
    cert = pki.cert("tr-malimuhur-seal")
    assert _rdns(cert) == [
        ("2.5.4.5", "printable_string", "1234567890"),
        ("2.5.4.3", "utf8_string", "TR TEST Örnek Bilişim Ticaret Anonim Şirketi"),
    ]
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical
    assert ku.value.digital_signature
    assert not any([ku.value.content_commitment, ku.value.key_encipherment, ku.value.key_cert_sign])
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_oid(QC_OID)
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ObjectIdentifier("2.16.792.1.2.1.1.5.7.50.1")]
    policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert [p.policy_identifier.dotted_string for p in policies] == ["2.16.792.1.2.1.1.5.7.4.1"]
    qualifiers = policies[0].policy_qualifiers
    assert qualifiers is not None
    assert qualifiers[0] == "http://127.0.0.1:8931/cps/tr"
    assert isinstance(qualifiers[1], x509.UserNotice)
    assert qualifiers[1].explicit_text == "Bu sertifika mali mühür sertifikasıdır (TEST)."
    assert cert.signature_hash_algorithm is not None
    assert cert.signature_hash_algorithm.name == "sha256"


def test_signer_key_usage_is_non_repudiation_only(pki: TestPki) -> None:
    for name in ("az-idcard-signer", "az-mobile-signer", "tr-nes-signer", "ee-idcard-signer"):
        ku = pki.cert(name).extensions.get_extension_for_class(x509.KeyUsage)
        assert ku.critical
        assert ku.value.content_commitment
        assert not ku.value.digital_signature


def test_urls_use_the_base_url(pki: TestPki) -> None:
    cert = pki.cert("tr-nes-signer")
    dps = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert [dp.full_name[0].value for dp in dps if dp.full_name] == [
        "http://127.0.0.1:8931/crl/tr-nes-ca.crl"
    ]
    aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert [(a.access_method._name, a.access_location.value) for a in aia] == [
        ("OCSP", "http://127.0.0.1:8931/ocsp/tr-nes-ca"),
        ("caIssuers", "http://127.0.0.1:8931/certs/tr-nes-ca.der"),
    ]


def test_ocsp_responders_and_tsas(pki: TestPki) -> None:
    for name in pki.names_with_role(Role.OCSP):
        cert = pki.cert(name)
        cert.extensions.get_extension_for_class(x509.OCSPNoCheck)
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        assert list(eku) == [ExtendedKeyUsageOID.OCSP_SIGNING]
    assert pki.ocsp_responder_of("tr-nes-signer") == "tr-nes-ocsp"
    assert pki.ocsp_responder_of("ee-seal") == "ee-seal-ocsp"
    assert pki.ocsp_responder_of("az-tsa") == "az-policy-ca"  # no delegated responder there
    for name in pki.names_with_role(Role.TSA):
        eku = pki.cert(name).extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        assert eku.critical
        assert list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_ca_constraints(pki: TestPki) -> None:
    bc = pki.cert("az-policy-ca").extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical
    assert (bc.value.ca, bc.value.path_length) == (True, 1)
    bc = pki.cert("tr-root").extensions.get_extension_for_class(x509.BasicConstraints)
    assert (bc.value.ca, bc.value.path_length) == (True, None)
    leaf = pki.cert("ee-idcard-signer")
    with pytest.raises(x509.ExtensionNotFound):
        leaf.extensions.get_extension_for_class(x509.BasicConstraints)


def _qc(pki: TestPki, name: str) -> list[tuple[str, object]]:
    ext = pki.cert(name).extensions.get_extension_for_oid(QC_OID)
    assert not ext.critical
    assert isinstance(ext.value, x509.UnrecognizedExtension)
    out: list[tuple[str, object]] = []
    for statement in qa.QcStatements.load(ext.value.value):
        sid = statement["statement_id"].dotted
        info = statement["statement_info"]
        if sid == "1.3.6.1.5.5.7.11.2":
            semantics = info.parse(SemanticsInformation)
            out.append((sid, semantics["semantics_identifier"].dotted))
        elif sid == "0.4.0.1862.1.6":
            out.append((sid, [t.dotted for t in info]))
        else:
            out.append((sid, info.native))
    return out


def test_qc_statements_of_the_turkish_nes(pki: TestPki) -> None:
    assert _qc(pki, "tr-nes-signer") == [
        ("0.4.0.1862.1.1", None),
        ("0.4.0.1862.1.2", {"currency": "TRY", "amount": 10000, "exponent": 0}),
        ("0.4.0.1862.1.7", ["TR"]),
        ("2.16.792.1.61.0.1.5070.1.1", None),
    ]
    policies = pki.cert("tr-nes-signer").extensions.get_extension_for_class(
        x509.CertificatePolicies
    )
    assert [p.policy_identifier.dotted_string for p in policies.value] == [
        "2.16.792.1.2.1.1.5.7.1.1"
    ]


def test_qc_statements_of_the_estonian_id_card(pki: TestPki) -> None:
    assert _qc(pki, "ee-idcard-signer") == [
        ("1.3.6.1.5.5.7.11.2", "0.4.0.194121.1.1"),
        ("0.4.0.1862.1.1", None),
        ("0.4.0.1862.1.4", None),
        ("0.4.0.1862.1.5", [{"url": "https://test.invalid/pds/ee/en", "language": "en"}]),
        ("0.4.0.1862.1.6", ["0.4.0.1862.1.6.1"]),
    ]
    policies = pki.cert("ee-idcard-signer").extensions.get_extension_for_class(
        x509.CertificatePolicies
    )
    assert policies.value[0].policy_identifier.dotted_string == "0.4.0.194112.1.2"


def test_qc_statements_of_the_estonian_seal(pki: TestPki) -> None:
    assert _qc(pki, "ee-seal") == [
        ("1.3.6.1.5.5.7.11.2", "0.4.0.194121.1.2"),
        ("0.4.0.1862.1.1", None),
        ("0.4.0.1862.1.3", 10),
        ("0.4.0.1862.1.4", None),
        ("0.4.0.1862.1.5", [{"url": "https://test.invalid/pds/ee/en", "language": "en"}]),
        ("0.4.0.1862.1.6", ["0.4.0.1862.1.6.2"]),
    ]


def test_qc_statements_of_the_azerbaijani_certificates(pki: TestPki) -> None:
    assert _qc(pki, "az-idcard-signer") == [
        ("0.4.0.1862.1.1", None),
        ("0.4.0.1862.1.4", None),
        ("0.4.0.1862.1.7", ["AZ"]),
    ]
    assert _qc(pki, "az-mobile-signer")[0] == ("1.3.6.1.5.5.7.11.2", "0.4.0.194121.1.1")
