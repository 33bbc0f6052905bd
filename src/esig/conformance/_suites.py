"""Certificate-path suites through esig's chain engine (:mod:`esig.validation.chain`).

NIST PKITS (``security/pkits/pkits.json``), x509-limbo (``security/x509-limbo/limbo.json``) and
the OpenSSL OCSP vectors (``security/openssl-ocsp/openssl-ocsp.json``). Each case is a
:class:`~esig.conformance._model.CaseResult` with :attr:`Expect.PASS` or :attr:`Expect.FAIL`:
the case agrees when esig's indication is TOTAL_PASSED exactly when the suite expects success.

Paths are validated as esig's verification validates a signer's path: under the default
algorithm policy (:data:`~esig.policy.algorithms.ETSI_TS_119_312`) for certificate and CRL/OCSP
signatures, and the signer's own key is then judged by the same policy, as for a signature value.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
import warnings
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko_certvalidator.policy_decl import PKIXValidationParams

from esig.conformance._judge import CORPUS_TIME
from esig.conformance._limbo_skips import skip_reason
from esig.conformance._model import CaseResult, Expect, Status
from esig.errors import InputError
from esig.policy.algorithms import ETSI_TS_119_312, AlgorithmPolicy
from esig.validation.chain import ChainOutcome, RevocationMaterial, Usage, validate_chain
from esig.validation.crypto import CryptoUse, check_algorithms, key_of

__all__ = ["PKITS_TIME", "run_limbo", "run_openssl_ocsp", "run_pkits"]

#: SECURITY.md: PKITS runs at 2022-05-01 with revocation required.
PKITS_TIME = datetime(2022, 5, 1, tzinfo=UTC)


def _der(data: bytes) -> bytes:
    return pem.unarmor(data)[2] if pem.detect(data) else data


def _run_case(
    suite: str,
    case_id: str,
    expect_pass: bool,
    expected_text: str,
    build: Callable[[], tuple[asn1_x509.Certificate, list[x509.Certificate], RevocationMaterial]],
    *,
    at: datetime,
    require_revocation: bool,
    pkix_params: PKIXValidationParams | None = None,
    usage: Usage = Usage.SIGNING,
    algorithms: AlgorithmPolicy = ETSI_TS_119_312,
) -> CaseResult:
    expect = Expect.PASS if expect_pass else Expect.FAIL
    started = time.perf_counter()
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                leaf, anchors, material = build()
            except (ValueError, TypeError, KeyError) as exc:
                # esig.certs refuses such a certificate (CertificateError) before any chain work
                raise InputError(f"unreadable certificate or CRL: {exc}") from exc
            out = asyncio.run(
                validate_chain(
                    leaf,
                    anchors=anchors,
                    material=material,
                    control_time=at,
                    usage=usage,
                    require_revocation=require_revocation,
                    algorithms=algorithms,
                    pkix_params=pkix_params,
                )
            )
            out = _judge_signer_key(out, algorithms)
        passed = out.passed
        code = out.reasons[0].code if out.reasons else ""
        got = out.indication.value + (f"/{out.sub_indication.value}" if out.sub_indication else "")
        got += f" ({code})" if code else ""
        crash = ""
    except InputError as exc:
        passed, got, crash, code = False, f"InputError: {exc}"[:160], "", ""
    except Exception as exc:  # a bug in the engine: listed as a disagreement
        code = ""
        passed, got, crash = False, f"CRASH {type(exc).__name__}: {exc}"[:160], type(exc).__name__
    finally:
        logging.disable(logging.NOTSET)
    seconds = time.perf_counter() - started
    if crash:
        status, reason = Status.DISAGREE, f"the chain engine raised {crash} instead of a verdict"
    elif passed == expect_pass:
        status, reason = Status.AGREE, ""
    elif expect_pass:
        status, reason = (
            Status.DISAGREE,
            _BY_DESIGN.get(code, "the suite expects a valid path; esig rejects it"),
        )
    else:
        status, reason = Status.DISAGREE, "the suite expects a rejection; esig accepts the path"
    return CaseResult(
        suite,
        suite,
        _SOURCES[suite],
        case_id,
        suite,
        expect,
        expected_text[:160],
        status,
        got,
        reason,
        seconds,
    )


def _judge_signer_key(out: ChainOutcome, algorithms: AlgorithmPolicy) -> ChainOutcome:
    """What esig's verification does next with a validated path: the signer's key, which signs
    the document and no certificate of the path, is judged by the algorithm policy at the
    control time (:func:`esig.validation.crypto.check_algorithms`, as for a signature value)."""
    if not out.passed or not out.chain:
        return out
    try:
        key = key_of(out.chain[0].public_key())
    except (ValueError, TypeError):  # a key cryptography cannot load: the path judged it
        return out
    use = CryptoUse("the signer's key", out.control_time, None, key)
    crypto = check_algorithms([use], algorithms)
    if crypto.passed:
        return out
    return ChainOutcome(
        crypto.indication,
        crypto.sub_indication,
        out.control_time,
        out.chain,
        crypto.reasons,
        out.warnings + crypto.warnings,
    )


#: rejections of suite-valid paths that esig makes on purpose (the reason says which rule).
_BY_DESIGN = {
    "cert.ca-as-signer": "by design: a CA certificate cannot sign documents (EN 319 412-2 profile)",
    "cert.key-usage": "by design: document signing needs nonRepudiation or digitalSignature",
    "cert.not-v3": "by design: document-signing certificates must be X.509 v3",
    "chain.weak-algorithm": "by design: esig's algorithm policy refuses this key or hash",
    "crypto.algorithm-expired": "by design: esig's algorithm policy refuses the signer's key",
    "crypto.algorithm-not-acceptable": "by design: esig's algorithm policy never accepts the "
    "signer's key",
    "chain.no-revocation-data": "by design: the certificate names a revocation source and the "
    "case supplies no revocation data (offline run)",
}

_SOURCES = {
    "pkits": "NIST PKITS (via MatthiasValvekens/pyHanko)",
    "x509-limbo": "C2SP/x509-limbo",
    "openssl-ocsp": "openssl/openssl OCSP vectors (via MatthiasValvekens/pyHanko)",
}


def _skipped(suite: str, case_id: str, expect: Expect, text: str, reason: str) -> CaseResult:
    return CaseResult(
        suite,
        suite,
        _SOURCES[suite],
        case_id,
        suite,
        expect,
        text[:160],
        Status.SKIPPED,
        reason=reason,
    )


def _expected_text(case: Mapping[str, Any]) -> str:
    error = case.get("error")
    if not error:
        return "success"
    return f"{error['class']}: {error.get('msg_regex', '')}"


#: the RFC 5280 (6.1.1) initial inputs a PKITS case may set in ``params``
_PKITS_INPUTS = frozenset(
    {
        "user_initial_policy_set",
        "initial_explicit_policy",
        "initial_policy_mapping_inhibit",
        "initial_any_policy_inhibit",
    }
)


def _pkix_params(params: Mapping[str, Any] | None) -> PKIXValidationParams | None:
    """A PKITS case's initial inputs (``params``); None: anyPolicy, no flags set."""
    if not params:
        return None
    return PKIXValidationParams(
        user_initial_policy_set=frozenset(params.get("user_initial_policy_set", ["any_policy"])),
        initial_explicit_policy=bool(params.get("initial_explicit_policy", False)),
        initial_policy_mapping_inhibit=bool(params.get("initial_policy_mapping_inhibit", False)),
        initial_any_policy_inhibit=bool(params.get("initial_any_policy_inhibit", False)),
    )


