"""Each source's vocabulary maps to one expectation (docs/conformance.md has the table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from esig.conformance import (
    Expect,
    ManifestRow,
    classify,
    read_manifest,
    scope_reason,
    unsupported_reason,
)
from esig.errors import InputError


def row(
    expected: str, path: str = "x/file.pdf", source: str = "esig/dss", fmt: str = "PDF"
) -> ManifestRow:
    return ManifestRow("pades", path, source, fmt, expected)


@pytest.mark.parametrize(
    ("text", "expect", "vocabulary", "detail"),
    [
        # DSS
        (
            "DSS1983Test: B-level crypto intact+valid (DSS default check)",
            Expect.INTACT,
            "DSS diagnostic",
            "",
        ),
        (
            "X: B-level crypto intact+valid; asserts TOTAL_FAILED,FORMAT_FAILURE",
            Expect.EXACT,
            "DSS indication",
            "TOTAL_FAILED/FORMAT_FAILURE",
        ),
        (
            "X: asserts FAILED,HASH_FAILURE; digest matcher data NOT intact",
            Expect.EXACT,
            "DSS indication",
            "TOTAL_FAILED/HASH_FAILURE",
        ),
        (
            "DSS1683Test: signature NOT intact; signature value NOT valid",
            Expect.REJECT,
            "DSS diagnostic",
            "",
        ),
        (
            "PadesWrongDigestAlgoTest: B-level NOT technically valid",
            Expect.REJECT,
            "DSS diagnostic",
            "",
        ),
        ("X: signature intact; signature value NOT valid", Expect.REJECT, "DSS diagnostic", ""),
        (
            "DoS: cyclic PDF structure; validation must complete within 3 s",
            Expect.ROBUST,
            "DSS DoS",
            "",
        ),
        ("X: see asserts", Expect.NONE, "none", ""),
        # pyHanko
        (
            "modification_level OTHER (disallowed change)",
            Expect.REJECT,
            "pyHanko modification level",
            "",
        ),
        (
            "signature valid; modification_level FORM_FILLING (allowed)",
            Expect.INTACT,
            "pyHanko modification level",
            "",
        ),
        (
            "val_trusted (intact, valid, trusted under pyHanko test PKI)",
            Expect.INTACT,
            "pyHanko",
            "",
        ),
        (
            "AdES INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE (trust_problem_indic)",
            Expect.EXACT,
            "pyHanko AdES",
            "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE",
        ),
        (
            'SignatureValidationError "detached ... encapsulated" -> must be rejected',
            Expect.REJECT,
            "pyHanko",
            "",
        ),
        # digidoc4j, xades4j, libdigidocpp, RUB-NDS, SAML toolkits, mersel
        (
            "INVALID (in digidoc4j invalid-containers folder).",
            Expect.REJECT,
            "dss valid/invalid",
            "",
        ),
        ("VALID (xades4j verifier, test trust anchors)", Expect.INTACT, "dss valid/invalid", ""),
        ("parser must refuse (XMLDocument() throws)", Expect.REFUSE, "hardened XML parser", ""),
        (
            "a hardened signature parser must not resolve external entities",
            Expect.ROBUST,
            "RUB-NDS DTD attack",
            "",
        ),
        (
            "ATTACK (Content Manipulation with Certificate Doubling)",
            Expect.REJECT,
            "dss valid/invalid",
            "",
        ),
        (
            "legitimate step: signed by attacker - signature valid",
            Expect.INTACT,
            "dss valid/invalid",
            "",
        ),
        ("validate_sign(...) False", Expect.REJECT, "dss valid/invalid", ""),
        (
            "n/a (unsigned input; sign with certs/turkey-kamusm-test/pfx/*)",
            Expect.UNSIGNED,
            "no signature",
            "",
        ),
        (
            "SignValider validate() run in TestSignatureValidation (no assertion on result)",
            Expect.NONE,
            "none",
            "",
        ),
        ("", Expect.NONE, "none", ""),
    ],
)
def test_vocabulary(text: str, expect: Expect, vocabulary: str, detail: str) -> None:
    assert classify(row(text)) == (expect, vocabulary, detail)


@pytest.mark.parametrize(
    ("path", "category", "fmt", "reason"),
    [
        ("asic/x.asice", "asic-xades", "ZIP container", ""),  # esig.asic reads it
        ("asic/x.bdoc", "asic-xades", "ZIP container", ""),
        ("xades/x.odt", "xades", "ZIP container", "container (ODF/ADOC): not supported"),
        ("asic/x.adoc", "asic-xades", "ZIP container", "container (ODF/ADOC): not supported"),
        ("asic/x.ddoc", "asic-xades", "XML root=SignedDoc", "DigiDoc (DDOC): not supported"),
        ("xades/x.p7s", "xades", "CMS", "CAdES / CMS detached signature: not supported"),
        (
            "xades/er/x.ers",
            "xades",
            "ers",
            "evidence record / bare timestamp (RFC 4998/6283/3161): not supported",
        ),
        ("xades/x.xml", "xades", "XML root=a", ""),
        ("pades/x.pdf", "pades", "PDF", ""),
    ],
)
def test_unsupported_formats_are_named(path: str, category: str, fmt: str, reason: str) -> None:
    assert unsupported_reason(ManifestRow(category, path, "s", fmt, "VALID")) == reason


def test_manifest_without_the_columns_is_refused(tmp_path: Path) -> None:
    (tmp_path / "MANIFEST.tsv").write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns"):
        read_manifest(tmp_path / "MANIFEST.tsv")


@pytest.mark.parametrize(
    ("category", "start"),
    [
        ("certs", "certificate claim"),
        ("trusted-lists", "trusted list: checked row by row"),
        ("policies", "validation policy file"),
        ("pades", ""),
    ],
)
def test_rows_that_are_not_signed_documents_are_out_of_scope(category: str, start: str) -> None:
    reason = scope_reason(ManifestRow(category, "x/y.xml", "s", "XML", "VALID"))
    assert reason.startswith(start)
    assert bool(reason) is bool(start)
