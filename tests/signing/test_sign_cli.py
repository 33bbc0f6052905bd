"""``esig sign`` / ``esig extend``: one line per outcome, exit codes, files left intact."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from esig.cli import main
from esig.testing import TEST_PASSWORD, TestPki
from esig.testing.server import PkiServer

from ._pyhanko_check import pyhanko_offline_from_dss, pyhanko_statuses


@pytest.fixture
def files(tmp_path: Path, pdf: bytes, pki: TestPki) -> dict[str, Path]:
    src = tmp_path / "declaration.pdf"
    src.write_bytes(pdf)
    p12 = tmp_path / "officer.p12"
    p12.write_bytes(pki.pkcs12("ee-idcard-signer", TEST_PASSWORD))
    root = tmp_path / "root.pem"
    from cryptography.hazmat.primitives.serialization import Encoding

    root.write_bytes(pki.cert("ee-root").public_bytes(Encoding.PEM))
    tsa_root = tmp_path / "tsa-root.pem"
    tsa_root.write_bytes(pki.cert("tr-root").public_bytes(Encoding.PEM))
    return {
        "src": src,
        "p12": p12,
        "root": root,
        "tsa-root": tsa_root,
        "out": tmp_path / "signed.pdf",
    }


def test_sign_b_lt_with_pkcs12_then_extend_to_b_lta(
    files: dict[str, Path],
    pki: TestPki,
    tsa_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ESIG_PKCS12_PASSWORD", TEST_PASSWORD)
    before = hashlib.sha256(files["src"].read_bytes()).hexdigest()
    code = main(
        [
            "sign",
            str(files["src"]),
            str(files["out"]),
            "--pkcs12",
            str(files["p12"]),
            "--level",
            "B-LT",
            "--tsa",
            tsa_url,
            "--root",
            str(files["tsa-root"]),
            "--reason",
            "export declaration",
            "--visible",
        ]
    )
    out, err = capsys.readouterr()
    assert err == ""
    assert code == 0
    assert out.startswith(f"signed {files['src']} -> {files['out']} at B-LT by key of ")
    assert hashlib.sha256(files["src"].read_bytes()).hexdigest() == before
    signed = files["out"].read_bytes()
    assert pyhanko_statuses(signed, pki.roots()) == [(True, True, True)]
    extended = files["out"].with_name("archived.pdf")
    code = main(
        [
            "extend",
            str(files["out"]),
            str(extended),
            "--tsa",
            tsa_url,
            "--root",
            str(files["root"]),
            "--root",
            str(files["tsa-root"]),
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert extended.read_bytes().startswith(signed)
    assert pyhanko_offline_from_dss(extended.read_bytes(), pki.roots()) == (True, True)


def test_wrong_password_is_one_line_exit_5_and_no_output(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ESIG_PKCS12_PASSWORD", "wrong")
    code = main(["sign", str(files["src"]), str(files["out"]), "--pkcs12", str(files["p12"])])
    _, err = capsys.readouterr()
    assert code == 5
    assert err == (
        "esig: signing error: cannot open the PKCS#12 file: wrong password or not a PKCS#12 file\n"
    )
    assert not files["out"].exists()


def test_non_pdf_input_is_exit_3(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ESIG_PKCS12_PASSWORD", TEST_PASSWORD)
    files["src"].write_bytes(b"PK\x03\x04 a zip archive")
    code = main(
        [
            "sign",
            str(files["src"]),
            str(files["out"]),
            "--pkcs12",
            str(files["p12"]),
            "--offline",
            "--no-revocation-check",
        ]
    )
    _, err = capsys.readouterr()
    assert (code, err) == (3, "esig: input error: not a PDF document (no %PDF- header)\n")
    assert files["src"].read_bytes() == b"PK\x03\x04 a zip archive"
    assert not files["out"].exists()


def test_key_source_is_required(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sign", str(files["src"]), str(files["out"])])
    _, err = capsys.readouterr()
    assert code == 2
    assert "give either --pkcs12 FILE or --pkcs11-lib LIB --token --key" in err


def test_sign_ubl_invoice_b_lt_then_verify_offline_years_later(
    files: dict[str, Path],
    pki: TestPki,
    pki_server: PkiServer,
    tsa_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from datetime import timedelta

    from lxml import etree

    from .conftest import NOW

    invoice = files["src"].with_name("invoice.xml")
    invoice.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"'
        b' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        b"<cbc:ID>TST2026000000001</cbc:ID><cbc:IssueDate>2026-11-23</cbc:IssueDate></Invoice>"
    )
    signed = files["src"].with_name("invoice-signed.xml")
    monkeypatch.setenv("ESIG_PKCS12_PASSWORD", TEST_PASSWORD)
    # the CLI signs at the real time: the TSA must not answer with the session's start time
    monkeypatch.setattr(pki_server, "follow_clock", True)
    code = main(
        [
            "sign",
            str(invoice),
            str(signed),
            "--pkcs12",
            str(files["p12"]),
            "--level",
            "B-LT",
            "--tsa",
            tsa_url,
            "--root",
            str(files["tsa-root"]),
        ]
    )
    _, err = capsys.readouterr()
    assert err == ""
    assert code == 0
    root = etree.fromstring(signed.read_bytes())
    ns = {
        "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
        "ds": "http://www.w3.org/2000/09/xmldsig#",
    }
    # UBL-TR placement: the signature sits in the first UBL extension
    assert (
        len(
            root.findall("ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature", ns)
        )
        == 1
    )
    roots = files["src"].with_name("roots.pem")
    from cryptography.hazmat.primitives.serialization import Encoding

    roots.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c in pki.roots()))
    at = (NOW + timedelta(days=3650)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code = main(["verify", str(signed), "--trust", str(roots), "--at", at, "--offline"])
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "invoice-signed.xml: TOTAL_PASSED", out
    assert (code, err) == (0, "")
