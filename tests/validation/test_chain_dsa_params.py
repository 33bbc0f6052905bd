"""DSA domain parameters inherited along a path (RFC 3279 2.3.2, RFC 5280 6.1.4 f; NIST PKITS
4.1.5): a DSA key whose subjectPublicKeyInfo omits p, q and g takes those of the nearest issuer
that has them, for certificate and CRL signatures alike; without such an issuer the path fails.

cryptography cannot build a certificate whose DSA key lacks its parameters: each is built with
them and re-signed without them (asn1crypto).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import algos
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from esig import Indication, SubIndication
from esig.policy.algorithms import AlgorithmPolicy
from esig.testing import REFERENCE_TIME
from esig.validation._dsa_params import lacks_dsa_parameters, working_keys
from esig.validation.chain import ChainOutcome, RevocationMaterial, Usage, validate_chain
from esig.validation.crypto import CertvalidatorAlgorithms, certificate_uses

AT = REFERENCE_TIME
FAR = datetime(2100, 1, 1, tzinfo=UTC)
#: DSA-2048 with SHA-256 (pyhanko-certvalidator's default floor wants DSA keys of 3192 bits)
POLICY = AlgorithmPolicy(
    name="dsa-test", digests=(("sha256", FAR),), keys=(("dsa", 2048, FAR), ("ecdsa", 256, FAR))
)

SigningKey = dsa.DSAPrivateKey | ec.EllipticCurvePrivateKey


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _certificate(
    subject: str,
    key: SigningKey,
    issuer: str,
    issuer_key: SigningKey,
    *,
    ca: bool,
    serial: int,
    inherit: bool,
) -> asn1_x509.Certificate:
    """A certificate of ``key`` by ``issuer_key``; ``inherit``: its DSA key without parameters."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(AT - timedelta(days=30))
        .not_valid_after(AT + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    cert = asn1_x509.Certificate.load(
        builder.sign(issuer_key, hashes.SHA256()).public_bytes(Encoding.DER)
    )
    if not inherit:
        return cert
    tbs = cert["tbs_certificate"]
    spki = tbs["subject_public_key_info"]
    tbs["subject_public_key_info"] = asn1_keys.PublicKeyInfo(
        {"algorithm": {"algorithm": "dsa"}, "public_key": spki["public_key"].copy()}
    )
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        signature = issuer_key.sign(tbs.dump(), ec.ECDSA(hashes.SHA256()))
    else:
        signature = issuer_key.sign(tbs.dump(), hashes.SHA256())
    reissued = asn1_x509.Certificate(
        {
            "tbs_certificate": tbs,
            "signature_algorithm": cert["signature_algorithm"],
            "signature_value": signature,
        }
    )
    return asn1_x509.Certificate.load(reissued.dump())


def _crl(issuer: str, key: SigningKey, revoked: int | None = None) -> asn1_crl.CertificateList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(_name(issuer))
        .last_update(AT - timedelta(hours=1))
        .next_update(AT + timedelta(days=1))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False
        )
    )
    if revoked is not None:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(revoked)
            .revocation_date(AT - timedelta(days=1))
            .build()
        )
    der = builder.sign(key, hashes.SHA256()).public_bytes(Encoding.DER)
    return asn1_crl.CertificateList.load(der)


@dataclass(frozen=True)
class _Path:
    ee: asn1_x509.Certificate
    ca: asn1_x509.Certificate
    anchor: x509.Certificate
    material: RevocationMaterial
    params: dsa.DSAParameterNumbers


_GROUP = dsa.generate_parameters(2048)


def _path(
    *,
    anchor_key: SigningKey | None = None,
    ca_key: dsa.DSAPrivateKey | None = None,
    revoked: bool = False,
) -> _Path:
    """Root (DSA with parameters, or ``anchor_key``) -> CA and end entity, both DSA keys of
    the root's group without parameters; CRLs for both (the CA's is signed by its own key)."""
    root_key = anchor_key or _GROUP.generate_private_key()
    ca_key = ca_key or _GROUP.generate_private_key()
    ee_key = _GROUP.generate_private_key()
    root = _certificate(
        "DSA root", root_key, "DSA root", root_key, ca=True, serial=1, inherit=False
    )
    ca = _certificate(
        "Inheriting CA", ca_key, "DSA root", root_key, ca=True, serial=2, inherit=True
    )
    ee = _certificate(
        "Inheriting EE", ee_key, "Inheriting CA", ca_key, ca=False, serial=3, inherit=True
    )
    crls = (_crl("DSA root", root_key), _crl("Inheriting CA", ca_key, 3 if revoked else None))
    return _Path(
        ee,
        ca,
        x509.load_der_x509_certificate(root.dump()),
        RevocationMaterial((ca,), crls),
        _GROUP.parameter_numbers(),
    )


