"""The XML-DSig interop suites (xmlsec's vectors, the W3C/XMLDSig 1.1 interop set) through
esig's XML-DSig core: counts pinned, no disagreement, and the judge can fail."""

from __future__ import annotations

import collections
import re
import shutil
from pathlib import Path

from esig.conformance import Status, run_dsig_interop, run_signxml_xades, run_xmlsec_dsig
from esig.conformance._dsig import core_verdict

XMLSEC = Path("security/xml/xmlsec-dsig-suite")


def _counts(results: list) -> dict[str, int]:  # type: ignore[type-arg]
    return dict(collections.Counter(r.status.value for r in results))


def test_xmlsec_dsig_suite(corpus: Path) -> None:
    results = run_xmlsec_dsig(corpus)
    assert len(results) == 254  # one per EXPECTED-testDSig.tsv row
    assert _counts(results) == {"agree": 60, "unsupported": 178, "skipped": 16}
    for r in results:
        if r.status is Status.UNSUPPORTED:
            assert r.reason, r.case
        if r.status is Status.SKIPPED:
            assert "key management" in r.reason, r.case


def test_w3c_interop_suite(corpus: Path) -> None:
    results = run_dsig_interop(corpus)
    assert _counts(results) == {"agree": 66, "unsupported": 52, "skipped": 6}
    negatives = [r for r in results if r.expect.value == "fail" and r.status is not Status.SKIPPED]
    assert {r.case for r in negatives} >= {
        "phaos-xmldsig-three/signature-rsa-enveloped-bad-sig.xml",
        "aleksey-xmldsig-01-enveloped/invalid_enveloped_transform.xml",
        "ws-security/ws.js/test/unit/client/files/invalid wss resp - changed content.xml",
    }
    assert all(r.status is Status.AGREE for r in negatives)
    wss = {r.case.rsplit("/", 1)[-1]: r.got for r in results if "ws-security" in r.case}
    assert wss == {  # WS-Security: wsu:Id references, the key signxml's test passes
        "invalid wss resp - changed content.xml": "failed: digest mismatch for ['#_1']",
        "valid wss resp.xml": "ok: core verified (rsa-sha1)",
    }


def test_refusals_name_what_is_refused(corpus: Path) -> None:
    reasons = [r.got for r in run_xmlsec_dsig(corpus) if r.status is Status.UNSUPPORTED]
    assert any("hmac-sha1" in g and "refused by design" in g for g in reasons)
    assert any("xml.transform-refused" in g for g in reasons)


def test_core_judge_fails_a_tampered_vector(corpus: Path, tmp_path: Path) -> None:
    """An agreeing vector with its DigestValue changed (the SignedInfo no longer matches the
    signature value) or its signed content changed (the digest no longer matches) fails."""
    source = corpus / XMLSEC / "aleksey-xmldsig-01" / "enveloping-sha256-rsa-sha256.xml"
    assert core_verdict(source)[0] == "ok"
    text = source.read_text(encoding="utf-8")
    digest = re.search(r"<DigestValue>([^<]+)</DigestValue>", text)
    assert digest is not None
    flipped = digest.group(1)[:-2] + ("A=" if digest.group(1)[-2] != "A" else "B=")
    bad_digest = tmp_path / "bad-digest.xml"
    bad_digest.write_text(text.replace(digest.group(1), flipped), encoding="utf-8")
    assert core_verdict(bad_digest) == ("failed", "signature value does not verify")
    bad_content = tmp_path / "bad-content.xml"
    shutil.copy(source, bad_content)
    content = bad_content.read_text(encoding="utf-8")
    assert "some text" in content
    bad_content.write_text(content.replace("some text", "some test"), encoding="utf-8")
    assert core_verdict(bad_content) == ("failed", "digest mismatch for ['#object']")


def test_signxml_xades_suite(corpus: Path) -> None:
    """signxml's XAdES samples through esig's XAdES verification (integrity part, no anchors).

    The two undecided rows: esig's core verifies both references, as xmlsec1 does for
    X_BE_CONN_10 (signxml: InvalidDigest); the other is a policy store without a digest
    (signxml: InvalidInput), which esig reads; both stop at the trust stage.
    """
    results = run_signxml_xades(corpus)
    assert _counts(results) == {"agree": 56, "undecided": 2}
    assert {r.case for r in results if r.status is Status.UNDECIDED} == {
        "xades/nonconformant-X_BE_CONN_10.xml",
        "xades/nonconformant-xades-extended-epes-sigPolStore-noDigest.xml",
    }
    rejected = [r for r in results if r.expect.value == "reject" and r.status is Status.AGREE]
    assert len(rejected) == 6
