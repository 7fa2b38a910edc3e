"""Fluent locales for the bot: the user's stored choice, else Telegram's language, else ru."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager
from dishka import AsyncContainer
from dishka.integrations.aiogram import CONTAINER_NAME

from core.interactors.onboarding import ChooseLanguage, GetUser
from core.locales import DEFAULT_LOCALE, resolve_locale


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


def create_i18n_core(locales_dir: Path) -> FluentRuntimeCore:
    # The path pattern is aiogram-i18n's: one folder per locale holding *.ftl files.
    return FluentRuntimeCore(path=locales_dir / "{locale}", default_locale=DEFAULT_LOCALE)


def create_i18n_middleware(locales_dir: Path) -> I18nMiddleware:
    return I18nMiddleware(
        core=create_i18n_core(locales_dir),
        manager=StoredLocaleManager(default_locale=DEFAULT_LOCALE),
        default_locale=DEFAULT_LOCALE,
    )
