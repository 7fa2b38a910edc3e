"""Dose times of a medication course: typed leniently ("8:00 20:00", "8.00, 14.00 и 20.00",
"9 21"), kept as sorted local "HH:MM" strings in the entry's data (core.record_data)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from core.record_data import DATA_COURSE_END, DATA_DATE, DATA_DOSE_TIMES
from core.record_input import RecordInputError, RecordInputErrorReason

# A dose nobody marked as given is reminded once, this long after its time.
MISSED_AFTER: Final = timedelta(hours=1)
# More doses a day than this is a drip, not a schedule an owner is reminded of.
MAX_DOSES_A_DAY: Final = 6
# The quick buttons of the form: the patterns vets prescribe most.
COMMON_PATTERNS: Final[dict[str, tuple[str, ...]]] = {
    "once": ("09:00",),
    "twice": ("09:00", "21:00"),
    "thrice": ("08:00", "14:00", "20:00"),
}

# A time: "9", "09:00", "9.00", "9-00" is not one (a range); what is left between the times
# must be separators only (spaces, commas, "+", "и", "and"), else the text is not times.
_TIME = re.compile(r"(?<![\d:.])(\d{1,2})(?:[:.](\d{2}))?(?![\d:.])")
_SEPARATORS = re.compile(r"^(?:[\s,;+/&]|и|and|в|at)*$", re.IGNORECASE)


def parse_dose_times(text: str) -> tuple[str, ...]:
    """The times typed, sorted and without repeats; `RecordInputError` when the text is not a
    list of times of day (words, 25:00, 9:75) or names more than `MAX_DOSES_A_DAY`."""
    found: set[time] = set()
    rest = text
    for match in _TIME.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour > 23 or minute > 59:
            raise RecordInputError(RecordInputErrorReason.TIMES_UNREADABLE)
        found.add(time(hour, minute))
    rest = _TIME.sub(" ", text)
    if not found or not _SEPARATORS.match(rest):
        raise RecordInputError(RecordInputErrorReason.TIMES_UNREADABLE)
    if len(found) > MAX_DOSES_A_DAY:
        raise RecordInputError(RecordInputErrorReason.TIMES_TOO_MANY, max_length=MAX_DOSES_A_DAY)
    return tuple(f"{t:%H:%M}" for t in sorted(found))


def dose_times_of(data: Mapping[str, Any]) -> tuple[time, ...]:
    """An entry's stored dose times; none for entries made before them (or "skip")."""
    raw = data.get(DATA_DOSE_TIMES)
    if not isinstance(raw, list):
        return ()
    times = []
    for value in raw:
        try:
            times.append(time.fromisoformat(str(value)))
        except ValueError:
            continue  # not written by this version: that dose is not reminded
    return tuple(sorted(set(times)))


def dose_due_at(dose_at: datetime, zone: ZoneInfo, *, missed: bool = False) -> datetime:
    """When a dose (its local date and time) is due in `zone`, in UTC; its missed-dose
    reminder an hour later. Quiet hours play no part: the time is the prescription's.

    fold=0: a time that occurs twice on the night the clocks go back is the first; one that
    the clocks skip going forward reads as an hour later.
    """
    due = dose_at.replace(tzinfo=zone).astimezone(UTC)
    return due + MISSED_AFTER if missed else due


def course_start_of(data: Mapping[str, Any]) -> date | None:
    raw = data.get(DATA_DATE)
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def course_end_of(data: Mapping[str, Any]) -> date | None:
    """The last day of the course; None: ongoing."""
    raw = data.get(DATA_COURSE_END)
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
