"""Time zones as people name them: labels, likely defaults, quick choices, typed names, places.

Pure functions over the tz database (zoneinfo); no user-facing words live here. City names and
the Russian "МСК" come from the locales, keyed by the IANA zone name (dialogs/settings).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from core.errors import DomainError
from core.locales import DEFAULT_LOCALE

MOSCOW: Final = "Europe/Moscow"

# Where a user of each language most likely lives, until they say: the bot is Russian first, so
# a Russian speaker is most often in Russia, and over half of Russia's people live on Moscow
# time. English speakers are spread over the globe; London (UTC+0/+1) is the closest to the
# middle of them by hours (Europe and Africa within ±3, India +5:30) and the zone a stranger is
# least surprised by. Either way the first time a time matters the user is asked.
DEFAULT_ZONES: Final[dict[str, str]] = {"ru": MOSCOW, "en": "Europe/London"}

# Quick choices per language, west to east; their city names are `lbl-zone-city-*` messages.
QUICK_ZONES: Final[dict[str, tuple[str, ...]]] = {
    "ru": (
        "Europe/Kaliningrad",
        MOSCOW,
        "Europe/Samara",
        "Asia/Yekaterinburg",
        "Asia/Omsk",
        "Asia/Novosibirsk",
        "Asia/Krasnoyarsk",
        "Asia/Irkutsk",
        "Asia/Yakutsk",
        "Asia/Vladivostok",
        "Asia/Magadan",
        "Asia/Kamchatka",
    ),
    "en": (
        "America/Los_Angeles",
        "America/Denver",
        "America/Chicago",
        "America/New_York",
        "Europe/London",
        "Europe/Berlin",
        "Europe/Kyiv",
        MOSCOW,
        "Asia/Dubai",
        "Asia/Kolkata",
        "Asia/Singapore",
        "Australia/Sydney",
    ),
}

# Abbreviations people recognise, each only in the region it is unambiguous in ("CST" is also
# China's, "IST" India's and Ireland's): elsewhere the offset alone says it best.
_KNOWN_ABBREVIATIONS: Final[dict[str, tuple[str, ...]]] = {
    "MSK": ("Europe/",),
    "GMT": ("Europe/",),
    "BST": ("Europe/",),
    "WET": ("Europe/", "Atlantic/"),
    "WEST": ("Europe/", "Atlantic/"),
    "CET": ("Europe/",),
    "CEST": ("Europe/",),
    "EET": ("Europe/",),
    "EEST": ("Europe/",),
    "EST": ("America/",),
    "EDT": ("America/",),
    "CST": ("America/",),
    "CDT": ("America/",),
    "MST": ("America/",),
    "MDT": ("America/",),
    "PST": ("America/",),
    "PDT": ("America/",),
    "AKST": ("America/",),
    "AKDT": ("America/",),
    "HST": ("Pacific/",),
    "AEST": ("Australia/",),
    "AEDT": ("Australia/",),
    "ACST": ("Australia/",),
    "ACDT": ("Australia/",),
    "AWST": ("Australia/",),
    "JST": ("Asia/",),
    "KST": ("Asia/",),
    "NZST": ("Pacific/",),
    "NZDT": ("Pacific/",),
}

MINUS_SIGN: Final = "\u2212"  # "UTC−3" with a real minus, not a hyphen


class TimeZoneErrorReason(StrEnum):
    UNKNOWN = "unknown"  # neither a tz database name nor a "UTC+5" offset
    OFFSET_OUT_OF_RANGE = "offset_out_of_range"  # beyond UTC−12…UTC+14, or not whole hours
    LOCATION_INVALID = "location_invalid"  # latitude or longitude out of range


class TimeZoneError(DomainError):
    def __init__(self, reason: TimeZoneErrorReason) -> None:
        super().__init__(f"time zone: {reason}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ZoneLabel:
    """How a zone reads at one instant: "MSK (UTC+3)", "CEST (UTC+2)", or just "UTC+5"."""

    abbreviation: str | None  # "MSK", "CET", "EDT"...; None: the offset alone
    offset: str  # "UTC+3", "UTC+5:30", "UTC−3", "UTC+0"


def zone(name: str) -> ZoneInfo:
    """The tz database's zone; an unknown or malformed name is a `TimeZoneError`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise TimeZoneError(TimeZoneErrorReason.UNKNOWN) from error


def format_offset(offset: timedelta) -> str:
    """UTC+3, UTC+5:30, UTC−3:30, UTC+0 ("GMT (UTC+0)" reads better than "GMT (UTC)")."""
    minutes = round(offset.total_seconds() / 60)
    sign = MINUS_SIGN if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(name: str, at: datetime) -> ZoneLabel:
    """The zone's label at the instant `at` (aware): the tz database's own abbreviation where
    people know it — so DST reads CEST, BST, EDT on its own — and the offset at that instant."""
    local = at.astimezone(zone(name))
    offset = local.utcoffset() or timedelta()
    abbreviation = local.tzname()
    regions = _KNOWN_ABBREVIATIONS.get(abbreviation or "")
    known = regions is not None and name.startswith(regions)
    return ZoneLabel(abbreviation if known else None, format_offset(offset))


