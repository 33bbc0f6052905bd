"""The EU list of trusted lists (LOTL): pinned to the Official Journal, pivots followed,
member-state lists verified against the certificates the LOTL pins for them.

How trust flows (as DSS's ``LOTLSource`` with pivot support and pyHanko's ``eutl_fetch``):

1. The Commission announces the certificates that may sign the LOTL in the Official Journal
   (OJEU). Those are the anchors (:class:`LotlAnchor`, :func:`official_lotl_anchors`).
2. When the Commission changes the LOTL signers without a new OJ publication, it publishes a
   **pivot** LOTL: the current LOTL lists the pivots' URLs in ``SchemeInformationURI``, newest
   first, followed by the OJ URL that anchors the oldest one. Each pivot's pointer to the LOTL
   itself (``OtherTSLPointer`` whose ``TSLType`` is the LOTL's) lists the certificates that must
   sign the next pivot, or the current LOTL after the newest pivot.
3. The current LOTL's pointers name each member-state list (``TSLLocation``, territory) and pin
   its signers (``ServiceDigitalIdentities``); each member-state list is verified against those.

Everything fails closed: a pivot that cannot be fetched, does not verify with the certificates
announced for it, or is out of order breaks the chain and the LOTL is not used; a member-state
list that fails is reported with its reasons and not used. Nothing here touches the network: the
caller passes a :class:`~esig.trust.fetch.Fetcher` (``fetcher.fetch(url) -> bytes``), e.g.
:class:`~esig.trust.fetch.UrllibFetcher` or, offline and in tests,
:class:`~esig.trust.fetch.MemoryFetcher`; any exception it raises means "unavailable".

Finding codes (in addition to those of :func:`~esig.trust.verify_trusted_list`, which are passed
through for the list concerned):

==============================  ================================================================
code                            meaning
==============================  ================================================================
lotl.anchor-not-announced       no configured anchor matches the OJ URL the LOTL cites
lotl.pivot-unavailable          a pivot LOTL could not be fetched
lotl.pivot-malformed            a pivot LOTL is not a well-formed trusted list
lotl.pivot-invalid              a pivot LOTL does not verify with the certificates announced for it
lotl.pivot-order                (warning) pivot sequence numbers do not increase up to the
                                current LOTL (DSS's own pivot test data has such a chain; the
                                signatures, not the numbers, carry the trust)
lotl.pivot-no-signers           a pivot announces no certificate for the next LOTL
lotl.pivot-mismatch             the signed LOTL cites other pivots than the chain walked
lotl.malformed                  the current LOTL is not a well-formed trusted list
lotl.invalid                    the current LOTL is not usable (see the passed-through reasons)
lotl.member-unavailable         a member-state list could not be fetched
lotl.member-malformed           a member-state list is not a well-formed trusted list
lotl.member-no-pinned-signer    the LOTL pins no certificate for a member-state list
lotl.territory-mismatch         (warning) the list's territory differs from the pointer's
lotl.type-mismatch              (warning) the list's TSLType differs from the pointer's
==============================  ================================================================
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from esig.errors import (
    CertificateError,
    ConfigurationError,
    EsigError,
    InputError,
    TrustListError,
)
from esig.report import Finding
from esig.trust.fetch import Fetcher
from esig.trust.model import TrustedList, TslPointer
from esig.trust.tlsig import (
    STRICT_TRUST_LIST_POLICY,
    TrustListPolicy,
    VerifiedList,
    verify_trusted_list,
)

__all__ = [
    "ETSI_TSL_MIME_TYPE",
    "EuTrustedLists",
    "LotlAnchor",
    "LotlResult",
    "MemberList",
    "PivotResult",
    "load_eu_trusted_lists",
    "load_lotl",
    "load_member_lists",
    "lotl_pivot_urls",
    "official_lotl_anchors",
]

#: ``tslx:MimeType`` of an XML trusted list (pointers with another type, e.g. PDF, are skipped).
ETSI_TSL_MIME_TYPE = "application/vnd.etsi.tsl+xml"

#: Where the bundled OJ anchors live in a source checkout (``trust_lists/eu``).
_BUNDLED_ANCHORS = Path(__file__).resolve().parents[3] / "trust_lists" / "eu"


@dataclass(frozen=True)
class LotlAnchor:
    """Certificates announced as LOTL signers, and the OJ publication that announced them.

    ``ojeu_url`` is matched against the OJ URL the LOTL cites in ``SchemeInformationURI`` (scheme
    and surrounding blanks ignored). An anchor with ``ojeu_url=None`` is pinned explicitly by the
    caller and applies to any LOTL.
    """

    certificates: tuple[bytes, ...]
    """DER certificates."""
    ojeu_url: str | None = None
    """Address of the OJ publication (e.g. ``https://eur-lex.europa.eu/eli/C/2026/1944/oj``)."""
    publication: str = ""
    """Human-readable reference (``OJ C 276, 16.8.2019, p. 1``)."""


@dataclass(frozen=True)
class PivotResult:
    """One pivot LOTL of the chain, checked with the certificates announced for it."""

    location: str
    """The pivot's URL as the LOTL cites it."""
    usable: bool
    """True when the pivot verified and may announce the next signers."""
    sequence_number: int | None = None
    """The pivot's ``TSLSequenceNumber`` (None when it could not be read)."""
    reasons: tuple[Finding, ...] = ()
    """Why the pivot is not usable."""
    warnings: tuple[Finding, ...] = ()
    """What was tolerated (a pivot is historic: its NextUpdate and signer may have expired)."""


@dataclass(frozen=True)
class LotlResult:
    """The outcome of :func:`load_lotl`: is the LOTL usable, and how was that decided."""

    usable: bool
    """True when the pivot chain holds and the LOTL verified with the signers it announces."""
    reasons: tuple[Finding, ...]
    """Why the LOTL is not usable (empty when usable)."""
    warnings: tuple[Finding, ...]
    """Warnings of the LOTL's own verification (and ``lotl.pivot-order``)."""
    validation_time: datetime
    """The time the LOTL was checked at."""
    ojeu_url: str | None
    """The OJ URL the LOTL cites (after its pivots), None if it cites none."""
    anchor: LotlAnchor | None
    """The anchor that started the chain (None when none matched)."""
    pivots: tuple[PivotResult, ...] = ()
    """The pivots checked, oldest first (the chain stops at the first failure)."""
    verified: VerifiedList | None = None
    """The LOTL's own :func:`~esig.trust.verify_trusted_list` outcome, if it got that far."""

    @property
    def trusted_list(self) -> TrustedList | None:
        """The LOTL, built from signed content; None unless :attr:`usable`."""
        if not self.usable or self.verified is None:
            return None
        return self.verified.trusted_list

    @property
    def pointers(self) -> tuple[TslPointer, ...]:
        """The LOTL's pointers; empty unless :attr:`usable`."""
        tl = self.trusted_list
        return () if tl is None else tl.pointers


@dataclass(frozen=True)
class MemberList:
    """A list the LOTL points to (a member state's, or a third country's under an MRA)."""

    pointer: TslPointer
    """The LOTL pointer: location, territory, type and the pinned signer certificates."""
    usable: bool
    """True when the list verified with the pinned certificates at the validation time."""
    reasons: tuple[Finding, ...] = ()
    """Why the list is not usable."""
    warnings: tuple[Finding, ...] = ()
    """Warnings (verification warnings, territory or type differing from the pointer)."""
    verified: VerifiedList | None = None
    """The list's :func:`~esig.trust.verify_trusted_list` outcome, if it was fetched and parsed."""

    @property
    def territory(self) -> str | None:
        """``SchemeTerritory`` announced by the pointer."""
        return self.pointer.scheme_territory

    @property
    def location(self) -> str:
        """``TSLLocation`` of the pointer."""
        return self.pointer.location

    @property
    def trusted_list(self) -> TrustedList | None:
        """The list built from signed content; None unless :attr:`usable`."""
        if not self.usable or self.verified is None:
            return None
        return self.verified.trusted_list


@dataclass(frozen=True)
class EuTrustedLists:
    """The LOTL and the lists it points to (:func:`load_eu_trusted_lists`)."""

    lotl: LotlResult
    """The LOTL's verdict."""
    members: tuple[MemberList, ...]
    """One entry per XML pointer of a usable LOTL, in LOTL order; empty when the LOTL failed."""

    @property
    def usable_lists(self) -> tuple[TrustedList, ...]:
        """The member lists that verified (the only ones to use)."""
        return tuple(m.trusted_list for m in self.members if m.trusted_list is not None)


def official_lotl_anchors(directory: Path | str | None = None) -> tuple[LotlAnchor, ...]:
    """The LOTL signer certificates announced in the Official Journal, bundled with esig.

    Reads ``anchors.tsv`` and the PEM files it names from ``directory`` (default: the
    repository's ``trust_lists/eu``; see its ``SOURCE.md`` for provenance). Raises
    :class:`~esig.errors.ConfigurationError` when the directory or a file is missing and
    :class:`~esig.errors.CertificateError` for an unreadable certificate.
    """
    base = Path(directory) if directory is not None else _BUNDLED_ANCHORS
    index = base / "anchors.tsv"
    try:
        text = index.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(
            f"no LOTL anchors at {base} (anchors.tsv missing); pass the directory holding the "
            "OJ-announced LOTL signer certificates"
        ) from exc
    anchors = []
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        name = (row.get("file") or "").strip()
        if not name or "/" in name or "\\" in name:
            raise ConfigurationError(f"{index}: bad file name {name!r}")
        try:
            pem = (base / name).read_bytes()
        except OSError as exc:
            raise ConfigurationError(f"{index}: cannot read {name}") from exc
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError as exc:
            raise CertificateError(f"{base / name} is not a PEM certificate bundle") from exc
        anchors.append(
            LotlAnchor(
                certificates=tuple(c.public_bytes(Encoding.DER) for c in certs),
                ojeu_url=(row.get("ojeu_url") or "").strip() or None,
                publication=(row.get("publication") or "").strip(),
            )
        )
    if not anchors:
        raise ConfigurationError(f"{index} lists no anchor")
    return tuple(anchors)


def _is_ojeu_url(uri: str) -> bool:
    host = urlsplit(uri.strip()).hostname or ""
    return host == "eur-lex.europa.eu" or host.endswith(".eur-lex.europa.eu")


def _same_url(a: str, b: str) -> bool:
    def norm(u: str) -> str:
        parts = urlsplit(u.strip())
        return f"{(parts.hostname or '').lower()}{parts.path}?{parts.query}"

    return norm(a) == norm(b)


def lotl_pivot_urls(lotl: TrustedList) -> tuple[tuple[str, ...], str | None]:
    """The pivot URLs a LOTL cites (newest first) and the OJ URL that anchors the oldest.

    Pivots are the ``SchemeInformationURI`` values ending in ``.xml`` before the first OJEU
    (``eur-lex.europa.eu``) address; anything after that address belongs to an earlier anchor.
    """
    pivots: list[str] = []
    for uri in lotl.scheme_information_uris:
        text = uri.text.strip()
        if _is_ojeu_url(text):
            return tuple(pivots), text
        if urlsplit(text).path.lower().endswith(".xml"):
            pivots.append(text)
    return tuple(pivots), None


def _announced_signers(tl: TrustedList) -> tuple[bytes, ...]:
    """Certificates a (pivot) LOTL pins for the LOTL itself: its self-pointer's identities."""
    certs: list[bytes] = []
    for pointer in tl.pointers:
        if pointer.tsl_type is not None and pointer.tsl_type.strip() == tl.tsl_type.strip():
            certs.extend(c for c in pointer.signing_certificates if c not in certs)
    return tuple(certs)


def _fetch(fetcher: Fetcher, url: str) -> bytes | str:
    """The document, or why it is unavailable."""
    try:
        data: object = fetcher.fetch(url)
    except Exception as exc:  # any fetcher failure means "unavailable": fail closed
        return f"{type(exc).__name__}: {exc}"
    if not isinstance(data, bytes | bytearray):  # a fetcher outside esig may return anything
        return f"the fetcher returned {type(data).__name__}, not bytes"
    return bytes(data)


def load_lotl(
    xml_bytes: bytes,
    *,
    anchors: Sequence[LotlAnchor],
    validation_time: datetime,
    fetcher: Fetcher | None = None,
    policy: TrustListPolicy = STRICT_TRUST_LIST_POLICY,
) -> LotlResult:
    """Verify a LOTL from the OJ anchors, through its pivots, at ``validation_time``.

    The LOTL's ``SchemeInformationURI`` names the pivots and the OJ publication; the anchor with
    that OJ URL (or any anchor without a URL) verifies the oldest pivot, each pivot announces
    the signers of the next, and the newest announces the signers of this LOTL, which is then
    verified under ``policy``. Pivots are historic documents: their NextUpdate and their signer's
    validity are not held against them (warnings), everything else in ``policy`` applies.

    A LOTL that fails is a verdict (``usable=False`` with reasons). Raises
    :class:`~esig.errors.ConfigurationError` when no anchor is given, or the LOTL cites pivots
    and no ``fetcher`` is given; :class:`~esig.errors.InputError` for a naive validation time.
    """
    if validation_time.tzinfo is None:
        raise InputError("validation_time must be timezone-aware")
    if not anchors:
        raise ConfigurationError("no LOTL anchor configured (see official_lotl_anchors())")
    try:
        from esig.trust.parse import parse_trusted_list

        claimed = parse_trusted_list(xml_bytes)  # unauthenticated: only to find pivots and OJ
    except TrustListError as exc:
        return LotlResult(
            usable=False,
            reasons=(Finding("lotl.malformed", str(exc)),),
            warnings=(),
            validation_time=validation_time,
            ojeu_url=None,
            anchor=None,
        )
    pivot_urls, ojeu_url = lotl_pivot_urls(claimed)

    def failed(
        *reasons: Finding, anchor: LotlAnchor | None, pivots: Sequence[PivotResult] = ()
    ) -> LotlResult:
        return LotlResult(
            usable=False,
            reasons=reasons,
            warnings=(),
            validation_time=validation_time,
            ojeu_url=ojeu_url,
            anchor=anchor,
            pivots=tuple(pivots),
        )

    matching = [
        a for a in anchors if a.ojeu_url is None or (ojeu_url and _same_url(a.ojeu_url, ojeu_url))
    ]
    if not matching:
        return failed(
            Finding(
                "lotl.anchor-not-announced",
                f"the LOTL cites {ojeu_url or 'no OJ publication'}; no configured anchor "
                "was announced there",
            ),
            anchor=None,
        )
    anchor = matching[0]
    signers = tuple(dict.fromkeys(c for a in matching for c in a.certificates))
    if pivot_urls and fetcher is None:
        raise ConfigurationError("the LOTL cites pivot LOTLs: a fetcher is needed")

    pivot_policy = replace(policy, allow_expired=True, allow_expired_signer=True)
    steps: list[PivotResult] = []
    previous_sequence: int | None = None
    for url in reversed(pivot_urls):  # oldest first
        assert fetcher is not None
        step, next_signers, sequence = _check_pivot(
            url, fetcher, signers, validation_time, pivot_policy, previous_sequence
        )
        steps.append(step)
        if not step.usable or next_signers is None:
            return failed(*step.reasons, anchor=anchor, pivots=steps)
        signers, previous_sequence = next_signers, sequence

    try:
        verified = verify_trusted_list(
            xml_bytes, signing_certificates=signers, validation_time=validation_time, policy=policy
        )
    except (TrustListError, CertificateError) as exc:
        return failed(Finding("lotl.malformed", str(exc)), anchor=anchor, pivots=steps)
    reasons = list(verified.reasons)
    warnings = list(verified.warnings)
    tl = verified.trusted_list
    if tl is not None and lotl_pivot_urls(tl) != (pivot_urls, ojeu_url):
        # The chain was walked from the unauthenticated parse: it must be what was signed.
        reasons.append(
            Finding("lotl.pivot-mismatch", "the signed LOTL cites other pivots or OJ anchor")
        )
    if tl is not None and previous_sequence is not None and tl.sequence_number < previous_sequence:
        warnings.append(
            Finding(
                "lotl.pivot-order",
                f"the LOTL's sequence number {tl.sequence_number} is lower than its newest "
                f"pivot's ({previous_sequence})",
            )
        )
    if reasons:
        reasons.insert(0, Finding("lotl.invalid", "the LOTL is not usable"))
    return LotlResult(
        usable=not reasons,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        validation_time=validation_time,
        ojeu_url=ojeu_url,
        anchor=anchor,
        pivots=tuple(steps),
        verified=verified,
    )


def _check_pivot(
    url: str,
    fetcher: Fetcher,
    signers: tuple[bytes, ...],
    when: datetime,
    policy: TrustListPolicy,
    previous_sequence: int | None,
) -> tuple[PivotResult, tuple[bytes, ...] | None, int | None]:
    """One pivot: its result, the signers it announces and its sequence number."""
    data = _fetch(fetcher, url)
    if isinstance(data, str):
        reason = Finding("lotl.pivot-unavailable", f"pivot {url}: {data}")
        return PivotResult(url, usable=False, reasons=(reason,)), None, None
    try:
        verified = verify_trusted_list(
            data, signing_certificates=signers, validation_time=when, policy=policy
        )
    except (TrustListError, CertificateError) as exc:
        reason = Finding("lotl.pivot-malformed", f"pivot {url}: {exc}")
        return PivotResult(url, usable=False, reasons=(reason,)), None, None
    tl = verified.trusted_list
    sequence = None if tl is None else tl.sequence_number
    if not verified.usable or tl is None:
        reasons = (
            Finding(
                "lotl.pivot-invalid",
                f"pivot {url} does not verify with the certificates announced for it",
            ),
            *verified.reasons,
        )
        return (
            PivotResult(url, False, sequence, reasons, verified.warnings),
            None,
            sequence,
        )
    warnings = list(verified.warnings)
    if previous_sequence is not None and tl.sequence_number <= previous_sequence:
        warnings.append(
            Finding(
                "lotl.pivot-order",
                f"pivot {url} has sequence number {tl.sequence_number}, not above the previous "
                f"pivot's {previous_sequence}",
            )
        )
    announced = _announced_signers(tl)
    if not announced:
        reason = Finding(
            "lotl.pivot-no-signers", f"pivot {url} announces no signer for the next LOTL"
        )
        return PivotResult(url, False, sequence, (reason,), tuple(warnings)), None, sequence
    return PivotResult(url, True, sequence, (), tuple(warnings)), announced, sequence


def load_member_lists(
    lotl: LotlResult,
    *,
    fetcher: Fetcher,
    validation_time: datetime | None = None,
    policy: TrustListPolicy = STRICT_TRUST_LIST_POLICY,
    territories: Collection[str] | None = None,
) -> tuple[MemberList, ...]:
    """Fetch and verify every XML list a usable LOTL points to (its self-pointer excluded).

    Each list is verified against its pointer's ``ServiceDigitalIdentities`` at
    ``validation_time`` (default: the LOTL's). ``territories`` restricts the pointers followed
    (e.g. ``{"BE", "EE"}``). Raises :class:`~esig.errors.ConfigurationError` when ``lotl`` is not
    usable: its pointers must not be followed.
    """
    tl = lotl.trusted_list
    if tl is None:
        raise ConfigurationError("the LOTL is not usable; its pointers must not be followed")
    when = lotl.validation_time if validation_time is None else validation_time
    wanted = None if territories is None else {t.strip().upper() for t in territories}
    out = []
    for pointer in tl.pointers:
        if pointer.tsl_type is not None and pointer.tsl_type.strip() == tl.tsl_type.strip():
            continue  # the LOTL's pointer to itself
        if pointer.mime_type is not None and pointer.mime_type.strip() != ETSI_TSL_MIME_TYPE:
            continue  # the human-readable (PDF) form of a list
        if wanted is not None and (pointer.scheme_territory or "").strip().upper() not in wanted:
            continue
        out.append(_member(pointer, fetcher, when, policy))
    return tuple(out)


def _member(
    pointer: TslPointer, fetcher: Fetcher, when: datetime, policy: TrustListPolicy
) -> MemberList:
    if not pointer.signing_certificates:
        reason = Finding(
            "lotl.member-no-pinned-signer",
            f"the LOTL pins no signer certificate for {pointer.location}",
        )
        return MemberList(pointer, usable=False, reasons=(reason,))
    data = _fetch(fetcher, pointer.location)
    if isinstance(data, str):
        reason = Finding("lotl.member-unavailable", f"{pointer.location}: {data}")
        return MemberList(pointer, usable=False, reasons=(reason,))
    try:
        verified = verify_trusted_list(
            data,
            signing_certificates=pointer.signing_certificates,
            validation_time=when,
            policy=policy,
        )
    except EsigError as exc:
        reason = Finding("lotl.member-malformed", f"{pointer.location}: {exc}")
        return MemberList(pointer, usable=False, reasons=(reason,))
    warnings = list(verified.warnings)
    tl = verified.trusted_list
    if tl is not None:
        claimed, found = pointer.scheme_territory, tl.scheme_territory
        if claimed and found and claimed.strip().upper() != found.strip().upper():
            warnings.append(
                Finding(
                    "lotl.territory-mismatch",
                    f"the LOTL points to {pointer.location} for {claimed}; the list says {found}",
                )
            )
        if pointer.tsl_type and pointer.tsl_type.strip() != tl.tsl_type.strip():
            warnings.append(
                Finding(
                    "lotl.type-mismatch",
                    f"the LOTL announces TSLType {pointer.tsl_type}; the list says {tl.tsl_type}",
                )
            )
    return MemberList(
        pointer,
        usable=verified.usable,
        reasons=verified.reasons,
        warnings=tuple(warnings),
        verified=verified,
    )


def load_eu_trusted_lists(
    lotl_xml: bytes,
    *,
    fetcher: Fetcher,
    validation_time: datetime,
    anchors: Sequence[LotlAnchor] | None = None,
    policy: TrustListPolicy = STRICT_TRUST_LIST_POLICY,
    territories: Collection[str] | None = None,
) -> EuTrustedLists:
    """:func:`load_lotl` then :func:`load_member_lists`: the whole EU trust in one call.

    ``anchors`` defaults to :func:`official_lotl_anchors`. When the LOTL is not usable, no member
    list is fetched (``members`` is empty) and ``lotl.reasons`` say why.
    """
    result = load_lotl(
        lotl_xml,
        anchors=official_lotl_anchors() if anchors is None else anchors,
        validation_time=validation_time,
        fetcher=fetcher,
        policy=policy,
    )
    if not result.usable:
        return EuTrustedLists(lotl=result, members=())
    members = load_member_lists(
        result,
        fetcher=fetcher,
        validation_time=validation_time,
        policy=policy,
        territories=territories,
    )
    return EuTrustedLists(lotl=result, members=members)
