"""Reminder settings interactors on an in-memory user store: zone, kinds, quiet hours."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from core.entities import User
from core.enums import ReminderKind, Role
from core.errors import UserNotFoundError
from core.interactors.reminder_settings import (
    SETTABLE_KINDS,
    ChooseTimeZone,
    GetReminderSettings,
    KeepLikelyTimeZone,
    ReminderKindNotSettableError,
    SetQuietHours,
    SwitchReminderKind,
)
from core.interactors.reminder_times import ReminderTimes
from core.interactors.reminders import PAYLOAD_NEXT_DUE, DueDateReminders
from core.ports.reminders import NewReminder
from core.time_zones import TimeZoneError, ZoneLabel, zones_with_city_names
from dialogs.settings.zone_names import ZONE_CITY_KEYS
from tests.support.fake_reminders import FakeReminders

NOW = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)  # summer: Berlin on CEST, London on BST
TG = 100


class FixedClock:
    def now(self) -> datetime:
        return NOW


class FakeUow:
    def __init__(self) -> None:
        self.commits = 0

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        pass


class FakeUserSettings:
    def __init__(self, language: str | None = "ru") -> None:
        self.user = User(
            id=1,
            telegram_id=TG,
            first_name="Anna",
            username=None,
            language=language,
            time_zone="Europe/Moscow",
            roles=frozenset({Role.OWNER}),
            consented_at=NOW,
            created_at=NOW,
        )

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return self.user if telegram_id == TG else None

    async def set_time_zone(self, user_id: int, time_zone: str, chosen_at: datetime) -> None:
        self.user = dataclasses.replace(
            self.user, time_zone=time_zone, time_zone_chosen_at=chosen_at
        )

    async def set_likely_time_zone(self, user_id: int, time_zone: str) -> None:
        self.user = dataclasses.replace(self.user, time_zone=time_zone)

    async def set_reminder_kinds_off(
        self, user_id: int, kinds_off: Collection[ReminderKind]
    ) -> None:
        self.user = dataclasses.replace(self.user, reminder_kinds_off=frozenset(kinds_off))

    async def set_quiet_hours(self, user_id: int, start: time, end: time) -> None:
        self.user = dataclasses.replace(self.user, quiet_hours_start=start, quiet_hours_end=end)


def _due(reminders: FakeReminders | None = None) -> ReminderTimes:
    # Partial fakes: moving a user's rows reads only the reminders (none of appointments).
    rows: Any = reminders if reminders is not None else FakeReminders()
    unused: Any = None
    due_dates = DueDateReminders(rows, unused, unused, FixedClock())
    return ReminderTimes(due_dates, rows, unused, unused, FixedClock())


async def _pending_vaccination(reminders: FakeReminders) -> None:
    """A week-before and a snoozed reminder of a vaccination due on 20 July, timed for
    Moscow (10:00 local is 07:00 UTC)."""
    payload = {PAYLOAD_NEXT_DUE: date(2026, 7, 20).isoformat()}
    await reminders.add_many(
        [
            NewReminder(
                user_id=1,
                kind=ReminderKind.VACCINATION,
                due_at=datetime(2026, 7, 13, 7, tzinfo=UTC),
                record_id=5,
                step="before_7d",
                payload=payload,
            ),
            NewReminder(
                user_id=1,
                kind=ReminderKind.VACCINATION,
                due_at=datetime(2026, 7, 2, 9, tzinfo=UTC),
                record_id=5,
                step="snoozed",
                payload=payload,
            ),
        ]
    )


def _times(reminders: FakeReminders) -> dict[str | None, datetime]:
    return {r.step: r.due_at for r in reminders.pending()}


async def test_settings_start_from_the_languages_likely_zone_and_defaults() -> None:
    users = FakeUserSettings(language="en")
    settings = await GetReminderSettings(users, FixedClock())(TG, "en")
    assert (settings.time_zone, settings.zone_chosen) == ("Europe/London", False)
    assert settings.zone_label == ZoneLabel("BST", "UTC+1")
    assert settings.kinds_off == frozenset()
    assert (settings.quiet_start, settings.quiet_end) == (time(22, 0), time(8, 0))
    assert not settings.quiet_hours_off


async def test_the_chosen_language_wins_over_the_clients() -> None:
    users = FakeUserSettings(language="ru")
    settings = await GetReminderSettings(users, FixedClock())(TG, "en")
    assert settings.time_zone == "Europe/Moscow"


async def test_choosing_a_zone_stores_it_with_the_time_it_was_chosen() -> None:
    users, uow = FakeUserSettings(), FakeUow()
    chosen = await ChooseTimeZone(uow, users, FixedClock(), _due())(TG, "Europe/Berlin")
    assert chosen.label == ZoneLabel("CEST", "UTC+2")
    assert (users.user.time_zone, users.user.time_zone_chosen_at) == ("Europe/Berlin", NOW)
    assert uow.commits == 1
    settings = await GetReminderSettings(users, FixedClock())(TG, "ru")
    assert (settings.time_zone, settings.zone_chosen) == ("Europe/Berlin", True)


@pytest.mark.parametrize("name", ["Europe/Atlantis", "", "MSK+1", "../etc/localtime"])
async def test_an_unknown_zone_is_refused_and_nothing_is_stored(name: str) -> None:
    users, uow = FakeUserSettings(), FakeUow()
    with pytest.raises(TimeZoneError):
        await ChooseTimeZone(uow, users, FixedClock(), _due())(TG, name)
    assert users.user.time_zone_chosen_at is None
    assert uow.commits == 0


async def test_keeping_the_likely_zone_marks_it_chosen_once() -> None:
    users, uow = FakeUserSettings(language=None), FakeUow()
    kept = await KeepLikelyTimeZone(uow, users, FixedClock(), _due())(TG, "en")
    assert kept.time_zone == "Europe/London"
    assert users.user.time_zone_chosen_at == NOW
    again = await KeepLikelyTimeZone(uow, users, FixedClock(), _due())(TG, "ru")
    assert again.time_zone == "Europe/London"  # chosen now: the language no longer matters
    assert uow.commits == 1


async def test_a_kind_switched_off_and_on_leaves_the_others() -> None:
    users, uow = FakeUserSettings(), FakeUow()
    switch = SwitchReminderKind(uow, users)
    await switch(TG, "vaccination", on=False)
    await switch(TG, "medication", on=False)
    await switch(TG, "medication", on=False)  # a double tap writes nothing
    assert users.user.reminder_kinds_off == {ReminderKind.VACCINATION, ReminderKind.MEDICATION}
    await switch(TG, "vaccination", on=True)
    assert users.user.reminder_kinds_off == {ReminderKind.MEDICATION}
    assert uow.commits == 3


@pytest.mark.parametrize("kind", ["custom", "everything", ""])
async def test_a_kind_without_a_switch_is_refused(kind: str) -> None:
    users, uow = FakeUserSettings(), FakeUow()
    with pytest.raises(ReminderKindNotSettableError):
        await SwitchReminderKind(uow, users)(TG, kind, on=False)
    assert uow.commits == 0


async def test_quiet_hours_are_stored_to_the_minute_and_equal_ends_switch_them_off() -> None:
    users, uow = FakeUserSettings(), FakeUow()
    await SetQuietHours(uow, users, _due())(TG, time(23, 30, 15), time(7, 0))
    assert (users.user.quiet_hours_start, users.user.quiet_hours_end) == (time(23, 30), time(7))
    await SetQuietHours(uow, users, _due())(TG, time(0, 0), time(0, 0))
    settings = await GetReminderSettings(users, FixedClock())(TG, "ru")
    assert settings.quiet_hours_off


async def test_a_new_zone_moves_the_pending_reminders_before_the_one_commit() -> None:
    users, uow, reminders = FakeUserSettings(), FakeUow(), FakeReminders()
    await _pending_vaccination(reminders)

    await ChooseTimeZone(uow, users, FixedClock(), _due(reminders))(TG, "Europe/Berlin")

    assert _times(reminders) == {
        "before_7d": datetime(2026, 7, 13, 8, tzinfo=UTC),  # 10:00 CEST
        "snoozed": datetime(2026, 7, 2, 9, tzinfo=UTC),  # an instant the user chose
    }
    assert uow.commits == 1


async def test_keeping_the_likely_zone_moves_reminders_timed_in_another_one() -> None:
    # Stored Moscow, but an English speaker is shown London until they choose.
    users, uow, reminders = FakeUserSettings(language="en"), FakeUow(), FakeReminders()
    await _pending_vaccination(reminders)

    await KeepLikelyTimeZone(uow, users, FixedClock(), _due(reminders))(TG, None)

    assert _times(reminders)["before_7d"] == datetime(2026, 7, 13, 9, tzinfo=UTC)  # 10:00 BST


async def test_new_quiet_hours_move_the_pending_reminders_out_of_them_and_back() -> None:
    users, uow, reminders = FakeUserSettings(), FakeUow(), FakeReminders()
    await _pending_vaccination(reminders)
    set_quiet_hours = SetQuietHours(uow, users, _due(reminders))

    await set_quiet_hours(TG, time(9, 0), time(12, 0))
    assert _times(reminders)["before_7d"] == datetime(2026, 7, 13, 9, tzinfo=UTC)  # 12:00 MSK

    await set_quiet_hours(TG, time(0, 0), time(0, 0))  # off: the usual 10:00 again
    assert _times(reminders)["before_7d"] == datetime(2026, 7, 13, 7, tzinfo=UTC)
    assert _times(reminders)["snoozed"] == datetime(2026, 7, 2, 9, tzinfo=UTC)
    assert uow.commits == 2


async def test_a_stranger_has_no_settings() -> None:
    with pytest.raises(UserNotFoundError):
        await GetReminderSettings(FakeUserSettings(), FixedClock())(999, "ru")


def test_the_settings_offer_every_kind_the_product_sends() -> None:
    assert set(SETTABLE_KINDS) == set(ReminderKind) - {ReminderKind.CUSTOM}


def test_every_zone_the_bot_names_by_a_city_has_a_city_name() -> None:
    assert set(ZONE_CITY_KEYS) == zones_with_city_names()
