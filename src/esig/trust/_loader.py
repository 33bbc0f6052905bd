"""Loading the sources of a :class:`~esig.trust.store.TrustStore` (private to the store).

Fetches (or reads from the cache) and verifies every list, follows list-of-lists pointers, and
turns the services of usable lists into the entries the store matches chains against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from esig.errors import ConfigurationError, EsigError, FetchError, TrustListError
from esig.report import Finding
from esig.trust.fetch import Fetcher, TrustListCache
from esig.trust.model import TrustedList, TrustService, TslPointer
from esig.trust.parse import parse_trusted_list
from esig.trust.recognition import Recognition
from esig.trust.status import service_periods
from esig.trust.tlsig import TrustListPolicy, verify_trusted_list
from esig.trust.uris import TslType

if TYPE_CHECKING:
    from esig.trust.national import NationalCaBundle
    from esig.trust.store import EuLotlSource, LotlSource, TrustedListSource

__all__ = ["Entry", "LoadedList", "Loader", "ski", "spki"]

_LOTL_TYPES = frozenset({TslType.EU_LIST_OF_THE_LISTS.value, TslType.ADES_LOTL.value})


@dataclass(frozen=True)
class LoadedList:
    """What happened to one list when the store was loaded (for ``esig tl show``)."""

    location: str
    kind: str
    """``trusted-list``, ``lotl``, ``member-list``, ``third-country`` or ``national``."""
    usable: bool
    territory: str | None = None
    """For this field and the next four: what the list says; for an unusable list, what the
    unverified document claims (shown to the operator, never used)."""
    sequence_number: int | None = None
    issue_time: datetime | None = None
    next_update: datetime | None = None
    tsl_type: str | None = None
    services: int = 0
    signer: str | None = None
    """Subject of the certificate that verified the signature."""
    via: str | None = None
    """The list of lists that pointed here."""
    recognised_by: str | None = None
    """For a third-country list: the recognising party of the MRA."""
    reasons: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Entry:
    service: TrustService
    label: str
    territory: str
    certificates: frozenset[bytes]
    keys: frozenset[bytes]
    skis: frozenset[bytes]
    recognition: Recognition | None = None
    home_legislation: str | None = None
    parsed: tuple[x509.Certificate, ...] = field(default=(), compare=False)


def spki(cert: x509.Certificate) -> bytes:
    """The certificate's SubjectPublicKeyInfo, DER, read without parsing the key (a key that
    cryptography refuses, e.g. explicit EC parameters, still matches byte for byte)."""
    from asn1crypto import x509 as asn1_x509

    try:
        parsed = asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))
        return bytes(parsed["tbs_certificate"]["subject_public_key_info"].dump())
    except (ValueError, TypeError, KeyError):  # asn1crypto on malformed DER
        return cert.public_bytes(Encoding.DER)


def ski(cert: x509.Certificate) -> bytes | None:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    except (x509.ExtensionNotFound, ValueError):
        return None
    return bytes(ext.value.digest)


def _entry(
    service: TrustService,
    provider: str,
    territory: str,
    recognition: Recognition | None,
    home: str | None,
) -> Entry:
    ders: dict[bytes, x509.Certificate] = {}
    skis: set[bytes] = set()
    for period in service_periods(service):
        for der in period.digital_identity.certificates:
            if der in ders:
                continue
            try:
                ders[der] = x509.load_der_x509_certificate(der)
            except ValueError:
                continue
        skis.update(period.digital_identity.skis)
    parsed = tuple(ders.values())
    skis.update(s for s in (ski(c) for c in parsed) if s is not None)
    name = service.names[0].text if service.names else "(unnamed service)"
    return Entry(
        service=service,
        label=f"{territory}: {name}" + (f" ({provider})" if provider and provider != name else ""),
        territory=territory,
        certificates=frozenset(ders),
        keys=frozenset(spki(c) for c in parsed),
        skis=frozenset(skis),
        recognition=recognition,
        home_legislation=home,
        parsed=parsed,
    )


def _entries(tl: TrustedList, recognition: Recognition | None, home: str | None) -> list[Entry]:
    territory = tl.scheme_territory or "??"
    out = []
    for provider in tl.providers:
        pname = provider.names[0].text if provider.names else ""
        for service in provider.services:
            out.append(_entry(service, pname, territory, recognition, home))
    return out


def _claimed(data: bytes) -> TrustedList | None:
    """What an unusable list claims about itself (for the operator's report only)."""
    try:
        return parse_trusted_list(data)
    except EsigError:
        return None


def _reason(code: str, message: str) -> tuple[Finding, ...]:
    return (Finding(code, message),)


def _party(legislation: str | None, fallback: str | None) -> str:
    """The recognising party: the MRA's legislation attribute when meaningful, else the LOTL's
    territory (DSS's example carries a placeholder ``uri/.../``)."""
    if legislation and "..." not in legislation:
        return legislation
    return fallback or "LOTL"


class LoaderFetcher:
    """A fetcher over the loader: downloads through its fetcher (writing the cache) or reads the
    cache offline."""

    def __init__(self, loader: Loader) -> None:
        self._loader = loader

    def fetch(self, location: str) -> bytes:
        data = self._loader._bytes(location)
        if isinstance(data, str):
            raise FetchError(data)
        return data


class Loader:
    def __init__(self, at: datetime, fetcher: Fetcher | None, cache: TrustListCache | None):
        self.at = at
        self.fetcher = fetcher
        self.cache = cache
        self.lists: list[LoadedList] = []
        self.entries: list[Entry] = []

    def _bytes(self, location: str) -> bytes | str:
        if self.fetcher is not None:
            try:
                data = self.fetcher.fetch(location)
            except (FetchError, EsigError) as exc:
                cached = self.cache.get(location) if self.cache is not None else None
                if cached is None:
                    return f"could not fetch {location}: {exc}"
                return cached
            if self.cache is not None:
                self.cache.put(location, data, fetched_at=self.at)
            return data
        if self.cache is None:
            raise ConfigurationError("TrustStore.load needs a fetcher or a cache to read lists")
        cached = self.cache.get(location)
        return cached if cached is not None else f"{location} is not in the cache"

    def _verify(
        self,
        location: str,
        pins: Sequence[bytes],
        policy: TrustListPolicy,
        kind: str,
        via: str | None = None,
        recognised_by: str | None = None,
    ) -> TrustedList | None:
        data = self._bytes(location)
        base = LoadedList(
            location=location, kind=kind, usable=False, via=via, recognised_by=recognised_by
        )
        if isinstance(data, str):
            self.lists.append(replace(base, reasons=_reason("tl.unavailable", data)))
            return None
        try:
            verified = verify_trusted_list(
                data, signing_certificates=pins, validation_time=self.at, policy=policy
            )
        except TrustListError as exc:
            self.lists.append(replace(base, reasons=_reason("tl.malformed", str(exc))))
            return None
        except EsigError as exc:
            self.lists.append(replace(base, reasons=_reason("tl.bad-pin", str(exc))))
            return None
        tl = verified.trusted_list
        shown = tl if tl is not None else _claimed(data)
        signer = None
        if verified.signer_certificate is not None:
            try:
                cert = x509.load_der_x509_certificate(verified.signer_certificate)
                signer = cert.subject.rfc4514_string()
            except ValueError:
                signer = None
        self.lists.append(
            replace(
                base,
                usable=verified.usable and tl is not None,
                territory=shown.scheme_territory if shown else None,
                sequence_number=shown.sequence_number if shown else None,
                issue_time=shown.issue_time if shown else None,
                next_update=shown.next_update if shown else None,
                tsl_type=shown.tsl_type if shown else None,
                services=len(tl.services) if tl else 0,
                signer=signer,
                reasons=verified.reasons,
                warnings=verified.warnings,
            )
        )
        return tl if verified.usable else None

    def direct(self, source: TrustedListSource) -> None:
        tl = self._verify(
            source.location, source.signing_certificates, source.policy, "trusted-list"
        )
        if tl is not None:
            home = tl.scheme_territory if source.accept_home_legislation else None
            self.entries.extend(_entries(tl, None, home))

    def lotl(self, source: LotlSource) -> None:
        lotl = self._verify(source.location, source.signing_certificates, source.policy, "lotl")
        if lotl is None:
            return
        for pointer in lotl.pointers:
            if not self._follow(pointer, source):
                continue
            recognition = None
            if pointer.mra is not None:
                recognition = Recognition(
                    mra=pointer.mra,
                    pointing_party=_party(pointer.mra.pointing_legislation, lotl.scheme_territory),
                    pointed_party=pointer.scheme_territory or "?",
                )
            kind = "third-country" if recognition else "member-list"
            tl = self._verify(
                pointer.location,
                pointer.signing_certificates,
                source.policy,
                kind,
                via=source.location,
                recognised_by=recognition.pointing_party if recognition else None,
            )
            if tl is not None:
                if recognition is not None and tl.scheme_territory:
                    recognition = Recognition(
                        recognition.mra, recognition.pointing_party, tl.scheme_territory
                    )
                self.entries.extend(_entries(tl, recognition, None))

    def eu_lotl(self, source: EuLotlSource) -> None:
        from esig.trust.lotl import load_eu_trusted_lists, official_lotl_anchors

        data = self._bytes(source.location)
        base = LoadedList(location=source.location, kind="lotl", usable=False)
        if isinstance(data, str):
            self.lists.append(replace(base, reasons=_reason("tl.unavailable", data)))
            return
        anchors = official_lotl_anchors() if source.anchors is None else source.anchors
        result = load_eu_trusted_lists(
            data,
            fetcher=LoaderFetcher(self),
            validation_time=self.at,
            anchors=anchors,
            policy=source.policy,
            territories=source.territories,
        )
        shown = result.lotl.trusted_list or _claimed(data)
        self.lists.append(
            replace(
                base,
                usable=result.lotl.usable,
                territory=shown.scheme_territory if shown else None,
                sequence_number=shown.sequence_number if shown else None,
                issue_time=shown.issue_time if shown else None,
                next_update=shown.next_update if shown else None,
                tsl_type=shown.tsl_type if shown else None,
                reasons=result.lotl.reasons,
                warnings=result.lotl.warnings,
            )
        )
        lotl_territory = shown.scheme_territory if shown else None
        for member in result.members:
            pointer = member.pointer
            recognition = None
            if pointer.mra is not None:
                recognition = Recognition(
                    mra=pointer.mra,
                    pointing_party=_party(pointer.mra.pointing_legislation, lotl_territory),
                    pointed_party=pointer.scheme_territory or "?",
                )
            tl = member.trusted_list
            claimed = tl or (member.verified.trusted_list if member.verified is not None else None)
            self.lists.append(
                LoadedList(
                    location=pointer.location,
                    kind="third-country" if recognition else "member-list",
                    usable=member.usable and tl is not None,
                    territory=claimed.scheme_territory if claimed else pointer.scheme_territory,
                    sequence_number=claimed.sequence_number if claimed else None,
                    issue_time=claimed.issue_time if claimed else None,
                    next_update=claimed.next_update if claimed else None,
                    tsl_type=claimed.tsl_type if claimed else pointer.tsl_type,
                    services=len(tl.services) if tl else 0,
                    via=source.location,
                    recognised_by=recognition.pointing_party if recognition else None,
                    reasons=member.reasons,
                    warnings=member.warnings,
                )
            )
            if tl is not None:
                self.entries.extend(_entries(tl, recognition, None))

    def _follow(self, pointer: TslPointer, source: LotlSource) -> bool:
        if pointer.location == source.location:
            return False
        if pointer.mime_type and "pdf" in pointer.mime_type.lower():
            return False
        if pointer.location.lower().endswith(".pdf"):
            return False
        if pointer.tsl_type in _LOTL_TYPES:
            return False
        if pointer.mra is not None and not source.mra:
            return False
        if source.territories is not None and pointer.scheme_territory not in source.territories:
            return False
        return source.tsl_types is None or pointer.tsl_type in source.tsl_types

    def national(self, bundle: NationalCaBundle) -> None:
        tl = bundle.trusted_list()
        self.lists.append(
            LoadedList(
                location=f"national:{bundle.territory}",
                kind="national",
                usable=True,
                territory=bundle.territory,
                services=len(tl.services),
                warnings=_reason(
                    "tl.not-signed",
                    "a locally configured CA bundle: trusted "
                    "because the operator configured it, not by a signature",
                ),
            )
        )
        home = bundle.territory if bundle.accept_home_legislation else None
        self.entries.extend(_entries(tl, None, home))
