"""BSI TR-03111 plain ECDSA (``r || s``): the conversion, and CMS signer infos that use it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import algos, cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.x509.oid import NameOID
from pyhanko.sign.validation.generic_cms import validate_sig_integrity

from esig.validation._plain_ecdsa import (
    PLAIN_ECDSA_OIDS,
    SIGNATURE_VALIDATOR,
    plain_ecdsa_digest,
    verify_plain_ecdsa,
)
from esig.validation.crypto import CertvalidatorAlgorithms, signature_digest

PLAIN = "0.4.0.127.0.7.1.1.4.1"
DATA = b"customs declaration 42"


def plain(key: ec.EllipticCurvePrivateKey, data: bytes, h: hashes.HashAlgorithm) -> bytes:
    """A plain ``r || s`` signature: cryptography's DER value, re-encoded."""
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(h)))
    half = (key.curve.key_size + 7) // 8
    return r.to_bytes(half, "big") + s.to_bytes(half, "big")


def flip(value: bytes, at: int) -> bytes:
    return value[:at] + bytes([value[at] ^ 0x01]) + value[at + 1 :]


@pytest.fixture(scope="module")
def p256() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


# -- the OIDs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arc", "digest"),
    [
        ("1", "sha1"),
        ("2", "sha224"),
        ("3", "sha256"),
        ("4", "sha384"),
        ("5", "sha512"),
        ("8", "sha3_224"),
        ("9", "sha3_256"),
        ("10", "sha3_384"),
        ("11", "sha3_512"),
    ],
)
def test_each_plain_oid_names_its_digest(arc: str, digest: str) -> None:
    algo = algos.SignedDigestAlgorithm({"algorithm": f"{PLAIN}.{arc}"})
    assert plain_ecdsa_digest(algo) == digest
    assert signature_digest(algo) == digest


def test_the_table_is_exactly_the_nine_supported_oids() -> None:
    assert len(PLAIN_ECDSA_OIDS) == 9
    assert f"{PLAIN}.6" not in PLAIN_ECDSA_OIDS  # RIPEMD-160: not offered


@pytest.mark.parametrize("name", ["sha256_ecdsa", "sha256_rsa", "ed25519", f"{PLAIN}.6"])
def test_other_algorithms_are_not_plain(name: str) -> None:
    assert plain_ecdsa_digest(algos.SignedDigestAlgorithm({"algorithm": name})) is None


def test_signature_digest_keeps_asn1cryptos_reading() -> None:
    assert signature_digest(algos.SignedDigestAlgorithm({"algorithm": "sha384_ecdsa"})) == "sha384"
    assert signature_digest(algos.SignedDigestAlgorithm({"algorithm": "1.2.3.4"})) is None


def test_the_certvalidator_policy_judges_plain_ecdsa_as_ecdsa_with_its_hash(
    p256: ec.EllipticCurvePrivateKey,
) -> None:
    from esig.policy import ETSI_TS_119_312

    key_info = asn1_keys.PublicKeyInfo.load(
        p256.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    )
    policy = CertvalidatorAlgorithms(ETSI_TS_119_312)
    in_2024 = datetime(2024, 1, 1, tzinfo=UTC)
    sha256 = algos.SignedDigestAlgorithm({"algorithm": f"{PLAIN}.3"})
    assert policy.signature_algorithm_allowed(sha256, in_2024, key_info).allowed
    sha1 = algos.SignedDigestAlgorithm({"algorithm": f"{PLAIN}.1"})
    refused = policy.signature_algorithm_allowed(sha1, in_2024, key_info)
    assert not refused.allowed
    assert refused.failure_reason is not None
    assert refused.failure_reason.startswith("SHA1 with ECDSA-256 is acceptable until")


# -- the conversion ----------------------------------------------------------------------------


def test_a_good_plain_signature_verifies(p256: ec.EllipticCurvePrivateKey) -> None:
    value = plain(p256, DATA, hashes.SHA256())
    assert len(value) == 64
    verify_plain_ecdsa(value, DATA, p256.public_key(), "sha256")


@pytest.mark.parametrize("at", [0, 31, 32, 63])
def test_a_flipped_byte_does_not_verify(p256: ec.EllipticCurvePrivateKey, at: int) -> None:
    value = plain(p256, DATA, hashes.SHA256())
    with pytest.raises(InvalidSignature):
        verify_plain_ecdsa(flip(value, at), DATA, p256.public_key(), "sha256")


