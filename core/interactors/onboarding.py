"""First contact: who the user is, which language they read, and their consent.

Before consent a user is only a Telegram id (with the language they picked, if they did: the
bot needs it to talk to them, and the consent text must be read in it). Their name and
username are stored when they consent, and declining forgets them altogether.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from core.clock import Clock
from core.entities import User
from core.enums import Role
from core.errors import UnsupportedLocaleError, UserNotFoundError
from core.interactors.account import DeleteAccount
from core.interactors.reminder_times import ReminderTimes
from core.locales import SUPPORTED_LOCALES
from core.plain_text import plain_name, plain_text
from core.ports.repositories import UserRepository, UserSettingsRepository
from core.ports.uow import UnitOfWork
from core.time_zones import default_time_zone


@dataclass(frozen=True, slots=True)
class TelegramProfile:
    """What Telegram tells us about the sender of an update."""

    telegram_id: int
    first_name: str
    username: str | None
    language_code: str | None

    def __post_init__(self) -> None:
        # Made safe here, where every profile is built from an update. Telegram itself sends
        # valid UTF-8 and its clients drop control characters from names (TDLib's
        # clean_input_string), but a forged webhook call or another Bot API server need not:
        # one stored NUL failed every later update of that user on PostgreSQL. The name is
        # shown to other people (sharing, vets), so it loses invisible and direction-changing
        # characters too (core/plain_text.py).
        object.__setattr__(self, "first_name", plain_name(self.first_name))
        if self.username is not None:
            object.__setattr__(self, "username", plain_text(self.username))


# What a user row holds for a name before consent: nothing (the column is not nullable).
NO_NAME = ""


class RegisterUser:
    """Find the user behind an update, creating them on first contact.

    The row created holds no name: Telegram's profile is stored once the user consents
    (`GiveConsent`), then kept current. Grants the admin role to configured ids, so an admin
    added to the configuration needs no database edit (`SyncAdminRoles` revokes at start-up).
    An update from someone marked as having blocked the bot clears the mark: they are talking
    to it again. The one exception is the update that says they blocked it (`blocked_bot_at`
    given), which sets the mark instead.
    """

    def __init__(self, uow: UnitOfWork, users: UserRepository, admin_ids: frozenset[int]) -> None:
        self._uow = uow
        self._users = users
        self._admin_ids = admin_ids

    async def __call__(
        self, profile: TelegramProfile, *, blocked_bot_at: datetime | None = None
    ) -> User:
        user = await self._users.get_by_telegram_id(profile.telegram_id)
        is_admin = profile.telegram_id in self._admin_ids
        if user is None:
            roles = {Role.OWNER, Role.ADMIN} if is_admin else {Role.OWNER}
            # language stays unset: Telegram's language_code is a default, not a choice.
            user = await self._users.add(
                telegram_id=profile.telegram_id,
                first_name=NO_NAME,
                username=None,
                language=None,
                roles=frozenset(roles),
            )
            if blocked_bot_at is not None:
                await self._users.mark_bot_blocked(profile.telegram_id, blocked_bot_at)
            await self._uow.commit()
            return user if blocked_bot_at is None else await self._get(profile.telegram_id)

        changed = False
        # Only a marked user costs a write here: the common update reads the row and goes on.
        if blocked_bot_at is None and user.blocked_bot_at is not None:
            await self._users.clear_bot_blocked(user.id)
            changed = True
        elif blocked_bot_at is not None and user.blocked_bot_at is None:
            await self._users.mark_bot_blocked(profile.telegram_id, blocked_bot_at)
            changed = True
        consented = user.consented_at is not None
        if consented and (user.first_name, user.username) != (
            profile.first_name,
            profile.username,
        ):
            await self._users.update_profile(
                user.id, first_name=profile.first_name, username=profile.username
            )
            changed = True
        if is_admin and Role.ADMIN not in user.roles:
            await self._users.add_role(user.id, Role.ADMIN)
            changed = True
        if not changed:
            return user
        await self._uow.commit()
        return await self._get(profile.telegram_id)

    async def _get(self, telegram_id: int) -> User:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        return user


class ChooseLanguage:
    """Remember the language the user picked; it wins over Telegram's language_code.

    Until the user chooses a time zone, theirs is their language's most likely one
    (core.time_zones.default_time_zone): an English speaker's times are not shown in Moscow
    time. Their pending reminders move with it, in the same transaction.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        settings: UserSettingsRepository,
        reminders: ReminderTimes,
    ) -> None:
        self._uow = uow
        self._users = users
        self._settings = settings
        self._reminders = reminders

    async def __call__(self, telegram_id: int, locale: str) -> None:
        if locale not in SUPPORTED_LOCALES:
            raise UnsupportedLocaleError(locale)
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        await self._users.set_language(user.id, locale)
        likely = default_time_zone(locale)
        if user.time_zone_chosen_at is None and likely != user.time_zone:
            await self._settings.set_likely_time_zone(user.id, likely)
            await self._reminders.user_clock_changed(
                replace(user, language=locale, time_zone=likely)
            )
        await self._uow.commit()


class GiveConsent:
    """Record consent to processing personal and pet-health data, with its time, and store
    the Telegram profile from now on (it was not kept before)."""

    def __init__(self, uow: UnitOfWork, users: UserRepository, clock: Clock) -> None:
        self._uow = uow
        self._users = users
        self._clock = clock

    async def __call__(self, profile: TelegramProfile) -> datetime:
        user = await self._users.get_by_telegram_id(profile.telegram_id)
        if user is None:
            raise UserNotFoundError(profile.telegram_id)
        if user.consented_at is not None:
            # Pressing "I agree" twice (a stale button) must not move the recorded time.
            return user.consented_at
        consented_at = self._clock.now()
        await self._users.set_consent(user.id, consented_at)
        await self._users.update_profile(
            user.id, first_name=profile.first_name, username=profile.username
        )
        await self._uow.commit()
        return consented_at


class DeclineConsent:
    """Forget someone who declined consent: their row and everything hanging on it (an invite
    they accepted before deciding, their files). Only the language they picked stays, on a row
    that is a Telegram id and nothing else: the bot goes on talking to them in it (the button
    back to consent, a later /start).

    Returns False and changes nothing for a user who has consented already (a stale "Not now"
    button): leaving after consent is `/delete_me`, with its warning.
    """

    def __init__(
        self, uow: UnitOfWork, users: UserRepository, delete_account: DeleteAccount
    ) -> None:
        self._uow = uow
        self._users = users
        self._delete_account = delete_account

    async def __call__(self, telegram_id: int) -> bool:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is not None and user.consented_at is not None:
            return False
        await self._delete_account(telegram_id)
        if user is not None and user.language is not None:
            await self._users.add(
                telegram_id=telegram_id, first_name=NO_NAME, username=None, language=user.language
            )
            await self._uow.commit()
        return True


class GetUser:
    """The stored user for a Telegram id, or None before first contact."""

    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def __call__(self, telegram_id: int) -> User | None:
        return await self._users.get_by_telegram_id(telegram_id)
