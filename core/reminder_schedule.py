"""When a next-due date's reminders go out: pure arithmetic on dates, zones and quiet hours.

A card entry's next due date is a calendar date, not an instant. Its reminders come 7 days
before, on the day, and while it stays overdue once a week, at most `OVERDUE_TIMES` times —
each at `SEND_AT` on the recipient's own wall clock (zoneinfo, so a DST change between now
and then moves the UTC instant, not the local hour), and never inside their quiet hours.
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
    appointment reminder one hour before the start (a later slice of issue #12): that one
    must come even at night, so its rows will be made without this call.
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
