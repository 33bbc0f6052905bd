"""NIST PKITS, x509-limbo and the OpenSSL OCSP vectors through esig's chain engine.

The scores are a baseline: the exact set of disagreeing cases is pinned, split into decisions
(``BY_DESIGN``: the algorithm policy rejects an OCSP vector the suite accepts) and defects
(``DEFECTS``: none left). PKITS runs as RFC 5280 path validation in its own algorithm context;
the paths esig's document-signing profile refuses are pinned separately. The
x509-limbo groups that esig's own RFC 5280 checks decide (name constraints, CA and end-entity
profile, CRL profile, weak keys) are pinned with the finding code of each refusal. Skipped cases
carry their reason in :mod:`esig.conformance._limbo_skips`. PKITS runs every case, with its
RFC 5280 initial inputs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from esig.conformance import CaseResult, Expect, Status, run_limbo, run_openssl_ocsp, run_pkits
from esig.conformance._limbo_skips import CASES

pytestmark = pytest.mark.corpus

#: case -> the reason code of esig's (intended) rejection. The x509-limbo cases esig refuses
#: on purpose (a CA or a certificate without key usage as the signer, a web-server chain without
#: revocation data) are skipped with that reason instead: x509-limbo tests RFC 5280 path
#: validation, and these refusals are the document-signing profile's.
BY_DESIGN = {
    "direct_with_intermediate_success": "chain.weak-algorithm",
    "direct_success": "chain.weak-algorithm",
    "delegated_with_intermediate_success": "chain.weak-algorithm",
    "delegated_success": "chain.weak-algorithm",
}

#: Inputs on which the dependencies raise (ValueError, RecursionError, TypeError,
#: DuplicateExtension); validate_chain turns each into an INDETERMINATE outcome
#: (chain.unprocessable). Where the case must fail, that is agreement. The name-constraint cases
#: made pyhanko-certvalidator raise (NotImplementedError on an iPAddress, TypeError on an
#: otherName) until esig applied name constraints itself.
CRASHES = [
    "invalid::invalid-issuer-key",  # asn1crypto ValueError
    "pathological::nc-dos-1",  # RecursionError
    "pathological::nc-dos-3",  # RecursionError
    "rfc5280::nc::nc-permits-invalid-ip-san",
    "rfc5280::nc::nc-forbids-othername",
    "rfc5280::nc::nc-forbids-othername-noop",
    "rfc5280::duplicate-extensions",  # cryptography DuplicateExtension
]
#: Suite-valid cases esig gets wrong (none now: PKITS 4.1.5, whose DSA keys inherit their domain
#: parameters, was one until the chain engine completed such keys from the path, RFC 5280 6.1.4 f)
DEFECTS: list[str] = []

#: x509-limbo groups esig's own RFC 5280 checks decide (esig.validation._profile_checks), each
#: with the finding code of the refusal
WEAK_KEYS = {
    "webpki::forbidden-weak-rsa-in-leaf": "crypto.algorithm-expired",  # RSA-1024 signer key
    "webpki::forbidden-p192-leaf": "crypto.algorithm-expired",
    "webpki::forbidden-p192-root": "chain.weak-algorithm",
    "webpki::explicit-curve": "chain.weak-key",
}
NAME_CONSTRAINTS = {
    "cve::cve-2025-61727": "chain.name-constraints",
    "pathological::nc-dos-2": "chain.name-constraints",
    **{
        f"rfc5280::nc::{n}": "chain.name-constraints"
        for n in (
            "permitted-dns-mismatch",
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
            "nc-permits-invalid-ip-san",
            "nc-forbids-othername",
            "nc-forbids-dnsname-wildcard-san",
        )
    },
    "webpki::nc::intermediate-permitted-excluded-subtrees-both-null": "chain.name-constraints",
    "webpki::nc::intermediate-permitted-excluded-subtrees-both-empty-sequences": (
        "chain.name-constraints"
    ),
}
CA_PROFILE = {
    "rfc5280::root-inconsistent-ca-extensions": "chain.ca-profile",
    "rfc5280::unknown-critical-extension-root": "chain.ca-profile",
    "rfc5280::ca-empty-subject": "chain.ca-profile",
    "rfc5280::validity::expired-root": "chain.out-of-validity",
    "rfc5280::leaf-ku-keycertsign": "chain.ee-profile",
    "rfc5280::ee-critical-aia-invalid": "chain.ee-profile",
}
CRL_RULES = {"crl::crlnumber-critical": "chain.crl-profile"}
ENCODING_RULES = {
    "rfc5280::san::noncritical-with-empty-subject": "chain.ee-profile",
    "rfc5280::san::underscore-dns": "chain.ee-profile",
    "rfc5280::san::ip-in-dns": "chain.ee-profile",
}
#: valid paths esig once refused: a control time within the second of a notAfter; an otherName
#: constraint while no name of the path is an otherName
VALID_PATHS = ["rfc5280::validity::notafter-fractional", "rfc5280::nc::nc-forbids-othername-noop"]


@pytest.fixture(scope="module")
def results(corpus: Path) -> dict[str, CaseResult]:
    rows = run_pkits(corpus) + run_limbo(corpus) + run_openssl_ocsp(corpus)
    return {r.case: r for r in rows}


def _counts(results: dict[str, CaseResult], suite: str) -> dict[str, int]:
    return dict(Counter(r.status.value for r in results.values() if r.suite == suite))


def test_scores(results: dict[str, CaseResult]) -> None:
    assert _counts(results, "pkits") == {"agree": 246}
    assert _counts(results, "x509-limbo") == {"agree": 120, "skipped": 88}
    assert _counts(results, "openssl-ocsp") == {"agree": 25, "disagree": 4}


def test_limbo_agreement_of_applicable_cases(results: dict[str, CaseResult]) -> None:
    """The issue's bar: at least 98% of the applicable x509-limbo cases agree; every other case
    is skipped with a reason."""
    counts = _counts(results, "x509-limbo")
    applicable = counts.get("agree", 0) + counts.get("disagree", 0)
    assert counts.get("agree", 0) / applicable >= 0.98


def test_every_disagreement_is_known(results: dict[str, CaseResult]) -> None:
    disagree = {c for c, r in results.items() if r.status is Status.DISAGREE}
    assert disagree == set(BY_DESIGN) | set(DEFECTS)
    assert len(DEFECTS) == len(set(DEFECTS))


@pytest.mark.parametrize("case", sorted(BY_DESIGN))
def test_by_design_rejections(results: dict[str, CaseResult], case: str) -> None:
    result = results[case]
    assert result.got.endswith(f"({BY_DESIGN[case]})")
    assert result.reason.startswith("by design: ")


#: The PKITS disagreements: none. PKITS runs as RFC 5280 path validation (Usage.PATH) in the
#: suite's own algorithm context; see test_pkits_paths_the_document_signing_profile_refuses for
#: what esig's verification does.
PKITS_EXCEPTIONS: dict[str, str] = {}

#: Valid PKITS paths that esig's verification refuses on purpose: a CA certificate in the
#: signer's place (EN 319 412-2 document-signing profile) and DSA-1024/SHA-1 (ETSI TS 119 312).
PKITS_REFUSED_FOR_DOCUMENTS = {
    "40104 valid_dsa_signatures_test4": "chain.weak-algorithm",
    "40608 valid_pathlenconstraint_test8": "cert.ca-as-signer",
    "40614 valid_pathlenconstraint_test14": "cert.ca-as-signer",
    "40806 overlapping_policies_test6": "cert.ca-as-signer",
    "41413 valid_onlycontainscacerts_crl_test13": "cert.ca-as-signer",
}
#: ... and one it cannot take as a signer's: 4.1.5, whose end-entity DSA key inherits its domain
#: parameters (only a path gives them; esig reads a signer's key from its certificate alone)
PKITS_UNREADABLE_FOR_DOCUMENTS = {
    "40105 valid_dsa_parameter_inheritance_test5": "chain.unprocessable",
}


def test_pkits_paths_the_document_signing_profile_refuses(corpus: Path) -> None:
    """The same PKITS paths, validated as esig's verification validates a signer (document-
    signing profile, ETSI TS 119 312): refused, each with its reason code."""
    import json

    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509

    from esig.conformance._suites import PKITS_TIME, _run_case
    from esig.validation.chain import RevocationMaterial

    base = corpus / "security" / "pkits"
    cases = {
        f"{c['id']} {c['name']}": c
        for c in json.loads((base / "pkits.json").read_text(encoding="utf-8"))
    }
    anchor = x509.load_der_x509_certificate(
        (base / "certs/TrustAnchorRootCertificate.crt").read_bytes()
    )

    def cert(name: str) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load((base / "certs" / name).read_bytes())

    def crl(name: str) -> asn1_crl.CertificateList:
        return asn1_crl.CertificateList.load((base / "crls" / name).read_bytes())

    got = {}
    for cid in [*PKITS_REFUSED_FOR_DOCUMENTS, *PKITS_UNREADABLE_FOR_DOCUMENTS]:
        case = cases[cid]

        def build(case: dict = case) -> tuple:  # type: ignore[type-arg]
            material = RevocationMaterial(
                tuple(cert(n) for n in case.get("other_certs", ())),
                tuple(crl(n) for n in [*case.get("crls", ()), "TrustAnchorRootCRL.crl"]),
            )
            return cert(case["cert"]), [anchor], material

        row = _run_case(
            "pkits", cid, True, "success", build, at=PKITS_TIME, require_revocation=True
        )
        assert row.status is Status.DISAGREE
        assert row.got.startswith("INDETERMINATE/"), row.got
        by_design = cid in PKITS_REFUSED_FOR_DOCUMENTS
        assert row.reason.startswith("by design: ") is by_design, row.reason
        got[cid] = row.got.rsplit("(", 1)[-1].rstrip(")")
    assert got == {**PKITS_REFUSED_FOR_DOCUMENTS, **PKITS_UNREADABLE_FOR_DOCUMENTS}


def test_pkits_dsa_cases(results: dict[str, CaseResult]) -> None:
    """4.1.4-4.1.6 (DSA-1024 with SHA-1) as RFC 5280 path validation: 4.1.5's intermediate and
    end-entity keys inherit their DSA domain parameters (RFC 5280 6.1.4 f), for the CRL the
    intermediate signs too; 4.1.6's end-entity signature does not verify."""
    got = {
        c: (results[c].status, results[c].got)
        for c in (
            "40104 valid_dsa_signatures_test4",
            "40105 valid_dsa_parameter_inheritance_test5",
            "40106 invalid_dsa_signature_test6",
        )
    }
    assert got == {
        "40104 valid_dsa_signatures_test4": (Status.AGREE, "TOTAL_PASSED"),
        "40105 valid_dsa_parameter_inheritance_test5": (Status.AGREE, "TOTAL_PASSED"),
        "40106 invalid_dsa_signature_test6": (
            Status.AGREE,
            "INDETERMINATE/CERTIFICATE_CHAIN_GENERAL_FAILURE (chain.invalid)",
        ),
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
    assert len(skipped) == 88
    assert all(r.reason for r in skipped)


def test_limbo_case_skips_carry_their_own_reason(results: dict[str, CaseResult]) -> None:
    """The cases skipped by id (_limbo_skips.CASES): RFC 5280 rules for issuing CAs that
    certificates of EU trusted lists break, web-PKI key and root rules, the document-signing
    profile."""
    for case, reason in CASES.items():
        assert (results[case].status, results[case].reason) == (Status.SKIPPED, reason), case
    assert len(CASES) == 26


def _agree(results: dict[str, CaseResult], cases: list[str]) -> list[str]:
    return [f"{c}: {results[c].got}" for c in cases if results[c].status is not Status.AGREE]


@pytest.mark.parametrize("case", CRASHES)
def test_chain_engine_never_raises_a_dependency_exception(
    results: dict[str, CaseResult], case: str
) -> None:
    assert not results[case].got.startswith("CRASH"), results[case].got


def _refused_with(results: dict[str, CaseResult], cases: dict[str, str]) -> list[str]:
    return [
        f"{c}: {results[c].got}"
        for c, code in cases.items()
        if results[c].status is not Status.AGREE or not results[c].got.endswith(f"({code})")
    ]


def test_weak_keys_in_chains_are_rejected(results: dict[str, CaseResult]) -> None:
    assert _refused_with(results, WEAK_KEYS) == []


def test_name_constraints_are_enforced(results: dict[str, CaseResult]) -> None:
    assert _refused_with(results, NAME_CONSTRAINTS) == []


def test_ca_and_anchor_profile_is_enforced(results: dict[str, CaseResult]) -> None:
    assert _refused_with(results, CA_PROFILE) == []


def test_crl_profile_is_enforced(results: dict[str, CaseResult]) -> None:
    assert _refused_with(results, CRL_RULES) == []


def test_rfc5280_encoding_rules_are_enforced(results: dict[str, CaseResult]) -> None:
    assert _refused_with(results, ENCODING_RULES) == []


def test_valid_paths_are_accepted(results: dict[str, CaseResult]) -> None:
    assert _agree(results, VALID_PATHS) == []
    assert all(results[c].got == "TOTAL_PASSED" for c in VALID_PATHS)
