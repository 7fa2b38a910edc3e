"""What owners type about a pet, parsed and checked: pure functions, no I/O.

Each refusal is a `PetInputError` with a reason code; the dialog turns it into a localized hint.
The interactors call the `check_*` functions again, so a value that skipped the dialog (a crafted
update, another caller) meets the same rules.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from core.dates import NoSuchDateError, UnreadableDateError, read_date
from core.enums import Species
from core.pets_errors import PetInputError, PetInputErrorReason
from core.plain_text import has_visible, plain_name, plain_text
from core.time_words import MONTHS, WEEKS, YEARS

MAX_NAME_LENGTH = 64  # the column's length
MAX_BREED_LENGTH = 128  # the column's length
MAX_AGE_YEARS = 40  # tortoises and parrots aside, an older "pet" is a typo

# (lightest, heaviest) in grams. Generous — a newborn kitten, a giant tortoise — but tight enough
# to catch the usual slip: "450" typed for a hamster meaning grams reads as 450 kg.
WEIGHT_BOUNDS_GRAMS: Mapping[Species, tuple[int, int]] = {
    Species.DOG: (100, 150_000),
    Species.CAT: (50, 30_000),
    Species.RABBIT: (30, 15_000),
    Species.GUINEA_PIG: (30, 3_000),
    Species.RODENT: (2, 10_000),
    Species.FERRET: (5, 5_000),
    Species.BIRD: (2, 20_000),
    Species.REPTILE: (1, 150_000),
    Species.OTHER: (1, 150_000),
}

_NUMBER = r"\d{1,6}(?:\.\d{1,3})?"
_AGE_PART = re.compile(rf"({_NUMBER})\s*([^\d\s.,]+)?\.?")
_AGE_JOINERS = frozenset({"", "and", "и"})
_WEIGHT = re.compile(rf"({_NUMBER})\s*([^\d\s.]+)?\.?")

_KILOGRAMS = frozenset(
    {"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"}
    | {"кг", "кило", "килограмм", "килограмма", "килограммов"}
)
_GRAMS = frozenset({"g", "gr", "gram", "grams", "г", "гр", "грамм", "грамма", "граммов"})

_DAYS_PER_MONTH = Decimal("30.44")


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A birth date, or an estimate of one derived from an age the owner gave."""

    value: date
    approximate: bool


@dataclass(frozen=True, slots=True)
class PetAge:
    """An age for display: whole years and months, and weeks while under a month."""

    years: int
    months: int
    weeks: int


def parse_name(text: str) -> str:
    """The name as typed, trimmed, with runs of spaces and line breaks made single spaces and
    invisible or direction-changing characters removed (`core.plain_text.plain_name`)."""
    name = plain_name(text)
    check_name(name)
    return name


def check_name(name: str) -> None:
    # A name of only invisible characters (U+200B, U+202E, ...) is as empty as no name.
    if not has_visible(name):
        raise PetInputError(PetInputErrorReason.NAME_EMPTY)
    if len(name) > MAX_NAME_LENGTH:
        raise PetInputError(PetInputErrorReason.NAME_TOO_LONG, max_length=MAX_NAME_LENGTH)


def parse_breed(text: str) -> str:
    breed = " ".join(plain_text(text).split())
    check_breed(breed)
    return breed


def check_breed(breed: str) -> None:
    if not breed.strip():
        raise PetInputError(PetInputErrorReason.BREED_EMPTY)
    if len(breed) > MAX_BREED_LENGTH:
        raise PetInputError(PetInputErrorReason.BREED_TOO_LONG, max_length=MAX_BREED_LENGTH)


def parse_birth(text: str, today: date) -> BirthDate:
    """A date (`core.dates.read_date`), or an age: "3", "3 года", "8 months", "2 г 3 мес".

    An age becomes an estimated birth date, so the age shown later keeps growing by itself.
    """
    normalized = " ".join(text.lower().split())
    try:
        exact = read_date(normalized)
    except NoSuchDateError:
        raise PetInputError(PetInputErrorReason.BIRTH_BAD_DATE) from None
    except UnreadableDateError:  # "12/4/2026": the hint names the forms that have one reading
        raise PetInputError(PetInputErrorReason.BIRTH_UNREADABLE) from None
    if exact is not None:
        check_birth_date(exact, today)
        return BirthDate(exact, approximate=False)
    born = today - _parse_age(normalized.replace(",", "."), today)
    check_birth_date(born, today)
    return BirthDate(born, approximate=True)


