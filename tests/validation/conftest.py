"""Fixtures for validation building-block tests."""

from __future__ import annotations

import pytest

from esig.testing import TestPki, build_pki


@pytest.fixture(scope="session")
def offline_pki() -> TestPki:
    return build_pki()
