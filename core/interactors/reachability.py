"""Whether the bot can still write to a person: Telegram tells us when they blocked it.

The outbound path (bot.outbound) marks a user when a message to them comes back "bot was
blocked by the user" and asks before a notice to someone other than the current sender;
`RegisterUser` clears the mark when they write again.
"""

from __future__ import annotations

from core.clock import Clock
from core.ports.repositories import UserRepository
from core.ports.uow import UnitOfWork


class MarkBotBlocked:
    """Record that this Telegram user blocked the bot (or deleted their account).

    Returns True when this call set the mark, False when it was set already or nobody with
    that id is known (a chat that never wrote to the bot).
    """

    def __init__(self, uow: UnitOfWork, users: UserRepository, clock: Clock) -> None:
        self._uow = uow
        self._users = users
        self._clock = clock

    async def __call__(self, telegram_id: int) -> bool:
        marked = await self._users.mark_bot_blocked(telegram_id, self._clock.now())
        await self._uow.commit()
        return marked


class IsBotBlocked:
    """Whether messages to this Telegram user are known to bounce (False for strangers)."""

    def __init__(self, users: UserRepository) -> None:
        self._users = users

    async def __call__(self, telegram_id: int) -> bool:
        return await self._users.is_bot_blocked(telegram_id)
