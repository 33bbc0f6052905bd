"""A certificate signed with BSI plain ECDSA (r || s) verifies in a path as in CMS; a damaged
value fails the path."""

from __future__ import annotations

import asyncio

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from esig import Indication, SubIndication
from esig.policy import ValidationProfile
from esig.validation.chain import ChainOutcome, RevocationMaterial, Usage, validate_chain
from tests.validation.test_chain_profile_checks import AT, ROOT_KEY, a, leaf, root

PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3"


def _plain_signed_leaf(*, damage: bool = False) -> asn1_x509.Certificate:
    tbs = a(leaf())["tbs_certificate"].copy()
    tbs["signature"] = {"algorithm": PLAIN_SHA256}
    tbs_der = tbs.dump(force=True)
    r, s = decode_dss_signature(ROOT_KEY.sign(tbs_der, ec.ECDSA(hashes.SHA256())))
    size = (ROOT_KEY.curve.key_size + 7) // 8
    value = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if damage:
        value = value[:-1] + bytes([value[-1] ^ 1])
    return asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs_der),
            "signature_algorithm": {"algorithm": PLAIN_SHA256},
            "signature_value": value,
        }
    )


def _run(cert: asn1_x509.Certificate) -> ChainOutcome:
    return asyncio.run(
        validate_chain(
            cert,
            anchors=[root()],
            material=RevocationMaterial(),
            control_time=AT,
            usage=Usage.SIGNING,
            require_revocation=False,
            algorithms=ValidationProfile(name="default").algorithms,
        )
    )


def test_a_plain_ecdsa_certificate_signature_verifies() -> None:
    out = _run(_plain_signed_leaf())
    assert (out.indication, out.sub_indication) == (Indication.TOTAL_PASSED, None)


def test_a_damaged_plain_ecdsa_certificate_signature_fails_the_path() -> None:
    out = _run(_plain_signed_leaf(damage=True))
    assert (out.indication, out.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    )
    assert out.reasons[0].code == "chain.invalid"
