"""A bot told to stop lets the updates it is still handling finish before its shutdown hooks
empty the locales (bot.factory.finish_handlers): in the flood test's logs, answers still
waiting for their chat's pace met `KeyError: 'ru'` and left tracebacks instead of replies."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram_i18n import I18nMiddleware

from bot import factory
from bot.factory import create_dispatcher
from bot.ioc import create_container
from core.config import Settings
from tests.support.recording_session import RecordingSession


async def _dispatcher_and_locales(settings: Settings) -> tuple[object, I18nMiddleware, Bot]:
    bot = Bot("123456:TEST-token", session=RecordingSession())
    container = create_container(settings, bot=bot)
    dp = create_dispatcher(settings, container)
    i18n = next(m for m in dp.update.outer_middleware if isinstance(m, I18nMiddleware))
    await dp.emit_startup(bot=bot, dispatcher=dp)
    return dp, i18n, bot


async def test_a_handler_still_running_at_shutdown_finishes_with_its_text(
    settings: Settings,
) -> None:
    dp, i18n, bot = await _dispatcher_and_locales(settings)

    async def handling() -> str:
        await asyncio.sleep(0.3)  # a reply waiting for its chat's pace
        return str(i18n.core.get("msg-help", "ru"))

    task = asyncio.create_task(handling())
    dp._handle_update_tasks.add(task)  # type: ignore[attr-defined]
    await dp.emit_shutdown(bot=bot, dispatcher=dp)  # type: ignore[attr-defined]

    assert task.done()
    assert task.result()  # the Russian help text, not KeyError: 'ru'


async def test_a_handler_past_the_grace_period_is_cancelled_not_left_running(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(factory, "HANDLERS_FINISH_S", 0.1)
    dp, _i18n, bot = await _dispatcher_and_locales(settings)
    task = asyncio.create_task(asyncio.sleep(60))
    dp._handle_update_tasks.add(task)  # type: ignore[attr-defined]

    await dp.emit_shutdown(bot=bot, dispatcher=dp)  # type: ignore[attr-defined]

    assert task.cancelled()
