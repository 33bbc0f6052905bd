"""Fixtures of the XAdES tests: the test PKI, a time-stamper, revocation data, a trust double."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from lxml import etree

from esig.report import CertificateQualification, SignatureQualification
from esig.testing import TestPki, build_pki
from esig.trust.source import QualificationOutcome
from esig.xades import RevocationData

#: Signing time of the tests (every test-PKI leaf is valid, the revoked ones revoked).
T = datetime(2026, 6, 1, 10, 0, 0, tzinfo=UTC)
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
NS = {"ds": DS, "xades": XADES}
DOC = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Declaration xmlns="urn:test:customs">'
    b'<Goods Id="goods"><Item>Tea</Item><Value currency="AZN">100</Value></Goods>'
    b"<Note>hello</Note></Declaration>"
)

TSA = {"az": "az-tsa", "tr": "tr-tsa", "ee": "ee-tsa"}


@dataclass(frozen=True)
class TrustDouble:
    """A TrustSource double: the given roots as anchors; qualification a fixed answer."""

    roots: tuple[x509.Certificate, ...]
    outcome: SignatureQualification = SignatureQualification.QESIG

    def anchors(self, at: datetime) -> Sequence[x509.Certificate]:
        return self.roots

    def qualify(
        self, chain: Sequence[x509.Certificate], *, signing_time: datetime
    ) -> QualificationOutcome:
        return QualificationOutcome(
            signature=self.outcome,
            at_issuance=CertificateQualification.QC_FOR_ESIG_QSCD,
            at_signing=CertificateQualification.QC_FOR_ESIG_QSCD,
            service="TEST",
        )


@pytest.fixture(scope="session")
def pki() -> TestPki:
    return build_pki()


@pytest.fixture(scope="session")
def trust(pki: TestPki) -> TrustDouble:
    return TrustDouble(pki.roots())


def tsa_for(signer: str) -> str:
    return TSA[signer.split("-")[0]]


def timestamper(pki: TestPki, signer: str, at: datetime = T) -> Callable[[bytes], bytes]:
    tsa = tsa_for(signer)
    return lambda data: pki.timestamp_token(data, at=at + timedelta(minutes=1), tsa=tsa)


def revocation(pki: TestPki, signer: str, at: datetime = T) -> RevocationData:
    """CRLs of every CA of the signer's and its TSA's hierarchies, issued at ``at``."""
    names = [
        *pki.declaration.chain_names(signer)[1:],
        *pki.declaration.chain_names(tsa_for(signer))[1:],
    ]
    crls = tuple(
        pki.crl(ca, this_update=at, next_update=at + timedelta(days=30))
        for ca in dict.fromkeys(names)
    )
    return RevocationData(crls=crls, certificates=pki.chain(tsa_for(signer)))


def resign(signed: bytes, key: object, mutate: Callable[[etree._Element], None]) -> bytes:
    """Apply ``mutate`` to the (first) signature, then recompute its SignatureValue.

    Used to build legacy or hostile signatures whose SignedInfo is validly signed.
    """
    root = etree.fromstring(signed)
    sig = root if root.tag == f"{{{DS}}}Signature" else next(root.iter(f"{{{DS}}}Signature"))
    mutate(sig)
    si = sig.find("ds:SignedInfo", NS)
    assert si is not None
    data = etree.tostring(si, method="c14n")
    if isinstance(key, rsa.RSAPrivateKey):
        value = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    else:
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        size = (key.curve.key_size + 7) // 8
        algo: hashes.HashAlgorithm = hashes.SHA256()
        if key.curve.key_size > 256:
            algo = hashes.SHA384()
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(algo)))
        value = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    sv = sig.find("ds:SignatureValue", NS)
    assert sv is not None
    sv.text = base64.b64encode(value).decode()
    return bytes(etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how the XAdES corpus rows agreed with their stated expectation."""
    from tests.xades import _tally

    if not _tally.COUNTS:
        return
    counts = ", ".join(f"{k}={v}" for k, v in sorted(_tally.COUNTS.items()))
    terminalreporter.write_line(f"XAdES corpus: {counts}")
    for kind in ("unsupported", "disagree"):
        for row in _tally.ROWS[kind]:
            terminalreporter.write_line(f"  {kind}: {row}")
