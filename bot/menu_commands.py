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
    return [
        BotCommand(command=command, description=get_text(key, locale))
        for command, key in {**MENU_COMMANDS, **VET_MENU_COMMANDS}.items()
    ]


async def set_vet_menu_commands(
    bot: Bot, get_text: Callable[[str, str], str], chat_id: int, locale: str | None = None
) -> None:
    """A vet's own menu: the base commands plus the vet's, for their chat only.

    Telegram picks a chat's commands by the client's language first, then the chat's scope
    without one (https://core.telegram.org/bots/api#determining-list-of-commands): like the
    owners' menu, each language we speak gets its own, and a client in any other language gets
    the vet's own `locale` (the default locale when unknown) rather than the owners' menu.
    `get_text(key, locale)` is the i18n lookup (`I18nContext.get` or the core's `get`).
    """
    scope = BotCommandScopeChat(chat_id=chat_id)
    for language in SUPPORTED_LOCALES:
        await bot.set_my_commands(
            vet_menu_commands(get_text, language), scope=scope, language_code=language
        )
    fallback = locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE
    await bot.set_my_commands(vet_menu_commands(get_text, fallback), scope=scope)
