"""Mutation fuzzing of ASiC container verification (same harness as tests/attacks/test_fuzz.py).

Whatever the bytes (a ZIP with flipped, inserted, deleted or truncated bytes: central directory,
local headers, deflate streams, names, the signatures file), ``verify_asic`` returns a report or
raises an :class:`~esig.errors.EsigError`; ``zipfile``'s and ``zlib``'s own exceptions never
come out. ``ESIG_FUZZ_EXAMPLES`` sets the number of examples (default 100).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from hypothesis import given

import esig
from esig.asic import verify_asic
from esig.testing import TestPki
from tests.asic.conftest import FILES, SIGNER, asice, signatures_xml
from tests.attacks.test_fuzz import FUZZ, _mutations, mutate
from tests.xades.conftest import T, TrustDouble, revocation

ZIP_TOKENS = [
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"PK\x06\x06",
    b"mimetype",
    b"META-INF/",
    b"../",
    b"\xff\xff\xff\xff",
    b"\x00\x00\x00\x00",
    b"\x08\x00",
    b"\x01\x00",
    b"application/vnd.etsi.asic-e+zip",
    b'URI="note%20one.txt"',
]
COUNTS: Counter[str] = Counter()


@pytest.fixture(scope="module")
def container(pki: TestPki) -> bytes:
    return asice(FILES, signatures_xml(pki, FILES))


@FUZZ
@given(ops=_mutations(ZIP_TOKENS))
def test_fuzz_asic_verification(
    container: bytes, pki: TestPki, trust: TrustDouble, ops: list[tuple[str, int, int, bytes]]
) -> None:
    data = mutate(container, ops)
    try:
        report = verify_asic(
            data,
            trust=trust,
            validation_time=T + timedelta(hours=1),
            revocation=revocation(pki, SIGNER),
        )
    except esig.EsigError as exc:
        COUNTS[type(exc).__name__] += 1
        return
    COUNTS[",".join(sorted({s.indication.value for s in report.signatures})) or "none"] += 1


@pytest.fixture(scope="module", autouse=True)
def _print_counts() -> Iterator[None]:
    yield
    if COUNTS:
        print(f"\nfuzz asic: {sum(COUNTS.values())} inputs: {dict(COUNTS)}")


def test_damaged_deflate_stream_and_version_field_are_document_errors(
    container: bytes, pki: TestPki, trust: TrustDouble
) -> None:
    """Regressions found by the fuzzer: zlib.error from a corrupt deflate stream and
    NotImplementedError from a central-directory "version needed" of 6.4 came out raw."""
    from esig.errors import DocumentError

    corrupt = mutate(container, [("flip", 110, 1, b"PK\x03\x04")])
    central = container.index(b"PK\x01\x02")
    version = container[: central + 6] + b"\x40\x00" + container[central + 8 :]
    for data, message in ((corrupt, "cannot be read"), (version, "not a readable ZIP")):
        with pytest.raises(DocumentError, match=message):
            verify_asic(
                data,
                trust=trust,
                validation_time=T + timedelta(hours=1),
                revocation=revocation(pki, SIGNER),
            )
