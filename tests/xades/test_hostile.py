"""Hostile XML (DTD, XXE, billion laughs, XInclude, schemaLocation) never reaches the network."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from esig.errors import DocumentError
from esig.testing import TestPki
from esig.xades import extend_xml, sign_xml, verify_xml
from tests.xades.conftest import T, TrustDouble


class Listener:
    """A TCP listener on 127.0.0.1 that counts connection attempts."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


def _hostile(url: str) -> dict[str, bytes]:
    return {
        "xxe-http": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{url}/xxe">]><r>&x;</r>'
        ).encode(),
        "xxe-file": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
        "external-dtd": f'<?xml version="1.0"?><!DOCTYPE r SYSTEM "{url}/dtd"><r/>'.encode(),
        "parameter-entity": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/pe"> %p;]><r/>'
        ).encode(),
        "billion-laughs": (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(
                f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
                for i in range(1, 10)
            )
            + b"]><lolz>&lol9;</lolz>"
        ),
        "internal-dtd-only": b'<?xml version="1.0"?><!DOCTYPE r [<!ELEMENT r ANY>]><r/>',
        "xinclude": (
            f'<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{url}/xi"/></r>'
        ).encode(),
        "malformed": b"<r><unclosed></r>",
        "empty": b"",
    }


CASES = list(_hostile("http://x"))


@pytest.mark.parametrize("case", CASES)
def test_verify_refuses_hostile_xml(case: str, listener: Listener, trust: TrustDouble) -> None:
    data = _hostile(f"http://127.0.0.1:{listener.port}")[case]
    with pytest.raises(DocumentError):
        verify_xml(data, trust=trust, validation_time=T)
    assert listener.connections == 0


@pytest.mark.parametrize("case", CASES)
def test_sign_and_extend_refuse_hostile_xml(case: str, listener: Listener, pki: TestPki) -> None:
    data = _hostile(f"http://127.0.0.1:{listener.port}")[case]
    signer = "tr-nes-signer"
    with pytest.raises(DocumentError):
        sign_xml(data, pki.key(signer), pki.chain(signer), signing_time=T)
    with pytest.raises(DocumentError):
        extend_xml(data, "B-T", timestamper=lambda d: b"")
    assert listener.connections == 0


def test_schema_location_is_not_fetched(listener: Listener, trust: TrustDouble) -> None:
    url = f"http://127.0.0.1:{listener.port}/schema.xsd"
    data = (
        '<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:noNamespaceSchemaLocation="{url}"/>'
    ).encode()
    report = verify_xml(data, trust=trust, validation_time=T + timedelta(hours=1))
    assert report.signatures == ()
    assert listener.connections == 0


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe-attack.xml"])
def test_corpus_turkish_attacks(name: str, corpus: Path, trust: TrustDouble) -> None:
    data = (corpus / "attacks" / "xml" / "turkey-mersel" / name).read_bytes()
    with pytest.raises(DocumentError):
        verify_xml(data, trust=trust, validation_time=T)
