"""QC statements, policies, key usage, EKU, AIA/CRL and profile findings."""

from __future__ import annotations

from esig.certs import (
    PdsLocation,
    QcLimitValue,
    QcStatements,
    RawStatement,
    SemanticsInfo,
    key_usage_option,
    read_certificate,
)

from .builder import (
    BMP,
    CN,
    GIVEN,
    IA5,
    PRINTABLE,
    SERIAL,
    SURNAME,
    UTF8,
    VISIBLE,
    C,
    CertSpec,
    build,
    ctx,
    extension,
    integer,
    key_usage,
    name,
    oid,
    policies,
    qc_statement,
    seq,
    string,
)

QC = "1.3.6.1.5.5.7.1.3"
NATURAL = name(
    (C, PRINTABLE, "EE"),
    (SURNAME, UTF8, "Maasikas"),
    (GIVEN, UTF8, "Mari"),
    (SERIAL, PRINTABLE, "PNOEE-38001085718"),
    (CN, UTF8, "Mari Maasikas"),
)


def _cert(*exts: bytes, subject: bytes = NATURAL):
    return read_certificate(build(CertSpec(subject=subject, extensions=list(exts))))


def _codes(info) -> set[str]:
    return {w.code for w in info.warnings}


def test_every_qc_statement_is_parsed() -> None:
    statements = seq(
        qc_statement("0.4.0.1862.1.1"),
        qc_statement("0.4.0.1862.1.4"),
        qc_statement("0.4.0.1862.1.6", seq(oid("0.4.0.1862.1.6.1"), oid("0.4.0.1862.1.6.9"))),
        qc_statement(
            "0.4.0.1862.1.5",
            seq(
                seq(string(IA5, "https://pds.example/en"), string(PRINTABLE, "en")),
                seq(string(IA5, "https://pds.example/tr"), string(PRINTABLE, "tr")),
            ),
        ),
        qc_statement("0.4.0.1862.1.3", integer(15)),
        qc_statement("0.4.0.1862.1.2", seq(string(PRINTABLE, "EUR"), integer(5), integer(3))),
        qc_statement(
            "1.3.6.1.5.5.7.11.2",
            seq(oid("0.4.0.194121.1.1"), seq(b"\x86\x0dhttps://ra.ee")),
        ),
        qc_statement("2.16.792.1.61.0.1.5070.1.1"),
        qc_statement("1.2.3.4.5", integer(7)),
    )
    info = _cert(extension(QC, statements))
    assert info.qc == QcStatements(
        present=True,
        compliance=True,
        sscd=True,
        types=("esign", "0.4.0.1862.1.6.9"),
        pds=(
            PdsLocation("https://pds.example/en", "en"),
            PdsLocation("https://pds.example/tr", "tr"),
        ),
        retention_period=15,
        cc_legislation=(),
        limit_value=QcLimitValue("EUR", 5, 3),
        semantics=(
            SemanticsInfo(
                "0.4.0.194121.1.1", "natural", ("uniform_resource_identifier:https://ra.ee",)
            ),
        ),
        btk_nes=True,
        unknown=(RawStatement("1.2.3.4.5", b"\x02\x01\x07"),),
        oids=(
            "0.4.0.1862.1.1",
            "0.4.0.1862.1.4",
            "0.4.0.1862.1.6",
            "0.4.0.1862.1.5",
            "0.4.0.1862.1.3",
            "0.4.0.1862.1.2",
            "1.3.6.1.5.5.7.11.2",
            "2.16.792.1.61.0.1.5070.1.1",
            "1.2.3.4.5",
        ),
    )
    d = info.to_dict()["qc"]
    assert d["unknown"] == [{"oid": "1.2.3.4.5", "der": "AgEH"}]
    assert d["limit_value"] == {"currency": "EUR", "amount": 5, "exponent": 3}


