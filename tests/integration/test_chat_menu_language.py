"""The command menu follows the language the user chose, not only the Telegram client's."""

from __future__ import annotations

from aiogram.methods import SetMyCommands
from aiogram.types import BotCommandScopeChat

from core.config import Settings
from tests.support.chatting import USER_ID, Chatting, open_chat


def _chat_menus(chat: Chatting) -> dict[str | None, dict[str, str]]:
    """The latest menu set for this user's chat, per language code (None: any language)."""
    menus: dict[str | None, dict[str, str]] = {}
    for call in chat.session.calls_of(SetMyCommands):
        if isinstance(call.scope, BotCommandScopeChat) and call.scope.chat_id == USER_ID:
            menus[call.language_code] = {c.command: c.description for c in call.commands}
    return menus


async def test_the_chosen_language_sets_the_chat_menu_and_language_changes_it(
    settings: Settings,
) -> None:
    async with open_chat(settings) as chat:
        # The client speaks Russian (the test client's default); the user picks English.
        await chat.send("/start")
        await chat.click("🇬🇧 English")
        menus = _chat_menus(chat)
        assert set(menus) == {None, "ru", "en"}
        assert {menu["check"] for menu in menus.values()} == {"Symptom check"}
        # Owners get the owners' commands only.
        assert "today" not in menus[None]

        await chat.click("Continue ▶️")
        await chat.click("✅ I agree")
        await chat.send("/language")
        await chat.click("🇷🇺 Русский")
        menus = _chat_menus(chat)
        assert {menu["check"] for menu in menus.values()} == {"Проверить симптомы"}