def _validate(path: _Path, usage: Usage = Usage.PATH) -> ChainOutcome:
    return asyncio.run(
        validate_chain(
            path.ee,
            anchors=[path.anchor],
            material=path.material,
            control_time=AT,
            usage=usage,
            algorithms=POLICY,
        )
    )


def test_keys_without_parameters_inherit_the_roots() -> None:
    path = _path()
    assert lacks_dsa_parameters(path.ee.public_key)
    assert lacks_dsa_parameters(path.ca.public_key)
    out = _validate(path)
    assert (out.indication, out.sub_indication, out.reasons) == (Indication.TOTAL_PASSED, None, ())
    assert [c.subject.rfc4514_string() for c in out.chain] == [
        "CN=Inheriting EE",
        "CN=Inheriting CA",
        "CN=DSA root",
    ]
    # the chain shows each key as the path completed it: the root's parameters
    for cert in out.chain:
        key = cert.public_key()
        assert isinstance(key, dsa.DSAPublicKey)
        assert key.public_numbers().parameter_numbers == path.params
    assert out.chain[0].public_key().public_numbers().y == (  # type: ignore[union-attr]
        path.ee.public_key["public_key"].parsed.native
    )
    assert [u.key for u in certificate_uses(out.chain, AT)] == [("dsa", 2048), ("dsa", 2048)]


def test_crl_signed_by_an_inheriting_key_revokes() -> None:
    """The CA's CRL is verified with the CA's key completed by the path (RFC 5280 6.3.3 f-g)."""
    out = _validate(_path(revoked=True))
    assert (out.indication, out.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.REVOKED_NO_POE,
    )
    assert out.revocation is not None
    assert out.revocation.is_end_entity


def test_parameters_come_from_the_path_not_from_the_signer() -> None:
    """The CA's real key is of another group: with the root's parameters it verifies nothing."""
    other = dsa.generate_parameters(2048).generate_private_key()
    out = _validate(_path(ca_key=other))
    assert (out.indication, out.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    )
    assert [r.code for r in out.reasons] == ["chain.invalid"]
    assert "signature of the end-entity certificate could not be verified" in out.reasons[0].message


def test_no_issuer_supplies_parameters() -> None:
    """An ECDSA root: the DSA keys below it have no parameters to inherit (fail closed)."""
    out = _validate(_path(anchor_key=ec.generate_private_key(ec.SECP256R1())))
    assert (out.indication, out.sub_indication, out.chain) == (
        Indication.INDETERMINATE,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
        (),
    )
    assert [r.code for r in out.reasons] == ["chain.invalid"]
    assert out.reasons[0].message == (
        "the DSA key of certificate 1 of the path (Common Name: Inheriting CA) has no domain "
        "parameters and no issuer of the path supplies them (RFC 3279 2.3.2, RFC 5280 6.1.4 f)"
    )


@pytest.mark.parametrize("usage", [Usage.SIGNING, Usage.TIMESTAMPING])
def test_a_signer_key_without_parameters_is_refused(usage: Usage) -> None:
    out = _validate(_path(), usage)
    assert (out.indication, out.sub_indication, out.chain) == (
        Indication.INDETERMINATE,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
        (),
    )
    assert [r.code for r in out.reasons] == ["chain.unprocessable"]
    assert "DSA key has no domain parameters" in out.reasons[0].message


def test_working_keys() -> None:
    path = _path()
    root = asn1_x509.Certificate.load(path.anchor.public_bytes(Encoding.DER))
    ee, ca, anchor = working_keys([path.ee, path.ca, root])
    assert anchor.dump() == root.public_key.dump()
    for completed, cert in ((ee, path.ee), (ca, path.ca)):
        assert completed["public_key"].dump() == cert.public_key["public_key"].dump()
        assert completed["algorithm"]["parameters"].dump() == (
            root.public_key["algorithm"]["parameters"].dump()
        )
    # an issuer of another algorithm ends the inheritance (RFC 5280 6.1.4 f)
    ec_root = _path(anchor_key=ec.generate_private_key(ec.SECP256R1()))
    ec_anchor = asn1_x509.Certificate.load(ec_root.anchor.public_bytes(Encoding.DER))
    keys = working_keys([ec_root.ee, ec_root.ca, ec_anchor])
    assert [lacks_dsa_parameters(k) for k in keys] == [True, True, False]


def test_the_algorithm_policy_refuses_a_dsa_key_without_parameters() -> None:
    path = _path()
    algo = algos.SignedDigestAlgorithm({"algorithm": "sha256_dsa"})
    policy = CertvalidatorAlgorithms(POLICY)
    refused = policy.signature_algorithm_allowed(algo, AT, path.ca.public_key)
    assert not refused.allowed
    assert refused.failure_reason == (
        "the DSA key has no domain parameters and no issuer supplies them"
    )
    root = asn1_x509.Certificate.load(path.anchor.public_bytes(Encoding.DER))
    assert policy.signature_algorithm_allowed(algo, AT, root.public_key).allowed
