"""esig signs at every PAdES level; pyHanko and Poppler accept the result."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from esig.report import SignatureLevel
from esig.signing import RevocationMaterial, Signer, extend_pdf, sign_pdf
from esig.testing import TestPki
from esig.testing.server import PkiServer

from ._pyhanko_check import pdfsig_verdicts, pyhanko_offline_from_dss, pyhanko_statuses
from .conftest import NOW, signer_for

LEVELS = ["B-B", "B-T", "B-LT", "B-LTA"]


def _structure(pdf: bytes) -> tuple[int, int, bool]:
    """(regular signatures, document time-stamps, has a DSS)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    regular = len(reader.embedded_regular_signatures)
    timestamps = len(reader.embedded_timestamp_signatures)
    return regular, timestamps, "/DSS" in reader.root


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_is_accepted_by_pyhanko_and_pdfsig(
    level: str,
    pdf: bytes,
    tr_signer: Signer,
    pki: TestPki,
    tsa_url: str,
    online: RevocationMaterial,
    tmp_path: Path,
) -> None:
    signed = sign_pdf(pdf, tr_signer, level=level, timestamper=tsa_url, revocation=online, at=NOW)
    assert signed.startswith(pdf)  # an incremental update: the original bytes are untouched
    expected = {
        "B-B": (1, 0, False),
        "B-T": (1, 0, False),
        "B-LT": (1, 0, True),
        "B-LTA": (1, 1, True),
    }[level]
    assert _structure(signed) == expected
    reader = PdfFileReader(io.BytesIO(signed))
    sig = reader.embedded_regular_signatures[0]
    unsigned = sig.signer_info["unsigned_attrs"]
    has_tst = any(a["type"].native == "signature_time_stamp_token" for a in unsigned)
    assert has_tst == (level != "B-B")
    assert pyhanko_statuses(signed, pki.roots()) == [(True, True, True)]
    if level in ("B-LT", "B-LTA"):
        assert pyhanko_offline_from_dss(signed, pki.roots()) == (True, True)
    out = tmp_path / "signed.pdf"
    out.write_bytes(signed)
    verdicts = pdfsig_verdicts(out)
    if verdicts is None:
        pytest.skip("pdfsig (poppler-utils) is not installed")
    # pdfsig cannot validate document time-stamps ("Unimplemented Feature"): check signature 1.
    assert verdicts[0] == "Signature is Valid."


def test_b_b_without_revocation_data_offline_is_refused_unless_told(
    pdf: bytes, tr_signer: Signer
) -> None:
    from esig.errors import SigningError

    with pytest.raises(SigningError, match=r"cannot establish that the certificate of .* is not"):
        sign_pdf(pdf, tr_signer, at=NOW)
    signed = sign_pdf(pdf, tr_signer, check_revocation=False, at=NOW)
    assert _structure(signed) == (1, 0, False)


def test_offline_with_given_revocation_data(pdf: bytes, pki: TestPki, tr_signer: Signer) -> None:
    from datetime import timedelta

    ocsp = pki.ocsp_response(
        "tr-nes-signer", produced_at=NOW, this_update=NOW, next_update=NOW + timedelta(days=1)
    )
    crl = pki.crl("tr-root", this_update=NOW, next_update=NOW + timedelta(days=7))
    material = RevocationMaterial(ocsp_responses=(ocsp,), crls=(crl,))
    signed = sign_pdf(pdf, tr_signer, revocation=material, at=NOW)
    assert pyhanko_statuses(signed, pki.roots()) == [(True, True, True)]


def test_second_signer_keeps_the_first_signature_valid(
    pdf: bytes, pki: TestPki, online: RevocationMaterial, tsa_url: str
) -> None:
    first = sign_pdf(pdf, signer_for(pki, "az-idcard-signer"), revocation=online, at=NOW)
    both = sign_pdf(
        first,
        signer_for(pki, "tr-nes-signer"),
        level="B-T",
        timestamper=tsa_url,
        revocation=online,
        at=NOW,
    )
    assert both.startswith(first)
    names = [s.field_name for s in PdfFileReader(io.BytesIO(both)).embedded_regular_signatures]
    assert names == ["Signature1", "Signature2"]
    assert pyhanko_statuses(both, pki.roots()) == [(True, True, True), (True, True, True)]