#: The algorithm context PKITS's expectations assume: the suite is signed with RSA-2048 and
#: SHA-256 except 4.1.4-4.1.6 (DSA-1024 with SHA-1, 2000s practice); pyhanko-certvalidator's
#: own PKITS run (the corpus's source) refuses only MD2/MD5 and DSA keys under 1024 bits.
#: For the suite only: esig's verification always applies a profile's policy
#: (ETSI TS 119 312 by default), which refuses 4.1.4 and 4.1.5 (docs/conformance.md).
PKITS_ALGORITHMS = AlgorithmPolicy(
    name="pkits-suite-context",
    digests=tuple(
        (d, datetime(2100, 1, 1, tzinfo=UTC))
        for d in ("sha1", "sha224", "sha256", "sha384", "sha512")
    ),
    keys=(
        ("rsa", 1024, datetime(2100, 1, 1, tzinfo=UTC)),
        ("dsa", 1024, datetime(2100, 1, 1, tzinfo=UTC)),
        ("ecdsa", 256, datetime(2100, 1, 1, tzinfo=UTC)),
    ),
    source="pyhanko-certvalidator's PKITS test set-up (MD2/MD5 refused, DSA >= 1024)",
)


def run_pkits(corpus: Path) -> list[CaseResult]:
    """The 246 PKITS cases, each with its RFC 5280 initial inputs (``params``: user initial
    policy set, initial explicit policy, policy mapping and anyPolicy inhibit).

    PKITS tests RFC 5280 path validation: cases run as :attr:`Usage.PATH` (no document-signing
    profile of the end entity, which refuses the CA certificates some valid PKITS paths end
    with) under :data:`PKITS_ALGORITHMS`; ``tests/conformance/test_chain_suites.py`` checks that
    the document-signing profile and esig's default policy still refuse those paths.
    """
    base = corpus / "security" / "pkits"
    cases = json.loads((base / "pkits.json").read_text(encoding="utf-8"))
    anchor = x509.load_der_x509_certificate(
        (base / "certs/TrustAnchorRootCertificate.crt").read_bytes()
    )

    def cert(name: str) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load((base / "certs" / name).read_bytes())

    def crl(name: str) -> asn1_crl.CertificateList:
        return asn1_crl.CertificateList.load((base / "crls" / name).read_bytes())

    results = []
    for case in cases:
        expect_pass = not case.get("error")
        text = _expected_text(case)
        cid = f"{case['id']} {case['name']}"
        unknown = sorted(set(case.get("params") or ()) - _PKITS_INPUTS)
        if unknown:
            expect = Expect.PASS if expect_pass else Expect.FAIL
            reason = f"initial inputs esig's chain engine does not know: {unknown}"
            results.append(_skipped("pkits", cid, expect, text, reason))
            continue

        def build(
            case: Mapping[str, Any] = case,
        ) -> tuple[asn1_x509.Certificate, list[x509.Certificate], RevocationMaterial]:
            material = RevocationMaterial(
                tuple(cert(n) for n in case.get("other_certs", ())),
                tuple(crl(n) for n in [*case.get("crls", ()), "TrustAnchorRootCRL.crl"]),
            )
            return cert(case["cert"]), [anchor], material

        results.append(
            _run_case(
                "pkits",
                cid,
                expect_pass,
                text,
                build,
                at=PKITS_TIME,
                require_revocation=True,
                pkix_params=_pkix_params(case.get("params")),
                usage=Usage.PATH,
                algorithms=PKITS_ALGORITHMS,
            )
        )
    return results


