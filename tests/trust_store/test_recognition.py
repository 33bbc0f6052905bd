"""Mutual recognition end to end: AZ under the TR side's MRA, TR under the AZ side's, both under
the EU side's, and DSS's own third-country example (cookbook mra-lotl.xml + mra-zz-tl.xml)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from esig.certs import read_certificate
from esig.report import CertificateQualification as CQ
from esig.report import SignatureQualification as SQ
from esig.trust.fetch import MemoryFetcher
from esig.trust.store import LotlSource, TrustStore
from tests.trust_store.conftest import (
    AZ_IDCARD,
    BASE,
    LOAD_TIME,
    TR_NES,
    chain,
    operator_cert,
)

SIGNING = datetime(2026, 5, 20, 9, 30, tzinfo=UTC)
TR_SIDE = f"{BASE}/mra/tr-recognition.xml"
AZ_SIDE = f"{BASE}/mra/az-recognition.xml"
EU_SIDE = f"{BASE}/mra/eu-recognition.xml"


def _store(location: str, side: str, fetcher: MemoryFetcher) -> TrustStore:
    return TrustStore.load(
        [LotlSource(location, (operator_cert(side),))], at=LOAD_TIME, fetcher=fetcher
    )


def _codes(findings: Any) -> list[str]:
    return [f.code for f in findings]


def test_az_idcard_is_qesig_under_tr_recognition(fetcher: MemoryFetcher) -> None:
    store = _store(TR_SIDE, "tr", fetcher)
    assert [(x.kind, x.territory, x.usable) for x in store.lists] == [
        ("lotl", "TR", True),
        ("third-country", "AZ", True),
    ]
    assert store.lists[1].recognised_by == "TR"
    outcome = store.qualify(chain(*AZ_IDCARD), signing_time=SIGNING)
    assert outcome.signature is SQ.QESIG
    assert outcome.at_issuance is CQ.QC_FOR_ESIG_QSCD
    assert outcome.at_signing is CQ.QC_FOR_ESIG_QSCD
    assert (
        outcome.service == "AZ: AZ TEST ID Card Issuing CA (AZ TEST Daxili İşlər Sertifikat "
        "Xidmətləri Mərkəzi)"
    )
    assert _codes(outcome.findings) == [
        "trust.anchor",
        "mra.applied",
        "mra.certificate-content",
        "qual.service",
        "qual.result",
        "qual.service",
        "qual.result",
    ]
    mapping = {f.code: f.message for f in outcome.findings}
    assert mapping["mra.applied"].startswith(
        "TR recognition of AZ: QCForESig enacted since 2025-01-01T00:00:00+00:00"
    )
    assert mapping["mra.certificate-content"] == (
        'QCForESig: certificate content [QcCompliance, QcQSCD] read as "QcCompliance QcSSCD" '
        '(third-country original: "QcCompliance QcSSCD QcCClegislation=AZ")'
    )


def test_tr_nes_is_qesig_under_az_recognition(fetcher: MemoryFetcher) -> None:
    outcome = _store(AZ_SIDE, "az", fetcher).qualify(chain(*TR_NES), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_issuance, outcome.at_signing) == (
        SQ.QESIG,
        CQ.QC_FOR_ESIG_QSCD,
        CQ.QC_FOR_ESIG_QSCD,
    )
    content = next(f.message for f in outcome.findings if f.code == "mra.certificate-content")
    # the BTK NES statement stands for QcSSCD; QcCClegislation TR is dropped
    assert content == (
        'QCForESig: certificate content [QcCompliance, QcQSCD] read as "QcCompliance QcSSCD '
        'BTK-NES" (third-country original: "QcCompliance QcCClegislation=TR BTK-NES")'
    )


@pytest.mark.parametrize(
    ("location", "side", "names"),
    [(EU_SIDE, "mra", AZ_IDCARD), (EU_SIDE, "mra", TR_NES)],
    ids=["eu-recognises-az", "eu-recognises-tr"],
)
def test_eu_side_recognises_both(
    fetcher: MemoryFetcher, location: str, side: str, names: tuple[str, ...]
) -> None:
    outcome = _store(location, side, fetcher).qualify(chain(*names), signing_time=SIGNING)
    assert outcome.signature is SQ.QESIG
    applied = next(f.message for f in outcome.findings if f.code == "mra.applied")
    assert applied.startswith(f"EU recognition of {names[0][:2].upper()}: QCForESig")


def test_tr_side_does_not_recognise_tr_or_ee(fetcher: MemoryFetcher) -> None:
    store = _store(TR_SIDE, "tr", fetcher)
    outcome = store.qualify(chain(*TR_NES), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_signing, outcome.service) == (SQ.NA, CQ.NA, None)
    assert _codes(outcome.findings) == ["qual.no-service"]


def _set_equivalence(**changes: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["pointer"][0]["mra"]["equivalence"][0].update(changes)

    return edit


def test_repealed_mra_is_not_qualified(
    fetcher: MemoryFetcher, documents: dict[str, bytes], recognition_variant: Any
) -> None:
    documents[TR_SIDE] = recognition_variant(
        "tr",
        _set_equivalence(
            status="repealed",
            start=datetime(2026, 3, 1, tzinfo=UTC),
            history=[{"status": "enacted", "start": datetime(2025, 1, 1, tzinfo=UTC)}],
        ),
    )
    store = _store(TR_SIDE, "tr", MemoryFetcher(documents))
    outcome = store.qualify(chain(*AZ_IDCARD), signing_time=SIGNING)
    # qualified when issued (enacted then), not when signed (repealed since 2026-03-01)
    assert (outcome.signature, outcome.at_issuance, outcome.at_signing) == (
        SQ.NA,
        CQ.QC_FOR_ESIG_QSCD,
        CQ.NA,
    )
    assert "mra.repealed" in _codes(outcome.findings)
    # a signature made before the repeal is still QESig
    before = store.qualify(chain(*AZ_IDCARD), signing_time=datetime(2026, 2, 1, tzinfo=UTC))
    assert before.signature is SQ.QESIG


def test_mra_not_yet_in_force_is_not_qualified(
    documents: dict[str, bytes], recognition_variant: Any
) -> None:
    documents[AZ_SIDE] = recognition_variant(
        "az", _set_equivalence(start=datetime(2026, 9, 1, tzinfo=UTC))
    )
    store = _store(AZ_SIDE, "az", MemoryFetcher(documents))
    outcome = store.qualify(chain(*TR_NES), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_issuance, outcome.at_signing) == (SQ.NA, CQ.NA, CQ.NA)
    assert _codes(outcome.findings).count("mra.not-in-force") == 2


def test_certificate_issued_before_mra_keeps_its_foreign_legislation(
    documents: dict[str, bytes], recognition_variant: Any
) -> None:
    # enacted after the certificate's issuance (2025-06-01), before the signature
    documents[TR_SIDE] = recognition_variant(
        "tr", _set_equivalence(start=datetime(2025, 12, 1, tzinfo=UTC))
    )
    outcome = _store(TR_SIDE, "tr", MemoryFetcher(documents)).qualify(
        chain(*AZ_IDCARD), signing_time=SIGNING
    )
    assert (outcome.signature, outcome.at_issuance, outcome.at_signing) == (
        SQ.ADESIG,
        CQ.NA,
        CQ.CERT_FOR_ESIG,
    )
    assert "mra.content-not-applied" in _codes(outcome.findings)
    assert "qual.foreign-legislation" in _codes(outcome.findings)


def test_two_equivalences_for_one_service_are_not_applied(
    documents: dict[str, bytes], recognition_variant: Any
) -> None:
    def edit(data: dict[str, Any]) -> None:
        eqs = data["pointer"][0]["mra"]["equivalence"]
        eqs.append({**eqs[0], "legal_identifier": "QCForESeal"})

    documents[TR_SIDE] = recognition_variant("tr", edit)
    outcome = _store(TR_SIDE, "tr", MemoryFetcher(documents)).qualify(
        chain(*AZ_IDCARD), signing_time=SIGNING
    )
    assert outcome.signature is SQ.NA
    assert "mra.ambiguous" in _codes(outcome.findings)


def test_unmapped_status_is_not_recognised(
    documents: dict[str, bytes], recognition_variant: Any
) -> None:
    documents[TR_SIDE] = recognition_variant(
        "tr", _set_equivalence(status_valid=[["granted", "recognisedatnationallevel"]])
    )
    outcome = _store(TR_SIDE, "tr", MemoryFetcher(documents)).qualify(
        chain(*AZ_IDCARD), signing_time=SIGNING
    )
    assert outcome.signature is SQ.NA
    assert "mra.no-equivalence" in _codes(outcome.findings)


def test_third_country_anchors_follow_the_mra(fetcher: MemoryFetcher) -> None:
    store = _store(TR_SIDE, "tr", fetcher)
    names = sorted(c.subject.rfc4514_string() for c in store.anchors(LOAD_TIME))
    # only the CA/QC services (the MRA maps CA/QC; the root and the TSA are not mapped)
    assert names == [
        "CN=AZ TEST ID Card Issuing CA,O=AZ TEST Daxili İşlər Sertifikat Xidmətləri Mərkəzi,C=AZ",
        "CN=AZ TEST Mobile Signature CA,O=AZ TEST ASAN Sertifikat Xidmətləri Mərkəzi,C=AZ",
    ]
    assert list(store.tsa_anchors(LOAD_TIME)) == []


# --------------------------------------------------------------------------- DSS cookbook (ZZ)

ZZ_TL = "https://esignature.ec.europa.eu/efda/intl-pilot/api/v1/intl-pilot/tl/mra_tl_zz.xml"


def _zz_chain(corpus: Path) -> list[x509.Certificate]:
    xml = (corpus / "xades/dss/cookbook-mra/john-doe-lta.xml").read_text(encoding="utf-8")
    found = {}
    for b64 in re.findall(r"X509Certificate[^>]*>([^<]+)</", xml):
        data = base64.b64decode(re.sub(r"\s", "", b64))
        if len(data) > 100:
            c = x509.load_der_x509_certificate(data)
            found[c.subject.rfc4514_string()] = c
    prefix = "C=ZZ,OU=PKI-TEST,O=Test Qualified Trust Service Provider 1 from ZZ,CN="
    return [
        found[prefix + cn]
        for cn in ("John Doe", "Test-Qualified-CA1-from-ZZ", "Test-QTSP-1-RootCA-from-ZZ")
    ]


@pytest.mark.corpus
def test_dss_third_country_example_is_qesig(corpus: Path) -> None:
    base = corpus / "trusted-lists/dss/cookbook-mra"
    fetcher = MemoryFetcher(
        {
            "mra-lotl": (base / "mra-lotl.xml").read_bytes(),
            ZZ_TL: (base / "mra-zz-tl.xml").read_bytes(),
        }
    )
    pin = read_certificate(corpus / "certs/dss-test-sources/LU_ZZ-LOTL-signer_23a8fe97.cer").der
    # ThirdCountryLOTLTest filters the LOTL on the ZZ list type
    store = TrustStore.load(
        [
            LotlSource(
                "mra-lotl",
                (pin,),
                tsl_types=("http://uri.etsi.org/TrstSvc/TrustedList/TSLType/ZZlist",),
            )
        ],
        at=datetime(2022, 7, 1, tzinfo=UTC),
        fetcher=fetcher,
    )
    assert [(x.kind, x.territory, x.usable) for x in store.lists] == [
        ("lotl", "EU", True),
        ("third-country", "ZZ", True),
    ]
    outcome = store.qualify(
        _zz_chain(corpus), signing_time=datetime(2022, 7, 28, 8, 38, 23, tzinfo=UTC)
    )
    assert (outcome.signature, outcome.at_issuance, outcome.at_signing) == (
        SQ.QESIG,
        CQ.QC_FOR_ESIG_QSCD,
        CQ.QC_FOR_ESIG_QSCD,
    )
    applied = next(f.message for f in outcome.findings if f.code == "mra.applied")
    assert (
        "type http://zz-trusted-list.go.zz/TrstSvc/Svctype/CA/QC/for-eSig -> "
        "http://uri.etsi.org/TrstSvc/Svctype/CA/QC (ForeSignatures)"
    ) in applied
    assert (
        "qualifiers [http://zz-trusted-list.go.zz/TrstSvc/TrustedList/SvcInfoExt/QCWithQSCD]"
        " -> [QCWithQSCD]"
    ) in applied
    content = next(f.message for f in outcome.findings if f.code == "mra.certificate-content")
    assert content.endswith(
        '(third-country original: "QcCompliance QcSSCD QcType=0.4.0.1862.1.6.1 QcCClegislation=ZZ")'
    )


@pytest.mark.corpus
def test_dss_third_country_example_without_mra_support(corpus: Path) -> None:
    base = corpus / "trusted-lists/dss/cookbook-mra"
    fetcher = MemoryFetcher(
        {
            "mra-lotl": (base / "mra-lotl.xml").read_bytes(),
            ZZ_TL: (base / "mra-zz-tl.xml").read_bytes(),
        }
    )
    pin = read_certificate(corpus / "certs/dss-test-sources/LU_ZZ-LOTL-signer_23a8fe97.cer").der
    store = TrustStore.load(
        [LotlSource("mra-lotl", (pin,), territories=("XX",), mra=False)],
        at=datetime(2022, 7, 1, tzinfo=UTC),
        fetcher=fetcher,
    )
    outcome = store.qualify(_zz_chain(corpus), signing_time=datetime(2022, 7, 28, tzinfo=UTC))
    assert outcome.signature is SQ.NA
