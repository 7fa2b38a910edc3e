"""Slot times from a vet's weekly template and exceptions: pure functions, no I/O.

The template is local wall-clock time in the vet's IANA zone ("Mondays 09:00–13:00"), so a
09:00 start stays 09:00 local on both sides of a DST change. Exceptions are instants (UTC):
time off removes every slot it overlaps; extra hours add slots. Everything returned is UTC;
`to_local` converts for display in anyone's zone.

Rules for the days the clocks change, chosen so that slots never overlap in real time:

- Slot starts step through wall-clock time (09:00, 09:40, ... with a 30-minute consultation
  and a 10-minute buffer). A start that does not exist (inside the spring-forward gap) is
  skipped. An ambiguous start (inside the repeated fall-back hour) uses its first occurrence
  (`fold=0`), so the second pass of that hour gets no slots.
- A slot is kept only if it starts at least `buffer` after the previous slot ended, in real
  time, and ends (real time) by the window's end. A window end inside the gap is taken at the
  earlier of its two readings (`fold=1`), so a window never grows past the vet's wall clock.
  Stepping by wall clock can lose a slot on the night of a change (the night's real window
  is an hour shorter or longer): a deliberate trade for slot times on the usual grid.
- Extra hours step in real time from their start; where they overlap the weekly windows the
  earlier slot wins. Time off wins over extra hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True, slots=True, order=True)
class WeeklyWindow:
    """A working window repeating every week: `weekday` 0 = Monday (as `date.weekday()`)."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class ExceptionWindow:
    """A dated change: time off (`is_available=False`) or extra hours, as UTC instants."""

    starts_at: datetime
    ends_at: datetime
    is_available: bool


@dataclass(frozen=True, slots=True, order=True)
class SlotTime:
    starts_at: datetime  # aware UTC
    ends_at: datetime  # aware UTC


def zone(name: str) -> ZoneInfo:
    """The IANA zone; ValueError for a name the tz database does not know."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def to_local(instant: datetime, time_zone: str) -> datetime:
    """The instant as wall-clock time in `time_zone` (aware), for display."""
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant!r}: pass an aware datetime")
    return instant.astimezone(zone(time_zone))


def local_day_bounds(day: date, time_zone: str) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day in UTC; 23 or 25 hours long on DST days."""
    tz = zone(time_zone)
    # A midnight inside a gap (zones that change at 00:00) reads with the old offset: the day
    # then starts exactly at the transition.
    start = _boundary(datetime.combine(day, time.min), tz, in_gap=GapReading.LATER)
    end = _boundary(
        datetime.combine(day + timedelta(days=1), time.min), tz, in_gap=GapReading.LATER
    )
    return start, end


def local_today(now: datetime, time_zone: str) -> date:
    return to_local(now, time_zone).date()


def generate_slots(
    windows: Iterable[WeeklyWindow],
    exceptions: Iterable[ExceptionWindow],
    *,
    time_zone: str,
    first_day: date,
    last_day: date,
    consultation_minutes: int,
    buffer_minutes: int = 0,
) -> list[SlotTime]:
    """Slots of the local days `first_day`..`last_day` (inclusive), sorted, never overlapping.

    Extra hours are clipped to the same local days, so publishing day ranges one after
    another never yields a slot twice.
    """
    if consultation_minutes <= 0:
        raise ValueError("consultation_minutes must be positive")
    if buffer_minutes < 0:
        raise ValueError("buffer_minutes must not be negative")
    tz = zone(time_zone)
    length = timedelta(minutes=consultation_minutes)
    buffer = timedelta(minutes=buffer_minutes)
    range_start, _ = local_day_bounds(first_day, time_zone)
    _, range_end = local_day_bounds(last_day, time_zone)
    by_weekday: dict[int, list[WeeklyWindow]] = {}
    for window in windows:
        by_weekday.setdefault(window.weekday, []).append(window)
    exception_list = list(exceptions)

    candidates: list[SlotTime] = []
    day = first_day
    while day <= last_day:
        for window in sorted(by_weekday.get(day.weekday(), ())):
            candidates.extend(_window_slots(day, window, tz, length, buffer))
        day += timedelta(days=1)
    for extra in exception_list:
        if extra.is_available:
            start = max(_utc(extra.starts_at), range_start)
            end = min(_utc(extra.ends_at), range_end)
            candidates.extend(_real_time_slots(start, end, length, buffer))

    time_off = [item for item in exception_list if not item.is_available]
    kept: list[SlotTime] = []
    for slot in sorted(candidates):
        if any(_overlaps(slot, _utc(off.starts_at), _utc(off.ends_at)) for off in time_off):
            continue
        if kept and slot.starts_at < kept[-1].ends_at + buffer:
            continue
        kept.append(slot)
    return kept


def _window_slots(
    day: date, window: WeeklyWindow, tz: ZoneInfo, length: timedelta, buffer: timedelta
) -> Iterator[SlotTime]:
    window_end = _boundary(datetime.combine(day, window.end), tz, in_gap=GapReading.EARLIER)
    step = length + buffer
    wall = datetime.combine(day, window.start)
    wall_end = datetime.combine(day, window.end)
    previous_end: datetime | None = None
    while wall < wall_end:
        start = _existing(wall, tz)
        wall += step
        if start is None:
            continue
        end = start + length
        if end > window_end:
            continue
        if previous_end is not None and start < previous_end + buffer:
            continue
        previous_end = end
        yield SlotTime(starts_at=start, ends_at=end)


def _real_time_slots(
    start: datetime, end: datetime, length: timedelta, buffer: timedelta
) -> Iterator[SlotTime]:
    current = start
    while current + length <= end:
        yield SlotTime(starts_at=current, ends_at=current + length)
        current += length + buffer


class GapReading(Enum):
    EARLIER = 1  # the reading with the offset after the change (`fold=1`): earlier in real time
    LATER = 0  # the reading with the offset before the change (`fold=0`)


def _existing(wall: datetime, tz: ZoneInfo) -> datetime | None:
    """A naive local wall time as a UTC instant; None inside a spring-forward gap.

    Ambiguous times (the repeated fall-back hour) take their first occurrence (`fold=0`).
    """
    instant = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        return None
    return instant


def _boundary(wall: datetime, tz: ZoneInfo, *, in_gap: GapReading) -> datetime:
    """Like `_existing`, but a time in the gap is read as `in_gap` says instead of dropped."""
    instant = _existing(wall, tz)
    if instant is not None:
        return instant
    return wall.replace(tzinfo=tz, fold=in_gap.value).astimezone(UTC)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: pass an aware datetime")
    return value.astimezone(UTC)


def _overlaps(slot: SlotTime, start: datetime, end: datetime) -> bool:
    return slot.starts_at < end and start < slot.ends_at
