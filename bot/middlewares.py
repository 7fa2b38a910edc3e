"""Update-level middlewares, in the order `bot.factory` registers them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.types import TelegramObject, Update
from aiogram.types import User as TelegramUser
from aiogram_dialog.api.entities import DialogUpdate
from dishka import AsyncContainer
from dishka.integrations.aiogram import CONTAINER_NAME

from bot.outbound import deferred_marks, reachable, reads_through
from core.interactors.onboarding import RegisterUser, TelegramProfile

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# The process's root container, in the dispatcher's workflow data: error handlers run after the
# update's request scope has closed and open a new one from it.
ROOT_CONTAINER = "root_container"


class ContainerMiddleware(BaseMiddleware):
    """One dishka request scope per update, shared by every middleware and handler below it.

    dishka's `setup_dishka` opens a scope per observer; the locale manager and the handlers
    would then read through two database sessions for one update.
    """

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        # Bot API calls of the update read through its session; users found to have blocked
        # the bot are marked once its transaction is over (see bot.outbound).
        async with deferred_marks(), self._container() as request_container:
            data[CONTAINER_NAME] = request_container
            with reads_through(request_container):
                return await handler(event, data)


class RegisterUserMiddleware(BaseMiddleware):
    """Every person who writes to the bot exists as a user before any handler runs.

    Before consent that user is a bare Telegram id: `RegisterUser` stores the profile passed
    here only once the person has consented (core.interactors.onboarding).

    Their update also says they can be written to again (a mark of having blocked the bot is
    cleared), and what the handlers send to their own chat skips the blocked-user check of
    `bot.outbound`.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        container: AsyncContainer | None = data.get(CONTAINER_NAME)
        # Background dialog updates carry a stub of the user (no name): nothing to register.
        is_dialog_update = isinstance(event, DialogUpdate)
        if sender and not sender.is_bot and container and not is_dialog_update:
            register = await container.get(RegisterUser)
            await register(
                TelegramProfile(
                    telegram_id=sender.id,
                    first_name=sender.first_name,
                    username=sender.username,
                    language_code=sender.language_code,
                ),
                blocked_bot_at=blocked_bot_at(event),
            )
            with reachable(sender.id):
                return await handler(event, data)
        return await handler(event, data)


def blocked_bot_at(event: TelegramObject) -> datetime | None:
    """When this update says its sender blocked the bot, else None.

    In a private chat, `my_chat_member` comes "only when the bot is blocked or unblocked by the
    user" (https://core.telegram.org/bots/api#update); blocked reads as the status "kicked"
    (https://core.telegram.org/bots/api#chatmemberbanned).
    """
    change = event.my_chat_member if isinstance(event, Update) else None
    if change is None or change.chat.type != ChatType.PRIVATE:
        return None
    if change.new_chat_member.status != ChatMemberStatus.KICKED:
        return None
    return change.date
