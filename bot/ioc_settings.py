"""dishka providers of the reminder settings (/reminders): their interactors, per request.

A new zone or quiet hours move the user's pending reminders: those interactors take the
request's `ReminderTimes` (bot/ioc_reminders.py), so the move shares their session and
commit."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from core.interactors.reminder_settings import (
    ChooseTimeZone,
    GetReminderSettings,
    KeepLikelyTimeZone,
    SetQuietHours,
    SwitchReminderKind,
)
from core.ports.repositories import UserRepository, UserSettingsRepository
from db.repositories.users import SqlUserRepository


class SettingsProvider(Provider):
    scope = Scope.REQUEST

    get_reminder_settings = provide(GetReminderSettings)
    choose_time_zone = provide(ChooseTimeZone)
    keep_likely_time_zone = provide(KeepLikelyTimeZone)
    switch_reminder_kind = provide(SwitchReminderKind)
    set_quiet_hours = provide(SetQuietHours)

    @provide
    def user_settings(self, users: UserRepository) -> UserSettingsRepository:
        # The request's one user repository, not a second one: the settings written here and
        # the user read by middlewares and getters come from the same loaded row.
        if not isinstance(users, SqlUserRepository):
            raise TypeError(f"settings need the SQL user repository, got {type(users)!r}")
        return users
