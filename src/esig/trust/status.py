"""A trust service's status at a given time, and what a status means before and after eIDAS.

:func:`status_at` picks the period (current information or a ``ServiceHistoryInstance``) in force
at a moment: a period applies from its ``StatusStartingTime`` (inclusive) until the next newer
period starts (exclusive). Before the oldest period, nothing applies (None).

:func:`status_meaning` reads a status URI. The eIDAS switch-over is
:data:`EIDAS_SWITCH` = 2016-06-30T22:00:00Z (midnight 1 July 2016 in Brussels, as DSS's
``EIDASUtils``). ``when`` is the start of the status period, as in DSS's ``GrantedServiceFilter``
(use :func:`period_meaning`).

=========================================  ======================  ======================
status (``.../TrustedList/Svcstatus/``)     period starts before     period starts at or
                                           the switch-over          after the switch-over
=========================================  ======================  ======================
granted                                    NOT_GRANTED              GRANTED
undersupervision                           GRANTED                  NOT_GRANTED
supervisionincessation                     GRANTED                  NOT_GRANTED
accredited                                 GRANTED                  NOT_GRANTED
setbynationallaw                           GRANTED (1)              NATIONAL
recognisedatnationallevel                  NOT_GRANTED              NATIONAL
withdrawn, supervisionceased,              NOT_GRANTED              NOT_GRANTED
supervisionrevoked, accreditationceased,
accreditationrevoked,
deprecatedbynationallaw,
deprecatedatnationallevel
any other (national) URI                   NOT_GRANTED              NOT_GRANTED
=========================================  ======================  ======================

(1) TS 119 612 v1.1.1 (Directive 1999/93/EC) lists ``setbynationallaw`` among the statuses of a
service whose qualified status a member state set by law; esig counts it as granted-equivalent
before eIDAS. DSS counts it as a post-eIDAS status only and never as granted.

NATIONAL means "qualified at national level only": never an EU qualified status, but reported
as such so that a national profile may accept it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from esig.trust.model import ServiceStatusPeriod, TrustService
from esig.trust.uris import ServiceStatus

__all__ = [
    "EIDAS_SWITCH",
    "StatusMeaning",
    "is_granted_like",
    "period_meaning",
    "service_periods",
    "status_at",
    "status_meaning",
]

#: The eIDAS switch-over, as DSS represents it (1 July 2016 00:00 CEST).
EIDAS_SWITCH = datetime(2016, 6, 30, 22, 0, 0, tzinfo=UTC)

_PRE_EIDAS_GRANTED = frozenset(
    {
        ServiceStatus.UNDER_SUPERVISION,
        ServiceStatus.SUPERVISION_IN_CESSATION,
        ServiceStatus.ACCREDITED,
        ServiceStatus.SET_BY_NATIONAL_LAW,
    }
)
_POST_EIDAS_NATIONAL = frozenset(
    {ServiceStatus.SET_BY_NATIONAL_LAW, ServiceStatus.RECOGNISED_AT_NATIONAL_LEVEL}
)


class StatusMeaning(StrEnum):
    """What a status URI means at a time (see the module table)."""

    GRANTED = "granted"
    NATIONAL = "national"
    NOT_GRANTED = "not-granted"


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return when


def status_meaning(status_uri: str, when: datetime) -> StatusMeaning:
    """Classify ``status_uri`` for a status period starting at ``when`` (module table)."""
    uri = status_uri.strip()
    if _aware(when) < EIDAS_SWITCH:
        return StatusMeaning.GRANTED if uri in _PRE_EIDAS_GRANTED else StatusMeaning.NOT_GRANTED
    if uri == ServiceStatus.GRANTED:
        return StatusMeaning.GRANTED
    if uri in _POST_EIDAS_NATIONAL:
        return StatusMeaning.NATIONAL
    return StatusMeaning.NOT_GRANTED


def is_granted_like(status_uri: str, when: datetime) -> bool:
    """True when ``status_uri`` is granted or its pre-eIDAS equivalent for a period at ``when``."""
    return status_meaning(status_uri, when) is StatusMeaning.GRANTED


def period_meaning(period: ServiceStatusPeriod) -> StatusMeaning:
    """:func:`status_meaning` of a period, judged at the period's start."""
    return status_meaning(period.status, period.start)


def service_periods(service: TrustService) -> tuple[ServiceStatusPeriod, ...]:
    """Current information then history, newest first, each with its ``end`` filled in."""
    return (service.current_period, *service.history)


def status_at(service: TrustService, when: datetime) -> ServiceStatusPeriod | None:
    """The period in force at ``when``: the newest period whose start is at or before ``when``.

    Starts are inclusive, ends exclusive. When two periods share a start time, the current
    information wins over history and an earlier history entry over a later one (document order).
    Returns None before the oldest period.
    """
    _aware(when)
    best: ServiceStatusPeriod | None = None
    for period in service_periods(service):
        if period.start <= when and (best is None or period.start > best.start):
            best = period
    return best
