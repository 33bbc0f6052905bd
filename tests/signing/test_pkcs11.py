"""The ID card as a PKCS#11 token, for real: SoftHSM2 holding a test-PKI ID-card key."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from esig.errors import TokenError
from esig.signing import PIN_ENVIRONMENT_VARIABLE, Signer, sign_pdf
from esig.testing import TestPki

from ._pyhanko_check import pyhanko_statuses
from .conftest import NOW

SOFTHSM_LIBS = [
    Path("/usr/lib/softhsm/libsofthsm2.so"),
    Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
    Path("/usr/local/lib/softhsm/libsofthsm2.so"),
]
PIN = "246810"
TOKEN = "AZ-ID-CARD"
KEY = "signing-key"


def _library() -> Path | None:
    return next((p for p in SOFTHSM_LIBS if p.is_file()), None)


@pytest.fixture(scope="module")
def softhsm(tmp_path_factory: pytest.TempPathFactory, pki: TestPki) -> Iterator[Path]:
    library, util = _library(), shutil.which("softhsm2-util")
    if library is None or util is None:
        pytest.skip("SoftHSM2 is not installed (Debian package softhsm2; ./task test installs it)")
    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\n")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOFTHSM2_CONF", str(conf))
    try:
        run = {"check": True, "capture_output": True}
        subprocess.run(
            [util, "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "13579"],
            **run,  # type: ignore[call-overload]
        )
        key_file = root / "key.pem"
        key_file.write_bytes(
            pki.key("az-idcard-signer").private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        subprocess.run(
            [
                util,
                "--import",
                str(key_file),
                "--token",
                TOKEN,
                "--label",
                KEY,
                "--id",
                "01",
                "--pin",
                PIN,
            ],
            **run,  # type: ignore[call-overload]
        )
        key_file.unlink()
        _store_certificate(library, pki)
        yield library
    finally:
        mp.undo()


def _store_certificate(library: Path, pki: TestPki) -> None:
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    cert = pki.cert("az-idcard-signer")
    token = pkcs11.lib(str(library)).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: KEY,
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )


def test_sign_with_the_card_pin_from_the_environment(
    softhsm: Path, pki: TestPki, pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PIN_ENVIRONMENT_VARIABLE, PIN)
    issuers = pki.chain("az-idcard-signer")[1:]
    with Signer.from_pkcs11(softhsm, token_label=TOKEN, key_label=KEY, issuers=issuers) as card:
        assert card.certificate == pki.cert("az-idcard-signer")
        assert card.chain == pki.chain("az-idcard-signer")
        signed = sign_pdf(pdf, card, check_revocation=False, at=NOW)
    assert pyhanko_statuses(signed, pki.roots()) == [(True, True, True)]
    # and esig's own verification (B-B carries no revocation data: fetch it from the server)
    import esig
    from esig.policy import ValidationProfile
    from esig.report import Indication

    report = esig.verify(
        signed,
        trust=list(pki.roots()),
        profile=ValidationProfile(name="online", online=True),
        validation_time=NOW + timedelta(minutes=5),
    )
    assert (report.signatures[0].indication, report.signatures[0].sub_indication) == (
        Indication.TOTAL_PASSED,
        None,
    )


def test_wrong_pin(softhsm: Path) -> None:
    with pytest.raises(TokenError, match="wrong PIN for token 'AZ-ID-CARD'"):
        Signer.from_pkcs11(softhsm, token_label=TOKEN, key_label=KEY, pin="000000")


def test_missing_token(softhsm: Path) -> None:
    with pytest.raises(TokenError, match="no PKCS#11 token labelled 'TR-ID-CARD'"):
        Signer.from_pkcs11(softhsm, token_label="TR-ID-CARD", key_label=KEY, pin=PIN)


def test_missing_key_label(softhsm: Path) -> None:
    with pytest.raises(TokenError, match="key or certificate 'no-such-key' not found"):
        Signer.from_pkcs11(softhsm, token_label=TOKEN, key_label="no-such-key", pin=PIN)


def test_missing_pin_and_missing_library(
    softhsm: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(PIN_ENVIRONMENT_VARIABLE, raising=False)
    with pytest.raises(TokenError, match="no PIN given: pass pin= or set ESIG_PIN"):
        Signer.from_pkcs11(softhsm, token_label=TOKEN, key_label=KEY)
    with pytest.raises(TokenError, match="PKCS#11 library not found"):
        Signer.from_pkcs11(tmp_path / "nope.so", token_label=TOKEN, key_label=KEY, pin=PIN)
