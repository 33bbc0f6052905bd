"""status_at over service histories, and what each status means before and after eIDAS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from esig.trust import (
    EIDAS_SWITCH,
    ServiceStatus,
    StatusMeaning,
    is_granted_like,
    parse_trusted_list,
    period_meaning,
    status_at,
    status_meaning,
)
from esig.trust.model import DigitalIdentity, ServiceStatusPeriod, TrustService
from esig.trust.status import service_periods
from tests.trust import _tlgen

CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
BEFORE = EIDAS_SWITCH - timedelta(seconds=1)
G = StatusMeaning.GRANTED
N = StatusMeaning.NATIONAL
X = StatusMeaning.NOT_GRANTED


def t(year: int, month: int = 1, day: int = 1, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def service(current: tuple[str, datetime], *history: tuple[str, datetime]) -> TrustService:
    """A service whose history is given newest first (as the parser orders it)."""
    starts = [current[1], *(h[1] for h in history)]
    periods = tuple(
        ServiceStatusPeriod(status=s, start=start, end=starts[i], type_uri=CA_QC)
        for i, (s, start) in enumerate(history)
    )
    return TrustService(
        type_uri=CA_QC,
        names=(),
        digital_identity=DigitalIdentity(),
        status=current[0],
        status_starting_time=current[1],
        history=periods,
    )


# Every status in the table of esig.trust.status, before and at/after the switch-over.
MEANINGS = [
    (ServiceStatus.GRANTED, X, G),
    (ServiceStatus.WITHDRAWN, X, X),
    (ServiceStatus.SET_BY_NATIONAL_LAW, G, N),
    (ServiceStatus.RECOGNISED_AT_NATIONAL_LEVEL, X, N),
    (ServiceStatus.DEPRECATED_BY_NATIONAL_LAW, X, X),
    (ServiceStatus.DEPRECATED_AT_NATIONAL_LEVEL, X, X),
    (ServiceStatus.UNDER_SUPERVISION, G, X),
    (ServiceStatus.SUPERVISION_IN_CESSATION, G, X),
    (ServiceStatus.SUPERVISION_CEASED, X, X),
    (ServiceStatus.SUPERVISION_REVOKED, X, X),
    (ServiceStatus.ACCREDITED, G, X),
    (ServiceStatus.ACCREDITATION_CEASED, X, X),
    (ServiceStatus.ACCREDITATION_REVOKED, X, X),
    ("http://example.test/national/status/ok", X, X),
]


def test_every_known_status_is_in_the_table() -> None:
    assert {m[0] for m in MEANINGS} >= set(ServiceStatus)


@pytest.mark.parametrize(("status", "before", "after"), MEANINGS)
def test_status_meaning(status: str, before: StatusMeaning, after: StatusMeaning) -> None:
    assert status_meaning(status, BEFORE) is before
    assert status_meaning(status, EIDAS_SWITCH) is after
    assert status_meaning(f"  {status}\n", EIDAS_SWITCH) is after
    assert is_granted_like(status, BEFORE) is (before is G)
    assert is_granted_like(status, EIDAS_SWITCH) is (after is G)


def test_switch_over_instant() -> None:
    assert datetime(2016, 7, 1, 0, 0, tzinfo=UTC) - EIDAS_SWITCH == timedelta(hours=2)


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        status_meaning(ServiceStatus.GRANTED, datetime(2020, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        status_at(service((ServiceStatus.GRANTED, t(2020))), datetime(2020, 1, 1))


# A CA over 13 years: every pre-eIDAS status, the transition to granted, national statuses,
# withdrawal, and back.
LIFE = service(
    (ServiceStatus.GRANTED, t(2024)),
    (ServiceStatus.DEPRECATED_AT_NATIONAL_LEVEL, t(2023)),
    (ServiceStatus.RECOGNISED_AT_NATIONAL_LEVEL, t(2022)),
    (ServiceStatus.DEPRECATED_BY_NATIONAL_LAW, t(2021)),
    (ServiceStatus.SET_BY_NATIONAL_LAW, t(2020)),
    (ServiceStatus.WITHDRAWN, t(2019)),
    (ServiceStatus.GRANTED, EIDAS_SWITCH),
    (ServiceStatus.ACCREDITATION_REVOKED, t(2016, 3)),
    (ServiceStatus.ACCREDITATION_CEASED, t(2016, 1)),
    (ServiceStatus.ACCREDITED, t(2015)),
    (ServiceStatus.SUPERVISION_REVOKED, t(2014)),
    (ServiceStatus.SUPERVISION_CEASED, t(2013)),
    (ServiceStatus.SUPERVISION_IN_CESSATION, t(2012)),
    (ServiceStatus.UNDER_SUPERVISION, t(2011)),
)


@pytest.mark.parametrize(
    ("when", "status", "meaning"),
    [
        (t(2010, 12, 31), None, None),
        (t(2011), ServiceStatus.UNDER_SUPERVISION, G),
        (t(2011, 6), ServiceStatus.UNDER_SUPERVISION, G),
        (t(2012, 6), ServiceStatus.SUPERVISION_IN_CESSATION, G),
        (t(2013, 6), ServiceStatus.SUPERVISION_CEASED, X),
        (t(2014, 6), ServiceStatus.SUPERVISION_REVOKED, X),
        (t(2015, 6), ServiceStatus.ACCREDITED, G),
        (t(2016, 2), ServiceStatus.ACCREDITATION_CEASED, X),
        (BEFORE, ServiceStatus.ACCREDITATION_REVOKED, X),
        (EIDAS_SWITCH, ServiceStatus.GRANTED, G),
        (t(2018, 12, 31, 23), ServiceStatus.GRANTED, G),
        (t(2019), ServiceStatus.WITHDRAWN, X),
        (t(2020, 5), ServiceStatus.SET_BY_NATIONAL_LAW, N),
        (t(2021, 5), ServiceStatus.DEPRECATED_BY_NATIONAL_LAW, X),
        (t(2022, 5), ServiceStatus.RECOGNISED_AT_NATIONAL_LEVEL, N),
        (t(2023, 5), ServiceStatus.DEPRECATED_AT_NATIONAL_LEVEL, X),
        (t(2024), ServiceStatus.GRANTED, G),
        (t(2099), ServiceStatus.GRANTED, G),
    ],
)
def test_status_at_over_a_long_history(
    when: datetime, status: str | None, meaning: StatusMeaning | None
) -> None:
    period = status_at(LIFE, when)
    if status is None:
        assert period is None
        return
    assert period is not None
    assert period.status == status
    assert period_meaning(period) is meaning
    assert period.is_current is (status == ServiceStatus.GRANTED and when >= t(2024))


def test_period_boundaries_are_start_inclusive_end_exclusive() -> None:
    s = service((ServiceStatus.WITHDRAWN, t(2020)), (ServiceStatus.GRANTED, t(2017)))
    just_before = t(2020) - timedelta(microseconds=1)
    assert status_at(s, just_before).status == ServiceStatus.GRANTED  # type: ignore[union-attr]
    assert status_at(s, t(2020)).status == ServiceStatus.WITHDRAWN  # type: ignore[union-attr]
    assert status_at(s, t(2017) - timedelta(microseconds=1)) is None


def test_current_wins_a_tie_with_history() -> None:
    s = service((ServiceStatus.WITHDRAWN, t(2020)), (ServiceStatus.GRANTED, t(2020)))
    period = status_at(s, t(2021))
    assert period is not None
    assert (period.status, period.is_current) == (ServiceStatus.WITHDRAWN, True)


def test_service_periods_order() -> None:
    periods = service_periods(LIFE)
    assert len(periods) == 14
    assert periods[0].is_current is True
    assert [p.start for p in periods] == sorted((p.start for p in periods), reverse=True)


def test_status_at_on_a_parsed_list() -> None:
    """The parser's history order and ``end`` values feed status_at correctly."""
    (svc,) = parse_trusted_list(_tlgen.tl_xml()).services
    assert status_at(svc, t(2014)) is None
    p2015 = status_at(svc, t(2016))
    assert p2015 is not None
    assert (p2015.status, period_meaning(p2015)) == (ServiceStatus.UNDER_SUPERVISION, G)
    p2018 = status_at(svc, t(2018, 6, 1, 12))
    assert p2018 is not None
    assert (p2018.status, period_meaning(p2018)) == (ServiceStatus.WITHDRAWN, X)
    assert p2018.end == t(2020)
    now = status_at(svc, t(2026))
    assert now is not None
    assert (now.status, now.is_current, now.qualifications) == (
        ServiceStatus.GRANTED,
        True,
        svc.qualifications,
    )


def test_history_given_oldest_first_is_reordered() -> None:
    xml = _tlgen.tl_xml()
    a = xml.index(b"<ServiceHistoryInstance>")
    b = xml.index(b"<ServiceHistoryInstance>", a + 1)
    end = xml.index(b"</ServiceHistory>")
    swapped = xml[:a] + xml[b:end] + xml[a:b] + xml[end:]
    assert swapped != xml
    (svc,) = parse_trusted_list(swapped).services
    assert [p.status for p in svc.history] == [
        ServiceStatus.WITHDRAWN,
        ServiceStatus.UNDER_SUPERVISION,
    ]
