"""The profile dataclass and its strict TOML loader."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from esig.errors import ProfileError
from esig.policy.algorithms import ETSI_TS_119_312, AlgorithmPolicy, parse_algorithm_policy
from esig.report import SignatureLevel

__all__ = ["DEFAULT_PROFILE", "PROFILES_DIR", "ValidationProfile", "load_profile", "parse_profile"]

#: ``profiles/`` at the top of the source tree (where the bundled profiles live).
PROFILES_DIR = Path(__file__).resolve().parents[3] / "profiles"

_LEVEL_ORDER = (
    SignatureLevel.NONE,
    SignatureLevel.B_B,
    SignatureLevel.B_T,
    SignatureLevel.B_LT,
    SignatureLevel.B_LTA,
)


@dataclass(frozen=True)
class ValidationProfile:
    """What a verification requires. Secure by default: every field's default is the strict one.

    Fields:
        name: the profile's name, recorded in the report.
        description: one sentence for people.
        require_revocation: every certificate of the signer's chain (but the anchor) needs
            revocation data (OCSP or CRL) valid at the control time; without it the verdict is
            INDETERMINATE/TRY_LATER.
        online: fetch missing OCSP responses and CRLs from the URLs in the certificates. Off by
            default: embedded data (DSS/VRI, revocation attributes) only.
        minimum_level: the baseline level a signature must reach (``B-B`` .. ``B-LTA``); a lower
            one gives INDETERMINATE/SIG_CONSTRAINTS_FAILURE.
        require_qualified: the trust source must say the signature is qualified (QESig, QESeal
            or QES?); otherwise INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE.
        signer_countries: when not empty, the signer's certificate country must be one of these
            (ISO 3166 codes); otherwise INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE.
        path_budget_seconds: wall-clock budget for building and validating one certificate path.
        max_same_subject: at most this many candidate issuer certificates with one subject name
            are considered (attacker-supplied certificate sets cannot blow up path building).
        algorithms: end dates of digest algorithms and keys, applied to every cryptographic
            element at its proof-of-existence time (EN 319 102-1 5.2.8); default
            :data:`esig.policy.algorithms.ETSI_TS_119_312`. TOML table ``[algorithms]``.
    """

    name: str = "default"
    description: str = "AdES: chain to a configured anchor, revocation required, embedded data only"
    require_revocation: bool = True
    online: bool = False
    minimum_level: SignatureLevel = SignatureLevel.B_B
    require_qualified: bool = False
    signer_countries: tuple[str, ...] = ()
    path_budget_seconds: float = 5.0
    max_same_subject: int = 4
    algorithms: AlgorithmPolicy = ETSI_TS_119_312

    def __post_init__(self) -> None:
        if not isinstance(self.signer_countries, tuple):
            raise TypeError("signer_countries must be a tuple")
        if self.path_budget_seconds <= 0:
            raise ProfileError("path_budget_seconds must be positive")
        if self.max_same_subject < 1:
            raise ProfileError("max_same_subject must be at least 1")

    def level_reached(self, level: SignatureLevel) -> bool:
        """True when ``level`` is at least :attr:`minimum_level`."""
        return _LEVEL_ORDER.index(level) >= _LEVEL_ORDER.index(self.minimum_level)


DEFAULT_PROFILE = ValidationProfile()

# TOML layout: table -> key -> (field name, expected type)
_SCHEMA: dict[str, dict[str, tuple[str, type]]] = {
    "": {"name": ("name", str), "description": ("description", str)},
    "revocation": {"required": ("require_revocation", bool), "online": ("online", bool)},
    "signature": {
        "minimum_level": ("minimum_level", str),
        "require_qualified": ("require_qualified", bool),
        "signer_countries": ("signer_countries", list),
    },
    "chain": {
        "path_budget_seconds": ("path_budget_seconds", float),
        "max_same_subject": ("max_same_subject", int),
    },
}


def _check_type(where: str, value: object, expected: type) -> object:
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is int and isinstance(value, bool):
        raise ProfileError(f"{where}: expected an integer, got {value!r}")
    if not isinstance(value, expected):
        raise ProfileError(f"{where}: expected {expected.__name__}, got {value!r}")
    return value


def parse_profile(data: Mapping[str, Any], *, source: str = "<profile>") -> ValidationProfile:
    """Build a profile from parsed TOML; unknown tables or keys raise :class:`ProfileError`."""
    fields: dict[str, Any] = {}
    for key, value in data.items():
        items: list[tuple[str, Any]]
        if key == "algorithms" and isinstance(value, Mapping):
            fields["algorithms"] = parse_algorithm_policy(value, source=source)
            continue
        if key in _SCHEMA and key != "" and isinstance(value, Mapping):
            table, items = key, list(value.items())
        elif key in _SCHEMA[""]:
            table, items = "", [(key, value)]
        else:
            raise ProfileError(f"{source}: unknown key {key!r}")
        for sub, subvalue in items:
            where = f"{source}: {table + '.' if table else ''}{sub}"
            if sub not in _SCHEMA[table]:
                raise ProfileError(
                    f"{source}: unknown key {(table + '.' if table else '') + sub!r}"
                )
            field_name, expected = _SCHEMA[table][sub]
            fields[field_name] = _check_type(where, subvalue, expected)
    if "minimum_level" in fields:
        try:
            fields["minimum_level"] = SignatureLevel(fields["minimum_level"])
        except ValueError:
            allowed = ", ".join(lv.value for lv in _LEVEL_ORDER[1:])
            raise ProfileError(
                f"{source}: signature.minimum_level must be one of {allowed}"
            ) from None
    if "signer_countries" in fields:
        countries = fields["signer_countries"]
        if not all(isinstance(c, str) and len(c) == 2 for c in countries):
            raise ProfileError(f"{source}: signature.signer_countries must be ISO 3166 codes")
        fields["signer_countries"] = tuple(c.upper() for c in countries)
    return ValidationProfile(**fields)


def read_profile_toml(
    name_or_path: str | Path, directory: Path, kind: str
) -> tuple[Path, dict[str, Any]]:
    """The TOML of ``<directory>/<name>.toml`` (a bundled name) or of a file path.

    :raises ProfileError: unknown name (listing the bundled ones), unreadable file, bad TOML.
    """
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = directory / f"{name_or_path}.toml"
    try:
        return path, tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        bundled = sorted(p.stem for p in directory.glob("*.toml"))
        raise ProfileError(
            f"no {kind} {str(name_or_path)!r} (bundled: {', '.join(bundled) or 'none'})"
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read {kind}: {exc}") from exc


def load_profile(name_or_path: str | Path) -> ValidationProfile:
    """Load ``profiles/<name>.toml`` (a bundled name such as ``eu-qes``) or a TOML file path.

    :raises ProfileError: unknown profile, unreadable file, bad TOML, unknown key, bad value.
    """
    path, data = read_profile_toml(name_or_path, PROFILES_DIR, "profile")
    profile = parse_profile(data, source=path.name)
    if "name" not in data:
        profile = ValidationProfile(**{**_as_fields(profile), "name": path.stem})
    return profile


def _as_fields(profile: ValidationProfile) -> dict[str, Any]:
    return {f: getattr(profile, f) for f in profile.__dataclass_fields__}
