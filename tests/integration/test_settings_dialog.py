"""Reminder settings through the chat, on a real SQLite database (issue #12, "Settings").

/reminders and the main menu's button open the settings; a kind switched off stays off; quiet
hours are chosen or typed and checked; the time zone is chosen by a quick button, by a typed
name, or from a shared location after the user confirms the guess; a feature asks the zone
once (dialogs.navigation.ask_time_zone); input a window did not ask for gets a short hint.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from aiogram import Router
from aiogram.filters import Command
from aiogram.methods import SendMessage, SetMyCommands
from aiogram.types import (
    InlineKeyboardMarkup,
    Location,
    Message,
    PhotoSize,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Sticker,
)
from aiogram_dialog import DialogManager
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from core.clock import Clock
from core.config import Settings
from core.enums import ReminderKind
from dialogs.navigation import ask_time_zone
from tests.support.chatting import Chatting, load_texts, open_chat

LANGUAGE_BUTTON = {"ru": "🇷🇺 Русский", "en": "🇬🇧 English"}
CONTINUE = {"ru": "Продолжить ▶️", "en": "Continue ▶️"}
AGREE = {"ru": "✅ Согласен(на)", "en": "✅ I agree"}
# Winter: London is on GMT, Berlin on CET.
NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
LOCALES = Path(__file__).resolve().parents[2] / "locales"
STICKER = Sticker(
    file_id="sticker-1",
    file_unique_id="sticker-u1",
    type="regular",
    width=512,
    height=512,
    is_animated=False,
    is_video=False,
)


class FixedClock:
    def now(self) -> datetime:
        return NOW


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


def _asking_router() -> Router:
    """What booking will do the first time a time matters: ask the zone once."""
    router = Router(name="test-ask-time-zone")

    @router.message(Command("asktz"))
    async def ask(message: Message, dialog_manager: DialogManager) -> None:
        if not await ask_time_zone(dialog_manager):
            await message.answer("zone known")

    return router


@pytest.fixture
async def chat(settings: Settings) -> AsyncIterator[Chatting]:
    class ClockProvider(Provider):
        @provide(scope=Scope.APP)
        def clock(self) -> Clock:
            return FixedClock()

    async with open_chat(settings, ClockProvider()) as opened:
        router = _asking_router()
        opened.dp.include_router(router)
        # Ahead of the dialogs, which would take the command for unexpected input.
        opened.dp.sub_routers.remove(router)
        opened.dp.sub_routers.insert(0, router)
        yield opened


async def _onboard(chat: Chatting, locale: str) -> None:
    await chat.send("/start")
    await chat.click(LANGUAGE_BUTTON[locale])
    await chat.click(CONTINUE[locale])
    await chat.click(AGREE[locale])


def _text(message: Message) -> str:
    return message.text or message.caption or ""


def _buttons(message: Message) -> list[str]:
    markup = message.reply_markup
    if isinstance(markup, InlineKeyboardMarkup):
        return [button.text for row in markup.inline_keyboard for button in row]
    if isinstance(markup, ReplyKeyboardMarkup):
        return [button.text for row in markup.keyboard for button in row]
    return []


def _sent_texts(chat: Chatting) -> list[str]:
    """Windows, and the answers handlers send themselves (hints, confirmations)."""
    answers = [call.text for call in chat.session.calls_of(SendMessage)]
    return [_text(message) for message in chat.messages.sent_messages] + answers


async def test_reminders_command_opens_the_settings_with_the_languages_likely_zone(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "ru")
    await chat.send("/reminders")
    window = _text(chat.window())
    assert "Часовой пояс: <b>Москва, МСК (UTC+3)</b>" in window
    assert "Тихие часы: <b>22:00–08:00</b>" in window
    assert texts.get("lbl-settings-zone-guessed", "ru") in window
    buttons = _buttons(chat.window())
    assert "✅ 💉 Прививки" in buttons
    assert "🌙 Тихие часы: 22:00–08:00" in buttons
    assert "🕒 Часовой пояс: Москва, МСК (UTC+3)" in buttons


async def test_an_english_speaker_starts_on_london_time(chat: Chatting) -> None:
    await _onboard(chat, "en")
    await chat.send("/reminders")
    assert "Time zone: <b>London, GMT (UTC+0)</b>" in _text(chat.window())


async def test_reminders_is_in_the_command_menu_and_needs_consent(chat: Chatting) -> None:
    await chat.send("/reminders")
    assert "🇬🇧 English" in _buttons(chat.window())  # onboarding first
    await _onboard(chat, "en")
    menus = [call for call in chat.session.calls_of(SetMyCommands) if call.language_code == "en"]
    assert menus
    assert all(
        {c.command: c.description for c in menu.commands}["reminders"] == "Reminder settings"
        for menu in menus
    )


async def test_the_main_menu_button_opens_the_settings(chat: Chatting) -> None:
    await _onboard(chat, "en")
    assert "🔔 Reminders" in _buttons(chat.window())
    await chat.click("🔔 Reminders")
    assert "<b>Reminders</b>" in _text(chat.window())


async def test_a_kind_switched_off_stays_off_and_back_on(chat: Chatting) -> None:
    await _onboard(chat, "en")
    await chat.send("/reminders")
    await chat.click("✅ 💉 Vaccinations")
    assert "🔕 💉 Vaccinations" in _buttons(chat.window())
    assert "✅ 💊 Medications" in _buttons(chat.window())
    assert (await chat.user()).reminder_kinds_off == {ReminderKind.VACCINATION}

    # Read again from the database on a fresh command.
    await chat.send("/reminders")
    assert "🔕 💉 Vaccinations" in _buttons(chat.window())
    await chat.click("🔕 💉 Vaccinations")
    assert (await chat.user()).reminder_kinds_off == frozenset()


async def test_quiet_hours_typed_are_checked_then_stored(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    await chat.send("/reminders")
    await chat.click("🌙 Quiet hours: 22:00–08:00")

    await chat.send("25:00-07:00")
    assert texts.get("err-quiet-hours-out-of-range", "en") in _sent_texts(chat)
    await chat.send("whenever")
    assert texts.get("err-quiet-hours-unreadable", "en") in _sent_texts(chat)
    user = await chat.user()
    assert (user.quiet_hours_start, user.quiet_hours_end) == (time(22, 0), time(8, 0))

    await chat.send("23:30 – 7:15")
    assert "Quiet hours: <b>23:30–07:15</b>" in _text(chat.window())
    user = await chat.user()
    assert (user.quiet_hours_start, user.quiet_hours_end) == (time(23, 30), time(7, 15))


async def test_quiet_hours_presets_and_off(chat: Chatting) -> None:
    await _onboard(chat, "en")
    await chat.send("/reminders")
    await chat.click("🌙 Quiet hours: 22:00–08:00")
    await chat.click("🌙 23:00–07:00")
    assert "🌙 Quiet hours: 23:00–07:00" in _buttons(chat.window())
    await chat.click("🌙 Quiet hours: 23:00–07:00")
    await chat.click("🔔 No quiet hours")
    assert "Quiet hours: <b>none</b>" in _text(chat.window())
    user = await chat.user()
    assert user.quiet_hours_start == user.quiet_hours_end


async def test_a_quick_button_chooses_the_zone(chat: Chatting) -> None:
    await _onboard(chat, "en")
    await chat.send("/reminders")
    await chat.click("🕒 Time zone: London, GMT (UTC+0)")
    assert "New York" in _buttons(chat.window())
    await chat.click("Berlin")
    assert "✅ Time zone: Berlin, CET (UTC+1)." in _sent_texts(chat)
    # Back in the settings, which show the new zone and no longer say it was guessed.
    window = _text(chat.window())
    assert "Time zone: <b>Berlin, CET (UTC+1)</b>" in window
    assert "picked by your language" not in window
    user = await chat.user()
    assert user.time_zone == "Europe/Berlin"
    assert user.time_zone_chosen_at == NOW


async def test_a_typed_zone_name_or_offset_chooses_the_zone(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "ru")
    await chat.send("/reminders")
    await chat.click("🕒 Часовой пояс: Москва, МСК (UTC+3)")
    await chat.send("Атлантида")
    assert texts.get("err-time-zone-unknown", "ru") in _sent_texts(chat)
    await chat.send("UTC+15")
    assert texts.get("err-time-zone-offset", "ru") in _sent_texts(chat)

    await chat.send("UTC+5")
    assert "Часовой пояс: <b>UTC+5</b>" in _text(chat.window())
    assert (await chat.user()).time_zone == "Etc/GMT-5"

    await chat.click("🕒 Часовой пояс: UTC+5")
    await chat.send("екатеринбург")  # a city of the quick list, in the user's language
    assert (await chat.user()).time_zone == "Asia/Yekaterinburg"
    await chat.click("🕒 Часовой пояс: Екатеринбург, UTC+5")
    await chat.send("europe/berlin")
    assert (await chat.user()).time_zone == "Europe/Berlin"


async def test_a_shared_location_suggests_the_zone_the_user_confirms(chat: Chatting) -> None:
    await _onboard(chat, "ru")
    await chat.send("/reminders")
    await chat.click("🕒 Часовой пояс: Москва, МСК (UTC+3)")
    chat.session.reset()
    await chat.click("📍 Определить по геопозиции")
    (offer,) = chat.session.calls_of(SendMessage)
    assert isinstance(offer.reply_markup, ReplyKeyboardMarkup)
    assert offer.reply_markup.keyboard[0][0].request_location

    # Chelyabinsk: the nearest reference city is on Yekaterinburg time.
    await chat.send_content(location=Location(latitude=55.2, longitude=61.4))
    assert "Похоже, ваш часовой пояс — Екатеринбург (UTC+5). Верно?" in _text(chat.window())
    assert (await chat.user()).time_zone_chosen_at is None  # nothing stored before "yes"

    await chat.click("✏️ Нет, выберу сам")
    await chat.send_content(location=Location(latitude=43.1, longitude=131.9))
    chat.session.reset()
    await chat.click("✅ Да")
    user = await chat.user()
    assert user.time_zone == "Asia/Vladivostok"
    assert "Часовой пояс: <b>Владивосток, UTC+10</b>" in _text(chat.window())
    # The confirmation takes the location keyboard away.
    (done,) = chat.session.calls_of(SendMessage)
    assert done.text == "✅ Часовой пояс: Владивосток, UTC+10."
    assert isinstance(done.reply_markup, ReplyKeyboardRemove)


async def test_unexpected_input_gets_a_short_hint_in_every_window(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    photo = [PhotoSize(file_id="p1", file_unique_id="u1", width=10, height=10)]
    await chat.send("/reminders")
    await chat.send("hello")
    assert texts.get("err-use-buttons", "en") in _sent_texts(chat)
    assert "<b>Reminders</b>" in _text(chat.window())  # the window again below the hint
    chat.session.reset()
    await chat.send_content(sticker=STICKER)
    assert texts.get("err-use-buttons", "en") in _sent_texts(chat)

    await chat.click("🌙 Quiet hours: 22:00–08:00")
    await chat.send_content(photo=photo)
    assert texts.get("err-quiet-hours-hint", "en") in _sent_texts(chat)

    await chat.send("/reminders")
    await chat.click("🕒 Time zone: London, GMT (UTC+0)")
    await chat.send_content(photo=photo)
    assert texts.get("err-time-zone-hint", "en") in _sent_texts(chat)

    await chat.send_content(location=Location(latitude=51.5, longitude=0.0))
    await chat.send_content(photo=photo)
    assert texts.get("err-time-zone-hint", "en") in _sent_texts(chat)  # the guess window


async def test_a_feature_asks_the_zone_once(chat: Chatting) -> None:
    await _onboard(chat, "en")
    await chat.send("/asktz")
    window = _text(chat.window())
    assert "which time zone do you live in?" in window
    assert "London, GMT (UTC+0)" in window
    await chat.click("👍 Keep GMT (UTC+0)")
    user = await chat.user()
    assert (user.time_zone, user.time_zone_chosen_at) == ("Europe/London", NOW)

    await chat.send("/asktz")
    assert "zone known" in _sent_texts(chat)


def test_the_quick_buttons_are_short_enough_for_three_a_row(texts: FluentRuntimeCore) -> None:
    # Telegram cuts long labels in narrow buttons; the quick list is laid out three a row.
    for locale in ("ru", "en"):
        for key in re.findall(r"^(lbl-zone-city-[a-z-]+) =", _settings_ftl(locale), re.M):
            assert len(texts.get(key, locale)) <= 14, key


def _settings_ftl(locale: str) -> str:
    return (LOCALES / locale / "settings.ftl").read_text(encoding="utf-8")
