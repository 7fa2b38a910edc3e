"""Chatting with the real dispatcher through aiogram-dialog's BotClient, as one user."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import Chat, Message, Update, User
from aiogram_dialog.api.entities import NewMessage, OldMessage
from aiogram_dialog.test_tools import BotClient, MockMessageManager
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_dialog.test_tools.memory_storage import JsonMemoryStorage
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider

from bot.factory import create_dispatcher
from bot.i18n import create_i18n_core
from bot.ioc import create_container
from core.config import Settings
from core.interactors.onboarding import GetUser
from tests.support.recording_session import RecordingSession
from tests.support.telegram_rules import check_markup, check_text

USER_ID = 4242


async def load_texts() -> FluentRuntimeCore:
    """The bot's own Fluent bundles, so tests compare with the locales, not copies of them."""
    core = create_i18n_core(Settings(_env_file=None).locales_dir)  # type: ignore[call-arg]
    await core.startup()
    return core


class StrictMessageManager(MockMessageManager):
    """Every window the dialogs show is checked against Telegram's rules first."""

    async def show_message(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage | None
    ) -> OldMessage:
        check_text(new_message.text, new_message.parse_mode, caption=new_message.media is not None)
        check_markup(new_message.reply_markup)
        return await super().show_message(bot, new_message, old_message)


@dataclass
class Chatting:
    dp: Dispatcher
    bot: Bot
    session: RecordingSession
    messages: MockMessageManager
    client: BotClient
    settings: Settings
    container: Any
    update_ids: count[int]
    last_window: Message | None = None

    def window(self) -> Message:
        # The message manager forgets on reset; the chat keeps showing the last window.
        if self.messages.sent_messages:
            self.last_window = self.messages.last_message()
        assert self.last_window is not None, "the bot has shown no window yet"
        return self.last_window

    async def click(self, text: str) -> None:
        window = self.window()
        self.messages.reset_history()
        await self.client.click(window, InlineButtonTextLocator(re.escape(text)))

    async def send(self, text: str) -> None:
        self.messages.reset_history()
        await self.client.send(text)

    async def send_content(self, **content: Any) -> None:
        """Photos, stickers and documents: BotClient only sends text."""
        self.messages.reset_history()
        message = Message(
            message_id=next(self.update_ids),
            date=datetime.now(UTC),
            chat=Chat(id=USER_ID, type="private"),
            from_user=User(id=USER_ID, is_bot=False, first_name=f"User_{USER_ID}"),
            **content,
        )
        await self.dp.feed_update(
            self.bot, Update(update_id=next(self.update_ids), message=message)
        )

    async def user(self) -> Any:
        async with self.container() as request:
            get_user = await request.get(GetUser)
            return await get_user(USER_ID)


@asynccontextmanager
async def open_chat(
    settings: Settings, *providers: Provider, fsm: tuple[Any, Any] | None = None
) -> AsyncIterator[Chatting]:
    session = RecordingSession()
    bot = Bot("123456:TEST-token", session=session)
    # The bot in the container too: payment refunds call it, as in production.
    container = create_container(settings, *providers, bot=bot)
    messages = StrictMessageManager()
    storage, isolation = fsm or (JsonMemoryStorage(), SimpleEventIsolation())
    dp = create_dispatcher(
        settings,
        container,
        storage=storage,
        events_isolation=isolation,
        message_manager=messages,
    )
    await dp.emit_startup(bot=bot, dispatcher=dp)
    client = BotClient(dp, user_id=USER_ID, chat_id=USER_ID, bot=bot)
    try:
        yield Chatting(dp, bot, session, messages, client, settings, container, count(500))
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp)
        await container.close()
