"""Fixtures for the signing tests: a TEST-ONLY PKI served on 127.0.0.1 (CRL, OCSP, TSA)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from esig.signing import RevocationMaterial, Signer
from esig.testing import TestPki, build_pki
from esig.testing.documents import simple_pdf
from esig.testing.server import PkiServer

#: Signing uses the real clock (pyHanko stamps the signing time), so the server answers "now".
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="session")
def pki_server() -> Iterator[PkiServer]:
    with PkiServer(now=NOW) as server:
        server.attach(build_pki(base_url=server.base_url))
        yield server


@pytest.fixture(scope="session")
def pki(pki_server: PkiServer) -> TestPki:
    return pki_server.pki


@pytest.fixture(scope="session")
def tsa_url(pki_server: PkiServer) -> str:
    return f"{pki_server.base_url}/tsa/tr-tsa"


@pytest.fixture(scope="session")
def online() -> RevocationMaterial:
    return RevocationMaterial(allow_fetching=True)


def signer_for(pki: TestPki, name: str) -> Signer:
    return Signer.from_key(pki.key(name), pki.cert(name), pki.chain(name)[1:])


@pytest.fixture(scope="session")
def tr_signer(pki: TestPki) -> Signer:
    return signer_for(pki, "tr-nes-signer")


@pytest.fixture
def pdf() -> bytes:
    return simple_pdf()
