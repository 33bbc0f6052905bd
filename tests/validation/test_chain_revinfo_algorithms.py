"""The algorithm policy judges CRL signatures too (pyhanko-certvalidator judges certificate
signatures only): a CRL signed with a refused algorithm is not used, and the outcome says why."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

from asn1crypto import crl as asn1_crl
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from esig import Indication, SubIndication
from esig.policy import ValidationProfile
from esig.validation.chain import ChainOutcome, RevocationMaterial, Usage, validate_chain
from tests.validation.test_chain_profile_checks import AT, ROOT_KEY, ROOT_NAME, a, leaf, root

POLICY = ValidationProfile(name="default").algorithms


def _crl(digest: hashes.HashAlgorithm) -> bytes:
    """A CRL by the test root signed with ECDSA over ``digest`` (cryptography's builder refuses
    SHA-1, so the SHA-1 one is signed by hand)."""
    der = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ROOT_NAME)
        .last_update(AT - timedelta(hours=1))
        .next_update(AT + timedelta(days=1))
        .add_extension(x509.CRLNumber(1), critical=False)
        .sign(ROOT_KEY, hashes.SHA256())
        .public_bytes(Encoding.DER)
    )
    if isinstance(digest, hashes.SHA256):
        return der
    algo = {"algorithm": f"{digest.name}_ecdsa"}
    tbs = asn1_crl.CertificateList.load(der)["tbs_cert_list"].copy()
    tbs["signature"] = algo
    tbs_der = tbs.dump(force=True)
    return asn1_crl.CertificateList(
        {
            "tbs_cert_list": asn1_crl.TbsCertList.load(tbs_der),
            "signature_algorithm": algo,
            "signature": ROOT_KEY.sign(tbs_der, ec.ECDSA(digest)),
        }
    ).dump()


def _run(crls: Sequence[bytes]) -> ChainOutcome:
    return asyncio.run(
        validate_chain(
            a(leaf()),
            anchors=[root()],
            material=RevocationMaterial((), tuple(asn1_crl.CertificateList.load(c) for c in crls)),
            control_time=AT,
            usage=Usage.SIGNING,
            require_revocation=True,
            algorithms=POLICY,
        )
    )


def test_a_sha256_crl_is_used() -> None:
    out = _run([_crl(hashes.SHA256())])
    assert (out.indication, out.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert "chain.revinfo-weak-algorithm" not in [w.code for w in out.warnings]


def test_a_sha1_crl_is_not_used_and_the_reason_says_why() -> None:
    out = _run([_crl(hashes.SHA1())])
    assert (out.indication, out.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.TRY_LATER,
    )
    assert [r.code for r in out.reasons][:2] == [
        "chain.revinfo-weak-algorithm",
        "chain.no-revocation-data",
    ]
    assert "SHA-1" in out.reasons[0].message or "sha1" in out.reasons[0].message.lower()


def test_a_refused_crl_beside_a_good_one_is_a_warning() -> None:
    out = _run([_crl(hashes.SHA1()), _crl(hashes.SHA256())])
    assert (out.indication, out.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert "chain.revinfo-weak-algorithm" in [w.code for w in out.warnings]


def test_without_a_policy_the_crl_is_only_verified() -> None:
    out = asyncio.run(
        validate_chain(
            a(leaf()),
            anchors=[root()],
            material=RevocationMaterial((), (asn1_crl.CertificateList.load(_crl(hashes.SHA1())),)),
            control_time=AT,
            usage=Usage.SIGNING,
            require_revocation=True,
        )
    )
    assert (out.indication, out.sub_indication) == (Indication.TOTAL_PASSED, None)
