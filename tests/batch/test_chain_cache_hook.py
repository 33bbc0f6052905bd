"""The chain-outcome cache hook of esig.validation.chain: used only while set, keyed by inputs."""

from __future__ import annotations

from datetime import timedelta

import esig
from esig.batch import ChainCache
from esig.signing import Signer, sign_pdf
from esig.testing import REFERENCE_TIME, build_pki
from esig.testing.documents import simple_pdf
from esig.validation.chain import ACTIVE_CHAIN_CACHE


def test_cache_is_consulted_only_while_active_and_gives_the_same_verdict() -> None:
    pki = build_pki()
    signer = Signer.from_key(
        pki.key("tr-nes-signer"), pki.cert("tr-nes-signer"), pki.chain("tr-nes-signer")[1:]
    )
    signed = sign_pdf(simple_pdf(), signer, check_revocation=False, at=REFERENCE_TIME)
    when = REFERENCE_TIME + timedelta(hours=1)
    roots = list(pki.roots())
    plain = esig.verify(signed, trust=roots, validation_time=when)

    cache = ChainCache()
    token = ACTIVE_CHAIN_CACHE.set(cache)
    try:
        first = esig.verify(signed, trust=roots, validation_time=when)
        second = esig.verify(signed, trust=roots, validation_time=when)
        other_time = esig.verify(signed, trust=roots, validation_time=when + timedelta(days=1))
    finally:
        ACTIVE_CHAIN_CACHE.reset(token)
    verdicts = {
        (r.signatures[0].indication, r.signatures[0].sub_indication)
        for r in (plain, first, second, other_time)
    }
    assert len(verdicts) == 1  # the cache never changes a verdict
    assert cache.hits >= 1  # the second verification reused the first's path outcome
    misses = cache.misses
    esig.verify(signed, trust=roots, validation_time=when)  # no cache active: not consulted
    assert cache.misses == misses
