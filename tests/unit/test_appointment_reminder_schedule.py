"""When a consultation's reminders go out: 24 h before out of the recipient's quiet hours, 1 h
before whatever the hour, only the steps still ahead (core/reminder_schedule.py, issue #12)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from core.reminder_schedule import AppointmentStep, QuietHours, appointment_steps

MOSCOW = "Europe/Moscow"  # UTC+3 all year
# Monday 1 June 2026, 12:00 Moscow.
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def _utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, minute, tzinfo=UTC)


def _steps(
    starts_at: datetime, *, now: datetime = NOW, quiet: QuietHours | None = None
) -> list[tuple[AppointmentStep, datetime]]:
    steps = appointment_steps(starts_at, MOSCOW, now, quiet=quiet or QuietHours())
    return [(s.step, s.due_at) for s in steps]


def test_a_day_and_an_hour_before_out_of_quiet_hours() -> None:
    # Wednesday 10:00 Moscow.
    assert _steps(_utc(3, 7)) == [
        (AppointmentStep.BEFORE_24H, _utc(2, 7)),
        (AppointmentStep.BEFORE_1H, _utc(3, 6)),
    ]


def test_the_day_before_one_waits_for_the_morning_and_the_hour_before_one_does_not() -> None:
    # Wednesday 06:00 Moscow: a day before is 06:00 Tuesday, inside the 22:00-08:00 quiet
    # hours, so it waits until 08:00; an hour before is 05:00, sent anyway.
    assert _steps(_utc(3, 3)) == [
        (AppointmentStep.BEFORE_24H, _utc(2, 5)),
        (AppointmentStep.BEFORE_1H, _utc(3, 2)),
    ]


def test_the_day_before_one_comes_at_the_start_of_the_quiet_hours_if_their_end_is_too_late() -> (
    None
):
    # Quiet from 09:00 until 08:00 the next day; the consultation is at 09:30 on Wednesday.
    # The end of the quiet hours (08:00 Wednesday) is under 2 h before the start: the reminder
    # comes as they begin, 09:00 on Tuesday, instead.
    quiet = QuietHours(time(9, 0), time(8, 0))
    assert _steps(_utc(3, 6, 30), quiet=quiet) == [
        (AppointmentStep.BEFORE_24H, _utc(2, 6)),
        (AppointmentStep.BEFORE_1H, _utc(3, 5, 30)),
    ]
    # Booked after that start had passed: no day-before reminder at all, in the night or late.
    later = _utc(2, 6, 15)
    assert _steps(_utc(3, 6, 30), now=later, quiet=quiet) == [
        (AppointmentStep.BEFORE_1H, _utc(3, 5, 30)),
    ]


def test_steps_already_past_are_not_made() -> None:
    assert _steps(NOW.replace(hour=12)) == [(AppointmentStep.BEFORE_1H, NOW.replace(hour=11))]
    assert _steps(_utc(2, 8)) == [(AppointmentStep.BEFORE_1H, _utc(2, 7))]  # 23 h ahead
    assert _steps(NOW.replace(minute=30)) == []


def test_no_quiet_hours_means_exactly_a_day_before() -> None:
    off = QuietHours(time(0, 0), time(0, 0))
    assert _steps(_utc(3, 0), quiet=off) == [
        (AppointmentStep.BEFORE_24H, _utc(2, 0)),
        (AppointmentStep.BEFORE_1H, _utc(2, 23)),
    ]
