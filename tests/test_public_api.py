"""The public surface stays small, sorted and honest (STYLE.md item 1)."""

from __future__ import annotations

import importlib

import pytest

import esig
from esig import errors

PUBLIC_MODULES = ["esig", "esig.errors", "esig.report", "esig.certs", "esig.trust"]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_unique_and_resolves(name: str) -> None:
    # Ordering is ruff's job (RUF022); here: no duplicates and nothing that does not exist.
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(exported) == len(set(exported))
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []


def test_every_error_is_an_esig_error_and_input_errors_are_value_errors() -> None:
    classes = [getattr(errors, n) for n in errors.__all__]
    assert all(issubclass(c, esig.EsigError) for c in classes)
    input_errors = {c.__name__ for c in classes if issubclass(c, errors.InputError)}
    assert input_errors == {
        "InputError",
        "CertificateError",
        "DocumentError",
        "TrustListError",
        "ProfileError",
    }
    assert all(issubclass(getattr(errors, n), ValueError) for n in input_errors)
    assert not issubclass(errors.ConfigurationError, ValueError)
    assert issubclass(errors.TokenError, errors.SigningError)


def test_error_tree_docstring_names_every_class() -> None:
    doc = errors.__doc__ or ""
    for name in errors.__all__:
        assert name in doc, f"{name} missing from the tree in esig.errors' docstring"
