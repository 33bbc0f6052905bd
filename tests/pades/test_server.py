"""The loopback OCSP/CRL/TSA server answers deterministically from its explicit clock."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from asn1crypto import crl, ocsp, tsp

from esig.testing import REFERENCE_TIME, TestPki, build_pki
from esig.testing.server import PkiServer
from esig.validation._fetch import _ocsp_request
from tests.pades._signing import asn1


def _get(server: PkiServer, path: str, body: bytes | None = None) -> bytes:
    with urllib.request.urlopen(server.base_url + path, data=body, timeout=5) as r:
        data: bytes = r.read()
    return data


def test_crl_is_signed_now_and_lists_declared_revocations(
    pki: TestPki, pki_server: PkiServer
) -> None:
    pki_server.now = REFERENCE_TIME
    parsed = crl.CertificateList.load(_get(pki_server, "/crl/tr-nes-ca.crl"))
    assert parsed["tbs_cert_list"]["this_update"].native == REFERENCE_TIME - timedelta(hours=1)
    serials = [
        r["user_certificate"].native for r in parsed["tbs_cert_list"]["revoked_certificates"]
    ]
    assert serials == [pki.cert("tr-nes-revoked").serial_number]
    assert _get(pki_server, "/crl/tr-nes-ca.crl") == _get(pki_server, "/crl/tr-nes-ca.crl")


@pytest.mark.parametrize(
    ("who", "status"), [("tr-nes-signer", "good"), ("tr-nes-revoked", "revoked")]
)
def test_ocsp_answers_for_the_requested_serial(
    pki: TestPki, pki_server: PkiServer, who: str, status: str
) -> None:
    pki_server.now = REFERENCE_TIME
    request = _ocsp_request(asn1(pki.cert(who)), asn1(pki.cert("tr-nes-ca")))
    response = ocsp.OCSPResponse.load(_get(pki_server, "/ocsp/tr-nes-ca", request))
    single = response.basic_ocsp_response["tbs_response_data"]["responses"][0]
    assert single["cert_status"].name == status
    assert single["this_update"].native == REFERENCE_TIME


def test_ocsp_for_a_foreign_serial_is_unauthorized(pki: TestPki, pki_server: PkiServer) -> None:
    request = _ocsp_request(asn1(pki.cert("az-idcard-signer")), asn1(pki.cert("tr-nes-ca")))
    response = ocsp.OCSPResponse.load(_get(pki_server, "/ocsp/tr-nes-ca", request))
    assert response["response_status"].native == "unauthorized"


def test_tsa_time_is_the_server_clock(pki_server: PkiServer) -> None:
    pki_server.now = REFERENCE_TIME + timedelta(minutes=5)
    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": b"\x01" * 32,
            },
            "nonce": 42,
            "cert_req": True,
        }
    )
    response = tsp.TimeStampResp.load(_get(pki_server, "/tsa/tr-tsa", request.dump()))
    assert response["status"]["status"].native == "granted"
    info = response["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
    assert info["gen_time"].native == pki_server.now
    assert info["nonce"].native == 42


def test_unknown_paths_and_bad_requests(pki_server: PkiServer) -> None:
    for path, body, code in [("/nothing", None, 404), ("/ocsp/tr-nes-ca", b"junk", 400)]:
        with pytest.raises(urllib.error.HTTPError) as info:
            _get(pki_server, path, body)
        assert info.value.code == code


def test_server_refuses_a_pki_built_for_another_url() -> None:
    with PkiServer(now=REFERENCE_TIME) as server:
        with pytest.raises(ValueError, match="built for"):
            server.attach(build_pki(base_url="http://127.0.0.1:1"))
        with pytest.raises(RuntimeError, match="no PKI"):
            server.respond("GET", "/crl/tr-root.crl", b"")
