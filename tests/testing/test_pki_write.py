"""Writing a TEST-ONLY PKI to disk, reproducing it from its keys, and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

from esig.errors import ProfileError
from esig.testing import TEST_PASSWORD, TestPki, build_pki
from esig.testing.__main__ import main


@pytest.fixture(scope="module")
def written(pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pki")
    index = pki.write(directory)
    assert index == directory / "index.json"
    return directory


def test_write_produces_loadable_files(pki: TestPki, written: Path) -> None:
    index = json.loads((written / "index.json").read_text(encoding="utf-8"))
    assert "TEST-ONLY" in index["warning"]
    assert sorted(str(p.relative_to(written)) for p in written.rglob("*") if p.is_file()) == sorted(
        [*index["files"], "index.json"]
    )
    entities = {e["name"]: e for e in index["entities"]}
    assert list(entities) == list(pki.names)
    for name, entry in entities.items():
        pem = x509.load_pem_x509_certificate((written / entry["cert_pem"]).read_bytes())
        der = x509.load_der_x509_certificate((written / entry["cert_der"]).read_bytes())
        assert pem == der == pki.cert(name)
        assert entry["key"] == f"keys/{name}.TEST-ONLY.key.pem"
        key = serialization.load_pem_private_key((written / entry["key"]).read_bytes(), None)
        assert key.public_key() == pki.cert(name).public_key()
        assert (written / entry["key"]).read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
        if pki.entity(name).is_ca:
            crl = x509.load_der_x509_crl((written / entry["crl"]).read_bytes())
            assert crl.is_signature_valid(pki.cert(name).public_key())
            assert "pkcs12" not in entry
        else:
            p12 = pkcs12.load_pkcs12(
                (written / entry["pkcs12"]).read_bytes(), TEST_PASSWORD.encode()
            )
            assert p12.cert is not None
            assert p12.cert.certificate == pki.cert(name)
            assert [c.certificate for c in p12.additional_certs] == list(pki.chain(name)[1:])
    assert entities["tr-nes-revoked"]["revoked"] == "2026-01-15T10:00:00+00:00"
    crl = x509.load_der_x509_crl((written / "crl" / "tr-nes-ca.crl").read_bytes())
    assert [r.serial_number for r in crl] == [pki.cert("tr-nes-revoked").serial_number]


def test_key_dir_reproduces_the_pki_exactly(pki: TestPki, written: Path) -> None:
    again = build_pki(key_dir=written / "keys")
    for name in pki.names:
        assert (
            again.cert(name).public_bytes(Encoding.DER)
            == (written / f"certs/{name}.der").read_bytes()
        ), name
    index = json.loads((written / "index.json").read_text(encoding="utf-8"))
    this_update = again.cert("tr-nes-ca").not_valid_before_utc.fromisoformat(
        index["crl_this_update"]
    )
    next_update = this_update.fromisoformat(index["crl_next_update"])
    crl = again.crl("ee-idcard-ca", this_update=this_update, next_update=next_update)
    assert crl == (written / "crl" / "ee-idcard-ca.crl").read_bytes()


def test_key_dir_rejects_a_key_of_the_wrong_type(pki: TestPki, tmp_path: Path) -> None:
    wrong = pki.key("ee-seal").private_bytes(
        Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "tr-root.TEST-ONLY.key.pem").write_bytes(wrong)
    with pytest.raises(ProfileError, match="not of the declared type rsa3072"):
        build_pki(key_dir=tmp_path)


def test_base_url_is_substituted(pki: TestPki) -> None:
    other = build_pki(base_url="http://127.0.0.1:9999")
    dps = other.cert("ee-seal").extensions.get_extension_for_class(x509.CRLDistributionPoints)
    assert dps.value[0].full_name is not None
    assert dps.value[0].full_name[0].value == "http://127.0.0.1:9999/crl/ee-seal-ca.crl"
    assert other.cert("ee-seal").public_key() == pki.cert("ee-seal").public_key()  # cached key


def test_command_line_writes_the_pki(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["write", str(tmp_path / "out")]) == 0
    assert "wrote 28 TEST-ONLY entities" in capsys.readouterr().out
    assert (tmp_path / "out" / "certs" / "az-idcard-signer.pem").is_file()
    bad = tmp_path / "bad.toml"
    bad.write_text("[entities.x]\nrole = 'root'\nwhat = 1\n", encoding="utf-8")
    assert main(["write", str(tmp_path / "out2"), "--declaration", str(bad)]) == 2
    assert capsys.readouterr().err == "error: missing key 'entities.x.key'\n"
