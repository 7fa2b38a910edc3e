"""Onboarding and the main menu through aiogram-dialog's BotClient, on a real SQLite database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SetMyCommands
from aiogram.types import (
    Chat,
    Document,
    Message,
    PhotoSize,
    Sticker,
    Update,
    User,
)
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from core.config import Settings
from core.interactors.onboarding import GiveConsent, TelegramProfile
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.time_zones import choose_time_zone


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
async def chat(settings: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(settings) as opened:
        yield opened


async def _onboard(chat: Chatting, language_button: str = "🇬🇧 English") -> None:
    await chat.send("/start")
    await chat.click(language_button)
    await chat.click("Continue ▶️" if "English" in language_button else "Продолжить ▶️")
    await chat.click("✅ I agree" if "English" in language_button else "✅ Согласен(на)")


async def test_start_asks_for_the_language_first(chat: Chatting, texts: FluentRuntimeCore) -> None:
    await chat.send("/start")
    window = chat.window()
    assert window.text == texts.get("msg-choose-language", "ru")
    assert window.reply_markup is not None
    labels = [button.text for row in window.reply_markup.inline_keyboard for button in row]
    assert labels == ["🇷🇺 Русский", "🇬🇧 English"]
    user = await chat.user()
    assert user is not None
    assert user.language is None
    assert user.consented_at is None


async def test_english_onboarding_stores_language_and_consent_time(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    before = datetime.now(UTC)
    await chat.send("/start")
    await chat.click("🇬🇧 English")
    assert chat.window().text == texts.get("msg-about", "en")
    await chat.click("Continue ▶️")
    assert chat.window().text == texts.get("msg-consent", "en")
    await chat.click("✅ I agree")

    assert chat.window().text == texts.get("msg-main-menu", "en", name=f"User_{USER_ID}")
    user = await chat.user()
    assert user.language == "en"
    assert user.consented_at is not None
    assert before <= user.consented_at <= datetime.now(UTC)


async def test_russian_onboarding_ends_in_the_russian_main_menu(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "🇷🇺 Русский")
    assert chat.window().text == texts.get("msg-main-menu", "ru", name=f"User_{USER_ID}")
    assert (await chat.user()).language == "ru"


async def test_back_buttons_walk_onboarding_backwards(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await chat.send("/start")
    await chat.click("🇬🇧 English")
    await chat.click("Continue ▶️")
    await chat.click("◀️ Back")
    assert chat.window().text == texts.get("msg-about", "en")
    await chat.click("◀️ Back")
    assert chat.window().text == texts.get("msg-choose-language", "en")


async def test_declining_consent_keeps_the_menu_closed_until_the_user_agrees(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await chat.send("/start")
    await chat.click("🇬🇧 English")
    await chat.click("Continue ▶️")
    await chat.click("Not now")
    assert chat.window().text == texts.get("msg-consent-declined-forgotten", "en")
    assert (await chat.user()).consented_at is None

    # A feature command before consent leads back into onboarding, not into the feature.
    await chat.send("/pets")
    assert chat.window().text == texts.get("msg-choose-language", "en")

    await chat.send("/start")
    await chat.click("🇬🇧 English")
    await chat.click("Continue ▶️")
    await chat.click("✅ I agree")
    assert (await chat.user()).consented_at is not None


async def test_start_after_consent_opens_the_main_menu(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat)
    consented_at = (await chat.user()).consented_at
    await chat.send("/start")
    assert chat.window().text == texts.get("msg-main-menu", "en", name=f"User_{USER_ID}")
    assert (await chat.user()).consented_at == consented_at


async def test_main_menu_book_button_opens_the_booking(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat)
    await choose_time_zone(chat)  # else booking asks it first (see test_booking_dialog.py)
    await chat.click("📅 Book a vet")
    # No pets yet: the booking asks for one first.
    assert chat.window().text == texts.get("msg-booking-no-pets", "en")


async def test_feature_commands_open_the_feature_after_consent(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat)
    await choose_time_zone(chat)  # else booking asks it first
    await chat.send("/book")
    assert chat.window().text == texts.get("msg-booking-no-pets", "en")


UNEXPECTED_INPUTS: dict[str, dict[str, Any]] = {
    "text": {"text": "hello?"},
    "photo": {
        "photo": [PhotoSize(file_id="p1", file_unique_id="u1", width=90, height=90)],
    },
    "sticker": {
        "sticker": Sticker(
            file_id="s1",
            file_unique_id="su1",
            type="regular",
            width=512,
            height=512,
            is_animated=False,
            is_video=False,
        ),
    },
    "document": {
        "document": Document(file_id="d1", file_unique_id="du1", file_name="x.pdf"),
    },
}


async def _go_to(chat: Chatting, state: str) -> None:
    await chat.send("/start")
    steps = {
        "language": [],
        "about": ["🇬🇧 English"],
        "consent": ["🇬🇧 English", "Continue ▶️"],
        "declined": ["🇬🇧 English", "Continue ▶️", "Not now"],
        "main_menu": ["🇬🇧 English", "Continue ▶️", "✅ I agree"],
        "booking": ["🇬🇧 English", "Continue ▶️", "✅ I agree", "📅 Book a vet"],
    }[state]
    for step in steps:
        if step == "📅 Book a vet":
            await choose_time_zone(chat)  # the booking itself, not its one-time question
        await chat.click(step)


@pytest.mark.parametrize("kind", list(UNEXPECTED_INPUTS))
@pytest.mark.parametrize(
    "state", ["language", "about", "consent", "declined", "main_menu", "booking"]
)
async def test_unexpected_input_in_every_state_gets_a_hint_and_the_window_again(
    chat: Chatting, texts: FluentRuntimeCore, state: str, kind: str
) -> None:
    await _go_to(chat, state)
    window_text = chat.window().text
    # The language window precedes the choice, so its hint is in the default language.
    locale = "ru" if state == "language" else "en"
    chat.session.reset()

    await chat.send_content(**UNEXPECTED_INPUTS[kind])

    # Text in the main menu is heard as a description of the pet's trouble; this one names
    # none, so the hint says the owner may also just type what is happening.
    hint = "err-main-menu-typed" if state == "main_menu" and kind == "text" else "err-use-buttons"
    assert chat.session.sent_texts() == [texts.get(hint, locale)]
    # The same window is shown again below the hint, with what the user already chose.
    assert chat.window().text == window_text


async def test_text_outside_any_dialog_gets_a_hint(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await chat.send("what is this bot?")
    assert chat.session.sent_texts() == [texts.get("err-unknown-input", "ru")]


async def test_telegram_language_is_used_until_the_user_chooses(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    message = Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(id=USER_ID, type="private"),
        from_user=User(id=USER_ID, is_bot=False, first_name="Ann", language_code="en-GB"),
        text="/help",
    )
    await chat.dp.feed_update(chat.bot, Update(update_id=1, message=message))
    assert chat.session.sent_texts() == [texts.get("msg-help", "en")]


async def test_language_command_switches_the_menu_language(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat)
    await chat.send("/language")
    assert chat.window().text == texts.get("msg-choose-language", "en")
    await chat.click("🇷🇺 Русский")
    assert chat.window().text == texts.get("msg-main-menu", "ru", name=f"User_{USER_ID}")
    assert (await chat.user()).language == "ru"
    answers = chat.session.calls_of(AnswerCallbackQuery)
    assert answers[-1].text == texts.get("msg-language-changed", "ru")


async def test_cancel_drops_the_current_dialog_and_goes_home(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat)
    await chat.click("🐾 My pets")
    chat.session.reset()
    await chat.send("/cancel")
    assert chat.session.sent_texts() == [texts.get("msg-cancelled", "en")]
    assert chat.window().text == texts.get("msg-main-menu", "en", name=f"User_{USER_ID}")


async def test_command_menu_is_set_in_both_languages(chat: Chatting) -> None:
    calls = chat.session.calls_of(SetMyCommands)
    by_language = {call.language_code: call for call in calls}
    assert set(by_language) == {None, "ru", "en"}
    english = {command.command: command.description for command in by_language["en"].commands}
    assert english["check"] == "Symptom check"
    assert {c.command for c in by_language["ru"].commands} == set(english)


async def test_stale_button_after_restart_brings_the_main_menu(
    settings: Settings, texts: FluentRuntimeCore
) -> None:
    async with open_chat(settings) as before:
        await _onboard(before)
        await before.click("🐾 My pets")
        stale_window = before.window()

    # A new process: the dialog stack in memory is gone, the user's message is still there.
    async with open_chat(settings) as after:
        await after.client.click(stale_window, InlineButtonTextLocator(re.escape("🏠 Main menu")))
        assert after.session.sent_texts() == [texts.get("err-stale-button", "en")]
        assert after.window().text == texts.get("msg-main-menu", "en", name=f"User_{USER_ID}")


class BrokenConsent(GiveConsent):
    async def __call__(self, profile: TelegramProfile) -> datetime:
        raise RuntimeError("database is on fire")


class BrokenConsentProvider(Provider):
    give_consent = provide(BrokenConsent, scope=Scope.REQUEST, provides=GiveConsent)


async def test_unexpected_error_apologizes_in_the_users_language(
    settings: Settings, texts: FluentRuntimeCore, caplog: pytest.LogCaptureFixture
) -> None:
    async with open_chat(settings, BrokenConsentProvider()) as chat:
        await chat.send("/start")
        await chat.click("🇬🇧 English")
        await chat.click("Continue ▶️")
        chat.session.reset()
        await chat.click("✅ I agree")
        assert chat.session.sent_texts() == [texts.get("err-internal", "en")]
        assert "database is on fire" in caplog.text
        # No consent was recorded, so "home" is onboarding again — never a traceback.
        assert chat.window().text == texts.get("msg-choose-language", "en")
