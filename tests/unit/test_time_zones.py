"""Time zones as people name them (core.time_zones): labels across DST, defaults, typed names,
and the nearest reference city to a shared location."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.time_zones import (
    QUICK_ZONES,
    REFERENCE_CITIES,
    TimeZoneError,
    TimeZoneErrorReason,
    ZoneLabel,
    default_time_zone,
    distance_km,
    effective_time_zone,
    format_offset,
    nearest_city,
    parse_time_zone,
    quick_zones,
    zone,
    zone_label,
)

WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "at", "expected"),
    [
        ("Europe/Moscow", WINTER, ZoneLabel("MSK", "UTC+3")),
        ("Europe/Moscow", SUMMER, ZoneLabel("MSK", "UTC+3")),
        ("Europe/Berlin", WINTER, ZoneLabel("CET", "UTC+1")),
        ("Europe/Berlin", SUMMER, ZoneLabel("CEST", "UTC+2")),
        ("Europe/London", WINTER, ZoneLabel("GMT", "UTC+0")),
        ("Europe/London", SUMMER, ZoneLabel("BST", "UTC+1")),
        ("America/New_York", WINTER, ZoneLabel("EST", "UTC\u22125")),
        ("America/New_York", SUMMER, ZoneLabel("EDT", "UTC\u22124")),
        ("America/Los_Angeles", SUMMER, ZoneLabel("PDT", "UTC\u22127")),
        ("Asia/Yekaterinburg", WINTER, ZoneLabel(None, "UTC+5")),
        ("Asia/Kolkata", SUMMER, ZoneLabel(None, "UTC+5:30")),
        ("America/Sao_Paulo", WINTER, ZoneLabel(None, "UTC\u22123")),
        ("America/St_Johns", WINTER, ZoneLabel(None, "UTC\u22123:30")),
        # "CST" is China's too: only American zones get the American abbreviations.
        ("Asia/Shanghai", WINTER, ZoneLabel(None, "UTC+8")),
        ("Etc/GMT-5", WINTER, ZoneLabel(None, "UTC+5")),
    ],
)
def test_zone_labels_follow_dst_and_name_only_well_known_abbreviations(
    name: str, at: datetime, expected: ZoneLabel
) -> None:
    assert zone_label(name, at) == expected


def test_the_label_changes_at_the_dst_instant_not_the_date() -> None:
    # Berlin springs forward at 01:00 UTC on the last Sunday of March.
    change = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert zone_label("Europe/Berlin", change - timedelta(seconds=1)).abbreviation == "CET"
    assert zone_label("Europe/Berlin", change).abbreviation == "CEST"


def test_offsets_use_a_real_minus_sign() -> None:
    assert format_offset(timedelta(hours=-3)) == "UTC\u22123"
    assert "-" not in format_offset(timedelta(hours=-9, minutes=-30))
    assert format_offset(timedelta(hours=5, minutes=45)) == "UTC+5:45"
    assert format_offset(timedelta()) == "UTC+0"


def test_the_likely_zone_follows_the_language_until_the_user_chooses() -> None:
    assert default_time_zone("ru") == "Europe/Moscow"
    assert default_time_zone("en") == "Europe/London"
    assert default_time_zone(None) == "Europe/Moscow"  # the bot's default language
    assert effective_time_zone("Europe/Moscow", False, "en") == "Europe/London"
    assert effective_time_zone("Asia/Omsk", True, "en") == "Asia/Omsk"


def test_quick_zones_per_language_are_real_zones() -> None:
    assert quick_zones("ru")[:2] == ("Europe/Kaliningrad", "Europe/Moscow")
    assert "America/New_York" in quick_zones("en")
    for names in QUICK_ZONES.values():
        assert len(set(names)) == len(names)
        for name in names:
            zone(name)
    for city in REFERENCE_CITIES:
        zone(city.zone)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("  europe/berlin ", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("UTC+5", "Etc/GMT-5"),
        ("utc + 5", "Etc/GMT-5"),
        ("GMT-3", "Etc/GMT+3"),
        ("UTC\u22123", "Etc/GMT+3"),
        ("+4", "Etc/GMT-4"),
        ("UTC+14", "Etc/GMT-14"),
        ("UTC", "UTC"),
        ("gmt", "UTC"),
        ("UTC+0", "UTC"),
    ],
)
def test_typed_zones_are_read(typed: str, expected: str) -> None:
    assert parse_time_zone(typed) == expected


def test_an_offset_zone_means_what_the_user_typed() -> None:
    # POSIX "Etc/GMT-5" is five hours ahead: the label must say UTC+5, not UTC−5.
    assert zone_label(parse_time_zone("UTC+5"), WINTER).offset == "UTC+5"
    assert zone_label(parse_time_zone("UTC-3"), WINTER).offset == "UTC\u22123"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("Atlantis", TimeZoneErrorReason.UNKNOWN),
        ("", TimeZoneErrorReason.UNKNOWN),
        ("Europe/Atlantis", TimeZoneErrorReason.UNKNOWN),
        ("../../etc/passwd", TimeZoneErrorReason.UNKNOWN),
        ("UTC+15", TimeZoneErrorReason.OFFSET_OUT_OF_RANGE),
        ("UTC-13", TimeZoneErrorReason.OFFSET_OUT_OF_RANGE),
        ("UTC+5:30", TimeZoneErrorReason.OFFSET_OUT_OF_RANGE),
    ],
)
def test_unreadable_zones_are_refused_with_a_reason(
    typed: str, reason: TimeZoneErrorReason
) -> None:
    with pytest.raises(TimeZoneError) as raised:
        parse_time_zone(typed)
    assert raised.value.reason is reason


def test_an_unknown_zone_name_is_a_domain_error() -> None:
    with pytest.raises(TimeZoneError):
        zone("Mars/Olympus_Mons")
    with pytest.raises(TimeZoneError):
        zone_label("Nowhere/City", WINTER)


def test_great_circle_distance() -> None:
    # Moscow–Saint Petersburg is about 634 km; a quarter of the equator about 10,008 km.
    assert distance_km(55.76, 37.62, 59.94, 30.31) == pytest.approx(634, abs=5)
    assert distance_km(0, 0, 0, 90) == pytest.approx(10_008, abs=5)
    assert distance_km(10, 20, 10, 20) == 0


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        (55.2, 61.4, "Asia/Yekaterinburg"),  # Chelyabinsk
        (55.75, 37.6, "Europe/Moscow"),
        (54.7, 20.5, "Europe/Kaliningrad"),
        (43.1, 131.9, "Asia/Vladivostok"),
        (53.0, 158.6, "Asia/Kamchatka"),
        (48.85, 2.35, "Europe/Paris"),
        (40.7, -74.0, "America/New_York"),
        (37.77, -122.42, "America/Los_Angeles"),  # San Francisco
        (-33.9, 151.2, "Australia/Sydney"),
        # Across the antimeridian: Chukotka's east at −179° is next to Anadyr at +177.5°.
        (65.0, -179.0, "Asia/Anadyr"),
    ],
)
def test_the_nearest_reference_city_gives_the_zone(
    latitude: float, longitude: float, expected: str
) -> None:
    assert nearest_city(latitude, longitude).zone == expected


@pytest.mark.parametrize(("latitude", "longitude"), [(91, 0), (-90.5, 0), (0, 181), (0, -181)])
def test_a_location_out_of_range_is_refused(latitude: float, longitude: float) -> None:
    with pytest.raises(TimeZoneError) as raised:
        nearest_city(latitude, longitude)
    assert raised.value.reason is TimeZoneErrorReason.LOCATION_INVALID
