"""Quiet hours as the user types them: "22:00–08:00", "23-7"; equal ends mean none at all."""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from typing import Final

from core.errors import DomainError

DEFAULT_QUIET_START: Final = time(22, 0)
DEFAULT_QUIET_END: Final = time(8, 0)
# Both ends equal: no quiet hours (what the "off" button stores).
QUIET_HOURS_OFF: Final = (time(0, 0), time(0, 0))

# The buttons of the quiet hours window, besides "off" and typing.
QUIET_PRESETS: Final[tuple[tuple[time, time], ...]] = (
    (time(22, 0), time(8, 0)),
    (time(23, 0), time(7, 0)),
    (time(21, 0), time(9, 0)),
    (time(0, 0), time(9, 0)),
)

# Any dash people type between the ends (hyphen, en and em dash, minus) or a word-less gap.
_INTERVAL = re.compile(
    r"(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?\s*(?:[-\u2010-\u2015\u2212]|to|до)\s*"
    r"(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?",
    re.IGNORECASE,
)


class QuietHoursErrorReason(StrEnum):
    UNREADABLE = "unreadable"  # not "HH:MM–HH:MM"
    OUT_OF_RANGE = "out_of_range"  # an hour past 24 or minutes past 59


class QuietHoursError(DomainError):
    def __init__(self, reason: QuietHoursErrorReason) -> None:
        super().__init__(f"quiet hours: {reason}")
        self.reason = reason


def _time(hours: str, minutes: str | None) -> time:
    hour, minute = int(hours), int(minutes or 0)
    if hour == 24 and minute == 0:
        return time(0, 0)  # "…–24:00": midnight
    if hour > 23 or minute > 59:
        raise QuietHoursError(QuietHoursErrorReason.OUT_OF_RANGE)
    return time(hour, minute)


def parse_quiet_hours(text: str) -> tuple[time, time]:
    """ "22:00–08:00" → (22:00, 08:00); the start after the end spans midnight."""
    match = _INTERVAL.fullmatch(text.strip())
    if match is None:
        raise QuietHoursError(QuietHoursErrorReason.UNREADABLE)
    return _time(match["h1"], match["m1"]), _time(match["h2"], match["m2"])


def quiet_hours_off(start: time, end: time) -> bool:
    return start == end


def format_quiet_hours(start: time, end: time) -> str:
    """22:00–08:00 (an en dash, as in print)."""
    return f"{start:%H:%M}\u2013{end:%H:%M}"


def to_minutes(moment: time) -> int:
    """Minutes after local midnight, as stored."""
    return moment.hour * 60 + moment.minute


def from_minutes(minutes: int) -> time:
    hours, rest = divmod(minutes % (24 * 60), 60)
    return time(hours, rest)
