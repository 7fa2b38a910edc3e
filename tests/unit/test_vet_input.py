"""What vets type into the profile and schedule forms: parsed, checked, refused with a reason."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.enums import Species
from core.schedule import WeeklyWindow
from core.vet_input import (
    MAX_BIO_LENGTH,
    VetProfileDraft,
    check_languages,
    check_profile,
    check_species,
    parse_bio,
    parse_date,
    parse_date_and_interval,
    parse_day_hours,
    parse_minutes,
    parse_name,
    parse_price,
    parse_specialisations,
    parse_time_zone,
    parse_years,
)
from core.vets_errors import VetInputError, VetInputErrorReason

TODAY = date(2026, 11, 26)


def _reason(error: pytest.ExceptionInfo[VetInputError]) -> VetInputErrorReason:
    return error.value.reason


@pytest.mark.parametrize(
    ("text", "expected"), [("1", 1), ("500", 500), (" 1 500 ", 1500), ("100000", 100_000)]
)
def test_price_in_stars_is_a_whole_number_from_1_to_100000(text: str, expected: int) -> None:
    assert parse_price(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0", VetInputErrorReason.PRICE_OUT_OF_RANGE),
        ("100001", VetInputErrorReason.PRICE_OUT_OF_RANGE),
        ("12.5", VetInputErrorReason.PRICE_UNREADABLE),
        ("-3", VetInputErrorReason.PRICE_UNREADABLE),
        ("free", VetInputErrorReason.PRICE_UNREADABLE),
        ("", VetInputErrorReason.PRICE_UNREADABLE),
    ],
)
def test_bad_prices_are_refused(text: str, reason: VetInputErrorReason) -> None:
    with pytest.raises(VetInputError) as error:
        parse_price(text)
    assert _reason(error) is reason


@pytest.mark.parametrize(("text", "expected"), [("0", 0), ("7", 7), ("70", 70)])
def test_years_of_practice_go_from_0_to_70(text: str, expected: int) -> None:
    assert parse_years(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("71", VetInputErrorReason.YEARS_OUT_OF_RANGE),
        ("seven", VetInputErrorReason.YEARS_UNREADABLE),
        ("-1", VetInputErrorReason.YEARS_UNREADABLE),
    ],
)
def test_bad_years_are_refused(text: str, reason: VetInputErrorReason) -> None:
    with pytest.raises(VetInputError) as error:
        parse_years(text)
    assert _reason(error) is reason
    if reason is VetInputErrorReason.YEARS_OUT_OF_RANGE:
        assert error.value.limit == 70


def test_bio_up_to_500_characters_is_kept_and_longer_is_refused() -> None:
    assert parse_bio("  " + "a" * MAX_BIO_LENGTH + " ") == "a" * MAX_BIO_LENGTH
    with pytest.raises(VetInputError) as error:
        parse_bio("a" * (MAX_BIO_LENGTH + 1))
    assert _reason(error) is VetInputErrorReason.BIO_TOO_LONG
    assert error.value.limit == MAX_BIO_LENGTH


def test_names_and_specialisations_are_trimmed_and_required() -> None:
    assert parse_name("  Dr.   Anna  Petrova ") == "Dr. Anna Petrova"
    assert parse_specialisations(" therapy, dermatology ") == "therapy, dermatology"
    with pytest.raises(VetInputError) as error:
        parse_name("   ")
    assert _reason(error) is VetInputErrorReason.NAME_EMPTY
    with pytest.raises(VetInputError) as error:
        parse_name("x" * 129)
    assert _reason(error) is VetInputErrorReason.NAME_TOO_LONG
    with pytest.raises(VetInputError) as error:
        parse_specialisations("")
    assert _reason(error) is VetInputErrorReason.SPECIALISATIONS_EMPTY


def test_languages_are_a_non_empty_subset_of_ru_and_en() -> None:
    assert check_languages(["ru", "en"]) == frozenset({"ru", "en"})
    with pytest.raises(VetInputError) as error:
        check_languages([])
    assert _reason(error) is VetInputErrorReason.LANGUAGES_EMPTY
    with pytest.raises(VetInputError) as error:
        check_languages(["ru", "de"])
    assert _reason(error) is VetInputErrorReason.LANGUAGE_UNKNOWN


def test_species_are_a_non_empty_subset_of_the_known_ones() -> None:
    assert check_species(["cat", "dog"]) == frozenset({Species.CAT, Species.DOG})
    for bad in ([], ["cat", "dragon"]):
        with pytest.raises(VetInputError) as error:
            check_species(bad)
        assert _reason(error) is VetInputErrorReason.SPECIES_EMPTY


def test_a_whole_profile_is_checked_and_normalised() -> None:
    draft = VetProfileDraft(
        display_name=" Dr.  House ",
        specialisations="diagnostics",
        species=frozenset({Species.CAT}),
        languages=frozenset({"en"}),
        years_of_practice=20,
        price_amount=700,
        bio="   ",
    )
    checked = check_profile(draft)
    assert checked.display_name == "Dr. House"
    assert checked.bio is None
    with pytest.raises(VetInputError) as error:
        check_profile(
            VetProfileDraft(
                display_name="Dr. House",
                specialisations="diagnostics",
                species=frozenset({Species.CAT}),
                languages=frozenset({"en"}),
                years_of_practice=20,
                price_amount=100_001,
            )
        )
    assert _reason(error) is VetInputErrorReason.PRICE_OUT_OF_RANGE


def test_a_weekdays_hours_are_intervals_or_off() -> None:
    assert parse_day_hours("09:00-13:00, 14:00-18:00", 0) == [
        WeeklyWindow(0, time(9), time(13)),
        WeeklyWindow(0, time(14), time(18)),
    ]
    assert parse_day_hours("14.00 – 18.00; 9:30-12:00", 2) == [
        WeeklyWindow(2, time(9, 30), time(12)),
        WeeklyWindow(2, time(14), time(18)),
    ]
    assert parse_day_hours("off", 4) == []
    assert parse_day_hours("Выходной", 4) == []


@pytest.mark.parametrize("text", ["", "9-13", "13:00-09:00", "25:00-26:00", "09:00-13:00,,x"])
def test_unreadable_hours_are_refused(text: str) -> None:
    with pytest.raises(VetInputError) as error:
        parse_day_hours(text, 0)
    assert _reason(error) is VetInputErrorReason.HOURS_UNREADABLE


def test_minutes_are_bounded() -> None:
    assert parse_minutes("30", low=10, high=180) == 30
    for bad in ("5", "181", "half an hour"):
        with pytest.raises(VetInputError) as error:
            parse_minutes(bad, low=10, high=180)
        assert _reason(error) is VetInputErrorReason.MINUTES_UNREADABLE


def test_dates_are_read_day_first_and_not_in_the_past() -> None:
    assert parse_date("31.12.2026", TODAY) == date(2026, 12, 31)
    assert parse_date("26/11/2026", TODAY) == TODAY
    for bad, reason in [
        ("31.02.2026", VetInputErrorReason.DATE_UNREADABLE),
        ("tomorrow", VetInputErrorReason.DATE_UNREADABLE),
        ("25.11.2026", VetInputErrorReason.DATE_IN_PAST),
    ]:
        with pytest.raises(VetInputError) as error:
            parse_date(bad, TODAY)
        assert _reason(error) is reason


def test_extra_hours_are_a_date_and_an_interval() -> None:
    assert parse_date_and_interval("01.12.2026 10:00-12:00", TODAY) == (
        date(2026, 12, 1),
        time(10),
        time(12),
    )
    with pytest.raises(VetInputError) as error:
        parse_date_and_interval("01.12.2026", TODAY)
    assert _reason(error) is VetInputErrorReason.HOURS_UNREADABLE


def test_time_zones_are_area_slash_city_names_of_the_tz_database() -> None:
    assert parse_time_zone(" Asia/Yekaterinburg ") == "Asia/Yekaterinburg"
    for bad in ("Mars/Olympus", "UTC", "MSK", "", "../etc/passwd"):
        with pytest.raises(VetInputError) as error:
            parse_time_zone(bad)
        assert _reason(error) is VetInputErrorReason.TIME_ZONE_UNKNOWN
