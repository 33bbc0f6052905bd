"""A PDF signed by esig.signing.sign_pdf on the TEST PKI (B-B), and the honest verdict on it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509

from esig.signing import Signer, sign_pdf
from esig.testing import TestPki, build_pki
from esig.testing.documents import simple_pdf

#: pyHanko stamps the real clock into the signature; verification runs five minutes later.
SIGNED_AT = datetime.now(UTC).replace(microsecond=0)
AT = SIGNED_AT + timedelta(minutes=5)


@dataclass(frozen=True)
class SignedPdf:
    data: bytes
    roots: tuple[x509.Certificate, ...]
    byte_range: tuple[int, int, int, int]
    contents_at: int  # offset of "/Contents <"
    contents_end: int  # offset of the closing ">" of the /Contents hex string


@pytest.fixture(scope="session")
def attack_pki() -> TestPki:
    return build_pki()


@pytest.fixture(scope="session")
def signed_pdf(attack_pki: TestPki) -> SignedPdf:
    name = "tr-nes-signer"
    signer = Signer.from_key(
        attack_pki.key(name), attack_pki.cert(name), attack_pki.chain(name)[1:]
    )
    data = sign_pdf(simple_pdf(), signer, check_revocation=False, at=SIGNED_AT)
    match = re.search(rb"/ByteRange\s*\[([^\]]*)\]", data)
    assert match is not None
    a, b, c, d = (int(x) for x in match.group(1).split())
    contents = re.search(rb"/Contents\s*<", data)
    assert contents is not None
    end = data.index(b">", contents.end())
    assert (b, c) == (contents.end() - 1, end + 1)  # the gap is exactly the hex string
    return SignedPdf(data, tuple(attack_pki.roots()), (a, b, c, d), contents.start(), end)
