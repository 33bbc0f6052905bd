"""parse_trusted_list: every part of the TS 119 612 model, for TL v5 and v6."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from esig.errors import TrustListError
from esig.trust import (
    AdditionalServiceInformation,
    CertSubjectDNAttributeCriterion,
    CriteriaAssert,
    DigitalIdentity,
    ExtendedKeyUsageCriterion,
    KeyUsageBit,
    LangText,
    Qualifier,
    ServiceStatus,
    ServiceType,
    TakenOverBy,
    TslType,
    UnknownExtension,
    parse_trusted_list,
)
from tests.trust import _tlgen

SERVICE_CERT = base64.b64decode(_tlgen.SERVICE_CERT_B64)
SKI = bytes(range(20))
OCSP_QC = "http://uri.etsi.org/TrstSvc/Svctype/Certstatus/OCSP/QC"


@pytest.mark.parametrize("version", [5, 6])
def test_scheme_information(version: int) -> None:
    tl = parse_trusted_list(_tlgen.tl_xml(version=version, sequence=7, territory="TR"))
    assert tl.version == version
    assert tl.sequence_number == 7
    assert tl.tsl_type == TslType.EU_GENERIC
    assert tl.tsl_id == "tl-root"
    assert tl.scheme_operator_names == (
        LangText("en", "Test Scheme Operator"),
        LangText("az", "Sınaq operatoru"),
    )
    assert tl.scheme_names == (LangText("en", "TR: test scheme"),)
    assert tl.scheme_information_uris == (LangText("en", "https://example.test/tl"),)
    assert tl.status_determination_approach == (
        "http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate"
    )
    assert tl.scheme_type_community_rules == (
        "http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUcommon",
    )
    assert tl.scheme_territory == "TR"
    assert tl.historical_information_period == 65535
    assert tl.issue_time == datetime(2026, 5, 1, tzinfo=UTC)
    assert tl.next_update == datetime(2026, 11, 1, tzinfo=UTC)
    assert tl.distribution_points == ("https://example.test/tl.xml",)
    assert tl.signature.present is False
    assert tl.signature.count == 0


def test_closed_list_has_no_next_update() -> None:
    tl = parse_trusted_list(_tlgen.tl_xml(next_update=None))
    assert tl.next_update is None


@pytest.mark.parametrize("version", [5, 6])
def test_pointer(version: int) -> None:
    (pointer,) = parse_trusted_list(_tlgen.tl_xml(version=version)).pointers
    assert pointer.location == "https://example.test/eu-lotl.xml"
    assert pointer.tsl_type == TslType.EU_LIST_OF_THE_LISTS
    assert pointer.scheme_territory == "EU"
    assert pointer.mime_type == "application/vnd.etsi.tsl+xml"
    assert pointer.scheme_operator_names == (LangText("en", "European Commission"),)
    assert pointer.scheme_type_community_rules == (
        "http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUlistofthelists",
    )
    assert pointer.digital_identities == (
        DigitalIdentity(certificates=(SERVICE_CERT,)),
        DigitalIdentity(subject_names=("CN=EU LOTL signer",)),
    )
    assert pointer.signing_certificates == (SERVICE_CERT,)
    assert pointer.mra is None
    assert pointer.has_mra is False


@pytest.mark.parametrize("version", [5, 6])
def test_provider(version: int) -> None:
    (provider,) = parse_trusted_list(_tlgen.tl_xml(version=version)).providers
    assert provider.names == (LangText("en", "Test TSP"),)
    assert provider.trade_names == (LangText("en", "VATAZ-1234567890"),)
    assert provider.information_uris == (LangText("en", "https://tsp.example.test"),)
    assert provider.electronic_addresses == ("mailto:tsp@example.test",)
    assert len(provider.services) == 1


@pytest.mark.parametrize("version", [5, 6])
def test_service_current_information(version: int) -> None:
    tl = parse_trusted_list(_tlgen.tl_xml(version=version, service_name="Baku CA"))
    (service,) = tl.services
    assert service.type_uri == ServiceType.CA_QC
    assert service.names == (LangText("en", "Baku CA"),)
    assert service.digital_identity == DigitalIdentity(
        certificates=(SERVICE_CERT,),
        subject_names=("CN=Test Qualified CA,C=AZ",),
        skis=(SKI,),
    )
    assert service.status == ServiceStatus.GRANTED
    assert service.status_starting_time == datetime(2020, 1, 1, tzinfo=UTC)
    assert service.scheme_service_definition_uris == (
        LangText("en", "https://example.test/scheme-service"),
    )
    assert service.tsp_service_definition_uris == (LangText("az", "https://tsp.example.test/cps"),)
    assert service.supply_points == ("http://ocsp.example.test/", "http://crl.example.test/ca.crl")
    # v6 types its supply points; v5 has no type attribute.
    expected_types = (OCSP_QC, None) if version == 6 else (None, None)
    assert service.supply_point_types == expected_types


def test_qualifications_and_criteria() -> None:
    (service,) = parse_trusted_list(_tlgen.tl_xml()).services
    (element,) = service.qualifications
    assert element.qualifiers == (Qualifier.QC_WITH_QSCD, Qualifier.QC_FOR_ESIG)
    criteria = element.criteria
    assert criteria.assertion is CriteriaAssert.AT_LEAST_ONE
    assert criteria.key_usage == (
        (KeyUsageBit("nonRepudiation", True), KeyUsageBit("digitalSignature", False)),
    )
    # urn:oid: prefix removed
    assert criteria.policy_sets == (("0.4.0.194112.1.2",),)
    assert criteria.description == "natural persons"
    assert criteria.other_criteria == ()
    (nested,) = criteria.criteria_lists
    assert nested.assertion is CriteriaAssert.NONE
    assert nested.other_criteria == (
        ExtendedKeyUsageCriterion(("1.3.6.1.5.5.7.3.1",)),
        CertSubjectDNAttributeCriterion(("2.5.4.97",)),
    )


def test_other_extensions() -> None:
    (service,) = parse_trusted_list(_tlgen.tl_xml()).services
    assert service.additional_information == (
        AdditionalServiceInformation(
            uri="http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures",
            information_value=None,
            critical=True,
        ),
    )
    assert service.expired_certs_revocation_info == datetime(2019, 12, 31, tzinfo=UTC)
    assert service.taken_over_by == TakenOverBy(
        uri="https://other.example.test/ca",
        tsp_names=(LangText("en", "Other TSP"),),
        scheme_operator_names=(LangText("en", "Other operator"),),
        scheme_territory="TR",
    )
    # An unknown critical extension survives so that a consumer can refuse the service.
    assert service.unknown_extensions == (
        UnknownExtension(tag="{urn:example:az}AzNational", critical=True),
    )


def test_history_is_newest_first_with_ends() -> None:
    (service,) = parse_trusted_list(_tlgen.tl_xml()).services
    assert [(p.status, p.start, p.end) for p in service.history] == [
        (
            ServiceStatus.WITHDRAWN,
            datetime(2018, 6, 1, 12, tzinfo=UTC),
            datetime(2020, 1, 1, tzinfo=UTC),
        ),
        (
            ServiceStatus.UNDER_SUPERVISION,
            datetime(2015, 1, 1, tzinfo=UTC),
            datetime(2018, 6, 1, 12, tzinfo=UTC),
        ),
    ]
    for period in service.history:
        assert period.is_current is False
        assert period.type_uri == ServiceType.CA_QC
        assert period.digital_identity == DigitalIdentity(skis=(SKI,))
        assert period.qualifications == ()
    current = service.current_period
    assert (current.status, current.start, current.end, current.is_current) == (
        ServiceStatus.GRANTED,
        datetime(2020, 1, 1, tzinfo=UTC),
        None,
        True,
    )


def test_datetime_forms() -> None:
    xml = _tlgen.tl_xml().replace(
        b"<ListIssueDateTime>2026-05-01T00:00:00Z",
        b"<ListIssueDateTime>2026-05-01T02:30:00.1234567+02:00",
    )
    tl = parse_trusted_list(xml)
    assert tl.issue_time == datetime(2026, 5, 1, 0, 30, 0, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"<TSLSequenceNumber>42<", b"<TSLSequenceNumber>-1<", "TSLSequenceNumber"),
        (b"<TSLSequenceNumber>42</TSLSequenceNumber>", b"", "TSLSequenceNumber is missing"),
        (
            b"2026-05-01T00:00:00Z</ListIssueDateTime>",
            b"May 2026</ListIssueDateTime>",
            "ListIssueDateTime",
        ),
        (
            b"2026-05-01T00:00:00Z</ListIssueDateTime>",
            b"2026-05-01</ListIssueDateTime>",
            "not a date and time",
        ),
        (
            b"AAECAwQFBgcICQoLDA0ODxAREhM=</X509SKI></DigitalId></ServiceDigitalIdentity>",
            b"!!</X509SKI></DigitalId></ServiceDigitalIdentity>",
            "X509SKI",
        ),
        (b'assert="atLeastOne"', b'assert="some"', "assert"),
        (b">true</ecc:KeyUsageBit>", b">yes</ecc:KeyUsageBit>", "KeyUsageBit"),
        (b"<TrustServiceStatusList ", b"<TrustServiceStatusLis ", "not well-formed"),
        (b"<SchemeInformation>", b"<SchemeInformatio>", "not well-formed"),
    ],
)
def test_malformed_lists_raise_trust_list_error(old: bytes, new: bytes, message: str) -> None:
    xml = _tlgen.tl_xml()
    assert old in xml
    with pytest.raises(TrustListError, match=message):
        parse_trusted_list(xml.replace(old, new, 1))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"<a/>",
        b"\x00\x01\x02",
        b"<?xml version='1.0'?>",
        b"<TrustServiceStatusList/>",
    ],
)
def test_not_a_trusted_list(data: bytes) -> None:
    with pytest.raises(TrustListError):
        parse_trusted_list(data)


def test_wrong_input_type() -> None:
    with pytest.raises(TrustListError, match="must be bytes"):
        parse_trusted_list("<x/>")  # type: ignore[arg-type]


def test_deep_criteria_nesting_is_refused() -> None:
    sie = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
    deep = f'<ecc:CriteriaList xmlns:ecc="{sie}" assert="all">' * 40 + "</ecc:CriteriaList>" * 40
    xml = _tlgen.tl_xml().replace(b"<ecc:Description>", deep.encode() + b"<ecc:Description>")
    with pytest.raises(TrustListError, match="nested deeper"):
        parse_trusted_list(xml)


@pytest.mark.corpus
def test_dss_tl_v5_and_v6_corpus(corpus) -> None:  # type: ignore[no-untyped-def]
    base = corpus / "trusted-lists/dss/specs-trusted-list"
    v5 = parse_trusted_list((base / "tlv5.xml").read_bytes())
    v6 = parse_trusted_list((base / "tlv6.xml").read_bytes())
    assert (v5.version, v6.version) == (5, 6)
    for tl in (v5, v6):
        assert tl.scheme_territory == "FI"
        assert tl.sequence_number == 49
        assert tl.tsl_id == "id_for_enveloped_signing_of_the_entire_list"
        assert len(tl.providers) == 1
        assert tl.signature.present is True
    ocsp_v5 = next(s for s in v5.services if s.supply_points)
    ocsp_v6 = next(s for s in v6.services if s.supply_points)
    assert ocsp_v5.supply_points == ocsp_v6.supply_points
    assert set(ocsp_v5.supply_point_types) == {None}
    assert set(ocsp_v6.supply_point_types) == {OCSP_QC}
    # Everything but the supply-point types and the signature is the same in both.
    assert [s.names for s in v5.services] == [s.names for s in v6.services]
    assert [s.history for s in v5.services] == [s.history for s in v6.services]
