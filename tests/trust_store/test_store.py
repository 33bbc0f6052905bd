"""TrustStore loading: verification, problems, cache and offline use, anchors, national bundles."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509

from esig.errors import ConfigurationError
from esig.report import CertificateQualification as CQ
from esig.report import SignatureQualification as SQ
from esig.trust.builder import ProviderSpec, ServiceSpec, TrustedListSpec, build_trusted_list
from esig.trust.fetch import MemoryFetcher, TrustListCache
from esig.trust.lotl import LotlAnchor
from esig.trust.national import NationalCa, NationalCaBundle
from esig.trust.source import TrustSource
from esig.trust.store import EuLotlSource, LotlSource, TrustedListSource, TrustStore
from esig.trust.uris import ServiceStatus, ServiceType
from tests.trust_store.conftest import (
    AZ_IDCARD,
    BASE,
    LOAD_TIME,
    TR_NES,
    chain,
    der,
    operator_cert,
    sign_spec_xml,
)

AZ_LIST = f"{BASE}/az/az-tl.xml"
TR_LIST = f"{BASE}/tr/tr-tl.xml"
SIGNING = datetime(2026, 5, 20, 9, 30, tzinfo=UTC)


def _subjects(certs: object) -> list[str]:
    return sorted(c.subject.rfc4514_string().split(",")[0] for c in certs)  # type: ignore[attr-defined]


def test_store_is_a_trust_source(fetcher: MemoryFetcher) -> None:
    store = TrustStore.load(
        [TrustedListSource(AZ_LIST, (operator_cert("az"),))], at=LOAD_TIME, fetcher=fetcher
    )
    assert isinstance(store, TrustSource)
    assert store.problems == ()
    (loaded,) = store.lists
    assert (loaded.kind, loaded.territory, loaded.sequence_number, loaded.services) == (
        "trusted-list",
        "AZ",
        1,
        4,
    )
    assert loaded.issue_time == datetime(2026, 1, 1, tzinfo=UTC)
    assert loaded.next_update == datetime(2027, 12, 31, tzinfo=UTC)
    assert loaded.signer == (
        "CN=AZ TEST Trusted List Scheme Operator (TEST ONLY),"
        "O=esig TEST data - not a real scheme operator,C=AZ"
    )


def test_anchors_and_tsa_anchors(fetcher: MemoryFetcher) -> None:
    store = TrustStore.load(
        [
            TrustedListSource(AZ_LIST, (operator_cert("az"),)),
            TrustedListSource(TR_LIST, (operator_cert("tr"),)),
        ],
        at=LOAD_TIME,
        fetcher=fetcher,
    )
    assert _subjects(store.anchors(LOAD_TIME)) == [
        "CN=AZ TEST ID Card Issuing CA",
        "CN=AZ TEST Mobile Signature CA",
        "CN=AZ TEST Root Certification Authority",
        "CN=TR TEST Kök Elektronik Sertifika Hizmet Sağlayıcısı",
        "CN=TR TEST Mali Mühür Sertifika Hizmet Sağlayıcı - Sürüm 1",
        "CN=TR TEST Nitelikli Sertifika Hizmet Sağlayıcısı - Sürüm 1",
    ]
    assert _subjects(store.tsa_anchors(LOAD_TIME)) == [
        "CN=AZ TEST Zaman Damğası Xidməti",
        "CN=TR TEST Zaman Damgası Sunucusu",
    ]
    # before the TSAs were listed (2025-06-01) there is no TSA anchor
    assert list(store.tsa_anchors(datetime(2025, 1, 1, tzinfo=UTC))) == []


def test_directly_trusted_national_list_qualifies_under_home_legislation(
    fetcher: MemoryFetcher,
) -> None:
    store = TrustStore.load(
        [TrustedListSource(TR_LIST, (operator_cert("tr"),))], at=LOAD_TIME, fetcher=fetcher
    )
    outcome = store.qualify(chain(*TR_NES), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_signing) == (SQ.QESIG, CQ.QC_FOR_ESIG_QSCD)
    codes = [f.code for f in outcome.findings]
    assert "qual.national-legislation" in codes
    assert "qual.override" in codes  # QCWithQSCD: the NES certificate itself claims no QSCD
    strict = TrustStore.load(
        [TrustedListSource(TR_LIST, (operator_cert("tr"),), accept_home_legislation=False)],
        at=LOAD_TIME,
        fetcher=fetcher,
    )
    outcome = strict.qualify(chain(*TR_NES), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_signing) == (SQ.ADESIG, CQ.CERT_FOR_ESIG)
    assert "qual.foreign-legislation" in [f.code for f in outcome.findings]


def test_mali_muhur_seal_is_not_qualified(fetcher: MemoryFetcher) -> None:
    store = TrustStore.load(
        [TrustedListSource(TR_LIST, (operator_cert("tr"),))], at=LOAD_TIME, fetcher=fetcher
    )
    outcome = store.qualify(
        chain("tr-malimuhur-seal", "tr-malimuhur-ca", "tr-root"), signing_time=SIGNING
    )
    # CA/PKC service, certificate without QC statements: not qualified, type unknown
    assert (outcome.signature, outcome.at_signing) == (SQ.UNKNOWN, CQ.CERT_FOR_UNKNOWN)


@pytest.mark.parametrize(
    ("pin_side", "mutate", "code"),
    [
        ("tr", None, "tl.unexpected-signer"),
        (
            "az",
            lambda b: b.replace(b"AZ TEST ID Card Issuing CA", b"AZ TEST ID Card Issuing CB"),
            "tl.signature-invalid",
        ),
        ("az", lambda b: b"<not-xml", "tl.malformed"),
    ],
    ids=["wrong-pin", "tampered", "malformed"],
)
def test_rejected_lists_are_kept_as_problems(
    documents: dict[str, bytes], pin_side: str, mutate: object, code: str
) -> None:
    if mutate is not None:
        documents[AZ_LIST] = mutate(documents[AZ_LIST])  # type: ignore[operator]
    store = TrustStore.load(
        [TrustedListSource(AZ_LIST, (operator_cert(pin_side),))],
        at=LOAD_TIME,
        fetcher=MemoryFetcher(documents),
    )
    (problem,) = store.problems
    assert problem.location == AZ_LIST
    assert problem.usable is False
    assert problem.reasons[0].code == code
    outcome = store.qualify(chain(*AZ_IDCARD), signing_time=SIGNING)
    assert outcome.signature is SQ.NA
    assert list(store.anchors(LOAD_TIME)) == []


def test_expired_list_is_rejected(fetcher: MemoryFetcher) -> None:
    store = TrustStore.load(
        [TrustedListSource(AZ_LIST, (operator_cert("az"),))],
        at=datetime(2028, 1, 2, tzinfo=UTC),
        fetcher=fetcher,
    )
    assert [f.code for f in store.problems[0].reasons] == ["tl.expired"]


def test_unavailable_member_list_is_a_problem(documents: dict[str, bytes]) -> None:
    del documents[AZ_LIST]
    store = TrustStore.load(
        [LotlSource(f"{BASE}/mra/tr-recognition.xml", (operator_cert("tr"),))],
        at=LOAD_TIME,
        fetcher=MemoryFetcher(documents),
    )
    assert [(x.kind, x.usable) for x in store.lists] == [("lotl", True), ("third-country", False)]
    assert store.problems[0].reasons[0].code == "tl.unavailable"
    assert store.problems[0].via == f"{BASE}/mra/tr-recognition.xml"


def test_cache_is_written_then_used_offline(fetcher: MemoryFetcher, tmp_path: Path) -> None:
    cache = TrustListCache(tmp_path / "cache")
    source = LotlSource(f"{BASE}/mra/tr-recognition.xml", (operator_cert("tr"),))
    TrustStore.load([source], at=LOAD_TIME, fetcher=fetcher, cache=cache)
    assert [e.location for e in cache.entries()] == [AZ_LIST, f"{BASE}/mra/tr-recognition.xml"]
    assert cache.entries()[0].fetched_at == LOAD_TIME
    offline = TrustStore.load([source], at=LOAD_TIME, cache=cache)
    assert offline.problems == ()
    assert offline.qualify(chain(*AZ_IDCARD), signing_time=SIGNING).signature is SQ.QESIG


def test_fetch_failure_falls_back_to_the_cache(fetcher: MemoryFetcher, tmp_path: Path) -> None:
    cache = TrustListCache(tmp_path)
    source = TrustedListSource(AZ_LIST, (operator_cert("az"),))
    TrustStore.load([source], at=LOAD_TIME, fetcher=fetcher, cache=cache)
    store = TrustStore.load([source], at=LOAD_TIME, fetcher=MemoryFetcher({}), cache=cache)
    assert store.problems == ()


def test_offline_without_cache_entry(tmp_path: Path) -> None:
    store = TrustStore.load(
        [TrustedListSource(AZ_LIST, (operator_cert("az"),))],
        at=LOAD_TIME,
        cache=TrustListCache(tmp_path),
    )
    assert store.problems[0].reasons[0].code == "tl.unavailable"


def test_configuration_errors() -> None:
    source = TrustedListSource(AZ_LIST, (operator_cert("az"),))
    with pytest.raises(ConfigurationError, match="fetcher or a cache"):
        TrustStore.load([source], at=LOAD_TIME)
    with pytest.raises(ConfigurationError, match="timezone-aware"):
        TrustStore.load([source], at=datetime(2026, 1, 1), cache=TrustListCache("/nonexistent"))
    with pytest.raises(ConfigurationError, match="not a trust source"):
        TrustStore.load(["https://example.invalid"], at=LOAD_TIME)  # type: ignore[list-item]
    store = TrustStore.load([], at=LOAD_TIME)
    with pytest.raises(ConfigurationError, match="at least the signer"):
        store.qualify([], signing_time=SIGNING)


def test_national_ca_bundle() -> None:
    bundle = NationalCaBundle(
        territory="AZ",
        operator="AZ customs (local configuration)",
        cas=(
            NationalCa(
                der("az-root"),
                type_uri=ServiceType.NATIONAL_ROOT_CA_QC,
                status_start=datetime(2024, 1, 1, tzinfo=UTC),
            ),
            NationalCa(der("az-idcard-ca"), status_start=datetime(2024, 6, 1, tzinfo=UTC)),
        ),
    )
    store = TrustStore.load([bundle], at=LOAD_TIME)
    (loaded,) = store.lists
    assert (loaded.kind, loaded.usable, loaded.services) == ("national", True, 2)
    assert [w.code for w in loaded.warnings] == ["tl.not-signed"]
    assert _subjects(store.anchors(LOAD_TIME)) == [
        "CN=AZ TEST ID Card Issuing CA",
        "CN=AZ TEST Root Certification Authority",
    ]
    outcome = store.qualify(chain(*AZ_IDCARD), signing_time=SIGNING)
    # compliance + QcSSCD + QcCClegislation AZ under the AZ bundle: qualified (national law)
    assert (outcome.signature, outcome.at_signing) == (SQ.QESIG, CQ.QC_FOR_ESIG_QSCD)
    assert (
        outcome.service == "AZ: AZ TEST ID Card Issuing CA (AZ TEST Daxili İşlər Sertifikat "
        "Xidmətləri Mərkəzi)"
    )
    assert store.vouching(chain(*AZ_IDCARD)) == (1, (outcome.service,))
    assert store.vouching(chain(*TR_NES)) == (-1, ())


def test_root_only_bundle_anchors_at_the_root() -> None:
    bundle = NationalCaBundle(
        "AZ",
        "AZ customs",
        (NationalCa(der("az-root"), status_start=datetime(2024, 1, 1, tzinfo=UTC)),),
    )
    store = TrustStore.load([bundle], at=LOAD_TIME)
    index, labels = store.vouching(chain(*AZ_IDCARD))
    assert (index, labels) == (
        3,
        ("AZ: AZ TEST Root Certification Authority (AZ TEST Milli Sertifikat Xidmətləri Mərkəzi)",),
    )


def test_eu_lotl_source_with_an_explicit_anchor(fetcher: MemoryFetcher) -> None:
    anchor = LotlAnchor(certificates=(operator_cert("mra"),))
    store = TrustStore.load(
        [EuLotlSource(f"{BASE}/mra/eu-recognition.xml", anchors=(anchor,))],
        at=LOAD_TIME,
        fetcher=fetcher,
    )
    assert [(x.kind, x.territory, x.usable, x.recognised_by) for x in store.lists] == [
        ("lotl", "EU", True, None),
        ("third-country", "AZ", True, "EU"),
        ("third-country", "TR", True, "EU"),
    ]
    assert store.qualify(chain(*AZ_IDCARD), signing_time=SIGNING).signature is SQ.QESIG
    assert store.qualify(chain(*TR_NES), signing_time=SIGNING).signature is SQ.QESIG


def test_eu_lotl_source_with_the_wrong_anchor(fetcher: MemoryFetcher) -> None:
    anchor = LotlAnchor(certificates=(operator_cert("az"),))
    store = TrustStore.load(
        [EuLotlSource(f"{BASE}/mra/eu-recognition.xml", anchors=(anchor,))],
        at=LOAD_TIME,
        fetcher=fetcher,
    )
    (problem,) = store.problems
    assert (problem.kind, problem.territory, problem.sequence_number) == ("lotl", "EU", 1)
    assert problem.reasons[0].code.startswith("lotl.")
    assert list(store.anchors(LOAD_TIME)) == []


def test_service_identified_by_ski_only() -> None:
    spec = TrustedListSpec(
        territory="EE",
        operator_name="EE TEST operator",
        scheme_name="EE TEST list",
        sequence_number=2,
        tsl_type="http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric",
        issued=datetime(2026, 1, 1, tzinfo=UTC),
        next_update=datetime(2027, 1, 1, tzinfo=UTC),
        providers=(
            ProviderSpec(
                name="EE TEST QTSP",
                services=(
                    ServiceSpec(
                        type_uri=ServiceType.CA_QC,
                        name="EE TEST ID card CA",
                        certificates=(der("ee-idcard-ca"),),
                        status=ServiceStatus.GRANTED,
                        status_start=datetime(2024, 6, 1, tzinfo=UTC),
                    ),
                ),
            ),
        ),
    )
    ca = chain("ee-idcard-ca")[0]
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    xml = build_trusted_list(spec)
    b64 = base64.b64encode(der("ee-idcard-ca"))
    xml = xml.replace(
        b"<X509Certificate>" + b64 + b"</X509Certificate>",
        b"<X509SKI>" + base64.b64encode(ski) + b"</X509SKI>",
    )
    assert b"X509SKI" in xml
    fetcher = MemoryFetcher({"ee": sign_spec_xml(xml, "mra")})
    store = TrustStore.load(
        [TrustedListSource("ee", (operator_cert("mra"),))], at=LOAD_TIME, fetcher=fetcher
    )
    assert store.problems == ()
    assert store.vouching(chain("ee-idcard-signer", "ee-idcard-ca"))[0] == 1
    # no certificate in the identity: nothing to offer as an anchor
    assert list(store.anchors(LOAD_TIME)) == []
    outcome = store.qualify(chain("ee-idcard-signer", "ee-idcard-ca"), signing_time=SIGNING)
    assert outcome.signature is SQ.QESIG


def test_extra_anchors_anchor_but_do_not_qualify() -> None:
    root = chain("ee-root")[0]
    store = TrustStore.load([], at=LOAD_TIME, extra_anchors=[root])
    assert list(store.anchors(LOAD_TIME)) == [root]
    assert list(store.tsa_anchors(LOAD_TIME)) == [root]
    outcome = store.qualify(
        chain("ee-idcard-signer", "ee-idcard-ca", "ee-root"), signing_time=SIGNING
    )
    assert (outcome.signature, outcome.service) == (SQ.NA, None)
