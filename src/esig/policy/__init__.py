"""Validation profiles: what a verification requires and how strictly.

A :class:`ValidationProfile` is a frozen dataclass; :func:`load_profile` reads one from
``profiles/<name>.toml`` (or any path) and rejects unknown keys, naming them. Named constants:
:data:`DEFAULT_PROFILE` (AdES, trusted chain, revocation required, offline).
"""

from __future__ import annotations

from esig.policy._profile import (
    DEFAULT_PROFILE,
    PROFILES_DIR,
    ValidationProfile,
    load_profile,
    parse_profile,
)

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES_DIR",
    "ValidationProfile",
    "load_profile",
    "parse_profile",
]