def test_numeric_currency_legislation_and_semantics_v1_without_authorities() -> None:
    statements = seq(
        qc_statement("0.4.0.1862.1.1"),
        qc_statement("0.4.0.1862.1.7", seq(string(PRINTABLE, "TR"))),
        qc_statement("0.4.0.1862.1.2", seq(integer(949), integer(1), integer(6))),
        qc_statement("1.3.6.1.5.5.7.11.1", seq(oid("0.4.0.194121.1.2"))),
        qc_statement("0.4.0.1862.1.9", seq(string(PRINTABLE, "AZ"))),
        qc_statement("0.4.0.1862.1.8", oid("0.4.0.1862.1.8.3")),
    )
    qc = _cert(extension(QC, statements)).qc
    assert qc.cc_legislation == ("TR",)
    assert qc.limit_value == QcLimitValue("949", 1, 6)
    assert qc.semantics == (SemanticsInfo("0.4.0.194121.1.2", "legal", ()),)
    assert qc.qscd_legislation == ("AZ",)
    assert qc.ident_method == ("0.4.0.1862.1.8.3",)


def test_malformed_statement_is_kept_raw_with_warning() -> None:
    statements = seq(qc_statement("0.4.0.1862.1.3", string(UTF8, "ten")))
    info = _cert(extension(QC, statements))
    assert info.qc.retention_period is None
    assert info.qc.unknown == (RawStatement("0.4.0.1862.1.3", b"\x0c\x03ten"),)
    assert "qc.statement-unparsable" in _codes(info)


def test_no_qc_extension() -> None:
    info = _cert()
    assert info.qc == QcStatements()
    assert info.qc.present is False


def test_policies_with_cps_and_notices_in_every_encoding() -> None:
    cps = seq(oid("1.3.6.1.5.5.7.2.1"), string(IA5, "http://depo.kamusm.gov.tr/ilke"))
    notice_bmp = seq(oid("1.3.6.1.5.5.7.2.2"), seq(string(BMP, "Şartlar".encode("utf-16-be"))))
    notice_visible_utf8 = seq(oid("1.3.6.1.5.5.7.2.2"), seq(string(VISIBLE, "Geçerli".encode())))
    notice_ref = seq(
        oid("1.3.6.1.5.5.7.2.2"),
        seq(seq(string(UTF8, "Org"), seq(integer(1), integer(2))), string(UTF8, "text")),
    )
    value = policies(
        ("2.16.792.1.2.1.1.5.7.4.1", [cps, notice_bmp]),
        ("0.4.0.194112.1.2", [notice_visible_utf8, notice_ref]),
        ("2.16.792.3.0.4.1.1.1", []),
        ("1.2.3", []),
    )
    info = _cert(extension("2.5.29.32", value))
    p = info.policies
    assert [(x.oid, x.name, x.scheme) for x in p] == [
        ("2.16.792.1.2.1.1.5.7.4.1", "Mali Mühür", "Kamu SM"),
        ("0.4.0.194112.1.2", "QCP-n-qscd", "EU"),
        ("2.16.792.3.0.4.1.1.1", "NES", "E-Tuğra"),
        ("1.2.3", None, None),
    ]
    assert p[0].qualifiers == ("http://depo.kamusm.gov.tr/ilke", "Şartlar")
    assert p[1].user_notices == ("Geçerli", "Org #1,2", "text")
    assert "string.non-ascii-utf8" in _codes(info)
    assert info.policy_oids[2] == "2.16.792.3.0.4.1.1.1"


