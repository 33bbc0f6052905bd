"""Fixtures of the trust-store tests: the bundled TEST-ONLY lists, the test PKI, list factories."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from esig.certs import read_certificate
from esig.trust.builder import TrustedListSpec, build_trusted_list, sign_trusted_list
from esig.trust.fetch import MemoryFetcher
from esig.trust.national import description_from_mapping

REPO = Path(__file__).resolve().parents[2]
LISTS = REPO / "trust_lists"
PKI = REPO / "src" / "esig" / "samples" / "pki" / "certs"
BASE = "https://tl.test.invalid"

#: When the tests look at the lists and sign.
LOAD_TIME = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)

LOCATIONS = {
    f"{BASE}/az/az-tl.xml": LISTS / "az" / "az-tl.xml",
    f"{BASE}/tr/tr-tl.xml": LISTS / "tr" / "tr-tl.xml",
    f"{BASE}/mra/eu-recognition.xml": LISTS / "mra" / "eu-recognition.xml",
    f"{BASE}/mra/tr-recognition.xml": LISTS / "mra" / "tr-recognition.xml",
    f"{BASE}/mra/az-recognition.xml": LISTS / "mra" / "az-recognition.xml",
}


def cert(name: str) -> x509.Certificate:
    """A certificate of the bundled test PKI."""
    return x509.load_der_x509_certificate((PKI / f"{name}.der").read_bytes())


def der(name: str) -> bytes:
    return (PKI / f"{name}.der").read_bytes()


def chain(*names: str) -> list[x509.Certificate]:
    return [cert(n) for n in names]


AZ_IDCARD = ("az-idcard-signer", "az-idcard-ca", "az-policy-ca", "az-root")
TR_NES = ("tr-nes-signer", "tr-nes-ca", "tr-root")
EE_IDCARD = ("ee-idcard-signer", "ee-idcard-ca", "ee-root")


def operator_cert(side: str) -> bytes:
    """DER of the TEST-ONLY operator certificate of ``az``, ``tr`` or ``mra`` (EU)."""
    return read_certificate(LISTS / side / "operator" / "operator.TEST-ONLY.cert.pem").der


def sign_spec(spec: TrustedListSpec, side: str) -> bytes:
    """Build ``spec`` and sign it with the TEST-ONLY operator key of ``side``."""
    base = LISTS / side / "operator"
    key = load_pem_private_key((base / "operator.TEST-ONLY.key.pem").read_bytes(), None)
    certificate = x509.load_der_x509_certificate(operator_cert(side))
    return sign_trusted_list(build_trusted_list(spec), key=key, certificate=certificate)  # type: ignore[arg-type]


def sign_spec_xml(xml: bytes, side: str) -> bytes:
    """Sign list XML with the TEST-ONLY operator key of ``side``."""
    base = LISTS / side / "operator"
    key = load_pem_private_key((base / "operator.TEST-ONLY.key.pem").read_bytes(), None)
    certificate = x509.load_der_x509_certificate(operator_cert(side))
    return sign_trusted_list(xml, key=key, certificate=certificate)  # type: ignore[arg-type]


def description(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def operator_names() -> dict[str, bytes]:
    return {f"{s}-operator": operator_cert(s) for s in ("az", "tr")}


def pki_names(*names: str) -> dict[str, bytes]:
    return {n: der(n) for n in names}


@pytest.fixture
def documents() -> dict[str, bytes]:
    """Location -> bytes of every bundled list (a fresh dict per test, so tests may patch it)."""
    return {loc: path.read_bytes() for loc, path in LOCATIONS.items()}


@pytest.fixture
def fetcher(documents: dict[str, bytes]) -> MemoryFetcher:
    return MemoryFetcher(documents)


@pytest.fixture
def recognition_variant() -> Callable[[str, Callable[[dict[str, Any]], None]], bytes]:
    """Rebuild a bundled recognition list (``tr``/``az``/``eu``) after ``edit`` changes its
    description, signed by the same TEST-ONLY operator."""

    def make(side: str, edit: Callable[[dict[str, Any]], None]) -> bytes:
        data = description(LISTS / "mra" / f"{side}-recognition.toml")
        edit(data)
        spec = description_from_mapping(data, operator_names())
        return sign_spec(spec, {"eu": "mra"}.get(side, side))

    return make


@pytest.fixture
def list_variant() -> Callable[[str, Callable[[dict[str, Any]], None]], bytes]:
    """Rebuild the bundled ``az`` or ``tr`` list after ``edit`` changes its description."""

    def make(side: str, edit: Callable[[dict[str, Any]], None]) -> bytes:
        data = description(LISTS / side / f"{side}-tl.toml")
        edit(data)
        names: Mapping[str, bytes] = pki_names(
            *(c for p in data["provider"] for s in p["service"] for c in s["certificates"])
        )
        return sign_spec(description_from_mapping(data, names), side)

    return make
