"""build_trusted_list -> sign_trusted_list -> verify_trusted_list gives back the same model."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from esig.errors import InputError, SigningError, TrustListError
from esig.trust import (
    AdditionalServiceInfo,
    CriteriaAssert,
    KeyUsageBit,
    LangText,
    Qualifier,
    ServiceStatus,
    ServiceType,
    TslType,
    parse_trusted_list,
    verify_trusted_list,
)
from esig.trust.builder import (
    PointerSpec,
    ProviderSpec,
    QualificationSpec,
    ServiceHistorySpec,
    ServiceSpec,
    TrustedListSpec,
    build_trusted_list,
    sign_trusted_list,
)
from tests.trust import _tlgen

ISSUED = datetime(2026, 5, 1, tzinfo=UTC)
NEXT = datetime(2026, 11, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)
MRA_FRAGMENT = (
    b'<mra:MutualRecognitionAgreementInformation xmlns:mra="http://ec.europa.eu/tools/lotl/mra/'
    b'schema/v2#" technicalType="1" version="1" MRADepth="1"/>'
)


def spec(version: int, ca_cert: bytes, pointer_cert: bytes) -> TrustedListSpec:
    return TrustedListSpec(
        territory="AZ",
        operator_name="Test operator",
        scheme_name="AZ: test scheme",
        sequence_number=12,
        tsl_type=TslType.EU_GENERIC,
        issued=ISSUED,
        next_update=NEXT,
        version=version,
        distribution_points=("https://example.invalid/az.xml",),
        scheme_rules=("http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUcommon",),
        pointers=(
            PointerSpec(
                location="https://example.invalid/lotl.xml",
                certificates=(pointer_cert,),
                tsl_type=TslType.EU_LIST_OF_THE_LISTS,
                territory="EU",
                operator_name="European Commission",
                other_information=(MRA_FRAGMENT,),
            ),
        ),
        providers=(
            ProviderSpec(
                name="Test TSP",
                trade_names=("VATAZ-1",),
                services=(
                    ServiceSpec(
                        type_uri=ServiceType.CA_QC,
                        name="Qualified CA",
                        certificates=(ca_cert,),
                        status=ServiceStatus.GRANTED,
                        status_start=datetime(2020, 1, 1, tzinfo=UTC),
                        qualifications=(
                            QualificationSpec(
                                qualifiers=(Qualifier.QC_WITH_QSCD,),
                                policy_oids=("0.4.0.194112.1.2", "1.2.3"),
                                key_usage=("nonRepudiation",),
                            ),
                        ),
                        additional_information=(AdditionalServiceInfo.FOR_ESIGNATURES,),
                        expired_certs_revocation_info=datetime(2019, 1, 1, tzinfo=UTC),
                        history=(
                            ServiceHistorySpec(
                                status=ServiceStatus.WITHDRAWN,
                                start=datetime(2018, 1, 1, tzinfo=UTC),
                            ),
                            ServiceHistorySpec(
                                status=ServiceStatus.ACCREDITED,
                                start=datetime(2012, 1, 1, tzinfo=UTC),
                                additional_information=(AdditionalServiceInfo.FOR_ESEALS,),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


@pytest.mark.parametrize("version", [5, 6])
@pytest.mark.parametrize("key_kind", ["ec", "rsa"])
def test_round_trip(signer, other_signer, version: int, key_kind: str) -> None:  # type: ignore[no-untyped-def]
    key, cert = signer
    if key_kind == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = _tlgen.self_signed(key, "RSA TL signer")
    unsigned = build_trusted_list(spec(version, _tlgen.der(other_signer[1]), _tlgen.der(cert)))
    signed = sign_trusted_list(unsigned, key=key, certificate=cert)
    result = verify_trusted_list(
        signed, signing_certificates=[_tlgen.der(cert)], validation_time=NOW
    )
    assert result.usable is True, result.reasons
    assert result.warnings == ()
    tl = result.trusted_list
    assert tl is not None
    expected = parse_trusted_list(unsigned)
    # Same model, apart from the description of the signature.
    assert tl == replace(expected, signature=tl.signature)

    assert (tl.version, tl.sequence_number, tl.scheme_territory) == (version, 12, "AZ")
    assert (tl.issue_time, tl.next_update) == (ISSUED, NEXT)
    assert tl.scheme_operator_names == (LangText("en", "Test operator"),)
    assert tl.distribution_points == ("https://example.invalid/az.xml",)
    (pointer,) = tl.pointers
    assert pointer.signing_certificates == (_tlgen.der(cert),)
    assert (pointer.tsl_type, pointer.scheme_territory) == (TslType.EU_LIST_OF_THE_LISTS, "EU")
    assert pointer.mra is not None
    assert pointer.mra.depth == 1
    (service,) = tl.services
    assert service.digital_identity.certificates == (_tlgen.der(other_signer[1]),)
    (qual,) = service.qualifications
    assert qual.qualifiers == (Qualifier.QC_WITH_QSCD,)
    assert qual.criteria.assertion is CriteriaAssert.AT_LEAST_ONE
    assert qual.criteria.policy_sets == (("0.4.0.194112.1.2",), ("1.2.3",))
    assert qual.criteria.key_usage == ((KeyUsageBit("nonRepudiation", True),),)
    assert [a.uri for a in service.additional_information] == [
        AdditionalServiceInfo.FOR_ESIGNATURES
    ]
    assert service.expired_certs_revocation_info == datetime(2019, 1, 1, tzinfo=UTC)
    assert [(p.status, p.start.year, p.end.year if p.end else None) for p in service.history] == [
        (ServiceStatus.WITHDRAWN, 2018, 2020),
        (ServiceStatus.ACCREDITED, 2012, 2018),
    ]
    assert [a.uri for a in service.history[1].additional_information] == [
        AdditionalServiceInfo.FOR_ESEALS
    ]


def test_closed_list(signer) -> None:  # type: ignore[no-untyped-def]
    s = spec(6, b"\x30\x00", b"\x30\x00")
    closed = build_trusted_list(replace(s, next_update=None))
    assert parse_trusted_list(closed).next_update is None


def test_naive_time_is_refused() -> None:
    s = spec(6, b"\x30\x00", b"\x30\x00")
    with pytest.raises(InputError, match="timezone-aware"):
        build_trusted_list(replace(s, issued=datetime(2026, 5, 1)))


def test_unsupported_key(signer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SigningError, match="Ed25519"):
        sign_trusted_list(
            _tlgen.tl_xml(), key=ed25519.Ed25519PrivateKey.generate(), certificate=signer[1]
        )


def test_signing_hostile_xml_is_refused(signer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TrustListError):
        sign_trusted_list(
            b'<!DOCTYPE x [<!ENTITY e "x">]><a>&e;</a>', key=signer[0], certificate=signer[1]
        )
