"""The command line: one clear line and a documented exit code for every failure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from esig.cli import main
from tests.conftest import REPO_ROOT


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_commands_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0
    assert "cert" in out
    assert "demo" in out
    assert "3 unusable input" in " ".join(out.split())


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "cert", "show", "--bogus")
    assert code == 2
    assert err.startswith("esig: ")
    assert err.count("\n") == 1


def test_missing_file_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "cert", "show", "/nonexistent/card.pem")
    assert (code, out) == (3, "")
    assert err == "esig: input error: no such file: /nonexistent/card.pem\n"


@pytest.mark.parametrize(
    "content",
    [b"", b"<html><body>not a certificate</body></html>", b"\x30\x82\x05\x00garbage", b"\x00" * 64],
)
def test_garbage_is_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "card.pem"
    path.write_bytes(content)
    code, out, err = _run(capsys, "cert", "show", str(path))
    assert code == 3
    assert out == ""
    assert err.startswith("esig: input error: ")
    assert err.count("\n") == 1
    assert path.read_bytes() == content  # never changed


def test_internal_errors_are_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import esig.certs

    def boom(*_args: object, **_kw: object) -> object:
        raise KeyError("surprise")

    monkeypatch.setattr(esig.certs, "read_certificate", boom)
    path = tmp_path / "c.pem"
    path.write_bytes(b"x")
    code, _, err = _run(capsys, "cert", "show", str(path))
    assert code == 70
    assert err.startswith("esig: internal error (KeyError): ")
    assert err.count("\n") == 1


def test_demo_explains_every_bundled_sample(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "demo", "--certificates")
    assert (code, err) == (0, "")
    assert out.count("== ") == 4
    assert "Rəşad Ağayev" in out  # Azerbaijani letters survive
    assert "TCKN" in out
    assert "VKN" in out
    assert "PNO" in out


def test_cert_show_json_is_valid_json(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib import resources

    sample = resources.files("esig") / "samples" / "pki" / "certs" / "tr-nes-signer.pem"
    code, out, _ = _run(capsys, "cert", "show", str(sample), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["national_id"]["scheme"] == "TCKN"


def test_console_script_runs_as_a_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.der"
    bad.write_bytes(b"\x30\x03\x02\x01")
    proc = subprocess.run(
        [sys.executable, "-m", "esig", "cert", "show", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("esig: input error: ")


def test_demo_signs_and_verifies_the_sample_declaration_offline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from esig import verify
    from esig.report import Indication, SignatureLevel, SignatureQualification

    signed = tmp_path / "declaration-signed.pdf"
    code, out, err = _run(capsys, "demo", "--output", str(signed))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "document: TOTAL_PASSED" in lines
    assert "    Level:         B-LTA" in lines
    assert "    Qualification: QESig" in lines
    assert "    National ID:   FIN 5ZJBKQG" in lines
    # the written file is the signed declaration: without the Turkish recognition of the
    # Azerbaijani list (trusting only the signer's root directly) it is not qualified
    from esig.testing import build_pki

    roots = build_pki(key_dir=str(REPO_ROOT / "src/esig/samples/pki/keys")).roots()
    report = verify(signed, trust=list(roots))
    (first, *_rest) = report.signatures
    assert first.indication is Indication.TOTAL_PASSED
    assert first.level is SignatureLevel.B_LTA
    assert first.qualification is not SignatureQualification.QESIG
