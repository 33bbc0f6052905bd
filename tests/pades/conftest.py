"""Fixtures for PAdES tests: one TEST-ONLY PKI served on 127.0.0.1 per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from esig.testing import REFERENCE_TIME, TestPki, build_pki
from esig.testing.server import PkiServer


@pytest.fixture(scope="session")
def pki_server() -> Iterator[PkiServer]:
    with PkiServer(now=REFERENCE_TIME) as server:
        server.attach(build_pki(base_url=server.base_url))
        yield server


@pytest.fixture(scope="session")
def pki(pki_server: PkiServer) -> TestPki:
    return pki_server.pki
