"""Until a user chooses a time zone, theirs is their language's likely one (issue #12):
English speakers are not shown Moscow time; a zone they chose stays whatever the language."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from dishka import AsyncContainer

from bot.ioc import create_container
from core.config import Settings
from core.entities import User
from core.interactors.onboarding import ChooseLanguage, GetUser, RegisterUser, TelegramProfile
from core.interactors.reminder_settings import ChooseTimeZone

TELEGRAM_ID = 880_001


@pytest.fixture
async def container(settings: Settings) -> AsyncIterator[AsyncContainer]:
    container = create_container(settings)
    try:
        async with container() as request:
            await (await request.get(RegisterUser))(
                TelegramProfile(TELEGRAM_ID, "Ann", None, "en")
            )
        yield container
    finally:
        await container.close()


async def _choose_language(container: AsyncContainer, locale: str) -> None:
    async with container() as request:
        await (await request.get(ChooseLanguage))(TELEGRAM_ID, locale)


async def _user(container: AsyncContainer) -> User:
    async with container() as request:
        user = await (await request.get(GetUser))(TELEGRAM_ID)
    assert user is not None
    return user


async def test_the_language_brings_its_likely_zone_until_one_is_chosen(
    container: AsyncContainer,
) -> None:
    await _choose_language(container, "en")
    user = await _user(container)
    assert (user.time_zone, user.time_zone_chosen_at) == ("Europe/London", None)

    await _choose_language(container, "ru")
    assert (await _user(container)).time_zone == "Europe/Moscow"


async def test_a_chosen_zone_stays_whatever_the_language(container: AsyncContainer) -> None:
    async with container() as request:
        await (await request.get(ChooseTimeZone))(TELEGRAM_ID, "Asia/Yekaterinburg")
    await _choose_language(container, "en")
    user = await _user(container)
    assert user.time_zone == "Asia/Yekaterinburg"
    assert user.time_zone_chosen_at is not None
