"""Signing profiles: what a signature made by esig looks like, from ``profiles/signing/*.toml``.

A :class:`SigningProfile` fixes the level, the digest algorithm, the time-stamping authority,
whether revocation must be checked online, the reason and location shown in PDF readers, and
whether a visible stamp is drawn. The loader is strict: an unknown table or key is an error
that names it. ``esig sign --profile NAME`` uses it; options given on the command line win.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from esig.errors import ProfileError
from esig.policy._profile import PROFILES_DIR, read_profile_toml
from esig.report import SignatureLevel

__all__ = ["SIGNING_PROFILES_DIR", "SigningProfile", "load_signing_profile"]

SIGNING_PROFILES_DIR = PROFILES_DIR / "signing"
_DIGESTS = ("sha256", "sha384", "sha512")
_LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


@dataclass(frozen=True)
class SigningProfile:
    """How to sign.

    Fields:
        name, description: for people and logs.
        level: B-B, B-T, B-LT or B-LTA.
        digest: sha256, sha384 or sha512 (the message digest of the signature).
        tsa_url: the time-stamping authority (needed from B-T on), or None.
        online: fetch OCSP/CRL data from the certificates' URLs (revocation check, B-LT data).
        check_revocation: refuse when the certificate's status cannot be established.
        reason, location: shown by PDF readers (PAdES only).
        visible_stamp: draw a stamp with the signer's name, national identifier and time.
    """

    name: str = "default"
    description: str = "PAdES/XAdES B-T, revocation checked online"
    level: SignatureLevel = SignatureLevel.B_T
    digest: str = "sha256"
    tsa_url: str | None = None
    online: bool = True
    check_revocation: bool = True
    reason: str | None = None
    location: str | None = None
    visible_stamp: bool = False

    def __post_init__(self) -> None:
        if self.digest not in _DIGESTS:
            raise ProfileError(f"digest must be one of {', '.join(_DIGESTS)}")
        if self.level not in (SignatureLevel(v) for v in _LEVELS):
            raise ProfileError(f"level must be one of {', '.join(_LEVELS)}")


# TOML layout: table -> key -> (field, type)
_SCHEMA: dict[str, dict[str, tuple[str, type]]] = {
    "": {"name": ("name", str), "description": ("description", str)},
    "signature": {
        "level": ("level", str),
        "digest": ("digest", str),
        "reason": ("reason", str),
        "location": ("location", str),
        "visible_stamp": ("visible_stamp", bool),
    },
    "timestamp": {"tsa_url": ("tsa_url", str)},
    "revocation": {"online": ("online", bool), "check": ("check_revocation", bool)},
}


def parse_signing_profile(data: Mapping[str, Any], *, source: str) -> SigningProfile:
    """A profile from parsed TOML; unknown tables and keys raise :class:`ProfileError`."""
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SCHEMA and key and isinstance(value, Mapping):
            table, items = key, list(value.items())
        elif key in _SCHEMA[""]:
            table, items = "", [(key, value)]
        else:
            raise ProfileError(f"{source}: unknown key {key!r}")
        for sub, subvalue in items:
            dotted = f"{table}.{sub}" if table else sub
            if sub not in _SCHEMA[table]:
                raise ProfileError(f"{source}: unknown key {dotted!r}")
            field_name, expected = _SCHEMA[table][sub]
            if not isinstance(subvalue, expected):
                raise ProfileError(f"{source}: {dotted}: expected {expected.__name__}")
            fields[field_name] = subvalue
    if "level" in fields:
        if fields["level"] not in _LEVELS:
            raise ProfileError(f"{source}: signature.level must be one of {', '.join(_LEVELS)}")
        fields["level"] = SignatureLevel(fields["level"])
    try:
        return SigningProfile(**fields)
    except ProfileError as exc:
        raise ProfileError(f"{source}: {exc}") from None


def load_signing_profile(name_or_path: str | Path) -> SigningProfile:
    """``profiles/signing/<name>.toml`` (a bundled name) or a TOML file path.

    :raises ProfileError: unknown profile, unreadable file, bad TOML, unknown key, bad value.
    """
    path, data = read_profile_toml(name_or_path, SIGNING_PROFILES_DIR, "signing profile")
    profile = parse_signing_profile(data, source=path.name)
    if "name" not in data:
        profile = SigningProfile(**{**profile.__dict__, "name": path.stem})
    return profile
