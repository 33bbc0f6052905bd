"""PAdES signatures and time-stamps in BSI TR-03111 plain ECDSA (``r || s``, the
``ecdsa-plain-*`` OIDs of German eID and TeleSec signature cards), signed by pyHanko with the
TEST-ONLY PKI's P-256 keys, and the DSS corpus file that uses them."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import algos, cms, tsp
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter

import esig
from esig import Indication, SignatureLevel, SubIndication
from esig.policy import ValidationProfile
from esig.testing import REFERENCE_TIME, MessageImprint, TestPki
from esig.testing.server import PkiServer
from tests.pades._signing import simple_signer, tiny_pdf

T = REFERENCE_TIME + timedelta(hours=10)
SOON = T + timedelta(hours=1)
ONLINE = ValidationProfile(name="online", online=True)
SIGNER = "az-idcard-signer"  # P-256
TSA = "ee-tsa"  # P-256
PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"


def to_plain(der: bytes, key: ec.EllipticCurvePublicKey, mangle: str | None) -> bytes:
    r, s = decode_dss_signature(der)
    half = (key.curve.key_size + 7) // 8
    value = r.to_bytes(half, "big") + s.to_bytes(half, "big")
    if mangle == "flip":
        value = value[:5] + bytes([value[5] ^ 0x80]) + value[6:]
    elif mangle == "cut":
        value = value[:-1]
    return value


class PlainSigner(signers.SimpleSigner):
    """pyHanko's signer, but the value is r || s under ecdsa-plain-SHA256."""

    def __init__(self, base: signers.SimpleSigner, mangle: str | None) -> None:
        super().__init__(
            signing_cert=base.signing_cert,
            signing_key=base.signing_key,
            cert_registry=base.cert_registry,
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": PLAIN_SHA256}),
        )
        self.mangle = mangle

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        assert digest_algorithm == "sha256"
        key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        der = key.sign(data, ec.ECDSA(hashes.SHA256()))
        return to_plain(der, key.public_key(), self.mangle)


def plain_token(
    pki: TestPki, imprint: MessageImprint, mangle: str | None = None, nonce: int | None = None
) -> cms.ContentInfo:
    """A token from the TestPki's P-256 TSA, its signature re-encoded as plain ECDSA."""
    token = cms.ContentInfo.load(pki.timestamp_token(imprint, at=T, tsa=TSA, nonce=nonce))
    info = token["content"]["signer_infos"][0]
    assert info["signature_algorithm"]["algorithm"].native == "sha256_ecdsa"
    public = pki.cert(TSA).public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    info["signature"] = to_plain(info["signature"].native, public, mangle)
    info["signature_algorithm"] = algos.SignedDigestAlgorithm({"algorithm": PLAIN_SHA256})
    return cms.ContentInfo.load(token.dump(force=True))


class PlainTimeStamper(timestamps.TimeStamper):
    """Time-stamps from :func:`plain_token`."""

    def __init__(self, pki: TestPki, mangle: str | None = None) -> None:
        super().__init__()
        self.pki, self.mangle = pki, mangle

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        mi = req["message_imprint"]
        imprint = MessageImprint(
            mi["hash_algorithm"]["algorithm"].native, mi["hashed_message"].native
        )
        token = plain_token(self.pki, imprint, self.mangle, req["nonce"].native)
        return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token})


def sign(
    pki: TestPki,
    *,
    mangle: str | None = None,
    timestamper: timestamps.TimeStamper | None = None,
) -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    signer = signers.PdfSigner(
        meta, PlainSigner(simple_signer(pki, SIGNER), mangle), timestamper=timestamper
    )
    out = signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(tiny_pdf())))
    return bytes(out.getvalue())


def only_signature(report: esig.ValidationReport) -> esig.SignatureReport:
    (sig,) = [s for s in report.signatures if s.kind == "signature"]
    return sig


