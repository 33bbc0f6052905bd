"""Validation profiles: what a verification requires and how strictly.

A :class:`ValidationProfile` is a frozen dataclass; :func:`load_profile` reads one from
``profiles/<name>.toml`` (or any path) and rejects unknown keys, naming them. Named constants:
:data:`DEFAULT_PROFILE` (AdES, trusted chain, revocation required, offline).

:class:`AlgorithmPolicy` (in :mod:`esig.policy.algorithms`) holds the end dates of digest
algorithms and keys (ETSI TS 119 312); :data:`ETSI_TS_119_312` is the default one.
"""

from __future__ import annotations

from esig.policy._profile import (
    DEFAULT_PROFILE,
    PROFILES_DIR,
    ValidationProfile,
    load_profile,
    parse_profile,
)
from esig.policy.algorithms import ETSI_TS_119_312, AlgorithmPolicy

__all__ = [
    "DEFAULT_PROFILE",
    "ETSI_TS_119_312",
    "PROFILES_DIR",
    "AlgorithmPolicy",
    "ValidationProfile",
    "load_profile",
    "parse_profile",
]
