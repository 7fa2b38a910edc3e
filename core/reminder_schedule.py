"""When a next-due date's reminders go out: pure arithmetic on dates, zones and quiet hours.

A card entry's next due date is a calendar date, not an instant. Its reminders come 7 days
before, on the day, and while it stays overdue once a week, at most `OVERDUE_TIMES` times —
each at `SEND_AT` on the recipient's own wall clock (zoneinfo, so a DST change between now
and then moves the UTC instant, not the local hour), and never inside their quiet hours.

An appointment's reminders (`appointment_steps`) are instants, not dates: 24 hours and 1 hour
before the start. The day-before one keeps out of the quiet hours too, but it must not come
after the consultation is near: see `appointment_steps` for where it goes instead. The
hour-before one comes whatever the hour — it is the one that gets people to the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.quiet_hours import DEFAULT_QUIET_END, DEFAULT_QUIET_START


class Step(StrEnum):
    """Which message of a next-due date a reminder is (stored in `reminders.step`)."""

    BEFORE_7D = "before_7d"
    DUE = "due"
    OVERDUE_1 = "overdue_1"
    OVERDUE_2 = "overdue_2"
    OVERDUE_3 = "overdue_3"
    SNOOZED = "snoozed"  # "remind me tomorrow" pressed under one of the above


# Days from the due date, in the order they are sent.
STEP_DAYS: Final[dict[Step, int]] = {
    Step.BEFORE_7D: -7,
    Step.DUE: 0,
    Step.OVERDUE_1: 7,
    Step.OVERDUE_2: 14,
    Step.OVERDUE_3: 21,
}
OVERDUE_STEPS: Final = frozenset({Step.OVERDUE_1, Step.OVERDUE_2, Step.OVERDUE_3})
OVERDUE_TIMES: Final = len(OVERDUE_STEPS)

# A morning hour most people read messages at; the /reminders settings may change it later.
SEND_AT: Final = time(10, 0)
SNOOZE_FOR: Final = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local wall-clock hours without reminders; `start` > `end` spans midnight, and
    `start` == `end` means none (how the settings store "off")."""

    start: time = DEFAULT_QUIET_START
    end: time = DEFAULT_QUIET_END

    def contains(self, moment: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


DEFAULT_QUIET_HOURS: Final = QuietHours()


@dataclass(frozen=True, slots=True)
class ScheduledStep:
    step: Step
    due_at: datetime  # aware UTC


def zone_of(time_zone: str) -> ZoneInfo:
    """The user's zone; a name zoneinfo does not know reads as UTC, as `today_in` does."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` on the zone's wall clock, in UTC.

    A wall time skipped by a spring-forward change (02:30 on the night clocks jump to 03:00)
    comes out an hour later, the moment the clock would have shown it; a repeated one in
    autumn is its first occurrence (zoneinfo's fold=0).
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def out_of_quiet_hours(
    instant: datetime, zone: ZoneInfo, quiet: QuietHours = DEFAULT_QUIET_HOURS
) -> datetime:
    """`instant`, or the end of the quiet hours it falls in (local time), in UTC.

    Every reminder kind passes its times through here when its rows are made — except the
    appointment reminder one hour before the start: that one must come even at night, so
    `appointment_steps` makes it without this call.
    """
    local = instant.astimezone(zone)
    if not quiet.contains(local.time()):
        return instant.astimezone(UTC)
    day = local.date()
    spans_midnight = quiet.start > quiet.end
    if spans_midnight and local.time() >= quiet.start:
        day += timedelta(days=1)  # evening: the quiet hours end tomorrow morning
    return local_instant(day, quiet.end, zone)


def due_date_steps(
    next_due: date,
    time_zone: str,
    *,
    quiet: QuietHours = DEFAULT_QUIET_HOURS,
    at: time = SEND_AT,
) -> list[ScheduledStep]:
    """Every reminder of a next-due date for someone in `time_zone` (IANA), in order."""
    zone = zone_of(time_zone)
    return [
        ScheduledStep(
            step,
            out_of_quiet_hours(
                local_instant(next_due + timedelta(days=days), at, zone), zone, quiet
            ),
        )
        for step, days in STEP_DAYS.items()
    ]


def remaining_steps(
    next_due: date,
    time_zone: str,
    now: datetime,
    *,
    quiet: QuietHours = DEFAULT_QUIET_HOURS,
    at: time = SEND_AT,
) -> list[ScheduledStep]:
    """The steps still ahead of `now`: an entry added late gets only what is left of them
    (due 3 days ago: the three weekly overdue ones), never a burst of past messages."""
    return [s for s in due_date_steps(next_due, time_zone, quiet=quiet, at=at) if s.due_at > now]


def snoozed_until(
    now: datetime, time_zone: str, *, quiet: QuietHours = DEFAULT_QUIET_HOURS
) -> datetime:
    """When a snoozed reminder comes back: a day later, out of the quiet hours."""
    zone = zone_of(time_zone)
    return out_of_quiet_hours(now + SNOOZE_FOR, zone, quiet)


def quiet_hours_start_before(instant: datetime, zone: ZoneInfo, quiet: QuietHours) -> datetime:
    """The start (local time) of the quiet hours that `instant` falls in, in UTC."""
    local = instant.astimezone(zone)
    day = local.date()
    if quiet.start > quiet.end and local.time() < quiet.end:
        day -= timedelta(days=1)  # after midnight: they began the evening before
    return local_instant(day, quiet.start, zone)


class AppointmentStep(StrEnum):
    """Which reminder of an appointment a row is (stored in `reminders.step`)."""

    BEFORE_24H = "before_24h"
    BEFORE_1H = "before_1h"


# How long before the start each step comes, in the order they are sent.
APPOINTMENT_LEADS: Final[dict[AppointmentStep, timedelta]] = {
    AppointmentStep.BEFORE_24H: timedelta(hours=24),
    AppointmentStep.BEFORE_1H: timedelta(hours=1),
}
# The day-before reminder waits for the end of the quiet hours only while that is still this
# long before the start: later, it would crowd the hour-before one and tell no one in time.
DAY_BEFORE_LATEST_LEAD: Final = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class ScheduledAppointmentStep:
    step: AppointmentStep
    due_at: datetime  # aware UTC


def appointment_steps(
    starts_at: datetime,
    time_zone: str,
    now: datetime,
    *,
    quiet: QuietHours = DEFAULT_QUIET_HOURS,
) -> list[ScheduledAppointmentStep]:
    """The reminders still ahead of `now` of an appointment starting at `starts_at`.

    24 h before: out of the recipient's quiet hours — at their end if that is still
    `DAY_BEFORE_LATEST_LEAD` before the start, else at their start (the evening before), so
    it never comes in the night and never too late to plan. 1 h before: at that instant, quiet
    hours or not. A step whose time has passed is not made (booked 3 h ahead: only the 1-h
    one), nor a day-before one whose evening-before time has passed.
    """
    zone = zone_of(time_zone)
    steps = []
    day_before = starts_at - APPOINTMENT_LEADS[AppointmentStep.BEFORE_24H]
    if day_before > now:
        due_at = out_of_quiet_hours(day_before, zone, quiet)
        if due_at > starts_at - DAY_BEFORE_LATEST_LEAD:
            due_at = quiet_hours_start_before(day_before, zone, quiet)
        if due_at > now:
            steps.append(ScheduledAppointmentStep(AppointmentStep.BEFORE_24H, due_at))
    hour_before = starts_at - APPOINTMENT_LEADS[AppointmentStep.BEFORE_1H]
    if hour_before > now:
        steps.append(
            ScheduledAppointmentStep(AppointmentStep.BEFORE_1H, hour_before.astimezone(UTC))
        )
    return steps
