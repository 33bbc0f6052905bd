"""Trust configuration files: strict loading, and `esig verify --trust CONFIG.toml` end to end."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from esig._demo import run_demo
from esig.cli import main
from esig.errors import ConfigurationError
from esig.trust.config import is_trust_config, load_trust_config
from esig.trust.national import NationalCaBundle
from esig.trust.store import LotlSource, TrustedListSource
from tests.trust_store.conftest import LISTS, LOAD_TIME, PKI

TR_CONFIG = LISTS / "tr-customs.toml"
AZ_CONFIG = LISTS / "az-customs.toml"


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, datetime]:
    """The demo declaration signed by the AZ officer (B-LTA), and a time to verify it at."""
    result = run_demo()
    path = tmp_path_factory.mktemp("demo") / "declaration-signed.pdf"
    path.write_bytes(result.signed_pdf)
    return path, max(datetime.now(UTC), result.signed_at) + timedelta(minutes=1)


def _verify(
    capsys: pytest.CaptureFixture[str], path: Path, trust: Path, at: datetime
) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(
        [
            "verify",
            str(path),
            "--trust",
            str(trust),
            "--profile",
            "customs-az-tr",
            "--at",
            at.isoformat(),
            "--format",
            "json",
        ]
    )
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_bundled_configurations_load(tmp_path: Path) -> None:
    for path, side in ((TR_CONFIG, "TR"), (AZ_CONFIG, "AZ")):
        config = load_trust_config(path)
        assert [type(s) for s in config.sources] == [TrustedListSource, LotlSource]
        assert config.cache is None
        store = config.load_store(LOAD_TIME)
        assert store.problems == ()
        assert [(x.kind, x.territory) for x in store.lists] == [
            ("trusted-list", side),
            ("lotl", side),
            ("third-country", "AZ" if side == "TR" else "TR"),
        ]
    assert is_trust_config(TR_CONFIG)
    assert not is_trust_config(PKI / "tr-root.der")


@pytest.mark.parametrize("config", [TR_CONFIG, AZ_CONFIG])
def test_verify_with_a_trust_configuration_reports_qesig(
    signed: tuple[Path, datetime], config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, at = signed
    code, report, err = _verify(capsys, path, config, at)
    assert (code, err) == (0, "")
    sig = report["signatures"][0]
    assert (sig["indication"], sig["sub_indication"]) == ("TOTAL_PASSED", None)
    assert (sig["level"], sig["qualification"]) == ("B-LTA", "QESig")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "trust.toml"
    path.write_text(text.replace("@LISTS@", str(LISTS)), encoding="utf-8")
    return path


TR_ONLY = """
[mirrors]
"https://tl.test.invalid/tr/tr-tl.xml" = "@LISTS@/tr/tr-tl.xml"

[[trusted_list]]
location = "https://tl.test.invalid/tr/tr-tl.xml"
pins = ["@LISTS@/tr/operator/operator.TEST-ONLY.cert.pem"]
"""


def test_without_the_recognition_list_the_az_signer_is_not_trusted(
    signed: tuple[Path, datetime], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, at = signed
    code, report, _ = _verify(capsys, path, _write(tmp_path, TR_ONLY), at)
    sig = report["signatures"][0]
    assert code == 8
    assert (sig["indication"], sig["sub_indication"]) == (
        "INDETERMINATE",
        "NO_CERTIFICATE_CHAIN_FOUND",
    )


def test_a_tampered_list_is_not_used_and_the_cli_says_so(
    signed: tuple[Path, datetime], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, at = signed
    tampered = tmp_path / "az-tl.xml"
    tampered.write_bytes(
        (LISTS / "az" / "az-tl.xml")
        .read_bytes()
        .replace(b"<SchemeTerritory>AZ<", b"<SchemeTerritory>TR<")
    )
    text = TR_CONFIG.read_text(encoding="utf-8").replace('"az/az-tl.xml"', f'"{tampered}"')
    config = tmp_path / "tr.toml"
    config.write_text(text, encoding="utf-8")
    for name in ("tr", "mra"):
        (tmp_path / name).symlink_to(LISTS / name)
    code, report, err = _verify(capsys, path, config, at)
    assert err == (
        "warning: trusted list https://tl.test.invalid/az/az-tl.xml not used "
        "(tl.signature-invalid: a signed part of the trusted list was modified)\n"
    )
    sig = report["signatures"][0]
    assert code == 8
    assert (sig["indication"], sig["sub_indication"]) == (
        "INDETERMINATE",
        "NO_CERTIFICATE_CHAIN_FOUND",
    )


def test_national_bundle_and_cache(tmp_path: Path) -> None:
    config = _write(
        tmp_path,
        """
cache = "tl-cache"

[[national]]
territory = "AZ"
operator = "AZ customs, local configuration"
[[national.ca]]
certificate = "@PKI@/az-root.der"
status_start = 2024-01-01T00:00:00Z
type = "CA/QC"
""".replace("@PKI@", str(PKI)),
    )
    loaded = load_trust_config(config)
    (bundle,) = loaded.sources
    assert isinstance(bundle, NationalCaBundle)
    assert bundle.cas[0].status.endswith("/Svcstatus/granted")
    assert loaded.cache == tmp_path / "tl-cache"
    store = loaded.load_store(LOAD_TIME)
    assert [(x.kind, x.territory) for x in store.lists] == [("national", "AZ")]
    assert len(store.anchors(LOAD_TIME)) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[[lotl]]\nlocation = 'x'\npins = ['a.pem']\nterritory = 'AZ'\n",
            "unknown key(s) territory",
        ),
        ("[[trusted_list]]\nlocation = 'x'\n", "'pins' names no certificate"),
        ("[[trusted_list]]\npins = ['a.pem']\n", "missing 'location'"),
        ("[[trusted_list]]\nlocation = 'x'\npins = ['missing.pem']\n", "pin missing.pem"),
        (
            "[[trusted_list]]\nlocation = 'x'\npins = ['@LISTS@/tr/operator/operator.TEST-ONLY"
            ".cert.pem']\npolicy = 'lax'\n",
            "'lax' is not one of legacy, strict",
        ),
        ("cache = 'c'\n", "no source"),
        ("sources = 1\n", "unknown key(s) sources"),
        ("[mirrors]\nx = 1\n[[eu_lotl]]\nlocation = 'x'\n", "[mirrors] maps locations"),
        ("[[national]]\nterritory = 'AZ'\noperator = 'x'\n", "no [[national.ca]]"),
        ("this is not toml", "cannot read the trust configuration"),
    ],
)
def test_strict_loading(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        load_trust_config(_write(tmp_path, text))
    assert message in str(info.value)


def test_cli_refuses_a_bad_configuration_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _write(tmp_path, "[[lotl]]\nlocation = 'x'\npins = ['a.pem']\nextra = 1\n")
    code = main(["verify", str(config), "--trust", str(config)])
    out, err = capsys.readouterr()
    assert (code, out) == (4, "")
    assert err.strip().count("\n") == 0
    assert "unknown key(s) extra" in err
