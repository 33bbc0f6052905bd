"""Mutated signatures end in a verdict or a DocumentError, never a dependency's exception."""

from __future__ import annotations

import contextlib
import random

import pytest
from lxml import etree

from esig.errors import DocumentError, SigningError
from esig.testing import TestPki
from esig.xades import extend_xml, sign_xml, verify_xml
from tests.xades.conftest import DOC, T, revocation, timestamper

SIGNER = "tr-nes-signer"


@pytest.fixture(scope="module")
def signed(pki: TestPki) -> bytes:
    return sign_xml(
        DOC,
        pki.key(SIGNER),
        pki.chain(SIGNER),
        level="B-LTA",
        timestamper=timestamper(pki, SIGNER),
        revocation=revocation(pki, SIGNER),
        signing_time=T,
    )


def _mutate(data: bytes, rnd: random.Random) -> bytes:
    root = etree.fromstring(data)
    el = rnd.choice(list(root.iter()))
    op = rnd.randrange(4)
    parent = el.getparent()
    if op == 0 and parent is not None:
        parent.remove(el)
    elif op == 1 and el.text:
        k = rnd.randrange(len(el.text))
        el.text = el.text[:k] + rnd.choice("A/+=x") + el.text[k + 1 :]
    elif op == 2:
        for name in list(el.attrib):
            el.set(name, rnd.choice(["", "#x", "http://127.0.0.1:9/x", "Id"]))
    else:
        el.text = (el.text or "")[: rnd.randrange(1 + len(el.text or ""))]
    return bytes(etree.tostring(root))


@pytest.mark.parametrize("seed", range(40))
def test_mutations_never_leak_raw_exceptions(pki: TestPki, signed: bytes, seed: int) -> None:
    rnd = random.Random(seed)
    data = signed
    for _ in range(2):
        data = _mutate(data, rnd)
    with contextlib.suppress(DocumentError):
        verify_xml(data, trust=list(pki.roots()), validation_time=T)
    with contextlib.suppress(DocumentError, SigningError):
        extend_xml(
            data, "B-LTA", timestamper=timestamper(pki, SIGNER), revocation=revocation(pki, SIGNER)
        )
