"""The zone beside a booking time reads as people name it, at that time (issue #12)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from dialogs.widgets.zone_labels import zone_text
from tests.support.chatting import load_texts

WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.mark.parametrize(
    ("time_zone", "at", "locale", "expected"),
    [
        ("Europe/Moscow", WINTER, "ru", "МСК (UTC+3)"),
        ("Europe/Moscow", SUMMER, "en", "MSK (UTC+3)"),
        ("Europe/Berlin", WINTER, "en", "CET (UTC+1)"),
        ("Europe/Berlin", SUMMER, "en", "CEST (UTC+2)"),  # the instant's own, not today's
        ("Europe/London", WINTER, "en", "GMT (UTC+0)"),
        ("Asia/Yekaterinburg", SUMMER, "ru", "UTC+5"),  # no abbreviation people know
        ("Asia/Kolkata", SUMMER, "en", "UTC+5:30"),  # "IST" is also Ireland's
        ("America/New_York", WINTER, "en", "EST (UTC\u22125)"),
    ],
)
def test_the_zone_reads_as_people_name_it_at_that_instant(
    texts: FluentRuntimeCore, time_zone: str, at: datetime, locale: str, expected: str
) -> None:
    assert zone_text(texts, time_zone, at, locale) == expected
