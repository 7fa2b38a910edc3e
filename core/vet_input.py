"""What a vet types into the profile and schedule forms, parsed and checked: no I/O.

Each refusal is a `VetInputError` with a reason code; the dialog turns it into a localized hint.
`check_profile` runs again in `SaveVetProfile`, so a value that skipped the dialog meets the same
rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, time
from typing import Final

from core.dates import UnreadableDateError, read_date
from core.enums import Species
from core.locales import SUPPORTED_LOCALES
from core.plain_text import plain_name, plain_text
from core.schedule import WeeklyWindow, zone
from core.vets_errors import VetInputError, VetInputErrorReason

MAX_NAME_LENGTH: Final = 128  # the column's length
MAX_SPECIALISATIONS_LENGTH: Final = 300
MAX_BIO_LENGTH: Final = 500
MIN_YEARS: Final = 0
MAX_YEARS: Final = 70
# Telegram Stars, whole numbers.
MIN_PRICE: Final = 1
MAX_PRICE: Final = 100_000
VET_LANGUAGES: Final = frozenset(SUPPORTED_LOCALES)
# "off" (and its Russian twins) clears a weekday.
DAY_OFF_WORDS: Final = frozenset({"off", "-", "нет", "выходной"})

_INTEGER = re.compile(r"\d{1,7}")
_TIME = r"(\d{1,2})[:.](\d{2})"
_INTERVAL = re.compile(rf"{_TIME}\s*[-–—]\s*{_TIME}")
# The date part may have spaces ("24 Dec 2026 10:00-12:00"): it is what precedes the hours.
_DATE_AND_INTERVAL = re.compile(rf"(.+?)\s+({_TIME}\s*[-–—]\s*{_TIME})")


@dataclass(frozen=True, slots=True)
class VetProfileDraft:
    """Everything the profile form collects."""

    display_name: str
    specialisations: str
    species: frozenset[Species]
    languages: frozenset[str]
    years_of_practice: int
    price_amount: int  # Telegram Stars
    bio: str | None = None
    photo_file_id: str | None = None
    time_zone: str | None = None  # IANA name; None keeps the current one


def parse_name(text: str) -> str:
    # Invisible or direction-changing characters removed; a name of only those is empty.
    name = plain_name(text)
    if not name:
        raise VetInputError(VetInputErrorReason.NAME_EMPTY)
    if len(name) > MAX_NAME_LENGTH:
        raise VetInputError(VetInputErrorReason.NAME_TOO_LONG, limit=MAX_NAME_LENGTH)
    return name


def parse_specialisations(text: str) -> str:
    value = plain_text(text).strip()
    if not value:
        raise VetInputError(VetInputErrorReason.SPECIALISATIONS_EMPTY)
    if len(value) > MAX_SPECIALISATIONS_LENGTH:
        raise VetInputError(
            VetInputErrorReason.SPECIALISATIONS_TOO_LONG, limit=MAX_SPECIALISATIONS_LENGTH
        )
    return value


def parse_years(text: str) -> int:
    value = text.strip()
    if not _INTEGER.fullmatch(value):
        raise VetInputError(VetInputErrorReason.YEARS_UNREADABLE)
    return check_years(int(value))


def check_years(years: int) -> int:
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise VetInputError(VetInputErrorReason.YEARS_OUT_OF_RANGE, limit=MAX_YEARS)
    return years


def parse_price(text: str) -> int:
    # Spaces inside thousands ("1 500") are how people write prices in Russian.
    value = "".join(text.split())
    if not _INTEGER.fullmatch(value):
        raise VetInputError(VetInputErrorReason.PRICE_UNREADABLE)
    return check_price(int(value))


def check_price(price: int) -> int:
    if not MIN_PRICE <= price <= MAX_PRICE:
        raise VetInputError(VetInputErrorReason.PRICE_OUT_OF_RANGE, limit=MAX_PRICE)
    return price


def parse_bio(text: str) -> str:
    value = plain_text(text).strip()
    if len(value) > MAX_BIO_LENGTH:
        raise VetInputError(VetInputErrorReason.BIO_TOO_LONG, limit=MAX_BIO_LENGTH)
    return value


def check_species(species: Collection[str]) -> frozenset[Species]:
    known = {item.value for item in Species}
    chosen = frozenset(Species(item) for item in species if item in known)
    if not chosen or len(chosen) != len(set(species)):
        raise VetInputError(VetInputErrorReason.SPECIES_EMPTY)
    return chosen


def check_languages(languages: Collection[str]) -> frozenset[str]:
    chosen = frozenset(languages)
    if not chosen:
        raise VetInputError(VetInputErrorReason.LANGUAGES_EMPTY)
    if not chosen <= VET_LANGUAGES:
        raise VetInputError(VetInputErrorReason.LANGUAGE_UNKNOWN)
    return chosen


def check_profile(draft: VetProfileDraft) -> VetProfileDraft:
    """The whole draft against every rule; returns it normalised."""
    bio = parse_bio(draft.bio) if draft.bio else None
    return VetProfileDraft(
        display_name=parse_name(draft.display_name),
        specialisations=parse_specialisations(draft.specialisations),
        species=check_species([item.value for item in draft.species]),
        languages=check_languages(draft.languages),
        years_of_practice=check_years(draft.years_of_practice),
        price_amount=check_price(draft.price_amount),
        bio=bio or None,
        photo_file_id=draft.photo_file_id,
        time_zone=None if draft.time_zone is None else parse_time_zone(draft.time_zone),
    )


def parse_time_zone(text: str) -> str:
    """An IANA zone name such as "Europe/Moscow", as the tz database spells it."""
    name = text.strip()
    # Only "Area/City" names: "UTC" or "EST" would be accepted by the database but tell
    # owners nothing about where the vet is, and abbreviations mislead around DST.
    if "/" not in name:
        raise VetInputError(VetInputErrorReason.TIME_ZONE_UNKNOWN)
    try:
        zone(name)
    except ValueError as error:
        raise VetInputError(VetInputErrorReason.TIME_ZONE_UNKNOWN) from error
    return name


# --- the schedule form ------------------------------------------------------------------------


def _time(hours: str, minutes: str) -> time:
    hour, minute = int(hours), int(minutes)
    if hour == 24 and minute == 0:
        # "18:00-24:00": the end of the day; the template's windows end within the day.
        return time(23, 59)
    if hour > 23 or minute > 59:
        raise VetInputError(VetInputErrorReason.HOURS_UNREADABLE)
    return time(hour, minute)


def parse_interval(text: str) -> tuple[time, time]:
    """An interval such as "09:00-13:00" → (09:00, 13:00); start before end."""
    match = _INTERVAL.fullmatch(text.strip())
    if match is None:
        raise VetInputError(VetInputErrorReason.HOURS_UNREADABLE)
    start = _time(match.group(1), match.group(2))
    end = _time(match.group(3), match.group(4))
    if start >= end:
        raise VetInputError(VetInputErrorReason.HOURS_UNREADABLE)
    return start, end


def parse_day_hours(text: str, weekday: int) -> list[WeeklyWindow]:
    """A weekday's hours: "09:00-13:00, 14:00-18:00", or "off" (an empty list)."""
    value = text.strip().lower()
    if value in DAY_OFF_WORDS:
        return []
    parts = [part for part in re.split(r"[,;]", value) if part.strip()]
    if not parts:
        raise VetInputError(VetInputErrorReason.HOURS_UNREADABLE)
    return sorted(WeeklyWindow(weekday, *parse_interval(part)) for part in parts)