def test_key_usage_eku_aia_crl() -> None:
    aia = seq(
        seq(oid("1.3.6.1.5.5.7.48.1"), b"\x86\x13http://ocsp.example"),
        seq(oid("1.3.6.1.5.5.7.48.2"), b"\x86\x12http://ca.example/"),
    )
    cdp = seq(seq(ctx(0, ctx(0, b"\x86\x14http://crl.example/x"))))
    eku = seq(oid("1.3.6.1.5.5.7.3.4"), oid("2.16.792.1.2.1.1.5.7.50.1"), oid("1.2.3.4"))
    info = _cert(
        extension("2.5.29.15", key_usage(0, 1, 2), critical=True),
        extension("2.5.29.37", eku),
        extension("1.3.6.1.5.5.7.1.1", aia),
        extension("2.5.29.31", cdp),
    )
    assert info.key_usage == ("digitalSignature", "nonRepudiation", "keyEncipherment")
    assert [(e.oid, e.name) for e in info.extended_key_usage] == [
        ("1.3.6.1.5.5.7.3.4", "emailProtection"),
        ("2.16.792.1.2.1.1.5.7.50.1", "maliMuhurSigning"),
        ("1.2.3.4", None),
    ]
    assert info.ocsp_urls == ("http://ocsp.example",)
    assert info.ca_issuer_urls == ("http://ca.example/",)
    assert info.crl_urls == ("http://crl.example/x",)
    assert "ku.en319412-2.option-F" in _codes(info)


def test_key_usage_options() -> None:
    assert key_usage_option(("nonRepudiation",)) == "A"
    assert key_usage_option(("digitalSignature", "nonRepudiation")) == "B"
    assert key_usage_option(("digitalSignature",)) == "C"
    assert key_usage_option(("digitalSignature", "keyAgreement")) == "D"
    assert key_usage_option(("keyEncipherment",)) == "E"
    assert key_usage_option(("digitalSignature", "nonRepudiation", "keyAgreement")) == "F"
    assert key_usage_option(("nonRepudiation", "keyEncipherment")) is None
    assert key_usage_option(("digitalSignature", "dataEncipherment")) is None


def test_non_repudiation_outside_a_b_f_in_a_qualified_cert() -> None:
    info = _cert(
        extension("2.5.29.15", key_usage(1, 3), critical=True),
        extension(QC, seq(qc_statement("0.4.0.1862.1.1"))),
    )
    assert "ku.en319412-2.not-content-commitment" in _codes(info)
    # the same key usage without any ETSI/Turkish claim is not judged
    plain = _cert(extension("2.5.29.15", key_usage(1, 3), critical=True))
    assert not any(c.startswith("ku.") for c in _codes(plain))


def test_qc_profile_findings() -> None:
    eu_legislation = _cert(
        extension(
            QC,
            seq(
                qc_statement("0.4.0.1862.1.1"),
                qc_statement("0.4.0.1862.1.7", seq(string(PRINTABLE, "EE"))),
            ),
        ),
        extension("2.5.29.32", policies(("0.4.0.194112.1.0", []))),
    )
    assert {
        "qc.en319412-5.eu-qualified-with-legislation",
        "qc.en319412-5.no-qc-type",
    } <= _codes(eu_legislation)
    assert "qc.en319412-5.option-eu-qualified" not in _codes(eu_legislation)

    eu = _cert(
        extension(QC, seq(qc_statement("0.4.0.1862.1.1"))),
        extension("2.5.29.32", policies(("0.4.0.194112.1.2", []))),
    )
    assert {
        "qc.en319412-5.option-eu-qualified",
        "qc.en319412-5.no-qc-type",
        "qc.en319412-5.qscd-policy-without-sscd",
    } <= _codes(eu)

    turkish = _cert(
        extension(
            QC,
            seq(
                qc_statement("0.4.0.1862.1.1"),
                qc_statement("0.4.0.1862.1.7", seq(string(PRINTABLE, "TR"))),
            ),
        )
    )
    assert not any(c.startswith("qc.") for c in _codes(turkish))


def test_natural_person_without_country() -> None:
    subject = name((GIVEN, UTF8, "Mari"), (SURNAME, UTF8, "Maasikas"), (CN, UTF8, "Mari Maasikas"))
    info = _cert(subject=subject)
    assert "subject.en319412-2.no-country" in _codes(info)
    org = _cert(subject=name((CN, UTF8, "Server")))
    assert "subject.en319412-2.no-country" not in _codes(org)
