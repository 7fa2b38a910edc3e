"""When next-due reminders go out: local mornings in each recipient's zone, across DST changes,
never in quiet hours, and only the steps still ahead (core/reminder_schedule.py, issue #12)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.reminder_schedule import (
    QuietHours,
    Step,
    due_date_steps,
    local_instant,
    out_of_quiet_hours,
    remaining_steps,
    snoozed_until,
)

BERLIN = "Europe/Berlin"


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_steps_are_a_week_before_on_the_day_and_three_weekly_overdue_at_ten_local() -> None:
    steps = due_date_steps(date(2026, 6, 10), "Europe/Moscow")
    assert [s.step for s in steps] == [
        Step.BEFORE_7D,
        Step.DUE,
        Step.OVERDUE_1,
        Step.OVERDUE_2,
        Step.OVERDUE_3,
    ]
    # Moscow is UTC+3 all year: 10:00 local is 07:00 UTC.
    assert [s.due_at for s in steps] == [
        _utc(2026, 6, 3, 7),
        _utc(2026, 6, 10, 7),
        _utc(2026, 6, 17, 7),
        _utc(2026, 6, 24, 7),
        _utc(2026, 7, 1, 7),
    ]


def test_berlin_spring_forward_keeps_ten_local_on_both_sides_of_the_change() -> None:
    # Clocks go 02:00 → 03:00 on Sunday 29 March 2026: CET (+1) before, CEST (+2) after.
    steps = {s.step: s.due_at for s in due_date_steps(date(2026, 3, 29), BERLIN)}
    assert steps[Step.BEFORE_7D] == _utc(2026, 3, 22, 9)
    assert steps[Step.DUE] == _utc(2026, 3, 29, 8)
    for due_at in steps.values():
        assert due_at.astimezone(ZoneInfo(BERLIN)).time() == time(10, 0)


def test_berlin_fall_back_keeps_ten_local_on_both_sides_of_the_change() -> None:
    # Clocks go 03:00 → 02:00 on Sunday 25 October 2026: CEST (+2) before, CET (+1) after.
    steps = {s.step: s.due_at for s in due_date_steps(date(2026, 10, 25), BERLIN)}
    assert steps[Step.BEFORE_7D] == _utc(2026, 10, 18, 8)
    assert steps[Step.DUE] == _utc(2026, 10, 25, 9)
    assert steps[Step.OVERDUE_1] == _utc(2026, 11, 1, 9)


def test_yekaterinburg_morning_is_five_utc() -> None:
    steps = due_date_steps(date(2026, 1, 20), "Asia/Yekaterinburg")
    assert {s.due_at.time() for s in steps} == {time(5, 0)}
    assert steps[1].due_at == _utc(2026, 1, 20, 5)


def test_a_wall_time_skipped_by_spring_forward_comes_when_the_clock_would_show_it() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026; 01:30 UTC is 03:30 CEST.
    assert local_instant(date(2026, 3, 29), time(2, 30), ZoneInfo(BERLIN)) == _utc(
        2026, 3, 29, 1, 30
    )


def test_a_time_in_quiet_hours_waits_for_their_end() -> None:
    zone = ZoneInfo("Europe/Moscow")
    late = due_date_steps(date(2026, 6, 10), "Europe/Moscow", at=time(23, 30))
    # 23:30 on the due day falls in 22:00–08:00: 08:00 local the next morning.
    assert late[1].due_at == _utc(2026, 6, 11, 5)
    early = due_date_steps(date(2026, 6, 10), "Europe/Moscow", at=time(6, 0))
    assert early[1].due_at == _utc(2026, 6, 10, 5)  # 08:00 local, same day
    outside = _utc(2026, 6, 10, 12)
    assert out_of_quiet_hours(outside, zone) == outside


@pytest.mark.parametrize(
    ("quiet", "moment", "inside"),
    [
        (QuietHours(), time(22, 0), True),
        (QuietHours(), time(7, 59), True),
        (QuietHours(), time(8, 0), False),
        (QuietHours(), time(21, 59), False),
        (QuietHours(time(13, 0), time(15, 0)), time(14, 0), True),
        (QuietHours(time(13, 0), time(15, 0)), time(15, 0), False),
        (QuietHours(time(9, 0), time(9, 0)), time(9, 0), False),
    ],
)
def test_quiet_hours_span_midnight_or_not(quiet: QuietHours, moment: time, inside: bool) -> None:
    assert quiet.contains(moment) is inside


def test_a_due_date_three_days_ago_keeps_only_the_overdue_steps() -> None:
    now = _utc(2026, 6, 13, 12)
    steps = remaining_steps(date(2026, 6, 10), "Europe/Moscow", now)
    assert [s.step for s in steps] == [Step.OVERDUE_1, Step.OVERDUE_2, Step.OVERDUE_3]


def test_a_step_whose_moment_passed_today_is_dropped_and_the_rest_kept() -> None:
    now = _utc(2026, 6, 10, 7, 1)  # one minute after the on-the-day reminder
    steps = remaining_steps(date(2026, 6, 10), "Europe/Moscow", now)
    assert steps[0].step is Step.OVERDUE_1


def test_nothing_is_left_a_month_after_the_last_overdue_step() -> None:
    assert remaining_steps(date(2026, 1, 1), BERLIN, _utc(2026, 3, 1)) == []


def test_snooze_comes_a_day_later_out_of_quiet_hours() -> None:
    # 12:00 Moscow → 12:00 tomorrow.
    assert snoozed_until(_utc(2026, 6, 1, 9), "Europe/Moscow") == _utc(2026, 6, 2, 9)
    # 23:30 Moscow → tomorrow 23:30 is quiet → 08:00 the morning after.
    assert snoozed_until(_utc(2026, 6, 1, 20, 30), "Europe/Moscow") == _utc(2026, 6, 3, 5)


def test_an_unknown_zone_reads_as_utc() -> None:
    steps = due_date_steps(date(2026, 6, 10), "Mars/Olympus_Mons")
    assert steps[1].due_at == _utc(2026, 6, 10, 10)


def test_custom_quiet_hours_over_the_morning_send_at_their_end() -> None:
    # Quiet 09:00–12:00 Moscow: the 10:00 reminders come at 12:00 (09:00 UTC), same day.
    quiet = QuietHours(time(9, 0), time(12, 0))
    steps = due_date_steps(date(2026, 6, 10), "Europe/Moscow", quiet=quiet)
    assert {s.due_at.time() for s in steps} == {time(9, 0)}
    assert steps[1].due_at == _utc(2026, 6, 10, 9)


def test_without_quiet_hours_a_late_moment_stays_where_it_is() -> None:
    off = QuietHours(time(0, 0), time(0, 0))
    late = due_date_steps(date(2026, 6, 10), "Europe/Moscow", quiet=off, at=time(23, 30))
    assert late[1].due_at == _utc(2026, 6, 10, 20, 30)
    # Snoozed at 23:30 Moscow: 23:30 tomorrow, not the morning after.
    assert snoozed_until(_utc(2026, 6, 1, 20, 30), "Europe/Moscow", quiet=off) == _utc(
        2026, 6, 2, 20, 30
    )
