"""Profiles: strict TOML loading and the bundled profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from esig import ProfileError, SignatureLevel
from esig.policy import (
    DEFAULT_PROFILE,
    PROFILES_DIR,
    ValidationProfile,
    load_profile,
    parse_profile,
)


def test_bundled_profiles_load() -> None:
    assert load_profile("default") == DEFAULT_PROFILE
    qes = load_profile("eu-qes")
    assert qes.require_qualified
    assert qes.minimum_level is SignatureLevel.B_B
    customs = load_profile("customs-az-tr")
    assert customs.require_qualified
    assert customs.minimum_level is SignatureLevel.B_LT
    assert customs.signer_countries == ("AZ", "TR")
    assert sorted(p.stem for p in PROFILES_DIR.glob("*.toml")) == [
        "customs-az-tr",
        "default",
        "eu-qes",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'red'", "unknown key 'colour'"),
        ("[revocation]\nrequierd = true", "unknown key 'revocation.requierd'"),
        ("[chain]\nbudget = 3", "unknown key 'chain.budget'"),
        ("[revocation]\nrequired = 'yes'", "expected bool"),
        ("[signature]\nminimum_level = 'B-X'", "must be one of B-B, B-T, B-LT, B-LTA"),
        ("[signature]\nsigner_countries = ['Azerbaijan']", "ISO 3166"),
        ("[chain]\npath_budget_seconds = 0", "positive"),
        ("name = ", "cannot read profile"),
    ],
)
def test_bad_profiles_are_rejected_naming_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=message):
        load_profile(path)


def test_unknown_profile_lists_the_bundled_ones() -> None:
    with pytest.raises(ProfileError, match="bundled: customs-az-tr, default, eu-qes"):
        load_profile("nope")


def test_name_defaults_to_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "strict-online.toml"
    path.write_text("[revocation]\nonline = true\n", encoding="utf-8")
    profile = load_profile(path)
    assert profile.name == "strict-online"
    assert profile.online
    assert profile.require_revocation


def test_profiles_are_frozen_and_levels_ordered() -> None:
    p = parse_profile({"signature": {"minimum_level": "B-T"}})
    with pytest.raises(AttributeError):
        p.online = True  # type: ignore[misc]
    assert not p.level_reached(SignatureLevel.B_B)
    assert p.level_reached(SignatureLevel.B_LTA)
    assert ValidationProfile().level_reached(SignatureLevel.B_B)
    assert not ValidationProfile().level_reached(SignatureLevel.NONE)
