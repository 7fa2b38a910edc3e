"""Sharing a pet through the chat, on a real SQLite database, with two and three people.

The owner opens the pet's card → Sharing → an invite link (with a Share button); another
person opens it with `/start <payload>` and sees the card read-only — a newcomer after language
and consent, never before — and the owner is told; the same link again, an expired one and the
owner's own are refused with a clear message; revoking and leaving take access away.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiogram import Bot
from aiogram.methods import GetMe, SendMessage, TelegramMethod
from aiogram.types import InlineKeyboardMarkup, Message, User
from aiogram_dialog.test_tools import BotClient
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore

from bot.factory import DIALOG_BG_FACTORY
from bot.notifier import DialogNotifier
from core.config import Settings
from core.entities import Pet
from core.enums import AccessLevel, Species
from core.interactors.pets import AddPet, ListMyPets, PetDraft
from core.interactors.sharing import INVITE_TTL
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.clocks import ShiftedClock, clock_provider
from tests.support.telegram_rules import check_markup

SITTER_ID = 6161
PARTNER_ID = 7171
LATECOMER_ID = 8181
BOT_USERNAME = "telemed_pet_test_bot"
LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=(inv_[A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
async def chat(settings: Settings, clock: ShiftedClock) -> AsyncIterator[Chatting]:
    async with open_chat(settings, clock_provider(clock)) as opened:
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

    async def onboard(self) -> None:
        await self.send("/start")
        await self.click("🇬🇧 English")
        await self.click("Continue ▶️")
        await self.click("✅ I agree")

    async def pets(self) -> list[tuple[str, AccessLevel]]:
        async with self.chat.container() as request:
            listed = await (await request.get(ListMyPets))(self.telegram_id)
            return [(item.pet.name, item.level) for item in listed]


def person(chat: Chatting, telegram_id: int) -> Person:
    if telegram_id == USER_ID:
        return Person(chat, chat.client, USER_ID)
    return Person(chat, BotClient(chat.dp, telegram_id, telegram_id, bot=chat.bot), telegram_id)


async def _seed_pet(chat: Chatting, telegram_id: int, name: str = "Barsik") -> Pet:
    async with chat.container() as request:
        pet: Pet = await (await request.get(AddPet))(
            telegram_id, PetDraft(name=name, species=Species.CAT)
        )
        return pet


async def _invite(owner: Person, button: str, pet_name: str = "Barsik") -> str:
    """Open the pet's sharing window and press an invite button; the link's start payload."""
    await owner.send("/pets")
    await owner.click(f"🐱 {pet_name}")
    await owner.click("👥 Sharing")
    await owner.click(button)
    [message] = owner.said()
    found = LINK.search(message)
    assert found, message
    return found.group(1)


async def test_a_viewer_invite_opens_the_card_read_only_once(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    owner, sitter, stranger = (person(chat, i) for i in (USER_ID, SITTER_ID, LATECOMER_ID))
    await owner.onboard()
    await _seed_pet(chat, USER_ID)
    await sitter.onboard()
    await stranger.onboard()

    payload = await _invite(owner, "👀 Invite a viewer (pet sitter)")
    assert len(payload) <= 64
    assert "48 hours" in owner.said()[0]
    assert "User_4242 (you) — owner" in owner.text()

    await sitter.send(f"/start {payload}")
    assert sitter.said() == [
        texts.get("msg-invite-accepted", "en", name="Barsik", level="view only")
    ]
    card = sitter.text()
    assert "🐾 <b>Barsik</b>" in card
    assert "👥 Your access: view only" in card
    changing = {
        texts.get(key, "en") for key in ("btn-pet-edit", "btn-pet-archive", "btn-pet-delete")
    }
    assert "◀️ Back" in sitter.buttons()
    assert not changing & set(sitter.buttons())
    # Sharing is there to see who else has access, and to leave.
    assert texts.get("btn-pet-sharing", "en") in sitter.buttons()
    assert await sitter.pets() == [("Barsik", AccessLevel.VIEWER)]

    # The same link again: used, whoever opens it.
    await stranger.send(f"/start {payload}")
    assert stranger.said() == [texts.get("err-invite-used", "en")]
    assert await stranger.pets() == []
    await sitter.send(f"/start {payload}")
    assert sitter.said() == [texts.get("err-invite-used", "en")]
    assert await sitter.pets() == [("Barsik", AccessLevel.VIEWER)]
    # Either way they land in the main menu, not on an error.
    assert "🐾 My pets" in sitter.buttons()

    # The owner sees the sitter in the list now.
    await owner.send("/pets")
    await owner.click("🐱 Barsik")
    await owner.click("👥 Sharing")
    assert "User_6161 — view only" in owner.text()


async def test_expired_forged_and_own_links_are_refused(
    chat: Chatting, texts: FluentRuntimeCore, clock: ShiftedClock
) -> None:
    owner, sitter = person(chat, USER_ID), person(chat, SITTER_ID)
    await owner.onboard()
    await _seed_pet(chat, USER_ID)
    await sitter.onboard()
    payload = await _invite(owner, "➕ Invite a co-owner")

    await owner.send(f"/start {payload}")
    assert owner.said() == [texts.get("err-invite-own", "en")]

    await sitter.send("/start inv_" + "x" * 22)
    assert sitter.said() == [texts.get("err-invite-not-found", "en")]

    clock.shift = INVITE_TTL + timedelta(seconds=1)
    await sitter.send(f"/start {payload}")
    assert sitter.said() == [texts.get("err-invite-expired", "en")]
    assert await sitter.pets() == []

    # Other start payloads are not invites: plain /start behaviour, no message.
    await sitter.send("/start promo")
    assert sitter.said() == []
    assert "🐾 My pets" in sitter.buttons()


async def test_a_co_owner_can_edit_and_a_newcomer_accepts_before_onboarding(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    """The name is the issue's: the newcomer now goes through language and consent FIRST,
    then accepts, lands on the pet's card, and the owner's open sharing screen lists them."""
    owner, partner = person(chat, USER_ID), person(chat, PARTNER_ID)
    await _bind_background_windows(chat)
    await owner.onboard()
    await _seed_pet(chat, USER_ID)
    payload = await _invite(owner, "➕ Invite a co-owner")
    assert "User_7171" not in owner.text()  # the sharing screen, open under the link

    # A first contact through the link: language and consent first, nothing granted yet.
    await partner.send(f"/start {payload}")
    assert partner.said() == []
    assert "🇬🇧 English" in partner.buttons()
    assert await partner.pets() == []
    await partner.click("🇬🇧 English")
    await partner.click("Continue ▶️")
    await partner.click("✅ I agree")
    assert partner.said() == [
        texts.get("msg-invite-accepted", "en", name="Barsik", level="co-owner")
    ]
    assert await partner.pets() == [("Barsik", AccessLevel.CO_OWNER)]
    # On the shared pet's card, not the main menu.
    assert "🐾 <b>Barsik</b>" in partner.text()
    assert {"✏️ Edit", "👥 Sharing"} <= set(partner.buttons())

    # The owner is told in their language, and their open sharing screen is redrawn.
    await _background_updates_done()
    assert owner.said() == [
        texts.get(
            "msg-sharing-invite-accepted-owner",
            "en",
            member="User_7171",
            name="Barsik",
            level="co-owner",
        )
    ]
    assert "User_7171 — co-owner" in owner.text()

    await partner.click("👥 Sharing")
    # A co-owner invites viewers, not co-owners, and may leave.
    assert "👀 Invite a viewer (pet sitter)" in partner.buttons()
    assert "➕ Invite a co-owner" not in partner.buttons()
    assert "🚪 Leave this pet" in partner.buttons()
    await partner.click("🚪 Leave this pet")
    await partner.click("🚪 Yes, leave")
    assert partner.said() == [texts.get("msg-sharing-left", "en", name="Barsik")]
    assert await partner.pets() == []
    assert partner.text() == texts.get("msg-pets-list-empty", "en")


async def test_an_invite_waits_through_not_now_and_is_taken_up_only_on_consent(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    owner, partner = person(chat, USER_ID), person(chat, PARTNER_ID)
    await owner.onboard()
    await _seed_pet(chat, USER_ID)
    payload = await _invite(owner, "👀 Invite a viewer (pet sitter)")

    await partner.send(f"/start {payload}")
    await partner.click("🇷🇺 Русский")
    await partner.click("Продолжить ▶️")
    await partner.click("Не сейчас")
    # Declined: forgotten, and no access row was ever written for them.
    assert await partner.pets() == []
    await owner.send("/pets")
    await owner.click("🐱 Barsik")
    await owner.click("👥 Sharing")
    assert "7171" not in owner.text()
    assert owner.said() == []

    # They change their mind: the link was kept, it works now, the card opens (in Russian).
    await partner.click(texts.get("btn-consent-review", "ru"))
    await partner.click(texts.get("btn-consent-agree", "ru"))
    assert partner.said() == [
        texts.get("msg-invite-accepted", "ru", name="Barsik", level="только просмотр")
    ]
    assert "🐾 <b>Barsik</b>" in partner.text()
    assert await partner.pets() == [("Barsik", AccessLevel.VIEWER)]
    # The owner reads the notice in English, their language.
    assert owner.said() == [
        texts.get(
            "msg-sharing-invite-accepted-owner",
            "en",
            member="User_7171",
            name="Barsik",
            level="view only",
        )
    ]


async def test_the_invite_link_comes_with_a_share_button(chat: Chatting) -> None:
    owner = person(chat, USER_ID)
    await owner.onboard()
    await _seed_pet(chat, USER_ID, name="Кот & Co")
    await owner.send("/pets")
    await owner.click("🐱 Кот & Co")
    await owner.click("👥 Sharing")
    await owner.click("👀 Invite a viewer (pet sitter)")

    [sent] = [c for c in chat.session.calls if isinstance(c, SendMessage)]
    assert isinstance(sent.reply_markup, InlineKeyboardMarkup)
    [[button]] = sent.reply_markup.inline_keyboard
    assert button.text == "📤 Share the link"
    check_markup(sent.reply_markup)  # Telegram's own rules for url buttons
    url = urlsplit(button.url or "")
    assert (url.scheme, url.netloc, url.path) == ("https", "t.me", "/share/url")
    query = parse_qs(url.query)
    [link] = query["url"]
    assert LINK.fullmatch(link)
    assert link in sent.text
    # What the reader sees: the pet's name as typed, not HTML-escaped.
    assert query["text"] == ["Here is Кот & Co's card on Telemed-Pet for you to see:"]


async def _background_updates_done() -> None:
    """aiogram-dialog runs a background update (BgManager.update) as a task of its own,
    created on a later turn of the loop: let that turn come, then wait for those tasks."""
    await asyncio.sleep(0)
    await asyncio.gather(
        *(
            task
            for task in asyncio.all_tasks()
            if task.get_coro().__qualname__ == "Updater._process_update"  # type: ignore[union-attr]
        )
    )


async def _bind_background_windows(chat: Chatting) -> None:
    """As the composition root does: notices may redraw other people's open windows."""
    notifier = await chat.container.get(DialogNotifier)
    notifier.bind(chat.bot, chat.dp[DIALOG_BG_FACTORY])


