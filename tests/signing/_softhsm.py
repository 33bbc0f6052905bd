"""A SoftHSM2 token holding TEST-ONLY keys and certificates, for the PKCS#11 tests.

libsofthsm2 reads ``SOFTHSM2_CONF`` when it is initialised, and python-pkcs11 keeps one
initialised library per path for the whole process: :func:`softhsm_token` unloads it before and
after, so every test module gets a library that sees its own token directory.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

SOFTHSM_LIBS = [
    Path("/usr/lib/softhsm/libsofthsm2.so"),
    Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
    Path("/usr/local/lib/softhsm/libsofthsm2.so"),
]
PIN = "246810"
SO_PIN = "13579"


@dataclass(frozen=True)
class TokenObject:
    """A private key and/or a certificate stored under ``label`` with CKA_ID ``object_id``."""

    label: str
    object_id: int
    key: object = None
    certificate: x509.Certificate | None = None


def softhsm_library() -> Path | None:
    return next((p for p in SOFTHSM_LIBS if p.is_file()), None)


def _unload(library: Path) -> None:
    import pkcs11

    pkcs11.unload(str(library))


@contextmanager
def softhsm_token(root: Path, label: str, objects: Sequence[TokenObject]) -> Iterator[Path]:
    """Create token ``label`` under ``root`` holding ``objects``; yield the library path.

    Skips the test when SoftHSM2 is not installed (Debian package softhsm2).
    """
    library, util = softhsm_library(), shutil.which("softhsm2-util")
    if library is None or util is None:
        pytest.skip("SoftHSM2 is not installed (Debian package softhsm2; ./task test installs it)")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\n")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOFTHSM2_CONF", str(conf))
    _unload(library)
    try:
        subprocess.run(
            [util, "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN],
            check=True,
            capture_output=True,
        )
        for obj in objects:
            if obj.key is not None:
                _import_key(util, root, label, obj)
        _store_certificates(library, label, [o for o in objects if o.certificate is not None])
        yield library
    finally:
        _unload(library)
        mp.undo()


def _import_key(util: str, root: Path, token: str, obj: TokenObject) -> None:
    key_file = root / f"{obj.label}.pem"
    key_file.write_bytes(
        obj.key.private_bytes(  # type: ignore[attr-defined]
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    try:
        subprocess.run(
            [
                util,
                "--import",
                str(key_file),
                "--token",
                token,
                "--label",
                obj.label,
                "--id",
                f"{obj.object_id:02x}",
                "--pin",
                PIN,
            ],
            check=True,
            capture_output=True,
        )
    finally:
        key_file.unlink()


def _store_certificates(library: Path, token_label: str, objects: Sequence[TokenObject]) -> None:
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = pkcs11.lib(str(library)).get_token(token_label=token_label)
    with token.open(rw=True, user_pin=PIN) as session:
        for obj in objects:
            cert = obj.certificate
            assert cert is not None
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: obj.label,
                    Attribute.ID: bytes([obj.object_id]),
                    Attribute.SUBJECT: cert.subject.public_bytes(),
                    Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                }
            )