def test_extend_b_b_to_b_lta(
    pdf: bytes, pki: TestPki, tr_signer: Signer, online: RevocationMaterial, tsa_url: str
) -> None:
    signed = sign_pdf(pdf, tr_signer, revocation=online, at=NOW)
    extended = extend_pdf(
        signed,
        level=SignatureLevel.B_LTA,
        timestamper=tsa_url,
        revocation=online,
        trust_roots=pki.roots(),
    )
    assert extended.startswith(signed)
    assert _structure(extended) == (1, 1, True)
    assert pyhanko_offline_from_dss(extended, pki.roots()) == (True, True)


def test_keys_are_loaded_once_per_signer(pki_server: PkiServer, pki: TestPki) -> None:
    signer = signer_for(pki, "ee-idcard-signer")
    backend_signer = signer.pyhanko_signer
    assert backend_signer._key is pki.key("ee-idcard-signer")  # the same object, never reloaded


def test_b_lt_needs_the_tsa_root_when_it_differs_from_the_signers(
    pdf: bytes, pki: TestPki, online: RevocationMaterial, tsa_url: str
) -> None:
    from esig.errors import SigningError

    eu_officer = signer_for(pki, "ee-idcard-signer")  # signs with the Turkish TSA
    with pytest.raises(SigningError, match=r"^cannot collect validation data for B-LT: "):
        sign_pdf(pdf, eu_officer, level="B-LT", timestamper=tsa_url, revocation=online, at=NOW)
    signed = sign_pdf(
        pdf,
        eu_officer,
        level="B-LT",
        timestamper=tsa_url,
        revocation=online,
        at=NOW,
        trust_roots=[pki.cert("tr-root")],
    )
    assert pyhanko_offline_from_dss(signed, pki.roots()) == (True, True)


def test_batch_signing_checks_once_and_signs_each(
    pdf: bytes, pki: TestPki, pki_server: PkiServer, online: RevocationMaterial
) -> None:
    from esig.errors import SigningError
    from esig.signing import sign_pdfs
    from esig.testing.documents import simple_pdf

    seal = signer_for(pki, "tr-malimuhur-seal")
    documents = [simple_pdf([f"Invoice {n}"]) for n in range(3)]
    before = len(pki_server.requests)
    signed = sign_pdfs(documents, seal, revocation=online, at=NOW)
    # one revocation check for the whole batch (OCSP for the seal, CRL for its CA)
    assert len(pki_server.requests) - before <= 2
    assert [s[: len(d)] == d for s, d in zip(signed, documents, strict=True)] == [True] * 3
    for one in signed:
        assert pyhanko_statuses(one, pki.roots()) == [(True, True, True)]
    with pytest.raises(SigningError, match="is revoked"):
        sign_pdfs(documents, signer_for(pki, "tr-nes-revoked"), revocation=online, at=NOW)


def test_visible_stamp_names_the_signer_in_ascii(tmp_path: Path, pdf: bytes, pki: TestPki) -> None:
    import shutil
    import subprocess

    from esig.signing import VisibleStamp
    from esig.signing.stamp import ascii_fold

    assert ascii_fold("Rəşad Ağayev, İlkgül Çağrı") == "Resad Agayev, Ilkgul Cagri"
    officer = signer_for(pki, "az-idcard-signer")
    signed = sign_pdf(pdf, officer, check_revocation=False, at=NOW, stamp=VisibleStamp())
    assert pyhanko_statuses(signed, pki.roots()) == [(True, True, True)]
    out = tmp_path / "stamped.pdf"
    out.write_bytes(signed)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Signed by Resad Agayev" in text
    assert "FIN 5ZJBKQG (AZ)" in text


def test_batch_signing_in_two_processes_keeps_order_and_validity(
    pki: TestPki, online: RevocationMaterial
) -> None:
    from esig.errors import SigningError
    from esig.signing import sign_pdfs
    from esig.testing.documents import simple_pdf

    seal = signer_for(pki, "tr-malimuhur-seal")
    documents = [simple_pdf([f"Invoice {n}"]) for n in range(7)]
    signed = sign_pdfs(documents, seal, revocation=online, at=NOW, jobs=2)
    assert len(signed) == 7
    assert all(s.startswith(d) for s, d in zip(signed, documents, strict=True))  # input order
    for one in (signed[0], signed[3], signed[6]):
        assert pyhanko_statuses(one, pki.roots()) == [(True, True, True)]
    # a revoked certificate is refused before any worker starts
    with pytest.raises(SigningError, match="is revoked"):
        sign_pdfs(documents, signer_for(pki, "tr-nes-revoked"), revocation=online, at=NOW, jobs=2)