def default_time_zone(locale: str | None) -> str:
    """The zone a user of this language most likely lives in, until they choose."""
    return DEFAULT_ZONES.get(locale or DEFAULT_LOCALE, DEFAULT_ZONES[DEFAULT_LOCALE])


def quick_zones(locale: str | None) -> tuple[str, ...]:
    """The zones offered as buttons to a user of this language."""
    return QUICK_ZONES.get(locale or DEFAULT_LOCALE, QUICK_ZONES[DEFAULT_LOCALE])


def effective_time_zone(stored: str, chosen: bool, locale: str | None) -> str:
    """The zone to show times in: the user's choice, else their language's likely zone."""
    return stored if chosen else default_time_zone(locale)


# --- typed names ---------------------------------------------------------------------------

_OFFSET = re.compile(
    r"(?:utc|gmt)?\s*(?P<sign>[+\-\u2212\u2013])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?",
    re.IGNORECASE,
)
_BARE_UTC = frozenset({"utc", "gmt", "utc+0", "utc-0", "gmt+0", "z"})


@cache
def _names_by_key() -> dict[str, str]:
    """Typed spellings → tz names: "europe/berlin", and a city alone ("berlin", "new york")
    where only one zone is called that."""
    names: dict[str, str] = {}
    cities: dict[str, list[str]] = {}
    for name in available_timezones():
        names[name.casefold()] = name
        if "/" in name and not name.startswith(("Etc/", "SystemV/")):
            city = name.rsplit("/", 1)[1].replace("_", " ").casefold()
            cities.setdefault(city, []).append(name)
    for city, candidates in cities.items():
        if len(candidates) == 1 and city not in names:
            names[city] = candidates[0]
    return names


def parse_time_zone(text: str) -> str:
    """A typed zone → a tz database name: "Europe/Berlin" (any case), "Berlin", "UTC+5",
    "GMT-3", "+4". Offsets are whole hours (the tz database's fixed "Etc/GMT" zones); for a
    half-hour zone the user names a city ("Asia/Kolkata")."""
    typed = " ".join(text.split())
    key = typed.casefold().replace(" ", "_")
    if key.replace("_", "") in _BARE_UTC:
        return "UTC"
    names = _names_by_key()
    found = names.get(key) or names.get(typed.casefold())
    if found is not None:
        return found
    match = _OFFSET.fullmatch(typed)
    if match is None:
        raise TimeZoneError(TimeZoneErrorReason.UNKNOWN)
    hours = int(match["hours"])
    minutes = int(match["minutes"] or 0)
    negative = match["sign"] != "+"
    if minutes or hours > (12 if negative else 14):
        raise TimeZoneError(TimeZoneErrorReason.OFFSET_OUT_OF_RANGE)
    if hours == 0:
        return "UTC"
    # POSIX signs: "Etc/GMT-5" is five hours *ahead* of UTC.
    return f"Etc/GMT{'+' if negative else '-'}{hours}"


# --- places ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReferenceCity:
    latitude: float
    longitude: float
    zone: str  # its tz name; the city shown is the zone's own (`lbl-zone-city-*`)


