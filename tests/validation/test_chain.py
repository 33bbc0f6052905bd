"""Certificate path validation: strict profile, revocation required, path-building budget."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from esig import Indication, SubIndication
from esig.testing import REFERENCE_TIME, TestPki
from esig.validation import chain as chain_module
from esig.validation.chain import (
    RevocationMaterial,
    Usage,
    end_entity_problems,
    trim_candidates,
    validate_chain,
)

AT = REFERENCE_TIME


def a(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def material(pki: TestPki, leaf: str, at: datetime = AT) -> RevocationMaterial:
    names = pki.declaration.chain_names(leaf)
    crls = tuple(
        asn1_crl.CertificateList.load(
            pki.crl(issuer, this_update=at - timedelta(hours=1), next_update=at + timedelta(days=1))
        )
        for issuer in names[1:]
    )
    return RevocationMaterial(tuple(a(c) for c in pki.chain(leaf)[1:]), crls, ())


def run(pki: TestPki, leaf: str, **kw: object) -> object:
    args: dict[str, object] = {
        "anchors": list(pki.roots()),
        "material": material(pki, leaf),
        "control_time": AT,
        "usage": Usage.SIGNING,
    }
    args.update(kw)
    return asyncio.run(validate_chain(a(pki.cert(leaf)), **args))  # type: ignore[arg-type]


def test_valid_chain_with_crls_passes(offline_pki: TestPki) -> None:
    out = run(offline_pki, "tr-nes-signer")
    assert (out.indication, out.sub_indication) == (Indication.TOTAL_PASSED, None)  # type: ignore[attr-defined]
    assert [c.subject for c in out.chain] == [c.subject for c in offline_pki.chain("tr-nes-signer")]  # type: ignore[attr-defined]


def test_supplied_crl_revokes_the_signer(
    offline_pki: TestPki,
) -> None:
    out = run(offline_pki, "tr-nes-revoked")
    assert (out.indication, out.sub_indication) == (  # type: ignore[attr-defined]
        Indication.INDETERMINATE,
        SubIndication.REVOKED_NO_POE,
    )
    assert out.revocation.date == datetime(2026, 1, 15, 10, 0, tzinfo=UTC)  # type: ignore[attr-defined]


def test_revocation_data_is_required(offline_pki: TestPki) -> None:
    bare = RevocationMaterial(tuple(a(c) for c in offline_pki.chain("tr-nes-signer")[1:]))
    out = run(offline_pki, "tr-nes-signer", material=bare)
    assert (out.indication, out.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.TRY_LATER,
    )  # type: ignore[attr-defined]


def test_zero_time_tolerance(offline_pki: TestPki) -> None:
    leaf = offline_pki.cert("tr-nes-signer")
    just_after = leaf.not_valid_after_utc + timedelta(seconds=1)
    out = run(
        offline_pki,
        "tr-nes-signer",
        control_time=just_after,
        material=material(offline_pki, "tr-nes-signer", just_after),
    )
    assert (out.indication, out.sub_indication) == (  # type: ignore[attr-defined]
        Indication.INDETERMINATE,
        SubIndication.OUT_OF_BOUNDS_NO_POE,
    )


def test_ca_certificate_and_tsa_eku_rules(offline_pki: TestPki) -> None:
    codes = [f.code for f in end_entity_problems(offline_pki.cert("tr-nes-ca"), Usage.SIGNING)]
    assert "cert.ca-as-signer" in codes
    assert end_entity_problems(offline_pki.cert("tr-nes-signer"), Usage.SIGNING) == ()
    assert end_entity_problems(offline_pki.cert("tr-tsa"), Usage.TIMESTAMPING) == ()
    tsa_codes = [
        f.code for f in end_entity_problems(offline_pki.cert("tr-nes-signer"), Usage.TIMESTAMPING)
    ]
    assert tsa_codes == ["tsa.eku"]


def test_v1_certificate_cannot_sign() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "v1")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(AT - timedelta(days=1))
        .not_valid_after(AT + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    # cryptography only writes v3; patch the version field to v1 through asn1crypto
    raw = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
    tbs = raw["tbs_certificate"]
    tbs["version"] = "v1"
    tbs["extensions"] = []
    raw["tbs_certificate"] = tbs
    v1 = x509.load_der_x509_certificate(raw.dump(force=True))
    codes = [f.code for f in end_entity_problems(v1, Usage.SIGNING)]
    assert "cert.not-v3" in codes


def _same_subject_flood(n: int) -> tuple[x509.Certificate, list[x509.Certificate]]:
    """A leaf under "Evil CA" and ``n`` cross-signed "Evil CA" certificates."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Evil CA")])
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(n)]
    cas = []
    for i, key in enumerate(keys):
        issuer_key = keys[(i + 1) % n]
        cas.append(
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(i + 1)
            .not_valid_before(AT - timedelta(days=10))
            .not_valid_after(AT + timedelta(days=10))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256())
        )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "victim")]))
        .issuer_name(name)
        .public_key(leaf_key.public_key())
        .serial_number(1000)
        .not_valid_before(AT - timedelta(days=1))
        .not_valid_after(AT + timedelta(days=1))
        .add_extension(
            x509.KeyUsage(False, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(keys[0], hashes.SHA256())
    )
    return leaf, cas


@pytest.mark.slow
def test_hundred_same_subject_intermediates_end_within_budget(offline_pki: TestPki) -> None:
    leaf, cas = _same_subject_flood(100)
    start = time.monotonic()
    out = asyncio.run(
        validate_chain(
            a(leaf),
            anchors=list(offline_pki.roots()),
            material=RevocationMaterial(tuple(a(c) for c in cas)),
            control_time=AT,
            usage=Usage.SIGNING,
            budget_seconds=5.0,
        )
    )
    assert time.monotonic() - start < 5.0
    assert out.indication is Indication.INDETERMINATE
    assert out.sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
    assert "chain.candidates-trimmed" in [w.code for w in out.warnings]
    assert out.reasons


def test_trim_candidates_keeps_a_few_per_subject() -> None:
    _leaf, cas = _same_subject_flood(10)
    kept, trimmed = trim_candidates([a(c) for c in cas] + [a(cas[0])], 4)
    assert trimmed
    assert len(kept) == 4


def test_exhausted_budget_is_indeterminate_with_a_reason(
    offline_pki: TestPki, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def slow(*args: object) -> object:
        await asyncio.sleep(30)  # a path validation that never ends in time
        raise AssertionError("unreachable")

    monkeypatch.setattr(chain_module, "_validate_one", slow)
    start = time.monotonic()
    out = run(offline_pki, "tr-nes-signer", budget_seconds=0.2)
    assert time.monotonic() - start < 2.0
    assert (out.indication, out.sub_indication) == (  # type: ignore[attr-defined]
        Indication.INDETERMINATE,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    )
    assert out.reasons[0].code == "chain.budget-exceeded"  # type: ignore[attr-defined]


def test_crl_revokes_a_certificate_that_names_no_distribution_point() -> None:
    """SECURITY.md: pyhanko-certvalidator's soft-fail/hard-fail accept this; esig must not."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Small CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(AT - timedelta(days=30))
        .not_valid_after(AT + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "no DP")]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(77)
        .not_valid_before(AT - timedelta(days=10))
        .not_valid_after(AT + timedelta(days=10))
        .add_extension(
            x509.KeyUsage(False, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    revoked = (
        x509.RevokedCertificateBuilder()
        .serial_number(77)
        .revocation_date(AT - timedelta(days=5))
        .build()
    )
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_name)
        .last_update(AT - timedelta(hours=1))
        .next_update(AT + timedelta(days=1))
        .add_revoked_certificate(revoked)
        .add_extension(x509.CRLNumber(1), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    out = asyncio.run(
        validate_chain(
            a(leaf),
            anchors=[ca],
            material=RevocationMaterial(
                (), (asn1_crl.CertificateList.load(crl.public_bytes(Encoding.DER)),), ()
            ),
            control_time=AT,
            usage=Usage.SIGNING,
        )
    )
    assert (out.indication, out.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.REVOKED_NO_POE,
    )
