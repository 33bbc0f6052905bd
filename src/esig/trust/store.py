"""The trust store: every configured trust source, answering "who vouches for this chain?".

:class:`TrustStore` implements :class:`~esig.trust.source.TrustSource`. It is built by
:meth:`TrustStore.load` from sources:

* :class:`TrustedListSource`: one TS 119 612 list pinned to its signer certificates (a national
  list the caller trusts directly, e.g. the Azerbaijani list at an Azerbaijani customs office);
* :class:`LotlSource`: a list of lists (the EU LOTL, or a recognition list in the same shape
  published by Turkey or Azerbaijan); its pointers lead to member-state lists, and pointers that
  carry an EC MRA block to third-country lists read through :mod:`esig.trust.recognition`;
* :class:`EuLotlSource`: the EU LOTL verified from the Official Journal anchors through its pivots
  (:mod:`esig.trust.lotl`), then the member-state (and MRA third-country) lists it points to;
* :class:`~esig.trust.national.NationalCaBundle`: CA certificates with a declared service type
  and status (no list, no signature: the caller vouches for it by configuring it).

Every list is verified (:func:`~esig.trust.verify_trusted_list`) at the load time; a list that
fails is not used and :attr:`TrustStore.problems` keeps why. Bytes come from a
:class:`~esig.trust.fetch.Fetcher` (then written to the cache) or, offline, from a
:class:`~esig.trust.fetch.TrustListCache`.

A service vouches for a certificate of the chain when its ``ServiceDigitalIdentity`` (in its
current information or any history instance) holds that certificate, a certificate with the
same public key, or the certificate's subject key identifier. The signer certificate is tried
first, then its issuers: the first certificate some service vouches for anchors the chain.

Finding codes of :meth:`TrustStore.qualify`: ``trust.anchor`` plus those of
:mod:`esig.trust.qualification` and :mod:`esig.trust.recognition`. List problems:
``tl.unavailable``, ``tl.malformed``, ``tl.bad-pin`` plus :func:`verify_trusted_list`'s codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from esig.certs import read_certificate
from esig.errors import ConfigurationError, EsigError
from esig.report import CertificateQualification, Finding, SignatureQualification
from esig.trust._loader import Entry, LoadedList, Loader, ski, spki
from esig.trust._verified import using_records
from esig.trust.fetch import Fetcher, TrustListCache
from esig.trust.qualification import (
    CertificateFacts,
    ServiceView,
    captured_qualifiers,
    qualification_at,
    signature_qualification,
)
from esig.trust.recognition import recognised_view
from esig.trust.source import QualificationOutcome
from esig.trust.status import service_periods, status_at
from esig.trust.tlsig import STRICT_TRUST_LIST_POLICY, TrustListPolicy
from esig.trust.uris import ServiceType

if TYPE_CHECKING:
    from esig.trust.lotl import LotlAnchor
    from esig.trust.national import NationalCaBundle

__all__ = [
    "CA_SERVICE_TYPES",
    "TSA_SERVICE_TYPES",
    "EuLotlSource",
    "LoadedList",
    "LotlSource",
    "TrustStore",
    "TrustedListSource",
]

#: Service types whose certificates anchor signature chains.
CA_SERVICE_TYPES = frozenset(
    {ServiceType.CA_QC.value, ServiceType.CA_PKC.value, ServiceType.NATIONAL_ROOT_CA_QC.value}
)
#: Service types whose certificates anchor time-stamp chains.
TSA_SERVICE_TYPES = frozenset(
    {
        ServiceType.TSA_QTST.value,
        ServiceType.TSA.value,
        ServiceType.TSA_TSS_QC.value,
        ServiceType.TSA_TSS_ADES_QC_AND_QES.value,
    }
)


@dataclass(frozen=True)
class TrustedListSource:
    """A TS 119 612 list trusted directly, pinned to the certificates that may sign it.

    ``accept_home_legislation``: certificates whose QcCClegislation names this list's own
    territory count as qualified (under that national law, reported as ``qual.national-
    legislation``); EU rules alone would call them foreign.
    """

    location: str
    signing_certificates: tuple[bytes, ...]
    policy: TrustListPolicy = STRICT_TRUST_LIST_POLICY
    accept_home_legislation: bool = True


@dataclass(frozen=True)
class LotlSource:
    """A list of lists pinned to its signer certificates; its pointers are followed.

    ``territories`` restricts the pointed lists (None: all); ``tsl_types`` restricts them by
    TSLType (None: all); ``mra`` follows pointers carrying an MRA block (third-country lists).
    """

    location: str
    signing_certificates: tuple[bytes, ...]
    policy: TrustListPolicy = STRICT_TRUST_LIST_POLICY
    territories: tuple[str, ...] | None = None
    tsl_types: tuple[str, ...] | None = None
    mra: bool = True


@dataclass(frozen=True)
class EuLotlSource:
    """The EU list of trusted lists, verified from the Official Journal anchors through its pivots
    (:func:`esig.trust.lotl.load_lotl`), then every list it points to.

    ``anchors`` default to :func:`esig.trust.lotl.official_lotl_anchors`; ``territories``
    restricts the lists followed. Pointers carrying an MRA block are third-country lists.
    """

    location: str
    anchors: tuple[LotlAnchor, ...] | None = None
    policy: TrustListPolicy = STRICT_TRUST_LIST_POLICY
    territories: tuple[str, ...] | None = None


class TrustStore:
    """The union of configured trust sources (implements :class:`TrustSource`).

    Build it with :meth:`load`. The store is read-only afterwards; load again to refresh.
    """

    def __init__(
        self,
        lists: Sequence[LoadedList],
        entries: Sequence[Entry],
        loaded_at: datetime,
        extra_anchors: Sequence[x509.Certificate] = (),
    ):
        self._lists = tuple(lists)
        self._entries = tuple(entries)
        self._extra = tuple(extra_anchors)
        self.loaded_at = loaded_at
        """The time the lists were verified at."""

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(
        cls,
        sources: Iterable[TrustedListSource | LotlSource | EuLotlSource | NationalCaBundle],
        *,
        at: datetime,
        fetcher: Fetcher | None = None,
        cache: TrustListCache | None = None,
        extra_anchors: Sequence[x509.Certificate] = (),
    ) -> TrustStore:
        """Verify and load every source at time ``at``.

        With a ``fetcher``, lists are downloaded (and stored in ``cache`` if given); without
        one, they are read from ``cache`` (offline). Raises :class:`ConfigurationError` when
        neither is given but a source needs bytes. A list that is unavailable or fails
        verification is recorded in :attr:`problems` and not used.

        ``extra_anchors``: certificates trusted as chain anchors (signatures and time-stamps)
        although no list names them, like DSS's additional trusted certificate source; they
        vouch for no qualification.
        """
        from esig.trust.national import NationalCaBundle

        if at.tzinfo is None:
            raise ConfigurationError("the load time must be timezone-aware")
        loader = Loader(at, fetcher, cache)
        with using_records(cache.records if cache is not None else None):
            for source in sources:
                if isinstance(source, NationalCaBundle):
                    loader.national(source)
                elif isinstance(source, LotlSource):
                    loader.lotl(source)
                elif isinstance(source, EuLotlSource):
                    loader.eu_lotl(source)
                elif isinstance(source, TrustedListSource):
                    loader.direct(source)
                else:
                    raise ConfigurationError(f"not a trust source: {type(source).__name__}")
        return cls(loader.lists, loader.entries, at, extra_anchors)

    # ------------------------------------------------------------------ inspection

    @property
    def lists(self) -> tuple[LoadedList, ...]:
        """Every list the store looked at, usable or not, in load order."""
        return self._lists

    @property
    def problems(self) -> tuple[LoadedList, ...]:
        """The lists that are not used, each with its ``reasons``."""
        return tuple(item for item in self._lists if not item.usable)

    # ------------------------------------------------------------------ anchors

    def _anchor_types(self, entry: Entry, wanted: frozenset[str]) -> bool:
        if entry.recognition is None:
            return any(p.type_uri in wanted for p in service_periods(entry.service))
        for eq in entry.recognition.mra.equivalences:
            pointed = {t.type_uri for t in eq.type_pointed}
            if any(p.type_uri in pointed for p in service_periods(entry.service)) and any(
                t.type_uri in wanted for t in eq.type_pointing
            ):
                return True
        return False

    def _anchors(self, at: datetime, wanted: frozenset[str]) -> list[x509.Certificate]:
        if at.tzinfo is None:
            raise ValueError("times must be timezone-aware")
        seen: dict[bytes, x509.Certificate] = {}
        for entry in self._entries:
            if status_at(entry.service, at) is None or not self._anchor_types(entry, wanted):
                continue
            for cert in entry.parsed:
                seen.setdefault(cert.public_bytes(Encoding.DER), cert)
        for cert in self._extra:
            seen.setdefault(cert.public_bytes(Encoding.DER), cert)
        return list(seen.values())

    def anchors(self, at: datetime) -> Sequence[x509.Certificate]:
        """Certificates of CA services (CA/QC, CA/PKC, NationalRootCA-QC) that exist at ``at``.

        A withdrawn CA still anchors chains (its certificates are not qualified after the
        withdrawal: :meth:`qualify` says so). Third-country services count when an MRA maps
        their type to one of these types.
        """
        return self._anchors(at, CA_SERVICE_TYPES)

    def tsa_anchors(self, at: datetime) -> Sequence[x509.Certificate]:
        """Certificates of time-stamping services (TSA/QTST, TSA...) that exist at ``at``."""
        return self._anchors(at, TSA_SERVICE_TYPES)

    # ------------------------------------------------------------------ qualification

    def _matching(self, cert: x509.Certificate) -> list[Entry]:
        der = cert.public_bytes(Encoding.DER)
        key = spki(cert)
        key_id = ski(cert)
        return [
            e
            for e in self._entries
            if der in e.certificates or key in e.keys or (key_id is not None and key_id in e.skis)
        ]

    def vouching(self, chain: Sequence[x509.Certificate]) -> tuple[int, tuple[str, ...]]:
        """(index in ``chain`` of the anchoring certificate, labels of its services); (-1, ())
        when no configured service vouches for any certificate of the chain."""
        for index, cert in enumerate(chain):
            found = self._matching(cert)
            if found:
                return index, tuple(e.label for e in found)
        return -1, ()

    def _view(
        self, entry: Entry, facts: CertificateFacts, when: datetime, moment: str
    ) -> tuple[ServiceView | None, tuple[Finding, ...]]:
        period = status_at(entry.service, when)
        if period is None:
            return None, ()
        captured = captured_qualifiers(
            [(q.qualifiers, q.criteria) for q in period.qualifications], facts
        )
        if entry.recognition is not None:
            return recognised_view(
                entry.recognition, period, captured, facts, when, entry.label, moment
            )
        view = ServiceView(
            label=entry.label,
            type_uri=period.type_uri,
            status=period.status,
            start=period.start,
            additional_information=tuple(a.uri for a in period.additional_information),
            qualifiers=captured,
            home_legislation=entry.home_legislation,
        )
        return view, ()

    def qualify(
        self, chain: Sequence[x509.Certificate], *, signing_time: datetime
    ) -> QualificationOutcome:
        """Qualification of ``chain[0]`` at its issuance and at ``signing_time`` (TS 119 615).

        ``signature`` assumes an AdES-valid signature (validation downgrades it otherwise).
        """
        if not chain:
            raise ConfigurationError("qualify() needs at least the signer certificate")
        if signing_time.tzinfo is None:
            raise ValueError("signing_time must be timezone-aware")
        try:
            info = read_certificate(chain[0].public_bytes(Encoding.DER))
        except EsigError as exc:
            raise ConfigurationError(f"unreadable signer certificate: {exc}") from exc
        facts = CertificateFacts.of(info)
        findings: list[Finding] = []
        entries: list[Entry] = []
        for index, cert in enumerate(chain):
            entries = self._matching(cert)
            if entries:
                who = "the signer certificate itself" if index == 0 else f"issuer #{index}"
                findings.append(
                    Finding(
                        "trust.anchor",
                        f"{who} ({cert.subject.rfc4514_string()}) is vouched for by "
                        + "; ".join(e.label for e in entries),
                    )
                )
                break
        if not entries:
            findings.append(
                Finding(
                    "qual.no-service",
                    "no configured trust service vouches for any certificate of the chain",
                )
            )
            na = CertificateQualification.NA
            return QualificationOutcome(SignatureQualification.NA, na, na, None, tuple(findings))
        results = []
        for when, moment in ((facts.not_before, "issuance"), (signing_time, "signing")):
            views: list[ServiceView] = []
            for entry in entries:
                view, extra = self._view(entry, facts, when, moment)
                findings.extend(extra)
                if view is not None:
                    views.append(view)
            result = qualification_at(facts, views, when, moment)
            findings.extend(result.findings)
            results.append(result)
        issuance, signing = results
        signature, extra = signature_qualification(issuance.qualification, signing.qualification)
        findings.extend(extra)
        service = signing.service or issuance.service
        return QualificationOutcome(
            signature=signature,
            at_issuance=issuance.qualification,
            at_signing=signing.qualification,
            service=service.label if service is not None else None,
            findings=tuple(dict.fromkeys(findings)),
        )