def test_other_data_does_not_verify(p256: ec.EllipticCurvePrivateKey) -> None:
    value = plain(p256, DATA, hashes.SHA256())
    with pytest.raises(InvalidSignature):
        verify_plain_ecdsa(value, DATA + b"!", p256.public_key(), "sha256")


def test_the_hash_of_the_oid_is_the_one_used(p256: ec.EllipticCurvePrivateKey) -> None:
    value = plain(p256, DATA, hashes.SHA256())
    with pytest.raises(InvalidSignature):
        verify_plain_ecdsa(value, DATA, p256.public_key(), "sha384")


@pytest.mark.parametrize("cut", ["short", "long", "der", "empty"])
def test_a_value_of_the_wrong_length_does_not_verify(
    p256: ec.EllipticCurvePrivateKey, cut: str
) -> None:
    value = plain(p256, DATA, hashes.SHA256())
    bad = {
        "short": value[1:],
        "long": b"\x00" + value,
        "der": p256.sign(DATA, ec.ECDSA(hashes.SHA256())),  # the DER form is not plain
        "empty": b"",
    }[cut]
    with pytest.raises(InvalidSignature, match="has 64 bytes"):
        verify_plain_ecdsa(bad, DATA, p256.public_key(), "sha256")


@pytest.mark.parametrize(
    ("curve", "h", "digest", "length"),
    [
        (ec.SECP384R1(), hashes.SHA384(), "sha384", 96),
        (ec.SECP521R1(), hashes.SHA512(), "sha512", 132),  # 521 bits: 66 bytes a half
        (ec.BrainpoolP256R1(), hashes.SHA256(), "sha256", 64),
        (ec.SECP256R1(), hashes.SHA3_256(), "sha3_256", 64),
    ],
)
def test_other_curves_and_hashes(
    curve: ec.EllipticCurve, h: hashes.HashAlgorithm, digest: str, length: int
) -> None:
    key = ec.generate_private_key(curve)
    value = plain(key, DATA, h)
    assert len(value) == length
    verify_plain_ecdsa(value, DATA, key.public_key(), digest)
    with pytest.raises(InvalidSignature):
        verify_plain_ecdsa(flip(value, length - 1), DATA, key.public_key(), digest)


def test_small_r_and_s_keep_their_leading_zeros() -> None:
    """r or s below 2^248 is left-padded to the curve's byte length: the split must not care."""
    key = ec.generate_private_key(ec.SECP256R1())
    for i in range(2000):
        data = DATA + str(i).encode()
        value = plain(key, data, hashes.SHA256())
        if value[0] == 0 or value[32] == 0:
            verify_plain_ecdsa(value, data, key.public_key(), "sha256")
            return
    pytest.fail("no signature with a leading zero byte in 2000 tries")  # p ~ 1 - (1-1/128)^2000


def test_prehashed_data(p256: ec.EllipticCurvePrivateKey) -> None:
    digest = hashlib.sha256(DATA).digest()
    value = plain(p256, DATA, hashes.SHA256())
    verify_plain_ecdsa(value, digest, p256.public_key(), "sha256", prehashed=True)
    r, s = decode_dss_signature(p256.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256()))))
    verify_plain_ecdsa(
        r.to_bytes(32, "big") + s.to_bytes(32, "big"), DATA, p256.public_key(), "sha256"
    )


def test_a_key_that_is_not_ec_is_refused() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    with pytest.raises(ValueError, match="needs an EC public key"):
        verify_plain_ecdsa(b"\x00" * 64, DATA, key.public_key(), "sha256")  # type: ignore[arg-type]


def test_an_unknown_digest_is_refused(p256: ec.EllipticCurvePrivateKey) -> None:
    with pytest.raises(ValueError, match="not a plain ECDSA digest"):
        verify_plain_ecdsa(b"\x00" * 64, DATA, p256.public_key(), "md5")


# -- CMS signer infos ----------------------------------------------------------------------------


