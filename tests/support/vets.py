"""Vet test kit: several people in one chat fixture (an admin, a vet, an owner), each with
their own BotClient and windows; a bot that answers getMe."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, GetMe, TelegramMethod
from aiogram.types import Chat, InlineKeyboardMarkup, Message, Update, User
from aiogram_dialog.test_tools import BotClient
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from dishka import Provider

from core.config import Settings
from tests.conftest import make_settings
from tests.support.chatting import USER_ID, Chatting, open_chat

ADMIN_ID = USER_ID
VET_ID = 6262
OWNER_ID = 7272
BOT_USERNAME = "telemed_pet_test_bot"
VET_LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=(vet_[A-Za-z0-9_-]+)")
_ids = count(90_000)


def admin_settings(template: Path, tmp_path: Path) -> Settings:
    database = tmp_path / "telemed.db"
    shutil.copyfile(template, database)
    return make_settings(database, admin_ids=frozenset({ADMIN_ID}))


@asynccontextmanager
async def open_vet_chat(settings: Settings, *providers: Provider) -> AsyncIterator[Chatting]:
    async with open_chat(settings, *providers) as opened:
        # The recording session answers every method with True; getMe needs the bot itself.
        answer = opened.session.make_request

        async def make_request(
            bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
        ) -> Any:
            if isinstance(method, GetMe):
                return User(id=bot.id, is_bot=True, first_name="Bot", username=BOT_USERNAME)
            return await answer(bot, method, timeout)

        opened.session.make_request = make_request  # type: ignore[method-assign]
        yield opened


@dataclass
class Person:
    """One user in the shared chat fixture: their own client, their own windows."""

    chat: Chatting
    client: BotClient
    telegram_id: int

    def window(self) -> Message:
        sent: list[Message] = self.chat.messages.sent_messages
        mine = [m for m in sent if m.chat.id == self.telegram_id]
        assert mine, f"no window shown to {self.telegram_id}"
        return mine[-1]

    def text(self) -> str:
        window = self.window()
        return window.text or window.caption or ""

    def buttons(self) -> list[str]:
        markup = self.window().reply_markup
        if not isinstance(markup, InlineKeyboardMarkup):
            return []
        return [button.text for row in markup.inline_keyboard for button in row]

    async def send(self, text: str) -> None:
        self.chat.session.reset()
        await self.client.send(text)

    async def send_content(self, **content: Any) -> None:
        """Photos and stickers: BotClient only sends text."""
        self.chat.session.reset()
        message = Message(
            message_id=next(_ids),
            date=datetime.now(UTC),
            chat=Chat(id=self.telegram_id, type="private"),
            from_user=User(
                id=self.telegram_id, is_bot=False, first_name=f"User_{self.telegram_id}"
            ),
            **content,
        )
        await self.chat.dp.feed_update(
            self.chat.bot, Update(update_id=next(_ids), message=message)
        )

    async def click(self, text: str) -> None:
        window = self.window()
        self.chat.session.reset()
        await self.client.click(window, InlineButtonTextLocator(re.escape(text)))

    def said(self) -> list[str]:
        """Messages the bot sent this person (not windows) since their last action."""
        said = []
        for call in self.chat.session.calls:
            text, chat_id = getattr(call, "text", None), getattr(call, "chat_id", None)
            if isinstance(text, str) and chat_id is not None and int(chat_id) == self.telegram_id:
                said.append(text)
        return said

    def alerts(self) -> list[str]:
        return [a.text for a in self.chat.session.calls_of(AnswerCallbackQuery) if a.text]

    async def onboard(self) -> None:
        await self.send("/start")
        await self.click("🇬🇧 English")
        await self.click("Continue ▶️")
        await self.click("✅ I agree")


def person(chat: Chatting, telegram_id: int) -> Person:
    if telegram_id == USER_ID:
        return Person(chat, chat.client, USER_ID)
    return Person(chat, BotClient(chat.dp, telegram_id, telegram_id, bot=chat.bot), telegram_id)


async def invite_link(admin: Person) -> str:
    """`/vet_invite` as the admin; the link's start payload."""
    await admin.send("/vet_invite")
    [message] = admin.said()
    found = VET_LINK.search(message)
    assert found, message
    return found.group(1)
