"""RFC 5280 initial inputs of path validation: ``validate_chain(pkix_params=...)``."""

from __future__ import annotations

import asyncio

from pyhanko_certvalidator.policy_decl import PKIXValidationParams

from esig import Indication, SubIndication
from esig.testing import REFERENCE_TIME, TestPki
from esig.validation.chain import (
    ACTIVE_CHAIN_CACHE,
    ChainOutcome,
    RevocationMaterial,
    Usage,
    chain_cache_key,
    validate_chain,
)
from esig.validation.chain import _pkix_params_key as pkix_params_key

from .test_chain import a, material

AT = REFERENCE_TIME
LEAF = "tr-nes-signer"
#: the certificate policy of the test PKI's qualified signer (its CA asserts anyPolicy)
SIGNER_POLICY = "2.16.792.1.2.1.1.5.7.1.1"
OTHER_POLICY = "2.16.792.1.2.1.1.5.7.9.9"


def _run(pki: TestPki, params: PKIXValidationParams | None) -> ChainOutcome:
    return asyncio.run(
        validate_chain(
            a(pki.cert(LEAF)),
            anchors=list(pki.roots()),
            material=material(pki, LEAF),
            control_time=AT,
            usage=Usage.SIGNING,
            pkix_params=params,
        )
    )


def _policy_params(*policies: str, explicit: bool = True) -> PKIXValidationParams:
    return PKIXValidationParams(
        user_initial_policy_set=frozenset(policies), initial_explicit_policy=explicit
    )


def test_default_validates_under_any_policy(offline_pki: TestPki) -> None:
    for params in (None, PKIXValidationParams()):
        out = _run(offline_pki, params)
        assert (out.indication, out.sub_indication) == (Indication.TOTAL_PASSED, None)


def test_explicit_policy_outside_the_user_set_fails(offline_pki: TestPki) -> None:
    out = _run(offline_pki, _policy_params(OTHER_POLICY))
    assert (out.indication, out.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    )
    assert [r.code for r in out.reasons] == ["chain.invalid"]
    assert "no valid set of policies for the end-entity certificate" in out.reasons[0].message
    assert out.revocation is None


def test_explicit_policy_in_the_user_set_passes(offline_pki: TestPki) -> None:
    for params in (
        _policy_params(SIGNER_POLICY),
        _policy_params(OTHER_POLICY, SIGNER_POLICY),
        _policy_params("any_policy"),  # initial-explicit-policy alone: some policy is enough
    ):
        out = _run(offline_pki, params)
        assert (out.indication, out.sub_indication) == (Indication.TOTAL_PASSED, None), params


def test_a_user_set_without_explicit_policy_does_not_fail_the_path(
    offline_pki: TestPki,
) -> None:
    """RFC 5280 6.1.5: an empty policy tree fails only where an explicit policy is required."""
    out = _run(offline_pki, _policy_params(OTHER_POLICY, explicit=False))
    assert (out.indication, out.sub_indication) == (Indication.TOTAL_PASSED, None)


class _DictCache:
    def __init__(self) -> None:
        self.items: dict[bytes, ChainOutcome] = {}

    def get(self, key: bytes) -> ChainOutcome | None:
        return self.items.get(key)

    def put(self, key: bytes, outcome: ChainOutcome) -> None:
        self.items[key] = outcome


def test_cached_outcomes_are_kept_apart_per_pkix_params(offline_pki: TestPki) -> None:
    cache = _DictCache()
    token = ACTIVE_CHAIN_CACHE.set(cache)
    try:
        plain = _run(offline_pki, None)
        strict = _run(offline_pki, _policy_params(OTHER_POLICY))
        matching = _run(offline_pki, _policy_params(SIGNER_POLICY))
        strict_again = _run(offline_pki, _policy_params(OTHER_POLICY))
    finally:
        ACTIVE_CHAIN_CACHE.reset(token)
    assert plain.passed
    assert matching.passed
    assert not strict.passed
    assert strict_again is strict  # served from the cache, under its own key
    assert len(cache.items) == 3


def test_cache_key_is_canonical_in_the_policy_set(offline_pki: TestPki) -> None:
    cert, anchors, mat = a(offline_pki.cert(LEAF)), list(offline_pki.roots()), RevocationMaterial()

    def key(params: PKIXValidationParams | None) -> bytes:
        return chain_cache_key(cert, anchors, mat, pkix_params=pkix_params_key(params))

    ordered = PKIXValidationParams(user_initial_policy_set=frozenset(["1.2.3", "1.2.4"]))
    reordered = PKIXValidationParams(user_initial_policy_set=frozenset(["1.2.4", "1.2.3"]))
    assert key(ordered) == key(reordered)
    assert (
        len(
            {
                key(None),
                key(ordered),
                key(PKIXValidationParams(initial_explicit_policy=True)),
                key(PKIXValidationParams(initial_policy_mapping_inhibit=True)),
                key(PKIXValidationParams(initial_any_policy_inhibit=True)),
            }
        )
        == 5
    )


def test_any_policy_inhibit_reaches_path_validation(offline_pki: TestPki) -> None:
    """The test PKI's CA asserts only anyPolicy: inhibited from the start, with an explicit
    policy required, it leaves no valid policy."""
    params = PKIXValidationParams(initial_explicit_policy=True, initial_any_policy_inhibit=True)
    out = _run(offline_pki, params)
    assert (out.indication, out.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.CERTIFICATE_CHAIN_GENERAL_FAILURE,
    )
    assert "no valid set of policies" in out.reasons[0].message


def test_policy_mapping_inhibit_alone_changes_nothing_without_mappings(
    offline_pki: TestPki,
) -> None:
    params = PKIXValidationParams(initial_explicit_policy=True, initial_policy_mapping_inhibit=True)
    assert _run(offline_pki, params).passed
