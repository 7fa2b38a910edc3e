"""Handlers of /delete_me: leave without deleting, or delete and forget the chat state."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.account import DeleteAccount
from core.interactors.onboarding import GetUser
from dialogs.navigation import start_home
from dialogs.widgets.events import telegram_id_of
from dialogs.widgets.i18n import i18n_from


@inject
async def on_keep_account(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_user: FromDishka[GetUser],
) -> None:
    await start_home(manager, await get_user(telegram_id_of(manager)))


@inject
async def on_delete_confirmed(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    delete_account: FromDishka[DeleteAccount],
) -> None:
    telegram_id = telegram_id_of(manager)
    # The goodbye is worded before the account (and its chosen language) goes.
    goodbye = i18n_from(manager).get("msg-account-deleted")
    await delete_account(telegram_id)
    # Nothing of the user stays in the FSM storage either: dialog stack and plain state.
    await manager.reset_stack(remove_keyboard=True)
    state: FSMContext | None = manager.middleware_data.get("state")
    if state is not None:
        await state.clear()
    manager.show_mode = ShowMode.NO_UPDATE
    bot: Bot = manager.middleware_data["bot"]
    await bot.send_message(telegram_id, goodbye)
