"""National identifiers: EN 319 412-1 semantics, TCKN, VKN, FIN, Estonian personal codes."""

from __future__ import annotations

import pytest

from esig.certs import (
    is_valid_estonian_personal_code,
    is_valid_tckn,
    is_valid_vkn,
    read_certificate,
)
from esig.report import NationalIdentity

from .builder import (
    CN,
    GIVEN,
    ORG_ID,
    PRINTABLE,
    SERIAL,
    SURNAME,
    UTF8,
    C,
    CertSpec,
    build,
    extension,
    name,
    policies,
)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("10000000146", True),
        ("10000000145", False),  # d11 wrong
        ("10000000156", False),  # d10 wrong
        ("01000000146", False),  # leading zero
        ("1000000014", False),  # 10 digits
        ("1000000014a", False),
        ("１0000000146", False),  # full-width digit
    ],
)
def test_tckn_checksum(value: str, ok: bool) -> None:
    assert is_valid_tckn(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1000036109", True),
        ("4540536920", True),
        ("0850005256", True),
        ("4540536921", False),
        ("0850005257", False),
        ("1234567801", False),  # the Kamu SM test VKNs are not checksum-valid
        ("123456789", False),
    ],
)
def test_vkn_check_digit(value: str, ok: bool) -> None:
    assert is_valid_vkn(value) is ok


def test_estonian_personal_code() -> None:
    assert is_valid_estonian_personal_code("38001085718")
    assert not is_valid_estonian_personal_code("38001085717")


def _ids(*attrs: tuple[str, int, str], issuer_country: str = "XX", policy: str | None = None):
    issuer = name((C, PRINTABLE, issuer_country), (CN, UTF8, "CA"))
    exts = []
    if policy:
        exts.append(extension("2.5.29.32", policies((policy, []))))
    info = read_certificate(build(CertSpec(subject=name(*attrs), issuer=issuer, extensions=exts)))
    return info


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        ("PNOEE-38001085718", [("PNO", "EE", "38001085718")]),
        ("IDCBE-590082394654", [("IDC", "BE", "590082394654")]),
        ("PASSK-P3000180", [("PAS", "SK", "P3000180")]),
        ("EI:SE-200007292386", [("EI:", "SE", "200007292386")]),
        ("PNOAZ-A9RJ7DM", [("PNO", "AZ", "A9RJ7DM"), ("FIN", "AZ", "A9RJ7DM")]),
        ("PNOTR-10000000146", [("PNO", "TR", "10000000146"), ("TCKN", "TR", "10000000146")]),
    ],
)
def test_semantics_identifiers(serial: str, expected: list[tuple[str, str, str]]) -> None:
    info = _ids((C, PRINTABLE, "EE"), (SERIAL, PRINTABLE, serial), (CN, UTF8, "x"))
    assert [(i.scheme, i.country, i.value) for i in info.identities] == expected
    assert all(i.confidence == "certain" for i in info.identities)
    assert all(i.source == "subject.serialNumber" for i in info.identities)
    assert info.national_id is not None
    assert info.national_id.value == expected[0][2]


def test_pnotr_with_bad_checksum_warns() -> None:
    info = _ids((SERIAL, PRINTABLE, "PNOTR-10000000145"), (CN, UTF8, "x"))
    assert [i.scheme for i in info.identities] == ["PNO"]
    assert "identity.tckn-checksum" in [w.code for w in info.warnings]


def test_vattr_organization_identifier() -> None:
    info = _ids((ORG_ID, UTF8, "VATTR-1000036109"), (CN, UTF8, "Firma A.Ş."), (C, PRINTABLE, "TR"))
    assert info.identities == (
        NationalIdentity("VAT", "TR", "1000036109", "subject.organizationIdentifier", "certain"),
        NationalIdentity("VKN", "TR", "1000036109", "subject.organizationIdentifier", "certain"),
    )


def test_plain_tckn_in_turkish_certificate() -> None:
    info = _ids((C, PRINTABLE, "TR"), (SERIAL, PRINTABLE, "10000000146"), (CN, UTF8, "Ayşe Yılmaz"))
    assert info.national_id == NationalIdentity(
        "TCKN", "TR", "10000000146", "subject.serialNumber", "certain"
    )


def test_plain_11_digits_with_bad_checksum_is_not_a_tckn() -> None:
    info = _ids((C, PRINTABLE, "TR"), (SERIAL, PRINTABLE, "12345678901"), (CN, UTF8, "x"))
    assert info.identities == (
        NationalIdentity("UNKNOWN", "TR", "12345678901", "subject.serialNumber", "possible"),
    )
    assert info.national_id is None
    assert "identity.tckn-checksum" in [w.code for w in info.warnings]


def test_turkish_context_from_policy_and_stripping() -> None:
    info = _ids(
        (SERIAL, PRINTABLE, "TC 10000000146"), (CN, UTF8, "x"), policy="2.16.792.1.2.1.1.5.7.1.1"
    )
    assert info.identities == (
        NationalIdentity("TCKN", "TR", "10000000146", "subject.serialNumber", "likely"),
    )
    assert "identity.non-digits-stripped" in [w.code for w in info.warnings]
    assert info.policies[0].name == "NES (nitelikli elektronik sertifika)"
    assert info.policies[0].scheme == "Kamu SM"


def test_tckn_in_common_name() -> None:
    info = _ids((C, PRINTABLE, "TR"), (CN, UTF8, "AYŞE YILMAZ 10000000146"))
    assert info.identities == (
        NationalIdentity("TCKN", "TR", "10000000146", "subject.CN", "likely"),
    )


def test_vkn_in_mali_muhur_style_certificate() -> None:
    info = _ids((SERIAL, PRINTABLE, "4540536920"), (CN, UTF8, "Firma"), issuer_country="TR")
    assert info.identities == (
        NationalIdentity("VKN", "TR", "4540536920", "subject.serialNumber", "certain"),
    )
    info = _ids((SERIAL, PRINTABLE, "4540536921"), (CN, UTF8, "Firma"), issuer_country="TR")
    assert info.identities[0].confidence == "likely"
    assert "identity.vkn-checksum" in [w.code for w in info.warnings]


def test_azerbaijani_fin() -> None:
    info = _ids((C, PRINTABLE, "AZ"), (SERIAL, PRINTABLE, "A9RJ7DM"), (CN, UTF8, "Əli Həsənov"))
    assert info.identities == (
        NationalIdentity("FIN", "AZ", "A9RJ7DM", "subject.serialNumber", "likely"),
    )
    # the same value outside Azerbaijan is only a possible identifier
    info = _ids((C, PRINTABLE, "DE"), (SERIAL, PRINTABLE, "A9RJ7DM"), (CN, UTF8, "x"))
    assert info.identities == (
        NationalIdentity("serialNumber", "DE", "A9RJ7DM", "subject.serialNumber", "possible"),
    )


def test_no_identifier_when_serial_number_is_not_one() -> None:
    info = _ids((C, PRINTABLE, "DE"), (SERIAL, PRINTABLE, "abc"), (CN, UTF8, "x"))
    assert info.identities == ()
    assert info.national_id is None


def test_holder_name_from_given_name_and_surname() -> None:
    info = _ids((C, PRINTABLE, "EE"), (GIVEN, UTF8, "Mari"), (SURNAME, UTF8, "Maasikas"))
    assert info.holder_name == "Mari Maasikas"
    assert info.country == "EE"
    assert "subject.en319412-2.no-common-name" in [w.code for w in info.warnings]
