"""The memoised RFC 4518 preparation gives asn1crypto's results and errors, and is in use."""

from __future__ import annotations

import pytest
from asn1crypto import x509 as asn1_x509
from hypothesis import given, settings
from hypothesis import strategies as st

import esig.validation  # noqa: F401  (installs it)
from esig.validation import _nameprep

SAMPLES = [
    "AZ TEST Daxili İşlər Sertifikat Xidmətləri Mərkəzi",
    "  Kamu  SM\u00a0Mali Mühür ",
    "soft\u00adhyphen",
    "ﬁligree",  # NFKC
    "private \ue000 use",  # prohibited: ValueError
    "unassigned \U000e0fff",
]


def _both(string: str) -> tuple[object, object]:
    assert _nameprep._original is not None

    def run(fn: object) -> object:
        try:
            return ("ok", fn(None, string))  # type: ignore[operator]
        except ValueError as exc:
            return ("error", str(exc))

    return run(asn1_x509.NameTypeAndValue._ldap_string_prep), run(_nameprep._original)


@pytest.mark.parametrize("string", SAMPLES)
def test_same_as_asn1crypto(string: str) -> None:
    cached, original = _both(string)
    assert cached == original
    assert _both(string)[0] == original  # from the cache the second time


@settings(max_examples=500, derandomize=True)
@given(st.text(max_size=40))
def test_same_as_asn1crypto_on_any_text(string: str) -> None:
    cached, original = _both(string)
    assert cached == original


def test_installed_and_names_still_compare() -> None:
    assert asn1_x509.NameTypeAndValue._ldap_string_prep is _nameprep._ldap_string_prep
    a = asn1_x509.Name.build({"common_name": "Rəşad  Ağayev", "country_name": "AZ"})
    b = asn1_x509.Name.build({"common_name": "rəşad ağayev", "country_name": "AZ"})
    c = asn1_x509.Name.build({"common_name": "Rəşad Ağayeva", "country_name": "AZ"})
    assert a == b  # case and space folding of RFC 4518
    assert a != c