def parse_minutes(text: str, *, low: int, high: int) -> int:
    value = text.strip()
    if not _INTEGER.fullmatch(value) or not low <= int(value) <= high:
        raise VetInputError(VetInputErrorReason.MINUTES_UNREADABLE, limit=high)
    return int(value)


def parse_date(text: str, today: date) -> date:
    """A date such as "24.12.2026" or "24 Dec 2026" (`core.dates.read_date`), not before `today`
    (the vet's date)."""
    try:
        value = read_date(text)
    except UnreadableDateError as error:  # "12/4/2026" reads two ways; no such day
        raise VetInputError(VetInputErrorReason.DATE_UNREADABLE) from error
    if value is None:
        raise VetInputError(VetInputErrorReason.DATE_UNREADABLE)
    if value < today:
        raise VetInputError(VetInputErrorReason.DATE_IN_PAST)
    return value


def parse_date_and_interval(text: str, today: date) -> tuple[date, time, time]:
    """Extra hours on one day, such as "24.12.2026 10:00-12:00"."""
    match = _DATE_AND_INTERVAL.fullmatch(text.strip())
    if match is None:
        raise VetInputError(VetInputErrorReason.HOURS_UNREADABLE)
    day = parse_date(match.group(1), today)
    start, end = parse_interval(match.group(2))
    return day, start, end
