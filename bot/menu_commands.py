"""The command menu Telegram shows next to the input field, in each language we speak."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat
from aiogram_i18n import I18nMiddleware

from core.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES

# command → description message id (full ids, so the locale check sees each one).
MENU_COMMANDS: dict[str, str] = {
    "start": "cmd-start",
    "pets": "cmd-pets",
    "check": "cmd-check",
    "book": "cmd-book",
    "appointments": "cmd-appointments",
    "records": "cmd-records",
    "reminders": "cmd-reminders",
    "export": "cmd-export",
    "delete_me": "cmd-delete-me",
    "language": "cmd-language",
    "paysupport": "cmd-paysupport",
    "help": "cmd-help",
    "cancel": "cmd-cancel",
}


def menu_commands(i18n_middleware: I18nMiddleware, locale: str) -> list[BotCommand]:
    return [
        BotCommand(command=command, description=i18n_middleware.core.get(key, locale))
        for command, key in MENU_COMMANDS.items()
    ]


async def set_menu_commands(bot: Bot, i18n_middleware: I18nMiddleware) -> None:
    """Runs on dispatcher startup, after the i18n core loaded the locales."""
    for locale in SUPPORTED_LOCALES:
        await bot.set_my_commands(menu_commands(i18n_middleware, locale), language_code=locale)
    # Users whose Telegram language we do not speak get the default locale's menu.
    await bot.set_my_commands(menu_commands(i18n_middleware, DEFAULT_LOCALE))


# What vets see on top of everyone's menu (DESIGN.md: "vets additionally").
VET_MENU_COMMANDS: dict[str, str] = {
    "today": "cmd-vet-today",
    "schedule": "cmd-vet-schedule",
    "queue": "cmd-vet-queue",
}


def vet_menu_commands(get_text: Callable[[str, str], str], locale: str) -> list[BotCommand]:
    return chat_menu_commands(get_text, locale, vet=True)


def chat_menu_commands(
    get_text: Callable[[str, str], str], locale: str, *, vet: bool
) -> list[BotCommand]:
    commands = {**MENU_COMMANDS, **VET_MENU_COMMANDS} if vet else MENU_COMMANDS
    return [
        BotCommand(command=command, description=get_text(key, locale))
        for command, key in commands.items()
    ]


async def set_chat_menu(
    bot: Bot, get_text: Callable[[str, str], str], chat_id: int, locale: str, *, vet: bool
) -> None:
    """One chat's own menu, in the language the bot speaks to that user (`/language` or the
    vet role changes it).

    Telegram picks a chat's commands by the client's language first, then the chat's scope
    without one, before any bot-wide menu
    (https://core.telegram.org/bots/api#determining-list-of-commands): so every language we
    speak gets the same list in `locale`, and so does the scope without a language. A user who
    chose English on a Russian client then sees English commands, like the bot's messages.
    `get_text(key, locale)` is the i18n lookup (`I18nContext.get` or the core's `get`).
    """
    chosen = locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE
    commands = chat_menu_commands(get_text, chosen, vet=vet)
    scope = BotCommandScopeChat(chat_id=chat_id)
    for language in SUPPORTED_LOCALES:
        await bot.set_my_commands(commands, scope=scope, language_code=language)
    await bot.set_my_commands(commands, scope=scope)


async def set_vet_menu_commands(
    bot: Bot, get_text: Callable[[str, str], str], chat_id: int, locale: str | None = None
) -> None:
    """A vet's own menu: the base commands plus the vet's, for their chat only."""
    await set_chat_menu(bot, get_text, chat_id, locale or DEFAULT_LOCALE, vet=True)
