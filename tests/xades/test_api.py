"""The esig.xades surface and its misuse errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import esig.xades
from esig.errors import ConfigurationError, InputError, SigningError
from esig.testing import TestPki
from esig.xades import extend_xml, sign_xml, verify_xml
from tests.xades.conftest import DOC, T


def test_all_is_sorted_unique_and_resolves() -> None:
    names = list(esig.xades.__all__)
    assert len(names) == len(set(names))
    assert all(hasattr(esig.xades, n) for n in names)


def test_signing_needs_matching_key_valid_certificate_and_services(pki: TestPki) -> None:
    signer = "tr-nes-signer"
    with pytest.raises(SigningError, match="does not match"):
        sign_xml(DOC, pki.key("az-idcard-signer"), pki.chain(signer), signing_time=T)
    with pytest.raises(SigningError, match="not valid at the signing time"):
        sign_xml(DOC, pki.key(signer), pki.chain(signer), signing_time=T + timedelta(days=3650))
    with pytest.raises(SigningError, match="timestamper"):
        sign_xml(DOC, pki.key(signer), pki.chain(signer), signing_time=T, level="B-T")
    with pytest.raises(SigningError, match="unknown signature level"):
        sign_xml(DOC, pki.key(signer), pki.chain(signer), signing_time=T, level="B-X")
    with pytest.raises(SigningError, match="detached_uri"):
        sign_xml(DOC, pki.key(signer), pki.chain(signer), signing_time=T, placement="detached")
    with pytest.raises(SigningError, match="no XAdES signature"):
        extend_xml(DOC, "B-T", timestamper=lambda d: b"")


def test_expired_signer_certificate_cannot_sign(pki: TestPki) -> None:
    signer = "tr-nes-expired"
    with pytest.raises(SigningError):
        sign_xml(DOC, pki.key(signer), pki.chain(signer), signing_time=T)


def test_a_timestamper_that_lies_is_refused(pki: TestPki) -> None:
    signer = "tr-nes-signer"
    with pytest.raises(SigningError, match="does not cover"):
        sign_xml(
            DOC,
            pki.key(signer),
            pki.chain(signer),
            signing_time=T,
            level="B-T",
            timestamper=lambda d: pki.timestamp_token(b"other", at=T, tsa="tr-tsa"),
        )


def test_verification_needs_trust_and_an_aware_time(pki: TestPki) -> None:
    with pytest.raises(ConfigurationError):
        verify_xml(DOC, trust=None, validation_time=T)
    with pytest.raises(InputError):
        verify_xml(DOC, trust=list(pki.roots()), validation_time=datetime(2026, 6, 1))
    report = verify_xml(DOC, trust=list(pki.roots()), validation_time=datetime.now(UTC))
    assert report.document_format == "XAdES"


def test_second_enveloped_signature_is_refused(pki: TestPki) -> None:
    signer = "tr-nes-signer"
    signed = sign_xml(DOC, pki.key(signer), pki.chain(signer), signing_time=T)
    with pytest.raises(SigningError, match="already carries"):
        sign_xml(signed, pki.key(signer), pki.chain(signer), signing_time=T)
