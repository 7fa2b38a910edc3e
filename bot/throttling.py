"""Per-user throttling of incoming updates: a flood from one chat must not slow everyone else.

An outer middleware of `dp.update`, run before the FSM lock, the request scope and the user
row (see `bot.factory`): an update over its sender's budget costs one Redis call (or a dict
lookup without Redis) and nothing else. The sender is told once per `notice_interval_s`, in
Telegram's language of the update — the stored choice would need the database. A callback
query is always answered, so the client's spinner stops.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import TelegramObject, Update
from aiogram.types import User as TelegramUser
from aiogram_dialog.api.entities import DialogUpdate
from aiogram_i18n.cores import BaseCore
from dishka import AsyncContainer

from bot.middlewares import Handler
from bot.outbound import reachable
from core.config import ThrottleSection
from core.locales import resolve_locale
from core.ports.attempts import Attempts

logger = logging.getLogger(__name__)

NOTICE_KEY: Final = "msg-throttled"


def throttled_kind(update: Update) -> str | None:
    """What a person sends at will (messages, edits, taps), or None for what must never be
    dropped: payments (the money is taken), Telegram's news about the chat (blocked or not).
    """
    if update.callback_query is not None:
        return "callback"
    message = update.message or update.edited_message
    if message is None or message.successful_payment is not None:
        return None
    return "message"


class ThrottlingMiddleware(BaseMiddleware):
    def __init__(
        self, section: ThrottleSection, container: AsyncContainer, texts: BaseCore[Any]
    ) -> None:
        self._section = section
        # The root container: `Attempts` is app-scoped, shared with the invite interactor.
        self._container = container
        self._texts = texts
        self._attempts: Attempts | None = None

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        # Background dialog updates are the bot's own work (a result being shown), not input.
        if (
            not isinstance(event, Update)
            or isinstance(event, DialogUpdate)
            or sender is None
            or sender.is_bot
        ):
            return await handler(event, data)
        kind = throttled_kind(event)
        if kind is None:
            return await handler(event, data)
        attempts = await self._get_attempts()
        section = self._section
        if await attempts.take(f"updates:{sender.id}", section.rate_per_s, section.burst):
            return await handler(event, data)
        first = await attempts.add(f"notice:{sender.id}", section.notice_interval_s) == 1
        if first:
            logger.info("throttling user %s: updates dropped for a while", sender.id)
        await self._tell(data["bot"], event, sender, first)
        return None

    async def _get_attempts(self) -> Attempts:
        if self._attempts is None:
            found: Attempts = await self._container.get(Attempts)
            self._attempts = found
            return found
        return self._attempts

    async def _tell(self, bot: Bot, update: Update, sender: TelegramUser, notice: bool) -> None:
        text = self._notice(sender) if notice else None
        message = update.message or update.edited_message
        chat_id = message.chat.id if message is not None else None
        try:
            # The chat they are writing in: no blocked-user check (bot.outbound), as for any
            # answer.
            with reachable(chat_id if chat_id is not None else sender.id):
                if update.callback_query is not None:
                    await bot.answer_callback_query(update.callback_query.id, text=text)
                elif text is not None and chat_id is not None:
                    await bot.send_message(chat_id, text)
        except TelegramAPIError as error:
            # A dropped update must not become an error: the notice is a courtesy.
            logger.info("throttle notice to %s not delivered: %s", sender.id, error)

    def _notice(self, sender: TelegramUser) -> str:
        locale = resolve_locale(None, sender.language_code)
        return str(self._texts.get(NOTICE_KEY, locale))
