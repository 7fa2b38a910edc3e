"""What owners type into the medical card, parsed and checked: pure functions, no I/O.

Each refusal is a `RecordInputError` with a reason code; the dialog turns it into a localized
hint. The interactors call the `check_*` functions again, so a value that skipped the dialog
meets the same rules. Weights reuse `core.pet_input` (same units, same bounds per species).

Dates are calendar dates (`date`): the owner copies them from a vaccination passport or a
clinic's papers, where there is no time of day.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.dates import NoSuchDateError, UnreadableDateError, read_date
from core.errors import DomainError
from core.plain_text import plain_name, plain_text
from core.time_words import DAYS, MONTHS, WEEKS, YEARS

MAX_TITLE_LENGTH = 120  # a product, drug, procedure, allergen, condition or document name
MAX_DOSE_LENGTH = 64
MAX_SCHEDULE_LENGTH = 128
MAX_NOTE_LENGTH = 1000
# A vaccine's batch (lot) number as printed on the vial's sticker: "A123B01", "L-2045/7".
MAX_BATCH_LENGTH = 32
_BATCH = re.compile(r"[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё./\-]*")
# Older dates are typos (a pet's card spans its life; pet_input allows 40-year-old pets).
MAX_PAST_YEARS = 40
# A next due date or a course end further ahead than this is a typo ("in 12 years").
MAX_AHEAD_YEARS = 5

# "in 12 months", "через 1 год", "12 months", "через год", "in a year", "2 недели".
_PERIOD = re.compile(r"(?:(in|через|after)\s+)?(?:(\d{1,3}|a|an|one)\s*)?([a-zа-яё]+)")

_TODAY = frozenset({"today", "сегодня"})
_YESTERDAY = frozenset({"yesterday", "вчера"})
_UNITS = ((DAYS, "days"), (WEEKS, "weeks"), (MONTHS, "months"), (YEARS, "years"))


class RecordInputErrorReason(StrEnum):
    """Why a typed value was refused; the dialog shows one localized message per reason."""

    TEXT_EMPTY = "text_empty"
    TEXT_TOO_LONG = "text_too_long"
    DATE_UNREADABLE = "date_unreadable"
    DATE_BAD = "date_bad"  # looks like a date but is none (31.02.2024)
    DATE_IN_FUTURE = "date_in_future"
    DATE_TOO_OLD = "date_too_old"
    DUE_UNREADABLE = "due_unreadable"
    DUE_NOT_AFTER = "due_not_after"  # the next dose on or before the one given
    DUE_TOO_FAR = "due_too_far"
    END_UNREADABLE = "end_unreadable"
    END_BEFORE_START = "end_before_start"
    END_TOO_FAR = "end_too_far"
    BATCH_BAD = "batch_bad"  # not letters, digits and . / - (a sentence, an emoji)
    TIMES_UNREADABLE = "times_unreadable"  # dose times: not "9:00 21:00" (or 25:00, 9:75)
    TIMES_TOO_MANY = "times_too_many"


class RecordInputError(DomainError):
    """A value typed by the user that cannot be stored; the limits let the message name them."""

    def __init__(
        self,
        reason: RecordInputErrorReason,
        *,
        max_length: int | None = None,
        years: int | None = None,
    ) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.max_length = max_length
        self.years = years


# --- texts ------------------------------------------------------------------------------------


def parse_line(text: str, max_length: int) -> str:
    """One line (a name, a dose): trimmed, runs of spaces and line breaks made single spaces,
    without invisible or direction-changing characters ("" when only those were typed)."""
    line = plain_name(text)
    check_text(line, max_length)
    return line


def parse_note(text: str) -> str:
    """Free text: trimmed, line breaks kept (a reaction, the clinic's remarks)."""
    note = "\n".join(" ".join(line.split()) for line in plain_text(text).strip().splitlines())
    check_text(note, MAX_NOTE_LENGTH)
    return note


def check_text(text: str, max_length: int) -> None:
    if not text.strip():
        raise RecordInputError(RecordInputErrorReason.TEXT_EMPTY)
    if len(text) > max_length:
        raise RecordInputError(RecordInputErrorReason.TEXT_TOO_LONG, max_length=max_length)


def parse_batch(text: str) -> str:
    """A vaccine batch number: spaces dropped (stickers space the groups), upper case."""
    batch = "".join(plain_name(text).split()).upper()
    check_batch(batch)
    return batch


def check_batch(batch: str) -> None:
    check_text(batch, MAX_BATCH_LENGTH)
    if not _BATCH.fullmatch(batch):
        raise RecordInputError(RecordInputErrorReason.BATCH_BAD, max_length=MAX_BATCH_LENGTH)


# --- dates ------------------------------------------------------------------------------------


def today_in(now: datetime, time_zone: str) -> date:
    """The owner's calendar date at `now`: "today" at 01:00 in Moscow is not UTC's date."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


def parse_past_date(text: str, today: date) -> date:
    """When something happened: a date in a form of `core.dates.read_date`, "today", "вчера"..."""
    day = _parse_date(text, today, RecordInputErrorReason.DATE_UNREADABLE)
    check_past_date(day, today)
    return day


def check_past_date(day: date, today: date) -> None:
    if day > today:
        raise RecordInputError(RecordInputErrorReason.DATE_IN_FUTURE)
    if day < add_months(today, -12 * MAX_PAST_YEARS):
        raise RecordInputError(RecordInputErrorReason.DATE_TOO_OLD, years=MAX_PAST_YEARS)


def parse_next_due(text: str, given: date, today: date) -> date:
    """The next dose: a date, or a period counted from the dose given ("in 12 months").

    Counting from the dose given, not from today, is how clinics write it ("revaccinate in a
    year"), and it gives the same date whenever the owner gets round to entering it.
    """
    day = _parse_date_or_period(text, given, today, RecordInputErrorReason.DUE_UNREADABLE)
    check_next_due(day, given)
    return day


def check_next_due(due: date, given: date) -> None:
    if due <= given:
        raise RecordInputError(RecordInputErrorReason.DUE_NOT_AFTER)
    if due > add_months(given, 12 * MAX_AHEAD_YEARS):
        raise RecordInputError(RecordInputErrorReason.DUE_TOO_FAR, years=MAX_AHEAD_YEARS)


def parse_course_end(text: str, start: date, today: date) -> date:
    """The last day of a medication course: a date, or a duration from its start ("10 days")."""
    day = _parse_date_or_period(text, start, today, RecordInputErrorReason.END_UNREADABLE)
    check_course_end(day, start)
    return day


def check_course_end(end: date, start: date) -> None:
    if end < start:
        raise RecordInputError(RecordInputErrorReason.END_BEFORE_START)
    if end > add_months(start, 12 * MAX_AHEAD_YEARS):
        raise RecordInputError(RecordInputErrorReason.END_TOO_FAR, years=MAX_AHEAD_YEARS)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's end (31.01 → 28.02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def after_period(start: date, amount: int, unit: str) -> date:
    """`start` plus `amount` days / weeks / months / years (`unit` is one of those words)."""
    if unit == "days":
        return start + timedelta(days=amount)
    if unit == "weeks":
        return start + timedelta(weeks=amount)
    if unit == "months":
        return add_months(start, amount)
    if unit == "years":
        return add_months(start, 12 * amount)
    raise ValueError(f"unknown unit {unit!r}")


def midday_utc(day: date) -> datetime:
    """The instant stored for a calendar date: noon UTC is that same date from UTC-11 to +11."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _normalize(text: str) -> str:
    return " ".join(text.lower().split()).removesuffix(".")


def _parse_date(text: str, today: date, unreadable: RecordInputErrorReason) -> date:
    normalized = _normalize(text)
    if normalized in _TODAY:
        return today
    if normalized in _YESTERDAY:
        return today - timedelta(days=1)
    try:
        day = read_date(normalized)
    except NoSuchDateError:
        raise RecordInputError(RecordInputErrorReason.DATE_BAD) from None
    except UnreadableDateError:  # "12/4/2026": the hint names the forms that have one reading
        raise RecordInputError(unreadable) from None
    if day is None:
        raise RecordInputError(unreadable)
    return day


def _parse_date_or_period(
    text: str, start: date, today: date, unreadable: RecordInputErrorReason
) -> date:
    normalized = _normalize(text)
    match = _PERIOD.fullmatch(normalized)
    # No period's shape ("Dec 4 2026", "04.12.2026", "12/4/26"): a date, or the date hint.
    if match is None or normalized in _TODAY | _YESTERDAY:
        return _parse_date(normalized, today, unreadable)
    prefix, number, word = match.groups()
    if number is None and prefix is None and word not in YEARS | MONTHS:
        # A bare unit reads as "one" only for the usual periods ("год", "month").
        raise RecordInputError(unreadable)
    amount = 1 if number is None or not number.isdigit() else int(number)
    if amount == 0:
        raise RecordInputError(unreadable)
    for units, name in (
        (DAYS, "days"),
        (WEEKS, "weeks"),
        (MONTHS, "months"),
        (YEARS, "years"),
    ):
        if word in units:
            try:
                return after_period(start, amount, name)
            except (OverflowError, ValueError):  # a period beyond the calendar: a typo
                raise RecordInputError(unreadable) from None
    raise RecordInputError(unreadable)
