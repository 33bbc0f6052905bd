"""verify_many: every verdict equals the single-document verdict, whatever the batch mixes.

The batch shares trust answers and certificate path outcomes across documents; these tests mix
documents whose paths look alike (same signer, same signature, same time-stamp) but whose
embedded revocation data or bytes differ, in both orders, in one process and in two.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from pyhanko.sign.validation.dss import DocumentSecurityStore

import esig
from esig import Indication
from esig.batch import verify_many
from esig.cli import main
from esig.signing import RevocationMaterial, Signer, sign_pdfs
from esig.testing import REFERENCE_TIME, TestPki, build_pki
from esig.testing.documents import simple_pdf
from esig.testing.timestamps import local_timestamper

T = REFERENCE_TIME + timedelta(hours=10)  # signing time (time-stamp genTime)
SOON = T + timedelta(hours=1)
SIGNER, TSA = "tr-nes-signer", "tr-tsa"


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return build_pki()


def _crls(pki: TestPki) -> list[bytes]:
    return [
        pki.crl(ca, this_update=T - timedelta(hours=1), next_update=T + timedelta(days=7))
        for ca in ("tr-root", "tr-nes-ca")
    ]


def _ocsp(pki: TestPki, name: str, status: ocsp.OCSPCertStatus | None = None) -> bytes:
    return pki.ocsp_response(
        name,
        produced_at=T,
        this_update=T - timedelta(hours=2),
        next_update=T + timedelta(days=1),
        status_override=status,
    )


def _with_dss(pdf: bytes, ocsps: list[bytes], crls: list[bytes]) -> bytes:
    out = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(
        out,
        None,
        ocsps=[asn1_ocsp.OCSPResponse.load(o) for o in ocsps],
        crls=[asn1_crl.CertificateList.load(c) for c in crls],
        force_write=True,
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def documents(pki: TestPki) -> dict[str, bytes]:
    """One B-T signature, then the same signed bytes with a DSS saying "good" or "revoked" for
    the signer, a tampered copy and a second, differently worded valid document."""
    signer = Signer.from_key(pki.key(SIGNER), pki.cert(SIGNER), pki.chain(SIGNER)[1:])
    good_signer = RevocationMaterial(ocsp_responses=(_ocsp(pki, SIGNER),), crls=tuple(_crls(pki)))
    signed, other = sign_pdfs(
        [simple_pdf(["TEST-ONLY batch A"]), simple_pdf(["TEST-ONLY batch B"])],
        signer,
        level="B-T",
        timestamper=local_timestamper(pki, TSA, at=T),
        revocation=good_signer,
        at=T,
    )
    tsa_ocsp = _ocsp(pki, TSA)
    good = _with_dss(signed, [_ocsp(pki, SIGNER), tsa_ocsp], _crls(pki))
    revoked = _with_dss(
        signed, [_ocsp(pki, SIGNER, ocsp.OCSPCertStatus.REVOKED), tsa_ocsp], _crls(pki)
    )
    at = good.index(b"TEST-ONLY batch A")
    tampered = good[:at] + b"X" + good[at + 1 :]
    return {
        "good": good,
        "revoked": revoked,
        "tampered": tampered,
        "other": _with_dss(other, [_ocsp(pki, SIGNER), tsa_ocsp], _crls(pki)),
    }


def _single(docs: list[bytes], pki: TestPki) -> list[esig.ValidationReport]:
    return [esig.verify(d, trust=list(pki.roots()), validation_time=SOON) for d in docs]


def test_the_mix_really_differs(documents: dict[str, bytes], pki: TestPki) -> None:
    good, revoked, tampered, other = _single(
        [documents[k] for k in ("good", "revoked", "tampered", "other")], pki
    )
    assert good.indication is Indication.TOTAL_PASSED
    assert other.indication is Indication.TOTAL_PASSED
    assert revoked.indication is not Indication.TOTAL_PASSED
    assert revoked.signatures[0].reasons[0].code == "chain.revoked"
    assert tampered.indication is Indication.TOTAL_FAILED


ORDERS = [
    ("good", "revoked", "good", "tampered", "other", "good"),
    ("revoked", "good", "tampered", "good", "revoked", "other"),
    ("tampered", "good", "good", "revoked"),
]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("order", ORDERS, ids=["-".join(o) for o in ORDERS])
def test_batch_verdicts_equal_single_verdicts(
    documents: dict[str, bytes], pki: TestPki, order: tuple[str, ...], jobs: int
) -> None:
    docs = [documents[k] for k in order]
    batch = list(verify_many(docs, trust=list(pki.roots()), validation_time=SOON, jobs=jobs))
    assert batch == _single(docs, pki)


def test_batch_without_cache_is_the_same(documents: dict[str, bytes], pki: TestPki) -> None:
    docs = [documents[k] for k in ORDERS[0]]
    roots = list(pki.roots())
    cached = list(verify_many(docs, trust=roots, validation_time=SOON))
    uncached = list(verify_many(docs, trust=roots, validation_time=SOON, cache=False))
    assert cached == uncached


def test_paths_and_bytes_mix(documents: dict[str, bytes], pki: TestPki, tmp_path: Path) -> None:
    path = tmp_path / "good.pdf"
    path.write_bytes(documents["good"])
    reports = list(
        verify_many([path, documents["revoked"]], trust=list(pki.roots()), validation_time=SOON)
    )
    assert reports[0] == esig.verify(path, trust=list(pki.roots()), validation_time=SOON)
    assert reports[1] == _single([documents["revoked"]], pki)[0]


def test_cli_jobs_jsonl_streams_one_report_per_line(
    documents: dict[str, bytes],
    pki: TestPki,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    anchors = tmp_path / "anchors.pem"
    anchors.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c in pki.roots()))
    names = ["good", "revoked", "tampered", "other"]
    files = []
    for name in names:
        (tmp_path / f"{name}.pdf").write_bytes(documents[name])
        files.append(str(tmp_path / f"{name}.pdf"))
    args = ["verify", "--trust", str(anchors), "--at", SOON.isoformat(), "--format", "jsonl"]
    code = main([*args, "--jobs", "2", *files])
    out, err = capsys.readouterr()
    assert err == ""  # no progress indication: stderr is not a terminal
    lines = out.strip().splitlines()
    assert len(lines) == len(files)
    expected = _single([documents[n] for n in names], pki)
    for line, name, report in zip(lines, names, expected, strict=True):
        got = json.loads(line)
        assert got["document"]["name"] == f"{name}.pdf"
        assert got == {**report.to_dict(), "document": got["document"]}
    assert code == 1  # one signature TOTAL_FAILED


class _UnpicklableSource:
    """A TrustSource holding a lambda (cannot be pickled), like a TrustStore's certificates."""

    def __init__(self, pki: TestPki) -> None:
        self._roots = tuple(pki.roots())
        self._hook = lambda: None
        self.asked = 0

    def anchors(self, at: object) -> tuple[object, ...]:
        self.asked += 1
        return self._roots

    def qualify(self, chain: object, *, signing_time: object) -> object:
        from esig.validation import AnchorList

        return AnchorList(self._roots).qualify(chain, signing_time=signing_time)  # type: ignore[arg-type]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_trust_source_that_cannot_be_pickled_is_inherited(
    documents: dict[str, bytes], pki: TestPki, jobs: int
) -> None:
    docs = [documents[k] for k in ORDERS[1]]
    source = _UnpicklableSource(pki)
    batch = list(verify_many(docs, trust=source, validation_time=SOON, jobs=jobs))
    single = [esig.verify(d, trust=source, validation_time=SOON) for d in docs]
    assert batch == single