def run_limbo(corpus: Path) -> list[CaseResult]:
    """x509-limbo; cases that do not apply to document signing are skipped with their reason."""
    data = json.loads((corpus / "security" / "x509-limbo" / "limbo.json").read_text("utf-8"))
    results = []
    for case in data["testcases"]:
        expect_pass = case["expected_result"] == "SUCCESS"
        text = case["expected_result"] + ": " + " ".join(str(case.get("description", "")).split())
        reason = skip_reason(case)
        if reason:
            expect = Expect.PASS if expect_pass else Expect.FAIL
            results.append(_skipped("x509-limbo", case["id"], expect, text, reason))
            continue
        at = (
            datetime.fromisoformat(case["validation_time"])
            if case["validation_time"]
            else CORPUS_TIME
        )

        def build(
            case: Mapping[str, Any] = case,
        ) -> tuple[asn1_x509.Certificate, list[x509.Certificate], RevocationMaterial]:
            anchors = [x509.load_pem_x509_certificate(p.encode()) for p in case["trusted_certs"]]
            material = RevocationMaterial(
                tuple(
                    asn1_x509.Certificate.load(_der(p.encode()))
                    for p in case["untrusted_intermediates"]
                ),
                tuple(asn1_crl.CertificateList.load(_der(p.encode())) for p in case["crls"]),
            )
            leaf = asn1_x509.Certificate.load(_der(case["peer_certificate"].encode()))
            leaf.native  # noqa: B018  (parse now: asn1crypto is lazy)
            return leaf, anchors, material

        # revocation is required exactly when the case supplies CRLs (limbo has no OCSP)
        results.append(
            _run_case(
                "x509-limbo",
                case["id"],
                expect_pass,
                text,
                build,
                at=at,
                require_revocation=bool(case["crls"]),
            )
        )
    return results


def run_openssl_ocsp(corpus: Path) -> list[CaseResult]:
    """OpenSSL's OCSP responder vectors: revocation from the given OCSP responses only."""
    base = corpus / "security" / "openssl-ocsp"
    cases = json.loads((base / "openssl-ocsp.json").read_text(encoding="utf-8"))

    def cert(name: str) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(_der((base / name).read_bytes()))

    results = []
    for case in cases:
        expect_pass = not case.get("error")

        def build(
            case: Mapping[str, Any] = case,
        ) -> tuple[asn1_x509.Certificate, list[x509.Certificate], RevocationMaterial]:
            root = x509.load_der_x509_certificate(_der((base / case["root"]).read_bytes()))
            material = RevocationMaterial(
                tuple(cert(n) for n in case.get("other_certs", ())),
                (),
                tuple(
                    asn1_ocsp.OCSPResponse.load(base64.b64decode((base / n).read_bytes()))
                    for n in case["ocsps"]
                ),
            )
            return cert(case["cert"]), [root], material

        results.append(
            _run_case(
                "openssl-ocsp",
                case["name"],
                expect_pass,
                _expected_text(case),
                build,
                at=datetime.fromisoformat(case["moment"]),
                require_revocation=True,
            )
        )
    return results