def test_a_plain_ecdsa_signature_passes(pki: TestPki, pki_server: PkiServer) -> None:
    pdf = sign(pki)
    pki_server.now = SOON
    sig = only_signature(esig.verify(pdf, trust=pki.roots(), profile=ONLINE, validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert sig.level is SignatureLevel.B_B
    assert sig.reasons == ()


def test_offline_it_stops_where_a_der_ecdsa_signature_stops(pki: TestPki) -> None:
    sig = only_signature(esig.verify(sign(pki), trust=pki.roots(), validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.TRY_LATER,
    )
    assert sig.reasons[0].code == "chain.no-revocation-data"


@pytest.mark.parametrize("mangle", ["flip", "cut"])
def test_a_damaged_plain_value_is_sig_crypto_failure(pki: TestPki, mangle: str) -> None:
    sig = only_signature(
        esig.verify(sign(pki, mangle=mangle), trust=pki.roots(), validation_time=SOON)
    )
    assert (sig.indication, sig.sub_indication) == (
        Indication.TOTAL_FAILED,
        SubIndication.SIG_CRYPTO_FAILURE,
    )
    assert [r.code for r in sig.reasons] == ["cms.bad-signature"]


def test_a_plain_ecdsa_signature_time_stamp_passes(pki: TestPki, pki_server: PkiServer) -> None:
    pdf = sign(pki, timestamper=PlainTimeStamper(pki))
    pki_server.now = SOON
    sig = only_signature(esig.verify(pdf, trust=pki.roots(), profile=ONLINE, validation_time=SOON))
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert sig.level is SignatureLevel.B_T
    (ts,) = sig.timestamps
    assert (ts.kind, ts.indication, ts.sub_indication) == (
        "signature-timestamp",
        Indication.TOTAL_PASSED,
        None,
    )
    assert sig.best_signature_time == T


def test_a_damaged_plain_time_stamp_signature_fails(pki: TestPki, pki_server: PkiServer) -> None:
    pdf = sign(pki, timestamper=PlainTimeStamper(pki, mangle="flip"))
    pki_server.now = SOON
    sig = only_signature(esig.verify(pdf, trust=pki.roots(), profile=ONLINE, validation_time=SOON))
    (ts,) = sig.timestamps
    assert (ts.indication, ts.sub_indication) == (
        Indication.TOTAL_FAILED,
        SubIndication.SIG_CRYPTO_FAILURE,
    )
    assert [r.code for r in ts.reasons] == ["timestamp.signature"]
    assert sig.level is SignatureLevel.B_B  # the broken time-stamp proves nothing
    assert sig.best_signature_time == SOON


# -- the DSS corpus file --------------------------------------------------------------------------

TELESEC = "pades/dss/dss-PLAIN-ECDSA/TeleSec_PKS_eIDAS_QES_CA_1-baseline-b.pdf"


@pytest.mark.corpus
def test_the_telesec_plain_ecdsa_signature_value_verifies(corpus: Path, pki: TestPki) -> None:
    """DSS (PAdESWithPlainECDSACryptoValidationTest): signature intact and valid. esig used to
    say TOTAL_FAILED/SIG_CRYPTO_FAILURE (cms.bad-signature). The value verifies now; what stops
    it is the chain: the signer's certificate writes ecdsa-with-SHA256 with explicit NULL
    parameters (RFC 5758 3.2: absent), which cryptography's X.509 parser refuses, so the path
    cannot be processed even before the untrusted root is met."""
    report = esig.verify(
        corpus / TELESEC, trust=pki.roots(), validation_time=datetime(2024, 1, 1, tzinfo=UTC)
    )
    (sig,) = report.signatures
    assert sig.kind == "signature"
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    )
    assert [r.code for r in sig.reasons] == ["chain.unprocessable"]
    assert "TbsCertificate::signature_alg" in sig.reasons[0].message


@pytest.mark.parametrize(("mangle", "ok"), [(None, True), ("flip", False), ("cut", False)])
def test_xades_time_stamp_tokens_in_plain_ecdsa(pki: TestPki, mangle: str | None, ok: bool) -> None:
    """The XAdES side checks RFC 3161 tokens with the same validator."""
    from esig.xades._tsp import check_token

    data = b"xades signature value"
    token = plain_token(pki, MessageImprint.of(data), mangle)
    check = check_token(token.dump(), data)
    assert check.imprint_ok
    assert check.problem is None
    assert check.signature_ok is ok
