"""NIST PKITS, x509-limbo and the OpenSSL OCSP vectors through esig's chain engine.

The scores are a baseline: the exact set of disagreeing cases is pinned, split into decisions
(``BY_DESIGN``: the document-signing profile or the algorithm policy rejects a path the suite
accepts) and defects (``xfail(strict=True)`` groups below; each must start passing when the
engine is fixed, and then the baseline moves). Skipped cases carry their reason in
:mod:`esig.conformance._limbo_skips`. PKITS runs every case, with its RFC 5280 initial inputs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from esig.conformance import CaseResult, Expect, Status, run_limbo, run_openssl_ocsp, run_pkits

pytestmark = pytest.mark.corpus

#: case -> the reason code of esig's (intended) rejection
BY_DESIGN = {
    "40104 valid_dsa_signatures_test4": "chain.weak-algorithm",
    "40608 valid_pathlenconstraint_test8": "cert.ca-as-signer",
    "40614 valid_pathlenconstraint_test14": "cert.ca-as-signer",
    "40806 overlapping_policies_test6": "cert.ca-as-signer",
    "40806 overlapping_policies_test6_with_testpol1": "cert.ca-as-signer",
    "41413 valid_onlycontainscacerts_crl_test13": "cert.ca-as-signer",
    "pathlen::validation-ignores-pathlen-in-leaf": "cert.ca-as-signer",
    "rfc5280::no-keyusage": "cert.key-usage",
    "rfc5280::ca-as-leaf": "cert.ca-as-signer",
    "webpki::cryptographydotio-chain": "chain.no-revocation-data",
    "direct_with_intermediate_success": "chain.weak-algorithm",
    "direct_success": "chain.weak-algorithm",
    "delegated_with_intermediate_success": "chain.weak-algorithm",
    "delegated_success": "chain.weak-algorithm",
}

#: Inputs on which the dependencies raise (ValueError, RecursionError, NotImplementedError,
#: TypeError, DuplicateExtension); validate_chain turns each into an INDETERMINATE outcome
#: (chain.unprocessable). Where the case must fail, that is agreement.
CRASHES = [
    "40105 valid_dsa_parameter_inheritance_test5",  # cryptography ValueError (DSA params inherited)
    "invalid::invalid-issuer-key",  # asn1crypto ValueError
    "pathological::nc-dos-1",  # RecursionError
    "pathological::nc-dos-3",  # RecursionError
    "rfc5280::nc::nc-permits-invalid-ip-san",  # NotImplementedError
    "rfc5280::nc::nc-forbids-othername",  # TypeError
    "rfc5280::nc::nc-forbids-othername-noop",  # TypeError
    "rfc5280::duplicate-extensions",  # cryptography DuplicateExtension
]
#: ... of which these must pass: the refusal is a defect (DSA parameter inheritance:
#: cryptography cannot read a DSA key without domain parameters; an otherName the
#: name-constraint code cannot compare). PKITS 4.1.5 would still be refused if it were read: its
#: path is signed with dsa-with-sha1 by 1024-bit DSA keys, which the algorithm policy refuses
#: (like 4.1.4); only the reason, chain.unprocessable instead of chain.weak-algorithm, is off.
UNPROCESSABLE_VALID = [
    "40105 valid_dsa_parameter_inheritance_test5",
    "rfc5280::nc::nc-forbids-othername-noop",
]
WEAK_KEYS = [
    "webpki::forbidden-weak-rsa-in-leaf",
    "webpki::forbidden-dsa-leaf",
    "webpki::forbidden-p192-leaf",
    "webpki::forbidden-p192-root",
    "webpki::explicit-curve",
    "webpki::forbidden-rsa-key-not-divisible-by-8-in-leaf",
    "webpki::forbidden-rsa-not-divisible-by-8-in-root",
]
NAME_CONSTRAINTS = [
    "cve::cve-2025-61727",
    "pathological::nc-dos-2",
    *(
        f"rfc5280::nc::{n}"
        for n in (
            "permitted-dns-mismatch",
            "permitted-dns-match-noncritical",
            "excluded-dns-match-second",
            "permitted-ip-mismatch",
            "excluded-ipv4-match",
            "excluded-ipv6-match",
            "permitted-dn-mismatch",
            "excluded-dn-match",
            "permitted-dn-match-subject-san-mismatch",
            "excluded-dn-match-sub-mismatch",
            "excluded-self-issued-leaf",
            "excluded-match-permitted-and-excluded",
            "invalid-dnsname-wildcard",
            "invalid-dnsname-leading-period",
            "invalid-ipv4-address",
            "invalid-ipv6-address",
            "not-allowed-in-ee-noncritical",
            "not-allowed-in-ee-critical",
            "intermediate-with-san-rejected-by-root-nc",
            "nc-permits-invalid-dns-san",
            "nc-forbids-dnsname-wildcard-san",
        )
    ),
    "webpki::nc::intermediate-permitted-excluded-subtrees-both-null",
    "webpki::nc::intermediate-permitted-excluded-subtrees-both-empty-sequences",
]
CA_PROFILE = [
    "rfc5280::root-missing-basic-constraints",
    "rfc5280::root-non-critical-basic-constraints",
    "rfc5280::root-inconsistent-ca-extensions",
    "rfc5280::unknown-critical-extension-root",
    "rfc5280::validity::expired-root",
    "rfc5280::ca-empty-subject",
    "rfc5280::leaf-ku-keycertsign",
    "rfc5280::ee-critical-aia-invalid",
    "rfc5280::pc::ica-noncritical-pc",
]
CRL_RULES = ["crl::crlnumber-missing", "crl::crlnumber-critical"]
ENCODING_RULES = [
    "rfc5280::aki::critical-aki",
    "rfc5280::aki::leaf-missing-aki",
    "rfc5280::aki::intermediate-missing-aki",
    "rfc5280::aki::cross-signed-root-missing-aki",
    "rfc5280::ski::root-missing-ski",
    "rfc5280::ski::intermediate-missing-ski",
    "rfc5280::serial::too-long",
    "rfc5280::serial::zero",
    "rfc5280::san::noncritical-with-empty-subject",
    "rfc5280::san::underscore-dns",
    "rfc5280::san::ip-in-dns",
    "webpki::aki::root-with-aki-missing-keyidentifier",
    "webpki::aki::root-with-aki-authoritycertissuer",
    "webpki::aki::root-with-aki-authoritycertserialnumber",
    "webpki::aki::root-with-aki-all-fields",
    "webpki::aki::root-with-aki-ski-mismatch",
]
REJECTS_VALID = ["rfc5280::validity::notafter-fractional"]
DEFECTS = [
    *UNPROCESSABLE_VALID,
    *WEAK_KEYS,
    *NAME_CONSTRAINTS,
    *CA_PROFILE,
    *CRL_RULES,
    *ENCODING_RULES,
    *REJECTS_VALID,
]


@pytest.fixture(scope="module")
def results(corpus: Path) -> dict[str, CaseResult]:
    rows = run_pkits(corpus) + run_limbo(corpus) + run_openssl_ocsp(corpus)
    return {r.case: r for r in rows}


def _counts(results: dict[str, CaseResult], suite: str) -> dict[str, int]:
    return dict(Counter(r.status.value for r in results.values() if r.suite == suite))


def test_scores(results: dict[str, CaseResult]) -> None:
    assert _counts(results, "pkits") == {"agree": 239, "disagree": 7}
    assert _counts(results, "x509-limbo") == {"agree": 81, "disagree": 65, "skipped": 62}
    assert _counts(results, "openssl-ocsp") == {"agree": 25, "disagree": 4}


def test_every_disagreement_is_known(results: dict[str, CaseResult]) -> None:
    disagree = {c for c, r in results.items() if r.status is Status.DISAGREE}
    assert disagree == set(BY_DESIGN) | set(DEFECTS)
    assert len(DEFECTS) == len(set(DEFECTS))


@pytest.mark.parametrize("case", sorted(BY_DESIGN))
def test_by_design_rejections(results: dict[str, CaseResult], case: str) -> None:
    result = results[case]
    assert result.got.endswith(f"({BY_DESIGN[case]})")
    assert result.reason.startswith("by design: ")


#: Every PKITS disagreement, with the reason code of esig's rejection: five CA certificates in the
#: signer's place (EN 319 412-2 document-signing profile; the path itself validates: RFC 5280
#: processing alone accepts all five), SHA-1/DSA-1024 refused by the algorithm policy (4.1.4), and
#: 4.1.5 (see UNPROCESSABLE_VALID).
PKITS_EXCEPTIONS = {
    "40104 valid_dsa_signatures_test4": "chain.weak-algorithm",
    "40105 valid_dsa_parameter_inheritance_test5": "chain.unprocessable",
    "40608 valid_pathlenconstraint_test8": "cert.ca-as-signer",
    "40614 valid_pathlenconstraint_test14": "cert.ca-as-signer",
    "40806 overlapping_policies_test6": "cert.ca-as-signer",
    "40806 overlapping_policies_test6_with_testpol1": "cert.ca-as-signer",
    "41413 valid_onlycontainscacerts_crl_test13": "cert.ca-as-signer",
}


def test_pkits_disagreements_are_the_reasoned_exceptions(results: dict[str, CaseResult]) -> None:
    disagree = {
        c: r.got.rsplit("(", 1)[-1].rstrip(")")
        for c, r in results.items()
        if r.suite == "pkits" and r.status is Status.DISAGREE
    }
    assert disagree == PKITS_EXCEPTIONS
    assert all(results[c].expect is Expect.PASS for c in PKITS_EXCEPTIONS)


def test_pkits_initial_policy_inputs_decide_the_policy_cases(
    results: dict[str, CaseResult],
) -> None:
    """Cases that differ only in their initial inputs (same certificates) get opposite verdicts,
    each as PKITS expects."""
    pairs = [
        (
            "40801 all_certs_same_policy_test1_with_constraints1",
            "40801 all_certs_same_policy_test1_with_constraint_mismatch",
        ),
        (
            "40801 all_certs_same_policy_test1_with_constraint_mismatch_ignored",
            "40801 all_certs_same_policy_test1_with_constraint_mismatch",
        ),
        (
            "41001 valid_policy_mapping_test2_with_testpol1",
            "41001 valid_policy_mapping_test2_inhibit_mapping_testpol1",
        ),
        (
            "41003 valid_policy_mapping_test3_with_testpol2",
            "41003 valid_policy_mapping_test3_with_testpol1",
        ),
        ("40814 any_policy_test14_with_testpol1", "40814 any_policy_test14_with_testpol2"),
    ]
    for valid, invalid in pairs:
        assert (results[valid].expect, results[valid].status) == (Expect.PASS, Status.AGREE)
        assert (results[invalid].expect, results[invalid].status) == (Expect.FAIL, Status.AGREE)
        assert results[valid].got == "TOTAL_PASSED"
        assert results[invalid].got.endswith("(chain.invalid)"), results[invalid].got


def test_skips_have_reasons(results: dict[str, CaseResult]) -> None:
    skipped = [r for r in results.values() if r.status is Status.SKIPPED]
    assert len(skipped) == 62
    assert all(r.reason for r in skipped)


def _agree(results: dict[str, CaseResult], cases: list[str]) -> list[str]:
    return [f"{c}: {results[c].got}" for c in cases if results[c].status is not Status.AGREE]


@pytest.mark.parametrize("case", CRASHES)
def test_chain_engine_never_raises_a_dependency_exception(
    results: dict[str, CaseResult], case: str
) -> None:
    assert not results[case].got.startswith("CRASH"), results[case].got


@pytest.mark.xfail(
    strict=True,
    reason="the chain engine accepts RSA-1024, DSA, P-192, explicit-curve and odd-size RSA keys "
    "in leaves and roots (SECURITY.md: weak keys must be rejected)",
)
def test_weak_keys_in_chains_are_rejected(results: dict[str, CaseResult]) -> None:
    assert _agree(results, WEAK_KEYS) == []


@pytest.mark.xfail(
    strict=True,
    reason="name constraints are not enforced in these cases (constraints on the trust "
    "anchor, DN/IP/DNS subtrees, malformed constraints, constraints in an end entity)",
)
def test_name_constraints_are_enforced(results: dict[str, CaseResult]) -> None:
    assert _agree(results, NAME_CONSTRAINTS) == []


@pytest.mark.xfail(
    strict=True,
    reason="CA/anchor profile not checked: root without (critical) basicConstraints, unknown "
    "critical extension in the root, expired root, empty CA subject, keyCertSign in a leaf, "
    "critical AIA, non-critical policyConstraints",
)
def test_ca_and_anchor_profile_is_enforced(results: dict[str, CaseResult]) -> None:
    assert _agree(results, CA_PROFILE) == []


@pytest.mark.xfail(
    strict=True, reason="a CRL without cRLNumber, or with a critical cRLNumber, is accepted"
)
def test_crl_profile_is_enforced(results: dict[str, CaseResult]) -> None:
    assert _agree(results, CRL_RULES) == []


@pytest.mark.xfail(
    strict=True,
    reason="RFC 5280 encoding rules not checked: AKI/SKI presence and criticality, zero or "
    "over-long serial numbers, malformed SAN entries",
)
def test_rfc5280_encoding_rules_are_enforced(results: dict[str, CaseResult]) -> None:
    assert _agree(results, ENCODING_RULES) == []


@pytest.mark.xfail(
    strict=True,
    reason="valid path rejected: limbo notAfter with fractional seconds",
)
def test_valid_paths_are_accepted(results: dict[str, CaseResult]) -> None:
    assert _agree(results, REJECTS_VALID) == []