async def test_the_owner_revokes_a_viewer(chat: Chatting, texts: FluentRuntimeCore) -> None:
    owner, sitter = person(chat, USER_ID), person(chat, SITTER_ID)
    await owner.onboard()
    await _seed_pet(chat, USER_ID)
    await sitter.onboard()
    payload = await _invite(owner, "👀 Invite a viewer (pet sitter)")
    await sitter.send(f"/start {payload}")
    assert await sitter.pets() == [("Barsik", AccessLevel.VIEWER)]

    await owner.send("/pets")
    await owner.click("🐱 Barsik")
    await owner.click("👥 Sharing")
    await owner.click("🚫 Revoke access")
    assert owner.buttons() == ["User_6161 — view only", "◀️ Back"]
    await owner.click("User_6161 — view only")
    assert owner.text() == texts.get(
        "msg-sharing-revoke-ask", "en", member="User_6161", name="Barsik"
    )
    await owner.click("🚫 Yes, revoke")
    assert owner.said() == [
        texts.get("msg-sharing-revoked", "en", member="User_6161", name="Barsik")
    ]
    assert "User_6161" not in owner.text()
    assert "🚫 Revoke access" not in owner.buttons()
    assert await sitter.pets() == []

    # The sitter's old card window now reads "not found", whatever they press.
    await sitter.send("/pets")
    assert sitter.text() == texts.get("msg-pets-list-empty", "en")
