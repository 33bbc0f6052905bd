"""Mutation fuzzing of the certificate reader: only CertificateError may escape.

asn1crypto raises KeyError/AttributeError/IndexError/TypeError on mutated certificates and
cryptography raises its own exception types (SECURITY.md); esig must turn every one of them
into a CertificateError or read the certificate. CI runs a short smoke run; set
``ESIG_FUZZ_EXAMPLES`` (e.g. 20000) for a longer one.
"""

from __future__ import annotations

import contextlib
import os
from importlib import resources

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esig.certs import read_certificate, read_certificates
from esig.errors import CertificateError

EXAMPLES = int(os.environ.get("ESIG_FUZZ_EXAMPLES", "300"))
_CERTS = resources.files("esig") / "samples" / "pki" / "certs"
SEEDS = [
    _CERTS.joinpath(f"{name}.der").read_bytes()
    for name in ("az-idcard-signer", "tr-nes-signer", "tr-malimuhur-seal", "ee-idcard-signer")
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        pos = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set":
            data[pos] = draw(st.sampled_from([0x00, 0x80, 0x81, 0x82, 0xFF, 0x7F, 0x30, 0x05]))
        elif kind == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=4))
        elif kind == "delete" and len(data) > 2:
            del data[pos]
        elif kind == "truncate":
            data = data[: max(pos, 1)]
    return bytes(data)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 300,  # CI: reproducible; long runs explore
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated())
def test_mutated_certificates_are_read_or_refused(data: bytes) -> None:
    try:
        infos = read_certificates(data)
    except CertificateError:
        return
    for info in infos:
        assert info.der  # what was read keeps its bytes
        _ = info.to_dict()  # and can be rendered


@settings(max_examples=EXAMPLES // 3, deadline=None, derandomize=EXAMPLES <= 300)
@given(st.binary(max_size=512))
def test_random_bytes_are_refused_cleanly(data: bytes) -> None:
    with contextlib.suppress(CertificateError):
        read_certificate(data)
