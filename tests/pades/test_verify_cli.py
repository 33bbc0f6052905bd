"""``esig verify``: officer text, JSON, exit codes 0 / 1 / 8, trust and time options."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.serialization import Encoding

from esig.cli import verify_cmd
from esig.testing import REFERENCE_TIME, TestPki
from esig.testing.server import PkiServer
from tests.pades._signing import sign_pdf, tiny_pdf

T = REFERENCE_TIME + timedelta(hours=10)
LATER = "2036-06-01T12:00:00Z"


@pytest.fixture(scope="module")
def files(pki: TestPki, pki_server: PkiServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("verify-cli")
    lta = sign_pdf(tiny_pdf(), pki, pki_server, "tr-nes-signer", level="B-LTA", at=T)
    (d / "lta.pdf").write_bytes(lta)
    (d / "tampered.pdf").write_bytes(lta.replace(b"declaration 42", b"declaration 43", 1))
    (d / "bb.pdf").write_bytes(
        sign_pdf(tiny_pdf(), pki, None, "az-idcard-signer", level="B-B", at=T)
    )
    anchors = d / "anchors"
    anchors.mkdir()
    for root in pki.roots():
        name = root.subject.rfc4514_string().replace(",", "_").replace("=", "-")[:40]
        (anchors / f"{name}.pem").write_bytes(root.public_bytes(Encoding.PEM))
    (anchors / "tr-root.der").write_bytes(pki.cert("tr-root").public_bytes(Encoding.DER))
    return d


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(verify_cmd.verify, list(args), standalone_mode=False)
    if result.exception is not None:
        raise result.exception
    return int(result.return_value), result.output


def test_long_term_file_passes_ten_years_later_with_officer_text(files: Path) -> None:
    code, out = run(str(files / "lta.pdf"), "--trust", str(files / "anchors"), "--at", LATER)
    assert code == 0
    assert out.startswith("lta.pdf: TOTAL_PASSED\n")
    assert "Signer:        Ayşe İlkgül Yılmazoğlu" in out
    assert "National ID:   " in out
    assert "Country:       TR" in out
    assert "Level:         B-LTA" in out
    assert "existed by 2026-06-01 10:00:00Z (time-stamp)" in out
    assert "document time-stamp" in out


def test_tampered_file_exits_1_and_says_why(files: Path) -> None:
    code, out = run(str(files / "tampered.pdf"), "--trust", str(files / "anchors"), "--at", LATER)
    assert code == verify_cmd.EXIT_FAILED == 1
    assert "TOTAL_FAILED / HASH_FAILURE" in out
    assert "[cms.digest-mismatch]" in out


def test_indeterminate_exits_8(files: Path) -> None:
    code, out = run(str(files / "bb.pdf"), "--trust", str(files / "anchors"), "--at", LATER)
    assert code == verify_cmd.EXIT_INDETERMINATE == 8
    assert "INDETERMINATE / OUT_OF_BOUNDS_NO_POE" in out


def test_worst_file_decides_and_json_lists_every_report(files: Path) -> None:
    code, out = run(
        str(files / "lta.pdf"),
        str(files / "bb.pdf"),
        str(files / "tampered.pdf"),
        "--trust",
        str(files / "anchors" / "tr-root.der"),
        "--at",
        LATER,
        "--format",
        "json",
    )
    assert code == 1
    reports = json.loads(out)
    assert [r["indication"] for r in reports] == ["TOTAL_PASSED", "INDETERMINATE", "TOTAL_FAILED"]
    # only the TR root is trusted here: the AZ signature has no chain
    assert reports[1]["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND"
    assert reports[0]["validation_time"] == LATER


def test_single_file_json_is_the_report(files: Path) -> None:
    code, out = run(
        str(files / "lta.pdf"), "--trust", str(files / "anchors"), "--at", LATER, "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "esig/validation-report/v1"
    assert data["profile"] == "default"


def test_eu_qes_profile_with_plain_anchors_is_indeterminate(files: Path) -> None:
    code, out = run(
        str(files / "lta.pdf"),
        "--trust",
        str(files / "anchors"),
        "--at",
        LATER,
        "--profile",
        "eu-qes",
        "--offline",
    )
    assert code == 8
    assert "[policy.not-qualified]" in out


def test_missing_trust_is_a_configuration_error(files: Path) -> None:
    from esig.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="--trust"):
        run(str(files / "lta.pdf"))


@pytest.mark.parametrize("at", ["yesterday", "2036-06-01T12:00:00"])
def test_bad_times_are_usage_errors(files: Path, at: str) -> None:
    import click

    with pytest.raises(click.BadParameter):
        run(str(files / "lta.pdf"), "--trust", str(files / "anchors"), "--at", at)


def test_through_main_exit_codes(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from esig.cli import main

    anchors = str(files / "anchors")
    assert main(["verify", str(files / "lta.pdf"), "--trust", anchors, "--at", LATER]) == 0
    assert main(["verify", str(files / "tampered.pdf"), "--trust", anchors, "--at", LATER]) == 1
    assert main(["verify", str(files / "bb.pdf"), "--trust", anchors, "--at", LATER]) == 8
    assert main(["verify", str(files / "missing.pdf"), "--trust", anchors]) == 3
    assert main(["verify", str(files / "lta.pdf")]) == 4
    assert "esig: configuration error: no trust configured" in capsys.readouterr().err
