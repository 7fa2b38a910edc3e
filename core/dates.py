"""Calendar dates as the bot shows them and as owners type them, one set of forms per locale.

Shown: a few named styles, each one unambiguous in its locale (no "12/4/26", where an English
reader cannot tell the month from the day). Month and weekday names come from CLDR through
babel (already the engine of Fluent's own number and date formatting), not from literals here.

Typed: "4 Dec 2026", "Dec 4, 2026", "4 декабря 2026", ISO "2026-12-04" and DD.MM.YYYY. A date
with "/" or "-" and the year last is read only when a single reading exists ("24/12/2026" or
"12/24/2026"); "12/4/2026" is 12 April in Russia and December 4 in the US, so it is refused,
as is any two-digit year ("12/4/26"), and the hint names the accepted forms.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from babel.dates import format_date

from core.locales import DEFAULT_LOCALE


class DateStyle(StrEnum):
    """Where a date is shown decides how much of it is said."""

    LONG = "long"  # in sentences: "5 Dec 2026", "5 декабря 2026"
    COMPACT = "compact"  # list rows and buttons, the year kept: "5 Dec 2026", "05.12.2026"
    WEEKDAY = "weekday"  # days to choose from, within weeks: "Sat 5 Dec", "сб 5 дек."
    DAY_MONTH = "day_month"  # within the coming weeks, no weekday: "5 Dec", "5 дек."


# CLDR patterns (babel): d day, MMM short month, MMMM month in the genitive for ru, EEE weekday.
# Russian lists read a numeric date naturally (and always day first); English ones never do.
PATTERNS: Final[dict[str, dict[DateStyle, str]]] = {
    "en": {
        DateStyle.LONG: "d MMM y",
        DateStyle.COMPACT: "d MMM y",
        DateStyle.WEEKDAY: "EEE d MMM",
        DateStyle.DAY_MONTH: "d MMM",
    },
    "ru": {
        DateStyle.LONG: "d MMMM y",
        DateStyle.COMPACT: "dd.MM.y",
        DateStyle.WEEKDAY: "EEE d MMM",
        DateStyle.DAY_MONTH: "d MMM",
    },
}


def format_day(value: date, style: DateStyle | str, locale: str | None) -> str:
    """`value` (a datetime counts by its own calendar date) in `style` for `locale`."""
    language = (locale or DEFAULT_LOCALE).split("_")[0].split("-")[0].lower()
    if language not in PATTERNS:  # the bot speaks no other language: its default, wholly
        language = DEFAULT_LOCALE
    day = value.date() if isinstance(value, datetime) else value
    return str(format_date(day, PATTERNS[language][DateStyle(style)], locale=language))


# --- typed dates ------------------------------------------------------------------------------


class UnreadableDateError(ValueError):
    """Looks like a date but has no single reading: "12/4/2026", "12/4/26"."""


class NoSuchDateError(UnreadableDateError):
    """Written as a date, but the calendar has none such: "31.02.2026"."""


# First letters of each month, English and Russian ("sept", "сент", "мая", "марта" all match).
_MONTH_STEMS: Final = (
    ("jan", "янв"),
    ("feb", "фев"),
    ("mar", "мар"),
    ("apr", "апр"),
    ("may", "ма"),  # май, мая; "мар" is tried before it
    ("jun", "июн"),
    ("jul", "июл"),
    ("aug", "авг"),
    ("sep", "сен"),
    ("oct", "окт"),
    ("nov", "ноя"),
    ("dec", "дек"),
)
_WORD: Final = r"([a-zа-яё]{3,9})\.?"
_DAY_FIRST: Final = re.compile(rf"(\d{{1,2}})\s+{_WORD},?\s+(\d{{4}})(?:\s*г\.?)?")
_MONTH_FIRST: Final = re.compile(rf"{_WORD}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})")
_ISO: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED: Final = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
# Slashes or dashes with the year last, and any two-digit year: read only when unambiguous.
_SLASHED: Final = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_SHORT_YEAR: Final = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2}")


def read_date(text: str) -> date | None:
    """A typed calendar date; None when `text` is not written as a date at all (a period, an
    age), `UnreadableDateError` when it is one with no single reading."""
    normalized = " ".join(text.lower().split()).removesuffix(".")
    if match := _DOTTED.fullmatch(normalized):
        day, month, year = (int(part) for part in match.groups())
        return _calendar(year, month, day)
    if match := _ISO.fullmatch(normalized):
        year, month, day = (int(part) for part in match.groups())
        return _calendar(year, month, day)
    if match := _DAY_FIRST.fullmatch(normalized):
        named = _month(match.group(2))
        return None if named is None else _calendar(int(match.group(3)), named, int(match[1]))
    if match := _MONTH_FIRST.fullmatch(normalized):
        named = _month(match.group(1))
        return None if named is None else _calendar(int(match.group(3)), named, int(match[2]))
    if match := _SLASHED.fullmatch(normalized):
        first, second, year = (int(part) for part in match.groups())
        readings = {_try(year, second, first), _try(year, first, second)} - {None}
        if not readings:
            raise NoSuchDateError(normalized)
        if len(readings) != 1:
            raise UnreadableDateError(normalized)
        return readings.pop()
    if _SHORT_YEAR.fullmatch(normalized):
        raise UnreadableDateError(normalized)
    return None


def _month(word: str) -> int | None:
    for number, stems in enumerate(_MONTH_STEMS, start=1):
        if word.startswith(stems) and not (number == 5 and word.startswith("мар")):
            return number
    return None


def _try(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _calendar(year: int, month: int, day: int) -> date:
    value = _try(year, month, day)
    if value is None:
        raise NoSuchDateError(f"{day}.{month}.{year}")
    return value
