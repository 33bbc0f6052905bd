"""Fixtures for the TEST-ONLY PKI generator's tests: one PKI built per session."""

from __future__ import annotations

import pytest

from esig.testing import TestPki, build_pki


@pytest.fixture(scope="session")
def pki() -> TestPki:
    return build_pki()