def check_birth_date(born: date, today: date) -> None:
    if born > today:
        raise PetInputError(PetInputErrorReason.BIRTH_IN_FUTURE)
    if born < _years_before(today, MAX_AGE_YEARS):
        raise PetInputError(PetInputErrorReason.BIRTH_TOO_OLD)


def _parse_age(text: str, today: date) -> timedelta:
    parts: list[tuple[Decimal, str]] = []
    position = 0
    for match in _AGE_PART.finditer(text):
        if text[position : match.start()].strip(" ,") not in _AGE_JOINERS:
            raise PetInputError(PetInputErrorReason.BIRTH_UNREADABLE)
        parts.append((Decimal(match.group(1)), match.group(2) or ""))
        position = match.end()
    if not parts or text[position:].strip(" ,"):
        raise PetInputError(PetInputErrorReason.BIRTH_UNREADABLE)
    if len(parts) > 1 and any(unit == "" for _, unit in parts):
        # "2 3" is no age; a bare number only stands alone ("3" = three years).
        raise PetInputError(PetInputErrorReason.BIRTH_UNREADABLE)

    months = Decimal(0)
    days = Decimal(0)
    for amount, unit in parts:
        if unit == "" or unit in YEARS:
            months += amount * 12
        elif unit in MONTHS:
            months += amount
        elif unit in WEEKS:
            days += amount * 7
        else:
            raise PetInputError(PetInputErrorReason.BIRTH_UNREADABLE)
    if months > MAX_AGE_YEARS * 12:
        raise PetInputError(PetInputErrorReason.BIRTH_TOO_OLD)
    whole_months = int(months)
    days += (months - whole_months) * _DAYS_PER_MONTH
    delta = today - _months_before(today, whole_months) + timedelta(days=int(days.to_integral()))
    if delta <= timedelta(0):
        raise PetInputError(PetInputErrorReason.AGE_ZERO)
    return delta


def parse_weight(text: str, species: Species) -> int:
    """Grams from "4.5", "4,5 кг", "450 g", "4.5 kg", within the species' bounds."""
    grams = parse_grams(text)
    check_weight(grams, species)
    return grams


def parse_grams(text: str) -> int:
    """Grams from a weight as typed; a bare number is kilograms. No bounds: see `check_weight`."""
    normalized = " ".join(text.lower().split()).replace(",", ".")
    match = _WEIGHT.fullmatch(normalized)
    if match is None:
        raise PetInputError(PetInputErrorReason.WEIGHT_UNREADABLE)
    try:
        amount = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        raise PetInputError(PetInputErrorReason.WEIGHT_UNREADABLE) from None
    unit = match.group(2) or ""
    if unit == "" or unit in _KILOGRAMS:
        grams = amount * 1000
    elif unit in _GRAMS:
        grams = amount
    else:
        raise PetInputError(PetInputErrorReason.WEIGHT_UNREADABLE)
    return int(grams.to_integral())


def check_weight(grams: int, species: Species) -> None:
    lightest, heaviest = WEIGHT_BOUNDS_GRAMS[species]
    if grams < lightest:
        raise PetInputError(
            PetInputErrorReason.WEIGHT_TOO_LOW, min_grams=lightest, max_grams=heaviest
        )
    if grams > heaviest:
        raise PetInputError(
            PetInputErrorReason.WEIGHT_TOO_HIGH, min_grams=lightest, max_grams=heaviest
        )


def age_on(born: date, today: date) -> PetAge:
    """How old a pet born on `born` is on `today` (zero if `born` is later)."""
    total_months = (today.year - born.year) * 12 + today.month - born.month
    if today.day < born.day:
        total_months -= 1
    if total_months < 0:
        return PetAge(0, 0, 0)
    weeks = max((today - born).days, 0) // 7 if total_months == 0 else 0
    return PetAge(total_months // 12, total_months % 12, weeks)


def age_words(age: PetAge) -> tuple[str, dict[str, int]]:
    """The locale key and arguments that say `age`: years and months, or the largest unit.

    An age estimated from the owner's words keeps its months too ("2 y 3 mo" stays that), and
    goes on growing: it is an estimated birth date under the hood.
    """
    if age.years and age.months:
        return "lbl-pet-age-years-months", {"years": age.years, "months": age.months}
    if age.years:
        return "lbl-pet-age-years", {"years": age.years}
    if age.months:
        return "lbl-pet-age-months", {"months": age.months}
    if age.weeks:
        return "lbl-pet-age-weeks", {"weeks": age.weeks}
    return "lbl-pet-age-newborn", {}


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _years_before(day: date, years: int) -> date:
    return _months_before(day, years * 12)
