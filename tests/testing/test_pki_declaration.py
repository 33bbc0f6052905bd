"""The declaration loader and the identifiers in the bundled TEST-ONLY national PKIs."""

from __future__ import annotations

from pathlib import Path

import pytest

from esig.errors import ProfileError
from esig.testing import Role, load_declaration
from esig.testing.declaration import DEFAULT_DECLARATION


def tckn_valid(value: str) -> bool:
    """Turkish identity number: 11 digits, d1 != 0, two check digits."""
    if len(value) != 11 or not value.isdigit() or value[0] == "0":
        return False
    d = [int(c) for c in value]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    return d[9] == d10 and d[10] == sum(d[:10]) % 10


def vkn_valid(value: str) -> bool:
    """Turkish tax number (VKN): 10 digits, the last a check digit."""
    if len(value) != 10 or not value.isdigit():
        return False
    total = 0
    for i, c in enumerate(value[:9]):
        tmp = (int(c) + 9 - i) % 10
        total += 9 if tmp == 9 else (tmp * 2 ** (9 - i)) % 9
    return (10 - total % 10) % 10 == int(value[9])


def isikukood_valid(value: str) -> bool:
    """Estonian personal identification code: 11 digits, mod-11 check digit."""
    d = [int(c) for c in value]
    check = sum(a * b for a, b in zip(d, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1], strict=False)) % 11
    if check == 10:
        check = sum(a * b for a, b in zip(d, [3, 4, 5, 6, 7, 8, 9, 1, 2, 3], strict=False)) % 11
        check = 0 if check == 10 else check
    return check == d[10]


def subject_value(name: str, attr: str) -> str:
    decl = load_declaration()
    return next(a.value for a in decl.entity(name).subject if a.attr == attr)


def test_checksum_helpers_on_known_values() -> None:
    assert tckn_valid("10000000146")
    assert not tckn_valid("10000000147")
    assert not tckn_valid("01000000146")
    assert vkn_valid("1234567890")
    assert not vkn_valid("1234567891")
    assert isikukood_valid("48001010005")
    assert not isikukood_valid("48001010004")


@pytest.mark.parametrize("name", ["tr-nes-signer", "tr-nes-revoked", "tr-nes-expired"])
def test_turkish_natural_persons_have_valid_tckn(name: str) -> None:
    assert tckn_valid(subject_value(name, "serialNumber"))


def test_mali_muhur_serial_is_a_valid_bare_vkn() -> None:
    assert subject_value("tr-malimuhur-seal", "serialNumber") == "1234567890"
    assert vkn_valid("1234567890")


@pytest.mark.parametrize("name", ["ee-idcard-signer", "ee-idcard-revoked"])
def test_estonian_serial_numbers_are_pno_with_valid_isikukood(name: str) -> None:
    value = subject_value(name, "serialNumber")
    assert value.startswith("PNOEE-")
    assert isikukood_valid(value.removeprefix("PNOEE-"))


def test_fin_is_seven_alphanumerics() -> None:
    fin = subject_value("az-idcard-signer", "serialNumber")
    assert fin == "5ZJBKQG"
    assert subject_value("az-mobile-signer", "serialNumber") == "PNOAZ-7QH2M4T"


def test_default_declaration_shape() -> None:
    decl = load_declaration()
    assert decl.names[:3] == ("az-root", "az-policy-ca", "az-idcard-ca")
    assert len(decl.names) == 28
    roots = [e.name for e in decl.entities if e.role is Role.ROOT]
    assert roots == ["az-root", "tr-root", "ee-root"]
    revoked = {
        e.name: (e.revoked.date.isoformat(), e.revoked.reason) for e in decl.entities if e.revoked
    }
    assert revoked == {
        "tr-nes-revoked": ("2026-01-15T10:00:00+00:00", "keyCompromise"),
        "ee-idcard-revoked": ("2026-02-01T08:30:00+00:00", "superseded"),
    }
    # every issuer precedes what it issues
    for i, e in enumerate(decl.entities):
        assert e.self_signed or decl.names.index(e.issuer) < i


def _with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_DECLARATION.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "pki.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("[declaration]\n", '[declaration]\ncolour = "blue"\n', "unknown key 'declaration.colour'"),
        (
            'role = "root"\n',
            'role = "root"\nkey_usages = ["keyCertSign"]\n',
            "unknown key 'entities.az-root.key_usages'",
        ),
        (
            "qc = { compliance = true, sscd = true, cc_legislation",
            "qc = { compliance = true, sscd = true, qc_type = [], cc_legislation",
            "unknown key 'entities.az-idcard-signer.qc.qc_type'",
        ),
        (
            'revoked = { date = 2026-01-15T10:00:00Z, reason = "keyCompromise" }',
            'revoked = { date = 2026-01-15T10:00:00Z, reason = "keyCompromise", why = "x" }',
            "unknown key 'entities.tr-nes-revoked.revoked.why'",
        ),
        (
            "[validity.root]\n",
            "[validity.root]\nduration = 5\n",
            "unknown key 'validity.root.duration'",
        ),
        ('issuer = "az-root"', 'issuer = "az-nowhere"', "no entity 'az-nowhere'"),
        ("not_before = 2024-01-01T00:00:00Z", "not_before = 2024-01-01T00:00:00", "offset"),
        ('key = "rsa3072"', 'key = "rsa512"', "unknown key type 'rsa512'"),
        ('["C", "AZ"]', '["C", "AZE"]', "two-letter"),
        ('"5ZJBKQG"', '"5ZJBKQG_"', "not a PrintableString"),
        ('reason = "keyCompromise"', 'reason = "lostIt"', "unknown reason"),
        ('ocsp_responder = "az-idcard-ocsp"', 'ocsp_responder = "az-mobile-ocsp"', "RFC 6960"),
        ("path_length = 1", 'path_length = "one"', "expected an integer"),
        ("ocsp_nocheck = true", "ocsp_nocheck = 1", "expected a boolean"),
    ],
)
def test_loader_rejects_bad_declarations(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message.replace("(", r"\(").replace("[", r"\[")):
        load_declaration(_with(tmp_path, old, new))


def test_loader_rejects_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[entities\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_declaration(path)
