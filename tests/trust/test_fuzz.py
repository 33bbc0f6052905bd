"""Mutated lists: the parser and the verifier fail closed (a model, a verdict or TrustListError)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esig.errors import TrustListError
from esig.trust import parse_trusted_list, verify_trusted_list
from tests.trust import _tlgen

_BASE = _tlgen.tl_xml()
_KEY, _CERT = _tlgen.make_signer("Fuzz signer")
_SIGNED = _tlgen.sign(_BASE, _KEY, _CERT)
_PINNED = [_tlgen.der(_CERT)]


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for position, length, replacement in edits:
        at = position % max(len(out), 1)
        out[at : at + length] = replacement
    return bytes(out)


_EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=len(_SIGNED)),
        st.integers(min_value=0, max_value=8),
        st.binary(max_size=8) | st.sampled_from([b"<", b">", b"&", b'"', b"<!--", b"]]>", b"\x00"]),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_EDITS)
def test_parser_fails_closed(edits: list[tuple[int, int, bytes]]) -> None:
    with contextlib.suppress(TrustListError):
        parse_trusted_list(_mutate(_BASE, edits))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_EDITS)
def test_verifier_fails_closed(edits: list[tuple[int, int, bytes]]) -> None:
    data = _mutate(_SIGNED, edits)
    try:
        result = verify_trusted_list(
            data, signing_certificates=_PINNED, validation_time=datetime(2026, 6, 1, tzinfo=UTC)
        )
    except TrustListError:
        return
    if data != _SIGNED and result.usable:
        # Only edits c14n ignores (whitespace in tags, the XML declaration...) may keep it usable,
        # and then the model is that of the signed list.
        assert result.trusted_list is not None
        assert result.trusted_list.providers == parse_trusted_list(_BASE).providers


def test_truncations_fail_closed() -> None:
    for cut in range(0, len(_SIGNED), max(1, len(_SIGNED) // 97)):
        try:
            result = verify_trusted_list(
                _SIGNED[:cut],
                signing_certificates=_PINNED,
                validation_time=datetime(2026, 6, 1, tzinfo=UTC),
            )
        except TrustListError:
            continue
        assert result.usable is False