# Big cities of every quick-choice zone and a few more per wide zone, so the nearest one to a
# shared location is nearly always in the right zone; the user confirms before it is stored.
REFERENCE_CITIES: Final[tuple[ReferenceCity, ...]] = (
    ReferenceCity(54.71, 20.51, "Europe/Kaliningrad"),
    ReferenceCity(55.76, 37.62, MOSCOW),
    ReferenceCity(59.94, 30.31, MOSCOW),  # Saint Petersburg
    ReferenceCity(56.33, 44.00, MOSCOW),  # Nizhny Novgorod
    ReferenceCity(55.79, 49.12, MOSCOW),  # Kazan
    ReferenceCity(47.24, 39.71, MOSCOW),  # Rostov-on-Don
    ReferenceCity(45.04, 38.98, MOSCOW),  # Krasnodar
    ReferenceCity(64.54, 40.54, MOSCOW),  # Arkhangelsk
    ReferenceCity(48.71, 44.51, "Europe/Volgograd"),
    ReferenceCity(53.20, 50.15, "Europe/Samara"),
    ReferenceCity(54.31, 48.40, "Europe/Ulyanovsk"),
    ReferenceCity(56.84, 60.61, "Asia/Yekaterinburg"),
    ReferenceCity(55.16, 61.40, "Asia/Yekaterinburg"),  # Chelyabinsk
    ReferenceCity(54.74, 55.97, "Asia/Yekaterinburg"),  # Ufa
    ReferenceCity(58.01, 56.25, "Asia/Yekaterinburg"),  # Perm
    ReferenceCity(57.15, 65.53, "Asia/Yekaterinburg"),  # Tyumen
    ReferenceCity(54.99, 73.37, "Asia/Omsk"),
    ReferenceCity(55.03, 82.92, "Asia/Novosibirsk"),
    ReferenceCity(53.35, 83.78, "Asia/Barnaul"),
    ReferenceCity(56.01, 92.87, "Asia/Krasnoyarsk"),
    ReferenceCity(53.76, 87.12, "Asia/Novokuznetsk"),
    ReferenceCity(52.29, 104.28, "Asia/Irkutsk"),
    ReferenceCity(51.83, 107.58, "Asia/Irkutsk"),  # Ulan-Ude
    ReferenceCity(52.03, 113.50, "Asia/Chita"),
    ReferenceCity(62.03, 129.73, "Asia/Yakutsk"),
    ReferenceCity(43.12, 131.89, "Asia/Vladivostok"),
    ReferenceCity(48.48, 135.08, "Asia/Vladivostok"),  # Khabarovsk
    ReferenceCity(46.96, 142.73, "Asia/Sakhalin"),
    ReferenceCity(59.57, 150.80, "Asia/Magadan"),
    ReferenceCity(53.02, 158.65, "Asia/Kamchatka"),
    ReferenceCity(64.73, 177.51, "Asia/Anadyr"),
    ReferenceCity(51.51, -0.13, "Europe/London"),
    ReferenceCity(53.35, -6.26, "Europe/Dublin"),
    ReferenceCity(38.72, -9.14, "Europe/Lisbon"),
    ReferenceCity(40.42, -3.70, "Europe/Madrid"),
    ReferenceCity(48.86, 2.35, "Europe/Paris"),
    ReferenceCity(52.52, 13.40, "Europe/Berlin"),
    ReferenceCity(41.90, 12.50, "Europe/Rome"),
    ReferenceCity(52.23, 21.01, "Europe/Warsaw"),
    ReferenceCity(50.45, 30.52, "Europe/Kyiv"),
    ReferenceCity(60.17, 24.94, "Europe/Helsinki"),
    ReferenceCity(53.90, 27.57, "Europe/Minsk"),
    ReferenceCity(41.01, 28.98, "Europe/Istanbul"),
    ReferenceCity(41.72, 44.79, "Asia/Tbilisi"),
    ReferenceCity(40.18, 44.51, "Asia/Yerevan"),
    ReferenceCity(40.41, 49.87, "Asia/Baku"),
    ReferenceCity(25.20, 55.27, "Asia/Dubai"),
    ReferenceCity(43.24, 76.89, "Asia/Almaty"),
    ReferenceCity(41.30, 69.24, "Asia/Tashkent"),
    ReferenceCity(19.08, 72.88, "Asia/Kolkata"),
    ReferenceCity(28.61, 77.21, "Asia/Kolkata"),  # New Delhi
    ReferenceCity(13.76, 100.50, "Asia/Bangkok"),
    ReferenceCity(1.35, 103.82, "Asia/Singapore"),
    ReferenceCity(39.90, 116.41, "Asia/Shanghai"),
    ReferenceCity(35.68, 139.69, "Asia/Tokyo"),
    ReferenceCity(-33.87, 151.21, "Australia/Sydney"),
    ReferenceCity(-37.81, 144.96, "Australia/Melbourne"),
    ReferenceCity(-36.85, 174.76, "Pacific/Auckland"),
    ReferenceCity(40.71, -74.01, "America/New_York"),
    ReferenceCity(43.65, -79.38, "America/Toronto"),
    ReferenceCity(41.88, -87.63, "America/Chicago"),
    ReferenceCity(29.76, -95.37, "America/Chicago"),  # Houston
    ReferenceCity(39.74, -104.99, "America/Denver"),
    ReferenceCity(33.45, -112.07, "America/Phoenix"),
    ReferenceCity(34.05, -118.24, "America/Los_Angeles"),
    ReferenceCity(47.61, -122.33, "America/Los_Angeles"),  # Seattle
    ReferenceCity(19.43, -99.13, "America/Mexico_City"),
    ReferenceCity(-23.55, -46.63, "America/Sao_Paulo"),
    ReferenceCity(-34.60, -58.38, "America/Argentina/Buenos_Aires"),
    ReferenceCity(30.04, 31.24, "Africa/Cairo"),
    ReferenceCity(-26.20, 28.05, "Africa/Johannesburg"),
    ReferenceCity(6.52, 3.38, "Africa/Lagos"),
)

_EARTH_RADIUS_KM: Final = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def nearest_city(latitude: float, longitude: float) -> ReferenceCity:
    """The reference city nearest to a shared location (a guess the user confirms)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise TimeZoneError(TimeZoneErrorReason.LOCATION_INVALID)
    return min(
        REFERENCE_CITIES,
        key=lambda city: distance_km(latitude, longitude, city.latitude, city.longitude),
    )


def zones_with_city_names() -> frozenset[str]:
    """Every zone the bot names by a city: the quick choices and the reference cities'."""
    quick = {name for names in QUICK_ZONES.values() for name in names}
    return frozenset(quick | {city.zone for city in REFERENCE_CITIES})
