"""CRLs, OCSP responses and time-stamp tokens of the bundled TEST-ONLY national PKIs."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import cms, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import RevokedError

from esig.testing import MessageImprint, RevokedSerial, TestPki

MOMENT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
THIS_UPDATE = datetime(2026, 5, 31, tzinfo=UTC)
NEXT_UPDATE = datetime(2026, 7, 1, tzinfo=UTC)


def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def verify(
    public_key: object, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm
) -> None:
    if isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), algorithm)
    else:
        assert isinstance(public_key, ec.EllipticCurvePublicKey)
        public_key.verify(signature, data, ec.ECDSA(algorithm))


# -- CRL --------------------------------------------------------------------------------------


def test_crl_lists_exactly_the_revoked_serials(pki: TestPki) -> None:
    der = pki.crl("tr-nes-ca", this_update=THIS_UPDATE, next_update=NEXT_UPDATE)
    crl = x509.load_der_x509_crl(der)
    assert crl.is_signature_valid(pki.cert("tr-nes-ca").public_key())
    assert not crl.is_signature_valid(pki.cert("tr-root").public_key())
    assert crl.issuer == pki.cert("tr-nes-ca").subject
    assert (crl.last_update_utc, crl.next_update_utc) == (THIS_UPDATE, NEXT_UPDATE)
    assert [r.serial_number for r in crl] == [pki.cert("tr-nes-revoked").serial_number]
    entry = crl.get_revoked_certificate_by_serial_number(pki.cert("tr-nes-revoked").serial_number)
    assert entry is not None
    assert entry.revocation_date_utc == datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason is x509.ReasonFlags.key_compromise
    number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert number == int(THIS_UPDATE.timestamp())
    aki = crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = pki.cert("tr-nes-ca").extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    assert aki.key_identifier == ski.value.digest


def test_crl_of_ec_ca_and_empty_crls(pki: TestPki) -> None:
    crl = x509.load_der_x509_crl(
        pki.crl("ee-idcard-ca", this_update=THIS_UPDATE, next_update=NEXT_UPDATE)
    )
    assert crl.is_signature_valid(pki.cert("ee-idcard-ca").public_key())
    assert [r.serial_number for r in crl] == [pki.cert("ee-idcard-revoked").serial_number]
    for ca in ("tr-root", "tr-malimuhur-ca", "az-idcard-ca", "ee-seal-ca"):
        crl = x509.load_der_x509_crl(pki.crl(ca, this_update=THIS_UPDATE, next_update=NEXT_UPDATE))
        assert len(crl) == 0
        assert crl.is_signature_valid(pki.cert(ca).public_key())


def test_crl_is_a_function_of_time(pki: TestPki) -> None:
    before = pki.crl(
        "tr-nes-ca",
        this_update=datetime(2026, 1, 1, tzinfo=UTC),
        next_update=datetime(2026, 2, 1, tzinfo=UTC),
    )
    assert len(x509.load_der_x509_crl(before)) == 0
    again = pki.crl("tr-nes-ca", this_update=THIS_UPDATE, next_update=NEXT_UPDATE)
    assert again == pki.crl("tr-nes-ca", this_update=THIS_UPDATE, next_update=NEXT_UPDATE)


def test_crl_with_extra_revocations(pki: TestPki) -> None:
    extra = RevokedSerial(
        pki.cert("tr-nes-signer").serial_number, THIS_UPDATE, "cessationOfOperation"
    )
    crl = x509.load_der_x509_crl(
        pki.crl(
            "tr-nes-ca", this_update=THIS_UPDATE, next_update=NEXT_UPDATE, revoked_extra=[extra]
        )
    )
    assert sorted(r.serial_number for r in crl) == sorted(
        [pki.cert("tr-nes-revoked").serial_number, pki.cert("tr-nes-signer").serial_number]
    )


def _validator(pki: TestPki, name: str, **revocation: object) -> CertificateValidator:
    context = ValidationContext(
        trust_roots=[asn1(pki.chain(name)[-1])],
        allow_fetching=False,
        moment=MOMENT,
        revocation_mode="hard-fail",
        **revocation,  # type: ignore[arg-type]
    )
    return CertificateValidator(
        asn1(pki.cert(name)),
        intermediate_certs=[asn1(c) for c in pki.chain(name)[1:-1]],
        validation_context=context,
    )


def test_certvalidator_accepts_the_crls(pki: TestPki) -> None:
    crls = [
        pki.crl(ca, this_update=THIS_UPDATE, next_update=NEXT_UPDATE)
        for ca in ("tr-root", "tr-nes-ca")
    ]
    asyncio.run(
        _validator(pki, "tr-nes-signer", crls=crls).async_validate_usage({"non_repudiation"})
    )
    with pytest.raises(RevokedError):
        asyncio.run(_validator(pki, "tr-nes-revoked", crls=crls).async_validate_usage(set()))


# -- OCSP -------------------------------------------------------------------------------------


def _ocsp(pki: TestPki, name: str, **kwargs: object) -> ocsp.OCSPResponse:
    der = pki.ocsp_response(
        name,
        produced_at=MOMENT,
        this_update=MOMENT - timedelta(minutes=5),
        next_update=MOMENT + timedelta(hours=1),
        **kwargs,  # type: ignore[arg-type]
    )
    return ocsp.load_der_ocsp_response(der)


@pytest.mark.parametrize(
    ("name", "responder", "status"),
    [
        ("tr-nes-revoked", "tr-nes-ocsp", ocsp.OCSPCertStatus.REVOKED),
        ("tr-nes-signer", "tr-nes-ocsp", ocsp.OCSPCertStatus.GOOD),
        ("ee-idcard-revoked", "ee-idcard-ocsp", ocsp.OCSPCertStatus.REVOKED),
        ("ee-idcard-signer", "ee-idcard-ocsp", ocsp.OCSPCertStatus.GOOD),
        ("az-mobile-signer", "az-mobile-ocsp", ocsp.OCSPCertStatus.GOOD),
        ("tr-malimuhur-seal", "tr-malimuhur-ocsp", ocsp.OCSPCertStatus.GOOD),
    ],
)
def test_ocsp_status_and_signature(
    pki: TestPki, name: str, responder: str, status: ocsp.OCSPCertStatus
) -> None:
    response = _ocsp(pki, name)
    assert response.response_status is ocsp.OCSPResponseStatus.SUCCESSFUL
    assert response.certificate_status is status
    assert response.serial_number == pki.cert(name).serial_number
    assert response.produced_at_utc == MOMENT
    assert response.this_update_utc == MOMENT - timedelta(minutes=5)
    assert response.next_update_utc == MOMENT + timedelta(hours=1)
    assert response.certificates == [pki.cert(responder)]
    assert (
        response.responder_key_hash
        == x509.SubjectKeyIdentifier.from_public_key(pki.cert(responder).public_key()).digest
    )
    assert response.signature_hash_algorithm is not None
    verify(
        pki.cert(responder).public_key(),
        response.signature,
        response.tbs_response_bytes,
        response.signature_hash_algorithm,
    )
    assert (
        response.issuer_key_hash
        == hashlib.sha1(asn1(pki.chain(name)[1]).public_key["public_key"].contents[1:]).digest()
    )
    if status is ocsp.OCSPCertStatus.REVOKED:
        assert response.revocation_time_utc == pki.entity(name).revoked.date  # type: ignore[union-attr]


def test_ocsp_revocation_reason_and_time_dependence(pki: TestPki) -> None:
    response = _ocsp(pki, "tr-nes-revoked")
    assert response.revocation_reason is x509.ReasonFlags.key_compromise
    early = ocsp.load_der_ocsp_response(
        pki.ocsp_response(
            "tr-nes-revoked",
            produced_at=datetime(2026, 1, 1, tzinfo=UTC),
            this_update=datetime(2026, 1, 1, tzinfo=UTC),
            next_update=None,
        )
    )
    assert early.certificate_status is ocsp.OCSPCertStatus.GOOD
    assert early.next_update_utc is None


def test_ocsp_overrides_nonce_and_responder(pki: TestPki) -> None:
    assert (
        _ocsp(pki, "tr-nes-signer", status_override=ocsp.OCSPCertStatus.REVOKED).certificate_status
        is ocsp.OCSPCertStatus.REVOKED
    )
    assert (
        _ocsp(pki, "tr-nes-revoked", status_override=ocsp.OCSPCertStatus.GOOD).certificate_status
        is ocsp.OCSPCertStatus.GOOD
    )
    assert (
        _ocsp(pki, "tr-nes-signer", status_override=ocsp.OCSPCertStatus.UNKNOWN).certificate_status
        is ocsp.OCSPCertStatus.UNKNOWN
    )
    response = _ocsp(pki, "ee-seal", nonce=b"0123456789abcdef")
    assert response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == (
        b"0123456789abcdef"
    )
    # signed by the CA itself: no embedded certificate
    direct = _ocsp(pki, "az-tsa")
    assert direct.certificates == []
    assert direct.signature_hash_algorithm is not None
    verify(
        pki.cert("az-policy-ca").public_key(),
        direct.signature,
        direct.tbs_response_bytes,
        direct.signature_hash_algorithm,
    )


def test_certvalidator_accepts_the_ocsp_responses(pki: TestPki) -> None:
    ee_crl = pki.crl("ee-root", this_update=THIS_UPDATE, next_update=NEXT_UPDATE)

    def response(name: str) -> bytes:
        return pki.ocsp_response(
            name,
            produced_at=MOMENT,
            this_update=MOMENT - timedelta(minutes=5),
            next_update=MOMENT + timedelta(hours=1),
        )

    good = _validator(pki, "ee-idcard-signer", ocsps=[response("ee-idcard-signer")], crls=[ee_crl])
    asyncio.run(good.async_validate_usage({"non_repudiation"}))
    bad = _validator(pki, "ee-idcard-revoked", ocsps=[response("ee-idcard-revoked")], crls=[ee_crl])
    with pytest.raises(RevokedError):
        asyncio.run(bad.async_validate_usage(set()))


# -- time-stamps ------------------------------------------------------------------------------


def _signed_data(token: bytes) -> cms.SignedData:
    info = cms.ContentInfo.load(token)
    assert info["content_type"].native == "signed_data"
    signed_data: cms.SignedData = info["content"]
    return signed_data


@pytest.mark.parametrize(
    ("tsa", "policy", "digest"),
    [
        ("az-tsa", "2.999.994.3.1", "sha256"),
        ("tr-tsa", "2.16.792.1.2.1.1.5.7.3.1", "sha256"),
        ("ee-tsa", "0.4.0.2023.1.1", "sha256"),
    ],
)
def test_timestamp_token(pki: TestPki, tsa: str, policy: str, digest: str) -> None:
    at = datetime(2026, 6, 1, 10, 30, 15, tzinfo=UTC)
    data = b"esig test document"
    token = pki.timestamp_token(data, at=at, tsa=tsa, nonce=42)
    signed_data = _signed_data(token)
    assert signed_data["encap_content_info"]["content_type"].native == "tst_info"
    tst_info = signed_data["encap_content_info"]["content"].parsed
    assert isinstance(tst_info, tsp.TSTInfo)
    assert tst_info["gen_time"].native == at
    assert tst_info["policy"].dotted == policy
    assert tst_info["nonce"].native == 42
    imprint = tst_info["message_imprint"]
    assert imprint["hash_algorithm"]["algorithm"].native == "sha256"
    assert imprint["hashed_message"].native == hashlib.sha256(data).digest()

    tsa_cert = pki.cert(tsa)
    assert [c.chosen.dump() for c in signed_data["certificates"]] == [
        tsa_cert.public_bytes(Encoding.DER)
    ]
    signer = signed_data["signer_infos"][0]
    assert signer["sid"].chosen["serial_number"].native == tsa_cert.serial_number
    attrs = {a["type"].native: a["values"][0] for a in signer["signed_attrs"]}
    assert attrs["content_type"].native == "tst_info"
    tst_bytes = signed_data["encap_content_info"]["content"].contents
    assert attrs["message_digest"].native == hashlib.new(digest, tst_bytes).digest()
    ess = attrs["signing_certificate_v2"]["certs"][0]
    assert ess["cert_hash"].native == hashlib.sha256(tsa_cert.public_bytes(Encoding.DER)).digest()
    signed_bytes = b"\x31" + signer["signed_attrs"].dump()[1:]
    verify(tsa_cert.public_key(), signer["signature"].native, signed_bytes, hashes.SHA256())


def test_timestamp_with_precomputed_imprint_is_deterministic(pki: TestPki) -> None:
    imprint = MessageImprint("sha384", hashlib.sha384(b"x").digest())
    at = datetime(2026, 6, 1, 9, 0, 0, 250000, tzinfo=UTC)
    token = pki.timestamp_token(imprint, at=at, tsa="tr-tsa")
    assert token == pki.timestamp_token(imprint, at=at, tsa="tr-tsa")
    tst_info = _signed_data(token)["encap_content_info"]["content"].parsed
    assert tst_info["gen_time"].native == at
    assert tst_info["message_imprint"]["hashed_message"].native == imprint.digest
    assert tst_info["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha384"
    assert (
        _signed_data(pki.timestamp_token(b"x", at=at))["signer_infos"][0]["sid"]
        .chosen["serial_number"]
        .native
        == pki.cert("az-tsa").serial_number
    )


def test_pyhanko_validates_the_timestamp_token(pki: TestPki) -> None:
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

    data = b"pyhanko sees this"
    at = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    token = pki.timestamp_token(data, at=at, tsa="ee-tsa")
    context = ValidationContext(
        trust_roots=[asn1(pki.cert("ee-root"))], allow_fetching=False, moment=MOMENT
    )
    status = asyncio.run(
        validate_tst_signed_data(
            _signed_data(token),
            context,
            expected_tst_imprint=lambda algo: hashlib.new(algo, data).digest(),
        )
    )
    assert status["intact"]
    assert status["valid"]
    assert status["timestamp"] == at
