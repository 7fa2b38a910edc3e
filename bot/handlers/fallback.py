"""Input that reached no dialog and no command: a short hint instead of silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext


def build_fallback_router() -> Router:
    router = Router(name="fallback")

    @router.message()
    async def unknown_message(message: Message, i18n: I18nContext) -> None:
        await message.answer(i18n.get("err-unknown-input"))

    @router.callback_query()
    async def unknown_callback(callback: CallbackQuery, i18n: I18nContext) -> None:
        # A button of a message no dialog owns any more (another bot version, a cleared stack).
        await callback.answer(i18n.get("err-stale-button"), show_alert=True)

    return router
