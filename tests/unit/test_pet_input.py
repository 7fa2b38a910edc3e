"""Parsing what owners type about their pets: names, dates or ages, weights."""

from __future__ import annotations

from datetime import date

import pytest

from core.enums import Species
from core.pet_input import (
    WEIGHT_BOUNDS_GRAMS,
    BirthDate,
    PetAge,
    age_on,
    check_weight,
    parse_birth,
    parse_breed,
    parse_grams,
    parse_name,
    parse_weight,
)
from core.pets_errors import PetInputError, PetInputErrorReason

TODAY = date(2025, 6, 15)


def _reason(call: object, *args: object) -> PetInputErrorReason:
    with pytest.raises(PetInputError) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.reason


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Барсик", "Барсик"),
        ("  Барсик  ", "Барсик"),
        ("Сэр  Барсик\nТретий", "Сэр Барсик Третий"),
        ("A" * 64, "A" * 64),
    ],
)
def test_names_are_trimmed_and_spaces_collapsed(typed: str, expected: str) -> None:
    assert parse_name(typed) == expected


def test_empty_name_is_refused() -> None:
    assert _reason(parse_name, "   \n ") is PetInputErrorReason.NAME_EMPTY


def test_name_longer_than_the_column_is_refused_with_the_limit() -> None:
    with pytest.raises(PetInputError) as caught:
        parse_name("A" * 65)
    assert caught.value.reason is PetInputErrorReason.NAME_TOO_LONG
    assert caught.value.max_length == 64


def test_breed_is_trimmed_and_bounded() -> None:
    assert parse_breed("  Мейн-кун ") == "Мейн-кун"
    assert _reason(parse_breed, " ") is PetInputErrorReason.BREED_EMPTY
    assert _reason(parse_breed, "x" * 129) is PetInputErrorReason.BREED_TOO_LONG


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05.03.2021", date(2021, 3, 5)),
        ("5.3.2021", date(2021, 3, 5)),
        ("25/03/2021", date(2021, 3, 25)),  # a slash date with one reading only
        (" 29.02.2024 ", date(2024, 2, 29)),
        ("15.06.2025", TODAY),
    ],
)
def test_exact_birth_dates_are_day_month_year(typed: str, expected: date) -> None:
    assert parse_birth(typed, TODAY) == BirthDate(expected, approximate=False)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31.02.2020", PetInputErrorReason.BIRTH_BAD_DATE),
        ("01.13.2020", PetInputErrorReason.BIRTH_BAD_DATE),
        ("16.06.2025", PetInputErrorReason.BIRTH_IN_FUTURE),
        ("01.01.1980", PetInputErrorReason.BIRTH_TOO_OLD),
        ("41", PetInputErrorReason.BIRTH_TOO_OLD),
        ("вчера", PetInputErrorReason.BIRTH_UNREADABLE),
        ("3 попугая", PetInputErrorReason.BIRTH_UNREADABLE),
        ("2 3", PetInputErrorReason.BIRTH_UNREADABLE),
        ("", PetInputErrorReason.BIRTH_UNREADABLE),
        ("0", PetInputErrorReason.AGE_ZERO),
        ("0 мес", PetInputErrorReason.AGE_ZERO),
    ],
)
def test_impossible_birth_dates_and_ages_are_refused(
    typed: str, reason: PetInputErrorReason
) -> None:
    assert _reason(parse_birth, typed, TODAY) is reason


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3", date(2022, 6, 15)),
        ("3 years", date(2022, 6, 15)),
        ("3 года", date(2022, 6, 15)),
        ("2 г", date(2023, 6, 15)),
        ("2 г.", date(2023, 6, 15)),
        ("1 год", date(2024, 6, 15)),
        ("5 лет", date(2020, 6, 15)),
        ("8 months", date(2024, 10, 15)),
        ("8 мес", date(2024, 10, 15)),
        ("8 мес.", date(2024, 10, 15)),
        ("8 месяцев", date(2024, 10, 15)),
        ("2 г 3 мес", date(2023, 3, 15)),
        ("2 years and 3 months", date(2023, 3, 15)),
        ("2 года, 3 месяца", date(2023, 3, 15)),
        ("1,5 года", date(2023, 12, 15)),
        ("1.5 years", date(2023, 12, 15)),
        ("3 недели", date(2025, 5, 25)),
        ("3 weeks", date(2025, 5, 25)),
        ("3Y", date(2022, 6, 15)),
    ],
)
def test_an_age_becomes_an_approximate_birth_date(typed: str, expected: date) -> None:
    assert parse_birth(typed, TODAY) == BirthDate(expected, approximate=True)


def test_months_back_from_the_31st_land_on_the_last_day_of_a_shorter_month() -> None:
    assert parse_birth("1 мес", date(2025, 3, 31)).value == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("typed", "grams"),
    [
        ("4.5", 4500),
        ("4,5", 4500),
        ("4,5 kg", 4500),
        ("4,5 кг", 4500),
        ("4.5kg", 4500),
        ("450 g", 450),
        ("450 г", 450),
        ("450 гр.", 450),
        ("0,35", 350),
        ("12 килограммов", 12000),
        ("  30  ", 30000),
    ],
)
def test_weights_become_grams(typed: str, grams: int) -> None:
    assert parse_weight(typed, Species.DOG) == grams


@pytest.mark.parametrize("typed", ["", "four", "4,5 фунта", "4.5.6", "-3", "4 kg 500 g"])
def test_unreadable_weights_are_refused(typed: str) -> None:
    assert _reason(parse_grams, typed) is PetInputErrorReason.WEIGHT_UNREADABLE


def test_a_hamster_typed_in_grams_without_a_unit_is_too_heavy_and_says_the_bounds() -> None:
    with pytest.raises(PetInputError) as caught:
        parse_weight("45", Species.RODENT)
    assert caught.value.reason is PetInputErrorReason.WEIGHT_TOO_HIGH
    assert (caught.value.min_grams, caught.value.max_grams) == (2, 10_000)
    assert parse_weight("45 г", Species.RODENT) == 45


def test_weights_below_the_species_minimum_are_refused() -> None:
    assert _reason(parse_weight, "10 g", Species.DOG) is PetInputErrorReason.WEIGHT_TOO_LOW
    assert _reason(parse_weight, "0", Species.OTHER) is PetInputErrorReason.WEIGHT_TOO_LOW


def test_every_species_has_sane_bounds() -> None:
    assert set(WEIGHT_BOUNDS_GRAMS) == set(Species)
    for species, (lightest, heaviest) in WEIGHT_BOUNDS_GRAMS.items():
        assert 1 <= lightest < heaviest <= 150_000, species
        check_weight(lightest, species)
        check_weight(heaviest, species)
        assert _reason(check_weight, heaviest + 1, species) is PetInputErrorReason.WEIGHT_TOO_HIGH


@pytest.mark.parametrize(
    ("born", "age"),
    [
        (date(2022, 6, 15), PetAge(3, 0, 0)),
        (date(2022, 6, 16), PetAge(2, 11, 0)),
        (date(2023, 3, 1), PetAge(2, 3, 0)),
        (date(2025, 5, 1), PetAge(0, 1, 0)),
        (date(2025, 5, 30), PetAge(0, 0, 2)),
        (date(2025, 6, 14), PetAge(0, 0, 0)),
        (date(2025, 7, 1), PetAge(0, 0, 0)),
    ],
)
def test_age_counts_whole_years_months_and_then_weeks(born: date, age: PetAge) -> None:
    assert age_on(born, TODAY) == age
