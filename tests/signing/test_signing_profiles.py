"""Signing profiles: strict loading, bundled profiles, and the CLI applying them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from esig.cli import main
from esig.errors import ProfileError
from esig.policy.signing import SIGNING_PROFILES_DIR, SigningProfile, load_signing_profile
from esig.report import SignatureLevel
from esig.testing import TEST_PASSWORD, TestPki


def test_bundled_signing_profiles_load_with_exact_values() -> None:
    assert sorted(p.stem for p in SIGNING_PROFILES_DIR.glob("*.toml")) == [
        "customs-export",
        "e-invoice-tr",
        "internal-b-b",
    ]
    export = load_signing_profile("customs-export")
    assert export == SigningProfile(
        name="customs-export",
        description="Customs export documents: B-LTA, SHA-256, revocation checked and embedded",
        level=SignatureLevel.B_LTA,
        digest="sha256",
        tsa_url=None,
        online=True,
        check_revocation=True,
        reason="Customs declaration",
        location=None,
        visible_stamp=True,
    )
    assert load_signing_profile("e-invoice-tr").level is SignatureLevel.B_T


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[signature]\nlevle = 'B-T'\n", "unknown key 'signature.levle'"),
        ("[stamp]\nvisible = true\n", "unknown key 'stamp'"),
        ("[signature]\nlevel = 'B-X'\n", "signature.level must be one of B-B, B-T, B-LT, B-LTA"),
        ("[signature]\ndigest = 'md5'\n", "digest must be one of sha256, sha384, sha512"),
        ("[revocation]\nonline = 'yes'\n", "revocation.online: expected bool"),
        ("name = [", "cannot read signing profile"),
    ],
)
def test_strict_loader_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ProfileError, match=message.replace("[", r"\[").replace(".", r"\.")):
        load_signing_profile(path)


def test_unknown_profile_lists_the_bundled_ones() -> None:
    with pytest.raises(ProfileError, match=r"bundled: customs-export, e-invoice-tr, internal-b-b"):
        load_signing_profile("no-such-profile")


def test_cli_profile_sets_level_digest_and_stamp(
    tmp_path: Path,
    pdf: bytes,
    pki: TestPki,
    tsa_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    profile = tmp_path / "sha384-lt.toml"
    profile.write_text(
        "[signature]\nlevel = 'B-LT'\ndigest = 'sha384'\nreason = 'Export'\n"
        f"[timestamp]\ntsa_url = '{tsa_url}'\n"
    )
    src, out = tmp_path / "in.pdf", tmp_path / "out.pdf"
    src.write_bytes(pdf)
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(pki.pkcs12("tr-malimuhur-seal", TEST_PASSWORD))
    monkeypatch.setenv("ESIG_PKCS12_PASSWORD", TEST_PASSWORD)
    code = main(["sign", str(src), str(out), "--pkcs12", str(p12), "--profile", str(profile)])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    assert " at B-LT by " in captured.out
    sig = PdfFileReader(io.BytesIO(out.read_bytes())).embedded_regular_signatures[0]
    assert sig.md_algorithm == "sha384"
    assert sig.sig_object["/Reason"] == "Export"
