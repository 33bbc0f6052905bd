"""Turkish UBL-TR e-invoices: placement, the real Kamu SM sample, legacy quirks strict/lenient."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from lxml import etree

from esig.errors import SigningError
from esig.report import Indication, SignatureLevel, SubIndication
from esig.testing import TestPki
from esig.xades import UBL_TR_LENIENT, UBL_TR_STRICT, XML_DEFAULT, sign_xml, verify_xml
from tests.xades.conftest import NS, T, TrustDouble, resign, revocation

SEAL = "tr-malimuhur-seal"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
UNSIGNED = [
    "efatura.xml",
    "efatura-with-bom.xml",
    "efatura-mixed-newlines.xml",
    "efatura-unicode-emoji.xml",
    "eirsaliye.xml",
    "emustahsil.xml",
    "xml-foreign-namespace-prefix.xml",
    "xml-with-cdata.xml",
    "xml-with-comments.xml",
]


def _tr(corpus: Path, name: str) -> bytes:
    return (corpus / "xades" / "turkey-mersel" / name).read_bytes()


def _sign(pki: TestPki, data: bytes) -> bytes:
    return sign_xml(
        data,
        pki.key(SEAL),
        pki.chain(SEAL),
        signing_time=T,
        placement="ubl-extension",
        claimed_roles=("Tedarikçi",),
    )


def _verify(pki: TestPki, trust: TrustDouble, data: bytes, constraints=UBL_TR_STRICT):  # type: ignore[no-untyped-def]
    report = verify_xml(
        data,
        trust=trust,
        validation_time=T + timedelta(hours=1),
        revocation=revocation(pki, SEAL),
        constraints=constraints,
    )
    (sig,) = report.signatures
    return sig


@pytest.mark.parametrize("name", UNSIGNED)
def test_sign_and_verify_corpus_invoices(
    name: str, corpus: Path, pki: TestPki, trust: TrustDouble
) -> None:
    signed = _sign(pki, _tr(corpus, name))
    root = etree.fromstring(signed)
    content = root.find(f"{{{EXT}}}UBLExtensions/{{{EXT}}}UBLExtension/{{{EXT}}}ExtensionContent")
    assert content is not None
    assert content.find("ds:Signature", NS) is not None
    sig = _verify(pki, trust, signed)
    assert (sig.indication, sig.sub_indication) == (Indication.TOTAL_PASSED, None), sig.reasons
    assert sig.level is SignatureLevel.B_B
    assert sig.signer is not None
    assert sig.signer.national_id is not None
    assert sig.signer.national_id.scheme == "VKN"


def test_signature_id_follows_the_invoice(corpus: Path, pki: TestPki, trust: TrustDouble) -> None:
    sig = _verify(pki, trust, _sign(pki, _tr(corpus, "efatura.xml")))
    assert sig.id == "Signature_MRS2026000000001"


def test_already_signed_invoice_is_refused(corpus: Path, pki: TestPki) -> None:
    signed = _sign(pki, _tr(corpus, "efatura.xml"))
    with pytest.raises(SigningError):
        _sign(pki, signed)


def test_invoice_signature_elsewhere_fails_the_ubl_location(
    corpus: Path, pki: TestPki, trust: TrustDouble
) -> None:
    signed = sign_xml(_tr(corpus, "efatura.xml"), pki.key(SEAL), pki.chain(SEAL), signing_time=T)
    sig = _verify(pki, trust, signed)
    assert (sig.indication, sig.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.SIG_CONSTRAINTS_FAILURE,
    )
    assert _verify(pki, trust, signed, XML_DEFAULT).passed


def test_real_kamu_sm_invoice_tampered_is_hash_failure(corpus: Path, trust: TrustDouble) -> None:
    data = _tr(corpus, "already-signed-but-not-valid.xml")
    report = verify_xml(data, trust=trust, validation_time=T, constraints=UBL_TR_STRICT)
    (sig,) = report.signatures
    assert (sig.indication, sig.sub_indication) == (
        Indication.TOTAL_FAILED,
        SubIndication.HASH_FAILURE,
    )
    assert any(r.code == "xml.digest-mismatch" for r in sig.reasons)


def _legacy_type(sig: etree._Element) -> None:
    for ref in sig.findall("ds:SignedInfo/ds:Reference", NS):
        if ref.get("Type") == "http://uri.etsi.org/01903#SignedProperties":
            ref.set("Type", "http://uri.etsi.org/01903/v1.3.2/XAdES.xsd#SignedProperties")


def _drop_sp_reference(sig: etree._Element) -> None:
    for ref in sig.findall("ds:SignedInfo/ds:Reference", NS):
        if ref.get("Type") == "http://uri.etsi.org/01903#SignedProperties":
            ref.getparent().remove(ref)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (_legacy_type, "xades.legacy-tr-signedproperties-type"),
        (_drop_sp_reference, "xades.legacy-tr-missing-signedproperties-reference"),
    ],
    ids=["type-uri-variant", "missing-signedproperties-reference"],
)
def test_legacy_quirks_strict_fail_lenient_warn(
    corpus: Path, pki: TestPki, trust: TrustDouble, mutate: object, code: str
) -> None:
    signed = resign(_sign(pki, _tr(corpus, "efatura.xml")), pki.key(SEAL), mutate)  # type: ignore[arg-type]
    strict = _verify(pki, trust, signed, UBL_TR_STRICT)
    assert (strict.indication, strict.sub_indication) == (
        Indication.INDETERMINATE,
        SubIndication.SIG_CONSTRAINTS_FAILURE,
    )
    assert [r.code for r in strict.reasons] == [code]
    lenient = _verify(pki, trust, signed, UBL_TR_LENIENT)
    assert (lenient.indication, lenient.sub_indication) == (Indication.TOTAL_PASSED, None)
    assert code in [w.code for w in lenient.warnings]
