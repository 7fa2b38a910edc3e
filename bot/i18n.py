"""Fluent locales for the bot: the user's stored choice, else Telegram's language, else ru."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import BaseCore, FluentRuntimeCore
from aiogram_i18n.managers import BaseManager
from dishka import AsyncContainer
from dishka.integrations.aiogram import CONTAINER_NAME
from fluent.runtime import FluentBundle
from fluent.runtime.resolver import MAX_PART_LENGTH

from bot.fluent_dates import date_functions
from bot.menu_commands import set_chat_menu
from core.enums import Role
from core.interactors.onboarding import ChooseLanguage, GetUser
from core.locales import DEFAULT_LOCALE, resolve_locale
from core.markup import Markup, escape

logger = logging.getLogger(__name__)

# Button labels and command descriptions are shown as they are: Telegram parses no markup there,
# so their values must not be escaped. Every other message is HTML (the bot's parse mode).
PLAIN_TEXT_PREFIXES = ("btn-", "cmd-")

# What makes two cores' bundles the same: the folder and the options the bundles are built with.
_BundlesKey = tuple[str, bool, bool, frozenset[tuple[str, Callable[..., Any]]]]
# Parsing the .ftl files is most of a core's start-up (0.2-0.3 s here), and a process starts
# several cores over the same folder: the dispatcher's middleware and the container's own for
# messages sent outside updates (bot/ioc_video.py). Formatting only reads a bundle (pre_compile
# compiled every message up front), so the cores share them: the files are read once per
# process, and a core started later in it sees them as they were then (edits need a restart).
_parsed_bundles: dict[_BundlesKey, dict[str, FluentBundle]] = {}


class StoredLocaleManager(BaseManager):
    """aiogram-i18n's own managers ignore Telegram's language_code; this one reads both."""

    async def get_locale(self, event_from_user: TelegramUser | None = None, **data: Any) -> str:
        if event_from_user is None:
            return DEFAULT_LOCALE
        chosen: str | None = None
        container: AsyncContainer | None = data.get(CONTAINER_NAME)
        if container is not None:
            get_user = await container.get(GetUser)
            user = await get_user(event_from_user.id)
            chosen = user.language if user else None
        return resolve_locale(chosen, event_from_user.language_code)

    async def set_locale(
        self, locale: str, event_from_user: TelegramUser | None = None, **data: Any
    ) -> None:
        container: AsyncContainer | None = data.get(CONTAINER_NAME)
        if event_from_user is None or container is None:
            return
        choose_language = await container.get(ChooseLanguage)
        await choose_language(event_from_user.id, locale)
        bot: Bot | None = data.get("bot")
        core: BaseCore[Any] | None = data.get("core")
        if bot is None or core is None:
            return
        user = await (await container.get(GetUser))(event_from_user.id)
        vet = user is not None and Role.VET in user.roles
        try:
            # The command menu follows the choice, like the messages (Telegram would otherwise
            # keep showing it in the client's language).
            await set_chat_menu(bot, core.get, event_from_user.id, locale, vet=vet)
        except TelegramAPIError:  # a convenience: never fail the language change over it
            logger.warning("could not set the menu of %s", event_from_user.id, exc_info=True)


class EscapingFluentCore(FluentRuntimeCore):
    """The one place where values meet HTML: every string argument is escaped for Telegram's
    HTML parse mode unless it is `Markup` already (a message rendered by this core, or HTML
    joined from such messages). HTML messages come back as `Markup`, so nesting them is safe."""

    def find_locales(self) -> dict[str, FluentBundle]:
        key = (
            str(self.path),
            self.use_isolating,
            self.pre_compile,
            frozenset(self.functions.items()),
        )
        bundles = _parsed_bundles.get(key)
        if bundles is None:
            bundles = _parsed_bundles[key] = super().find_locales()
        # A copy: shutdown() clears the core's own mapping, never the shared bundles.
        return dict(bundles)

    def get(self, message_id: str, locale: str | None = None, /, **kwargs: Any) -> str:
        if message_id.startswith(PLAIN_TEXT_PREFIXES):
            return super().get(message_id, locale, **kwargs)
        escaped = {
            name: escape(value) if isinstance(value, str) else value
            for name, value in kwargs.items()
        }
        # fluent.runtime refuses a string argument over MAX_PART_LENGTH (2500) characters, "Too
        # many characters in placeable" (fluent/runtime/resolver.py, a guard against expanding
        # nested messages); a list fitted to a whole Telegram message is longer. Such a value
        # goes in after formatting, in place of a marker no message text contains.
        long_values = {
            name: value
            for name, value in escaped.items()
            if isinstance(value, str) and len(value) > MAX_PART_LENGTH
        }
        markers = {name: f"\x00{name}\x00" for name in long_values}
        text = super().get(message_id, locale, **{**escaped, **markers})
        for name, value in long_values.items():
            text = text.replace(markers[name], value)
        return Markup(text)


def create_i18n_core(locales_dir: Path) -> FluentRuntimeCore:
    # The path pattern is aiogram-i18n's: one folder per locale holding *.ftl files.
    return EscapingFluentCore(
        path=locales_dir / "{locale}", default_locale=DEFAULT_LOCALE, functions=date_functions()
    )


def create_i18n_middleware(locales_dir: Path) -> I18nMiddleware:
    return I18nMiddleware(
        core=create_i18n_core(locales_dir),
        manager=StoredLocaleManager(default_locale=DEFAULT_LOCALE),
        default_locale=DEFAULT_LOCALE,
    )
