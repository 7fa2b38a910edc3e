"""A time zone as people name it: "МСК (UTC+3)", "CEST (UTC+2)", "UTC+5".

An IANA name such as "Asia/Yekaterinburg" tells an owner little. One place for the booking
windows, the settings and the notices sent from jobs (a neutral widget module: job-side code
imports no dialog feature, tests/unit/test_outbound_rules.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Protocol

from core.time_zones import ZoneLabel, zone_label

# Abbreviations with a name of their own in a language ("МСК" in Russian); others are shown as
# the tz database writes them (CEST, BST, EDT).
ZONE_ABBREVIATION_KEYS: Final[dict[str, str]] = {"MSK": "lbl-zone-abbr-msk"}


class Texts(Protocol):
    def get(self, key: str, locale: str | None = None, /, **kwargs: Any) -> str: ...


def zone_text(texts: Texts, time_zone: str, at: datetime, locale: str | None = None) -> str:
    """The zone's name at the instant `at` (summer and winter names differ)."""
    return label_text(texts, zone_label(time_zone, at), locale)


def label_text(texts: Texts, label: ZoneLabel, locale: str | None = None) -> str:
    if label.abbreviation is None:
        return label.offset
    key = ZONE_ABBREVIATION_KEYS.get(label.abbreviation)
    abbreviation = label.abbreviation if key is None else texts.get(key, locale)
    return texts.get(
        "lbl-zone-with-abbreviation", locale, abbreviation=abbreviation, offset=label.offset
    )
