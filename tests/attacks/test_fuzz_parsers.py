"""Mutation fuzzing of certificate reading and trusted-list parsing (see test_fuzz.py).

``esig.read_certificate`` may only return a reading or raise an EsigError (CertificateError);
``esig.trust.parse_trusted_list`` a list or an EsigError (TrustListError). Seeds: a TEST PKI
signing certificate (DER, with QC statements and national identifiers) and a generated v6
trusted list. ``ESIG_FUZZ_EXAMPLES`` sets the number of examples (default 100).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import given

import esig
from esig.testing import TestPki
from esig.trust import parse_trusted_list
from tests.trust._tlgen import tl_xml

from .test_fuzz import FUZZ, XML_TOKENS, _mutations, mutate

DER_TOKENS = [
    b"\x30\x80", b"\x30\x00", b"\x06\x03\x55\x1d\x13", b"\x01\x01\xff", b"\x02\x00",
    b"\x02\x01\x00",
    b"\x04\x82\xff\xff", b"\x03\x01\x00", b"\xa0\x03\x02\x01\x05", b"\x17\x0d", b"\x18\x0f",
    b"\x0c\x00", b"\x13\x01\xff", b"\x00", b"\xff\xff\xff\xff",
]  # fmt: skip

COUNTS: dict[str, Counter[str]] = {"certificate": Counter(), "trusted-list": Counter()}


@pytest.fixture(scope="module")
def certificate_der(attack_pki: TestPki) -> bytes:
    return attack_pki.cert("tr-nes-signer").public_bytes(Encoding.DER)


@pytest.fixture(scope="module", autouse=True)
def _print_counts() -> Iterator[None]:
    yield
    for target, counts in COUNTS.items():
        if counts:
            print(f"\nfuzz {target}: {sum(counts.values())} inputs: {dict(counts)}")


@FUZZ
@given(ops=_mutations(DER_TOKENS))
def test_fuzz_certificate_reading(
    certificate_der: bytes, ops: list[tuple[str, int, int, bytes]]
) -> None:
    data = mutate(certificate_der, ops)
    try:
        esig.read_certificate(data)
    except esig.EsigError as exc:
        COUNTS["certificate"][type(exc).__name__] += 1
        return
    COUNTS["certificate"]["read"] += 1


TRUSTED_LIST = tl_xml()


@FUZZ
@given(ops=_mutations(XML_TOKENS))
def test_fuzz_trusted_list_parsing(ops: list[tuple[str, int, int, bytes]]) -> None:
    data = mutate(TRUSTED_LIST, ops)
    try:
        parse_trusted_list(data)
    except esig.EsigError as exc:
        COUNTS["trusted-list"][type(exc).__name__] += 1
        return
    COUNTS["trusted-list"]["parsed"] += 1
