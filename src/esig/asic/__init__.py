"""ASiC containers (ETSI EN 319 162-1) with XAdES signatures: ASiC-E (and Estonian BDOC), ASiC-S.

:func:`verify_asic` reads a container from bytes, safely (in memory, under limits, hostile ZIPs
refused) and verifies every signature of ``META-INF/*signatures*.xml`` against the container's
files; :func:`verify_asic_detailed` also says which files each signature covers.
:func:`read_container` only reads. CAdES signatures, time-stamp tokens and evidence records in
ASiC, ODF and ADOC containers are refused with :class:`UnsupportedContainerError`, and so is
DDOC (an XML container) by :func:`check_not_ddoc`, which :func:`esig.verify` applies.
See ``docs/asic.md``.
"""

from __future__ import annotations

from esig.asic._container import (
    ASIC_E,
    ASIC_S,
    DEFAULT_LIMITS,
    AsicLimitError,
    AsicLimits,
    Container,
    UnsupportedContainerError,
    check_not_ddoc,
    read_container,
)
from esig.asic._verify import AsicVerification, verify_asic, verify_asic_detailed

__all__ = [
    "ASIC_E",
    "ASIC_S",
    "DEFAULT_LIMITS",
    "AsicLimitError",
    "AsicLimits",
    "AsicVerification",
    "Container",
    "UnsupportedContainerError",
    "check_not_ddoc",
    "read_container",
    "verify_asic",
    "verify_asic_detailed",
]