def _certificate(key: ec.EllipticCurvePrivateKey) -> asn1_x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "plain ECDSA TEST signer")])
    now = datetime(2024, 1, 1, tzinfo=UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(42)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def signer_info(
    key: ec.EllipticCurvePrivateKey,
    content: bytes,
    *,
    arc: str = "3",
    h: hashes.HashAlgorithm | None = None,
    mangle: str | None = None,
    der: bool = False,
) -> tuple[cms.SignerInfo, asn1_x509.Certificate]:
    """A CMS signer info over ``content`` (signed attributes, SHA-256 message digest) with the
    ``ecdsa-plain-*`` algorithm ``arc``; ``mangle`` flips a byte or cuts one off."""
    cert = _certificate(key)
    attrs = cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["data"]},
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]},
        ]
    )
    h = h or hashes.SHA256()
    value = key.sign(attrs.dump(), ec.ECDSA(h)) if der else plain(key, attrs.dump(), h)
    if mangle == "flip":
        value = flip(value, 10)
    elif mangle == "cut":
        value = value[:-1]
    info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number",
                value={"issuer": cert.issuer, "serial_number": cert.serial_number},
            ),
            "digest_algorithm": {"algorithm": "sha256"},
            "signed_attrs": attrs,
            "signature_algorithm": {"algorithm": f"{PLAIN}.{arc}"},
            "signature": value,
        }
    )
    return cms.SignerInfo.load(info.dump()), cert


def _integrity(
    info: cms.SignerInfo, cert: asn1_x509.Certificate, **kw: object
) -> tuple[bool, bool]:
    intact, valid = validate_sig_integrity(
        info,
        cert,
        "data",
        hashlib.sha256(DATA).digest(),
        **kw,  # type: ignore[arg-type]
    )
    return bool(intact), bool(valid)


def test_a_plain_cms_signer_info_verifies(p256: ec.EllipticCurvePrivateKey) -> None:
    info, cert = signer_info(p256, DATA)
    assert _integrity(info, cert, sig_validator=SIGNATURE_VALIDATOR) == (True, True)


def test_pyhanko_alone_reads_it_as_a_bad_signature(p256: ec.EllipticCurvePrivateKey) -> None:
    """The root cause: asn1crypto has no name for the OID, pyHanko raises AlgorithmNotSupported,
    an InvalidSignature, and validate_sig_integrity reports the value as not valid."""
    info, cert = signer_info(p256, DATA)
    assert _integrity(info, cert) == (True, False)


@pytest.mark.parametrize("mangle", ["flip", "cut"])
def test_a_damaged_plain_value_is_not_valid(p256: ec.EllipticCurvePrivateKey, mangle: str) -> None:
    info, cert = signer_info(p256, DATA, mangle=mangle)
    assert _integrity(info, cert, sig_validator=SIGNATURE_VALIDATOR) == (True, False)


def test_a_der_value_under_a_plain_oid_is_not_valid(p256: ec.EllipticCurvePrivateKey) -> None:
    info, cert = signer_info(p256, DATA, der=True)
    assert _integrity(info, cert, sig_validator=SIGNATURE_VALIDATOR) == (True, False)


def test_sha384_plain_over_a_sha256_message_digest(p256: ec.EllipticCurvePrivateKey) -> None:
    """The signed attributes are hashed with the OID's hash (as pyHanko does for
    ecdsa-with-SHA384), the content with the digest algorithm."""
    info, cert = signer_info(p256, DATA, arc="4", h=hashes.SHA384())
    assert _integrity(info, cert, sig_validator=SIGNATURE_VALIDATOR) == (True, True)
    info, cert = signer_info(p256, DATA, arc="3", h=hashes.SHA384())
    assert _integrity(info, cert, sig_validator=SIGNATURE_VALIDATOR) == (True, False)


def test_other_algorithms_still_go_to_pyhanko(p256: ec.EllipticCurvePrivateKey) -> None:
    info, cert = signer_info(p256, DATA, der=True)
    info["signature_algorithm"] = algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"})
    info = cms.SignerInfo.load(info.dump(force=True))
    assert _integrity(info, cert, sig_validator=SIGNATURE_VALIDATOR) == (True, True)
    info["signature"] = flip(info["signature"].native, 12)
    info = cms.SignerInfo.load(info.dump(force=True))
    assert _integrity(info, cert, sig_validator=SIGNATURE_VALIDATOR) == (True, False)
