"""Zones named by a city in the user's language: the quick choices and the location guesses.

Literal message ids, so tests/unit/test_locales.py sees each one used.
"""

from __future__ import annotations

from typing import Final

from aiogram_i18n import I18nContext

from core.time_zones import ZoneLabel
from dialogs.widgets.zone_labels import label_text

ZONE_CITY_KEYS: Final[dict[str, str]] = {
    "Europe/Kaliningrad": "lbl-zone-city-kaliningrad",
    "Europe/Moscow": "lbl-zone-city-moscow",
    "Europe/Samara": "lbl-zone-city-samara",
    "Asia/Yekaterinburg": "lbl-zone-city-yekaterinburg",
    "Asia/Omsk": "lbl-zone-city-omsk",
    "Asia/Novosibirsk": "lbl-zone-city-novosibirsk",
    "Asia/Krasnoyarsk": "lbl-zone-city-krasnoyarsk",
    "Asia/Irkutsk": "lbl-zone-city-irkutsk",
    "Asia/Yakutsk": "lbl-zone-city-yakutsk",
    "Asia/Vladivostok": "lbl-zone-city-vladivostok",
    "Asia/Magadan": "lbl-zone-city-magadan",
    "Asia/Kamchatka": "lbl-zone-city-kamchatka",
    "America/Los_Angeles": "lbl-zone-city-los-angeles",
    "America/Denver": "lbl-zone-city-denver",
    "America/Chicago": "lbl-zone-city-chicago",
    "America/New_York": "lbl-zone-city-new-york",
    "Europe/London": "lbl-zone-city-london",
    "Europe/Berlin": "lbl-zone-city-berlin",
    "Europe/Kyiv": "lbl-zone-city-kyiv",
    "Asia/Dubai": "lbl-zone-city-dubai",
    "Asia/Kolkata": "lbl-zone-city-kolkata",
    "Asia/Singapore": "lbl-zone-city-singapore",
    "Australia/Sydney": "lbl-zone-city-sydney",
    "Europe/Volgograd": "lbl-zone-city-volgograd",
    "Europe/Ulyanovsk": "lbl-zone-city-ulyanovsk",
    "Asia/Barnaul": "lbl-zone-city-barnaul",
    "Asia/Novokuznetsk": "lbl-zone-city-novokuznetsk",
    "Asia/Chita": "lbl-zone-city-chita",
    "Asia/Sakhalin": "lbl-zone-city-sakhalin",
    "Asia/Anadyr": "lbl-zone-city-anadyr",
    "Europe/Dublin": "lbl-zone-city-dublin",
    "Europe/Lisbon": "lbl-zone-city-lisbon",
    "Europe/Madrid": "lbl-zone-city-madrid",
    "Europe/Paris": "lbl-zone-city-paris",
    "Europe/Rome": "lbl-zone-city-rome",
    "Europe/Warsaw": "lbl-zone-city-warsaw",
    "Europe/Helsinki": "lbl-zone-city-helsinki",
    "Europe/Minsk": "lbl-zone-city-minsk",
    "Europe/Istanbul": "lbl-zone-city-istanbul",
    "Asia/Tbilisi": "lbl-zone-city-tbilisi",
    "Asia/Yerevan": "lbl-zone-city-yerevan",
    "Asia/Baku": "lbl-zone-city-baku",
    "Asia/Almaty": "lbl-zone-city-almaty",
    "Asia/Tashkent": "lbl-zone-city-tashkent",
    "Asia/Bangkok": "lbl-zone-city-bangkok",
    "Asia/Shanghai": "lbl-zone-city-shanghai",
    "Asia/Tokyo": "lbl-zone-city-tokyo",
    "Australia/Melbourne": "lbl-zone-city-melbourne",
    "Pacific/Auckland": "lbl-zone-city-auckland",
    "America/Toronto": "lbl-zone-city-toronto",
    "America/Phoenix": "lbl-zone-city-phoenix",
    "America/Mexico_City": "lbl-zone-city-mexico-city",
    "America/Sao_Paulo": "lbl-zone-city-sao-paulo",
    "America/Argentina/Buenos_Aires": "lbl-zone-city-buenos-aires",
    "Africa/Cairo": "lbl-zone-city-cairo",
    "Africa/Johannesburg": "lbl-zone-city-johannesburg",
    "Africa/Lagos": "lbl-zone-city-lagos",
}

# Abbreviations with a name of their own in a language (МСК in Russian).


def city_name(i18n: I18nContext, zone: str) -> str | None:
    key = ZONE_CITY_KEYS.get(zone)
    return None if key is None else i18n.get(key)


def zone_label_text(i18n: I18nContext, label: ZoneLabel) -> str:
    """ "МСК (UTC+3)", "CEST (UTC+2)", "UTC+5"."""
    return label_text(i18n, label)


def zone_by_city_name(i18n: I18nContext, typed: str) -> str | None:
    """A zone whose city the user typed in their language ("Екатеринбург", "new york")."""
    wanted = " ".join(typed.split()).casefold()
    for zone, key in ZONE_CITY_KEYS.items():
        if i18n.get(key).casefold() == wanted:
            return zone
    return None


def zone_display(i18n: I18nContext, zone: str, label: ZoneLabel) -> str:
    """ "Москва, МСК (UTC+3)" where the zone has a city name, else "UTC+5"."""
    text = zone_label_text(i18n, label)
    city = city_name(i18n, zone)
    return text if city is None else i18n.get("lbl-zone-with-city", city=city, zone=text)
