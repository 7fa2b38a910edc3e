"""The user's reminder settings (/reminders): time zone, kinds on or off, quiet hours.

A new zone or new quiet hours move the user's pending reminders in the same transaction
(`ReminderTimes.user_clock_changed`), so a setting and the times it implies are stored
together. Switching a kind off or on touches no reminder row: the sending job reads the
switch when each row comes due (core.interactors.reminder_delivery).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time
from typing import Final

from core.clock import Clock
from core.entities import User
from core.enums import ReminderKind
from core.errors import DomainError, UserNotFoundError
from core.interactors.reminder_times import ReminderTimes
from core.ports.repositories import UserSettingsRepository
from core.ports.uow import UnitOfWork
from core.quiet_hours import quiet_hours_off
from core.time_zones import ZoneLabel, effective_time_zone, zone, zone_label

# The kinds the product sends, in the order the settings list them; CUSTOM has no sender yet.
SETTABLE_KINDS: Final[tuple[ReminderKind, ...]] = (
    ReminderKind.VACCINATION,
    ReminderKind.PARASITE_TREATMENT,
    ReminderKind.MEDICATION,
    ReminderKind.APPOINTMENT,
    ReminderKind.FOLLOW_UP,
)


class ReminderKindNotSettableError(DomainError):
    def __init__(self, kind: str) -> None:
        super().__init__(f"reminder kind {kind!r} has no switch")
        self.kind = kind


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    time_zone: str  # the zone times are shown in: chosen, or the language's likely one
    zone_chosen: bool
    zone_label: ZoneLabel  # now
    kinds_off: frozenset[ReminderKind]
    quiet_start: time
    quiet_end: time

    @property
    def quiet_hours_off(self) -> bool:
        return quiet_hours_off(self.quiet_start, self.quiet_end)


async def _user(users: UserSettingsRepository, telegram_id: int) -> User:
    user = await users.get_by_telegram_id(telegram_id)
    if user is None:
        raise UserNotFoundError(telegram_id)
    return user


@dataclass(frozen=True, slots=True)
class ChosenZone:
    time_zone: str
    label: ZoneLabel  # at the moment it was chosen


class GetReminderSettings:
    """The user's settings as the settings window shows them. `locale` is the language the
    bot speaks to them, whose likely zone applies until they choose one."""

    def __init__(self, users: UserSettingsRepository, clock: Clock) -> None:
        self._users = users
        self._clock = clock

    async def __call__(self, telegram_id: int, locale: str | None) -> ReminderSettings:
        user = await _user(self._users, telegram_id)
        chosen = user.time_zone_chosen_at is not None
        name = effective_time_zone(user.time_zone, chosen, user.language or locale)
        return ReminderSettings(
            time_zone=name,
            zone_chosen=chosen,
            zone_label=zone_label(name, self._clock.now()),
            kinds_off=user.reminder_kinds_off,
            quiet_start=user.quiet_hours_start,
            quiet_end=user.quiet_hours_end,
        )


class ChooseTimeZone:
    """Store the zone the user chose. A name the tz database does not know is a
    `TimeZoneError` (core.time_zones.parse_time_zone reads what people type)."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserSettingsRepository,
        clock: Clock,
        reminders: ReminderTimes,
    ) -> None:
        self._uow = uow
        self._users = users
        self._clock = clock
        self._reminders = reminders

    async def __call__(self, telegram_id: int, time_zone: str) -> ChosenZone:
        zone(time_zone)  # validates
        user = await _user(self._users, telegram_id)
        now = self._clock.now()
        await self._users.set_time_zone(user.id, time_zone, now)
        await _zone_changed(self._reminders, user, time_zone, now)
        await self._uow.commit()
        return ChosenZone(time_zone, zone_label(time_zone, now))


class SwitchReminderKind:
    """Switch one kind of reminder on or off; the other kinds stay as they are."""

    def __init__(self, uow: UnitOfWork, users: UserSettingsRepository) -> None:
        self._uow = uow
        self._users = users

    async def __call__(self, telegram_id: int, kind: str, *, on: bool) -> None:
        if kind not in {settable.value for settable in SETTABLE_KINDS}:
            raise ReminderKindNotSettableError(kind)
        user = await _user(self._users, telegram_id)
        chosen = ReminderKind(kind)
        kinds_off: Collection[ReminderKind] = (
            user.reminder_kinds_off - {chosen} if on else user.reminder_kinds_off | {chosen}
        )
        if kinds_off == user.reminder_kinds_off:
            return  # a double tap: nothing to write
        await self._users.set_reminder_kinds_off(user.id, kinds_off)
        await self._uow.commit()


class SetQuietHours:
    """Set local quiet hours; equal ends switch them off (core.quiet_hours reads typed ones).
    The user's pending reminders move out of the new quiet hours (or back to their morning
    time, out of the old ones)."""

    def __init__(
        self, uow: UnitOfWork, users: UserSettingsRepository, reminders: ReminderTimes
    ) -> None:
        self._uow = uow
        self._users = users
        self._reminders = reminders

    async def __call__(self, telegram_id: int, start: time, end: time) -> None:
        # Whole minutes: that is what is stored and what the user sees.
        start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
        user = await _user(self._users, telegram_id)
        await self._users.set_quiet_hours(user.id, start, end)
        if (start, end) != (user.quiet_hours_start, user.quiet_hours_end):
            await self._reminders.user_clock_changed(
                dataclasses.replace(user, quiet_hours_start=start, quiet_hours_end=end)
            )
        await self._uow.commit()


class KeepLikelyTimeZone:
    """The user accepts the zone shown so far (their language's likely one): store it as
    chosen, so they are not asked again."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserSettingsRepository,
        clock: Clock,
        reminders: ReminderTimes,
    ) -> None:
        self._uow = uow
        self._users = users
        self._clock = clock
        self._reminders = reminders

    async def __call__(self, telegram_id: int, locale: str | None) -> ChosenZone:
        user = await _user(self._users, telegram_id)
        chosen = user.time_zone_chosen_at is not None
        name = effective_time_zone(user.time_zone, chosen, user.language or locale)
        now = self._clock.now()
        if not chosen:
            await self._users.set_time_zone(user.id, name, now)
            # The reminders were timed in the stored zone, which is not always the one shown
            # (a language changed since it was stored): they move where it differs.
            await _zone_changed(self._reminders, user, name, now)
            await self._uow.commit()
        return ChosenZone(name, zone_label(name, now))


async def _zone_changed(
    reminders: ReminderTimes, user: User, time_zone: str, chosen_at: datetime
) -> None:
    """Move the user's pending reminders to `time_zone`, if it is not the one they were
    timed in."""
    if time_zone != user.time_zone:
        await reminders.user_clock_changed(
            dataclasses.replace(user, time_zone=time_zone, time_zone_chosen_at=chosen_at)
        )
