"""Input that reached no dialog and no command: a short hint instead of silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext

from dialogs.widgets.free_text import hear_typed_text


def build_fallback_router() -> Router:
    router = Router(name="fallback")

    @router.message()
    async def unknown_message(
        message: Message, i18n: I18nContext, dialog_manager: DialogManager
    ) -> None:
        # Outside every dialog the owner may still be describing an emergency or a symptom.
        if message.text and await hear_typed_text(message.text, dialog_manager, in_form=False):
            return
        await message.answer(i18n.get("err-unknown-input"))

    @router.callback_query()
    async def unknown_callback(callback: CallbackQuery, i18n: I18nContext) -> None:
        # A button of a message no dialog owns any more (another bot version, a cleared stack).
        await callback.answer(i18n.get("err-stale-button"), show_alert=True)

    return router
