"""Quiet hours as typed (core.quiet_hours)."""

from __future__ import annotations

from datetime import time

import pytest

from core.quiet_hours import (
    QuietHoursError,
    QuietHoursErrorReason,
    format_quiet_hours,
    from_minutes,
    parse_quiet_hours,
    quiet_hours_off,
    to_minutes,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("22:00–08:00", (time(22, 0), time(8, 0))),
        ("22:00-08:00", (time(22, 0), time(8, 0))),
        ("22:00 — 08:00", (time(22, 0), time(8, 0))),
        ("23-7", (time(23, 0), time(7, 0))),
        ("23.30-7.15", (time(23, 30), time(7, 15))),
        ("9:00 to 17:00", (time(9, 0), time(17, 0))),
        ("22 до 8", (time(22, 0), time(8, 0))),
        ("20:00-24:00", (time(20, 0), time(0, 0))),
        ("0:00-0:00", (time(0, 0), time(0, 0))),
    ],
)
def test_typed_quiet_hours_are_read(typed: str, expected: tuple[time, time]) -> None:
    assert parse_quiet_hours(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("tonight", QuietHoursErrorReason.UNREADABLE),
        ("22:00", QuietHoursErrorReason.UNREADABLE),
        ("22:0-8:00", QuietHoursErrorReason.UNREADABLE),
        ("25:00-07:00", QuietHoursErrorReason.OUT_OF_RANGE),
        ("22:60-07:00", QuietHoursErrorReason.OUT_OF_RANGE),
        ("24:30-07:00", QuietHoursErrorReason.OUT_OF_RANGE),
    ],
)
def test_unreadable_quiet_hours_are_refused_with_a_reason(
    typed: str, reason: QuietHoursErrorReason
) -> None:
    with pytest.raises(QuietHoursError) as raised:
        parse_quiet_hours(typed)
    assert raised.value.reason is reason


def test_equal_ends_mean_no_quiet_hours() -> None:
    assert quiet_hours_off(time(0, 0), time(0, 0))
    assert quiet_hours_off(time(22, 0), time(22, 0))
    assert not quiet_hours_off(time(22, 0), time(8, 0))


def test_minutes_round_trip_and_format() -> None:
    assert to_minutes(time(22, 0)) == 1320
    assert from_minutes(480) == time(8, 0)
    for minutes in (0, 1, 719, 1439):
        assert to_minutes(from_minutes(minutes)) == minutes
    assert format_quiet_hours(time(23, 30), time(7, 5)) == "23:30\u201307:05"
