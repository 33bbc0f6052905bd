"""``esig tl``: build, sign, show, verify, refresh (offline, through --mirror and the cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from esig.cli import main
from tests.trust_store.conftest import BASE, LISTS, PKI

AZ_OP = str(LISTS / "az" / "operator" / "operator.TEST-ONLY.cert.pem")
TR_OP = str(LISTS / "tr" / "operator" / "operator.TEST-ONLY.cert.pem")
AZ_KEY = str(LISTS / "az" / "operator" / "operator.TEST-ONLY.key.pem")
AT = ["--at", "2026-06-01T12:00:00Z"]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_sign_verify_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unsigned, signed = tmp_path / "az.xml", tmp_path / "az-signed.xml"
    certs = [f"--cert={PKI / n}.der" for n in ("az-root", "az-tsa", "az-idcard-ca", "az-mobile-ca")]
    code, out, _ = _run(
        capsys, "tl", "build", str(LISTS / "az" / "az-tl.toml"), *certs, "-o", str(unsigned)
    )
    assert code == 0
    assert out == f"wrote {unsigned}: AZ sequence 1, 4 service(s), 0 pointer(s) (unsigned)\n"
    code, out, _ = _run(
        capsys, "tl", "sign", str(unsigned), "--key", AZ_KEY, "--cert", AZ_OP, "-o", str(signed)
    )
    assert code == 0
    assert out.startswith(f"wrote {signed}: signed by CN=AZ TEST Trusted List")
    code, out, _ = _run(capsys, "tl", "verify", str(signed), "--pin", AZ_OP, *AT)
    assert (code, out) == (0, "signature:  VALID, list usable at 2026-06-01T12:00:00+00:00\n")
    code, out, _ = _run(capsys, "tl", "verify", str(unsigned), "--pin", AZ_OP, *AT)
    assert code == 1
    assert "NOT USABLE" in out
    assert "reason:   tl.unsigned:" in out
    code, out, _ = _run(capsys, "tl", "verify", str(signed), "--pin", TR_OP, *AT)
    assert code == 1
    assert "tl.unexpected-signer" in out
    code, out, _ = _run(capsys, "tl", "show", str(signed), "--pin", AZ_OP, *AT)
    assert code == 0
    assert "sequence:   1\n" in out
    assert "issued:     2026-01-01T00:00:00+00:00   next update: 2027-12-31T00:00:00+00:00" in out
    assert (
        "service:    AZ TEST ID Card Issuing CA [CA/QC] granted at 2026-06-01T12:00:00+00:00" in out
    )


def test_show_recognition_list_without_pin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "tl", "show", str(LISTS / "mra" / "tr-recognition.xml"), *AT)
    assert code == 0
    assert "signature:  not checked (give --pin CERT to verify)" in out
    assert (
        f"pointer:    AZ {BASE}/az/az-tl.xml  MRA TR -> AZ: QCForESig enacted since "
        "2025-01-01T00:00:00+00:00"
    ) in out


def test_refresh_mirror_then_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    args = [
        "tl",
        "refresh",
        "--lotl",
        f"{BASE}/mra/tr-recognition.xml",
        "--pin",
        TR_OP,
        "--pin",
        AZ_OP,
        "--cache",
        str(cache),
        *AT,
    ]
    mirrors = [
        f"--mirror={BASE}/mra/tr-recognition.xml={LISTS / 'mra' / 'tr-recognition.xml'}",
        f"--mirror={BASE}/az/az-tl.xml={LISTS / 'az' / 'az-tl.xml'}",
    ]
    code, out, _ = _run(capsys, *args, *mirrors)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("usable    lotl          TR  seq 1 issued 2026-01-01T00:00:00")
    assert lines[2].startswith("usable    third-country AZ  seq 1 issued 2026-01-01T00:00:00")
    assert "          recognised by TR (MRA)" in lines
    code, offline, _ = _run(capsys, *args, "--offline")
    assert (code, offline) == (0, out)


def test_refresh_reports_rejected_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "tl",
        "refresh",
        "--list",
        f"{BASE}/az/az-tl.xml",
        "--pin",
        TR_OP,
        "--cache",
        str(tmp_path),
        f"--mirror={BASE}/az/az-tl.xml={LISTS / 'az' / 'az-tl.xml'}",
        *AT,
    )
    assert code == 1
    assert out.splitlines()[0].startswith("REJECTED  trusted-list  AZ  seq 1")
    assert "reason: tl.unexpected-signer:" in out


def test_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(
        capsys, "tl", "build", str(LISTS / "az" / "az-tl.toml"), "-o", str(tmp_path / "x.xml")
    )
    assert code == 4
    assert "configuration error: " in err
    assert "'az-root' was not given" in err
    code, _, err = _run(capsys, "tl", "refresh", "--pin", AZ_OP, "--cache", str(tmp_path))
    assert code == 4
    assert "give at least one --lotl, --list or --eu-lotl source" in err
    code, _, err = _run(
        capsys, "tl", "sign", AZ_OP, "--key", AZ_OP, "--cert", AZ_OP, "-o", str(tmp_path / "y.xml")
    )
    assert code == 3
    assert "not a usable PEM private key" in err
    code, _, err = _run(capsys, "tl", "verify", AZ_KEY, "--pin", AZ_OP, "--at", "yesterday")
    assert code == 2


def test_refresh_eu_lotl_needs_the_official_anchors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the TEST EU recognition list is not signed by a key announced in the Official Journal
    url = f"{BASE}/mra/eu-recognition.xml"
    code, out, _ = _run(
        capsys,
        "tl",
        "refresh",
        "--eu-lotl",
        url,
        "--cache",
        str(tmp_path),
        f"--mirror={url}={LISTS / 'mra' / 'eu-recognition.xml'}",
        *AT,
    )
    assert code == 1
    assert out.startswith("REJECTED  lotl          EU  seq 1")
    assert "reason: lotl." in out
