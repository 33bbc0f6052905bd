"""List descriptions (TOML) and the bundled TEST-ONLY lists they produce."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from esig.errors import ConfigurationError
from esig.trust.builder import build_trusted_list
from esig.trust.model import SignatureSummary
from esig.trust.national import description_from_mapping, expand_uri, load_description
from esig.trust.parse import parse_trusted_list
from esig.trust.tlsig import verify_trusted_list
from esig.trust.uris import MraEquivalenceStatus, Qualifier, ServiceStatus, ServiceType
from tests.trust_store.conftest import (
    LISTS,
    LOAD_TIME,
    description,
    operator_cert,
    operator_names,
    pki_names,
)


def _strip_signature(xml: bytes) -> bytes:
    return re.sub(rb"<ds:Signature.*</ds:Signature>", b"", xml, flags=re.S)


@pytest.mark.parametrize("side", ["az", "tr"])
def test_bundled_lists_match_their_descriptions(side: str) -> None:
    data = description(LISTS / side / f"{side}-tl.toml")
    names = pki_names(
        *(c for p in data["provider"] for s in p["service"] for c in s["certificates"])
    )
    rebuilt = build_trusted_list(description_from_mapping(data, names))
    shipped = (LISTS / side / f"{side}-tl.xml").read_bytes()
    unsigned = SignatureSummary(present=False)
    assert replace(parse_trusted_list(rebuilt), signature=unsigned) == replace(
        parse_trusted_list(_strip_signature(shipped)), signature=unsigned
    )
    verified = verify_trusted_list(
        shipped, signing_certificates=[operator_cert(side)], validation_time=LOAD_TIME
    )
    assert verified.usable


@pytest.mark.parametrize(("name", "signer"), [("eu", "mra"), ("tr", "tr"), ("az", "az")])
def test_bundled_recognition_lists_verify_and_carry_the_mra(name: str, signer: str) -> None:
    shipped = (LISTS / "mra" / f"{name}-recognition.xml").read_bytes()
    verified = verify_trusted_list(
        shipped, signing_certificates=[operator_cert(signer)], validation_time=LOAD_TIME
    )
    assert verified.usable
    assert verified.trusted_list is not None
    pointers = verified.trusted_list.pointers
    expected = {"eu": ["AZ", "TR"], "tr": ["AZ"], "az": ["TR"]}[name]
    assert [p.scheme_territory for p in pointers] == expected
    for pointer in pointers:
        assert pointer.mra is not None
        (eq,) = pointer.mra.equivalences
        assert (eq.legal_identifier, eq.status, eq.status_starting_time) == (
            "QCForESig",
            MraEquivalenceStatus.ENACTED,
            datetime(2025, 1, 1, tzinfo=UTC),
        )
        assert pointer.mra.pointing_legislation == name.upper()
        assert pointer.mra.pointed_legislation == pointer.scheme_territory
        assert [c.context.rsplit("/", 1)[-1] for c in eq.certificate_content_equivalences] == [
            "QcCompliance",
            "QcQSCD",
        ]


def test_description_round_trip_of_qualifiers_and_history() -> None:
    data: dict[str, Any] = description(LISTS / "tr" / "tr-tl.toml")
    service = data["provider"][0]["service"][1]
    service["history"] = [{"status": "undersupervision", "start": datetime(2015, 1, 1, tzinfo=UTC)}]
    spec = description_from_mapping(
        data, pki_names("tr-root", "tr-nes-ca", "tr-malimuhur-ca", "tr-tsa")
    )
    tl = parse_trusted_list(build_trusted_list(spec))
    nes = tl.services[1]
    assert nes.type_uri == ServiceType.CA_QC
    assert nes.qualifications[0].qualifiers == (Qualifier.QC_FOR_ESIG, Qualifier.QC_WITH_QSCD)
    assert nes.qualifications[0].criteria.policy_sets == (("2.16.792.1.2.1.1.5.7.1.1",),)
    assert [h.status for h in nes.history] == [ServiceStatus.UNDER_SUPERVISION]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["list"].update(colour="blue"), "list: unknown key(s) colour"),
        (lambda d: d["list"].pop("territory"), "list: missing 'territory'"),
        (lambda d: d["list"].update(issued="2026-01-01"), "list.issued: expected a date-time"),
        (
            lambda d: d["provider"][0]["service"][0].update(certificates=["nope"]),
            "certificate 'nope' was not given",
        ),
        (lambda d: d["provider"][0]["service"][0].update(statuss="x"), "unknown key(s) statuss"),
    ],
    ids=["unknown-key", "missing", "naive-time", "unknown-cert", "typo"],
)
def test_bad_descriptions_are_configuration_errors(edit: Any, message: str) -> None:
    data = description(LISTS / "az" / "az-tl.toml")
    edit(data)
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        description_from_mapping(
            data, pki_names("az-root", "az-tsa", "az-idcard-ca", "az-mobile-ca")
        )


def test_bad_mra_pairs_are_configuration_errors() -> None:
    data = description(LISTS / "mra" / "tr-recognition.toml")
    data["pointer"][0]["mra"]["equivalence"][0]["qualifiers"] = ["QCForESig"]
    with pytest.raises(ConfigurationError, match=r"\[pointing, pointed\] pairs"):
        description_from_mapping(data, operator_names())


def test_unreadable_toml() -> None:
    with pytest.raises(ConfigurationError, match="unreadable list description"):
        load_description(b"[list\n", {})


def test_expand_uri() -> None:
    assert expand_uri("granted", "status") == ServiceStatus.GRANTED
    assert expand_uri("CA/QC", "type") == ServiceType.CA_QC
    assert expand_uri("TLIssuer", "type") == ServiceType.TL_ISSUER
    assert expand_uri("http://x.invalid/own", "qualifier") == "http://x.invalid/own"
    with pytest.raises(ValueError, match="unknown URI kind"):
        expand_uri("x", "colour")


@pytest.mark.parametrize("name", ["eu", "tr", "az"])
def test_bundled_recognition_lists_match_their_descriptions(name: str) -> None:
    data = description(LISTS / "mra" / f"{name}-recognition.toml")
    rebuilt = build_trusted_list(description_from_mapping(data, operator_names()))
    shipped = (LISTS / "mra" / f"{name}-recognition.xml").read_bytes()
    unsigned = SignatureSummary(present=False)
    assert replace(parse_trusted_list(rebuilt), signature=unsigned) == replace(
        parse_trusted_list(_strip_signature(shipped)), signature=unsigned
    )
