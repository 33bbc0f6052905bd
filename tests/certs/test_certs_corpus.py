"""Every certificate in the shared corpus is read or refused with a CertificateError.

Covers ``certs/`` (real ID-card, e-seal, TSA and CA certificates from EU, Turkish and other
sources), NIST PKITS and x509-limbo. Nothing but :class:`~esig.errors.CertificateError` may
escape :func:`esig.certs.read_certificates`; the counts are printed (run with ``-s``) and the
known real-world certificates are checked for exact values.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from esig.certs import read_certificate, read_certificates
from esig.errors import CertificateError

pytestmark = pytest.mark.corpus

#: Extensions of files in corpus/certs that hold certificates (PKCS#12 files need a password
#: and are read separately below; .tsr/.tst are time-stamp responses, not certificates).
CERT_SUFFIXES = {".cer", ".crt", ".der", ".pem", ".p7c", ".bin"}


def _sweep(items: list[tuple[str, bytes]], refused: list[str] | None = None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for label, data in items:
        try:
            infos = read_certificates(data)
        except CertificateError as exc:
            counts["refused"] += 1
            if refused is not None:
                refused.append(f"{Path(label).name}: {exc}")
            continue
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            pytest.fail(f"{label}: {type(exc).__name__} escaped read_certificates: {exc}")
        counts["read"] += 1
        counts["certificates"] += len(infos)
        counts["with-warnings"] += any(i.warnings for i in infos)
    return counts


def test_every_corpus_certificate_file_is_read_or_refused(corpus: Path) -> None:
    files = sorted(
        p for p in (corpus / "certs").rglob("*") if p.is_file() and p.suffix in CERT_SUFFIXES
    )
    assert len(files) > 400
    refused: list[str] = []
    counts = _sweep([(str(p), p.read_bytes()) for p in files], refused)
    print(f"\ncorpus/certs: {len(files)} files, {dict(counts)}")
    assert counts["read"] + counts["refused"] == len(files)
    # The only refusals are OCSP responses that DSS stores next to its certificates.
    assert refused, "expected the corpus's OCSP .bin files to be refused"
    for line in refused:
        assert line.endswith("not a certificate: the data looks like an OCSP response"), line


def test_every_pkits_certificate_is_read(corpus: Path) -> None:
    files = sorted((corpus / "security" / "pkits" / "certs").glob("*.crt"))
    assert len(files) > 300
    counts = _sweep([(p.name, p.read_bytes()) for p in files])
    print(f"\nPKITS: {len(files)} certificates, {dict(counts)}")
    assert counts["read"] == len(files)


def test_every_limbo_certificate_is_read_or_refused(corpus: Path) -> None:
    data = json.loads((corpus / "security" / "x509-limbo" / "limbo.json").read_text())
    items: list[tuple[str, bytes]] = []
    for case in data["testcases"]:
        pems = [case["peer_certificate"], *case["trusted_certs"], *case["untrusted_intermediates"]]
        items += [(f"{case['id']}#{i}", pem.encode()) for i, pem in enumerate(pems)]
    counts = _sweep(items)
    print(f"\nx509-limbo: {len(items)} certificates, {dict(counts)}")
    assert counts["read"] + counts["refused"] == len(items)
    assert counts["read"] >= len(items) * 0.95


def test_turkish_kamusm_test_seals_read_from_pkcs12_with_exact_values(corpus: Path) -> None:
    folder = corpus / "certs" / "turkey-kamusm-test" / "pfx"
    pfx_files = sorted(folder.glob("*.pfx"))
    assert len(pfx_files) == 11
    for pfx in pfx_files:
        password = pfx.stem.rsplit("_", 1)[-1]  # the corpus names each file after its password
        (leaf,) = read_certificates(pfx, password=password)
        assert leaf.issuer.get("C") == "TR"
        assert leaf.national_id is not None
        assert leaf.national_id.scheme == "VKN"
        assert leaf.policy_oids == ("2.16.792.1.2.1.1.5.7.4.1",)
    seal = read_certificate(folder / "testkurum02_ec384@test.com.tr_825095.pfx", password="825095")
    assert seal.subject.text == "CN=Test Kurum İki, serialNumber=1234567802"
    assert seal.issuer.text == (
        "CN=Mali Mühür Elektronik Sertifika Hizmet Sağlayıcısı - Sürüm 3, OU=BİLGEM, "
        "O=Türkiye Bilimsel ve Teknolojik Araştırma Kurumu - TÜBİTAK, L=Gebze - Kocaeli, C=TR"
    )
    assert seal.key.description == "EC secp384r1 (384 bits)"
    assert seal.policies[0].name == "Mali Mühür"
    # 1234567802 fails the VKN check digit: still a VKN by position, but only "likely".
    assert (seal.national_id.value, seal.national_id.confidence) == ("1234567802", "likely")
    assert seal.has_warning("identity.vkn-checksum")
    valid = read_certificate(
        folder / "testkurum_suspended_ec384@test.com.tr_242195.pfx", password="242195"
    )
    assert (valid.national_id.value, valid.national_id.confidence) == ("1234567816", "certain")
    assert not valid.has_warning("identity.vkn-checksum")
    with pytest.raises(CertificateError):
        read_certificate(pfx_files[0], password="wrong-password")
