"""The pet's microchip number (PetMicrochipSG): typed, checked, saved; or cleared.

Started from the pet card's edit menu with {"pet_id": ...}; closes with {"saved": True} so the
card shows the new number. A number that is not 15 digits is explained and the step stays.
"""

from __future__ import annotations

from typing import Any

from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Row
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.pets import EditPet, GetPetCard, PetChanges
from core.microchip import parse_microchip
from core.pets_errors import (
    PetAccessDeniedError,
    PetArchivedError,
    PetInputError,
    PetNotFoundError,
)
from dialogs.pets.common import KEY_SAVED
from dialogs.states import PetMicrochipSG
from dialogs.widgets.events import notify, telegram_id_of
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import I18nFormat
from dialogs.widgets.pet_context import pet_id_of
from dialogs.widgets.pet_input_errors import notify_input_error

ID_MICROCHIP_CLEAR = "microchip_clear"
ID_MICROCHIP_BACK = "microchip_back"
KEY_NAME = "name"
KEY_HAS_NUMBER = "has_number"


@inject
async def get_microchip(
    dialog_manager: DialogManager, get_pet_card: FromDishka[GetPetCard], **_: Any
) -> dict[str, Any]:
    pet_id = pet_id_of(dialog_manager)
    try:
        if pet_id is None:
            raise PetNotFoundError(-1)
        seen = await get_pet_card(telegram_id_of(dialog_manager), pet_id)
    except PetNotFoundError:
        return {KEY_NAME: "", KEY_HAS_NUMBER: False}
    return {KEY_NAME: seen.pet.name, KEY_HAS_NUMBER: seen.pet.microchip is not None}


async def _save(manager: DialogManager, edit_pet: EditPet, microchip: str | None) -> None:
    pet_id = pet_id_of(manager)
    try:
        if pet_id is None:
            raise PetNotFoundError(-1)
        await edit_pet(telegram_id_of(manager), pet_id, PetChanges(microchip=microchip))
    except PetInputError as error:
        await notify_input_error(manager, error)
        return
    except PetNotFoundError:
        await notify(manager, "err-pet-not-found")
        await manager.done()
        return
    except PetAccessDeniedError:
        await notify(manager, "err-pet-not-allowed")
        await manager.done()
        return
    except PetArchivedError:
        await notify(manager, "err-pet-archived")
        await manager.done()
        return
    await manager.done({KEY_SAVED: True})


@inject
async def on_microchip_entered(
    message: Message, widget: MessageInput, manager: DialogManager, edit_pet: FromDishka[EditPet]
) -> None:
    try:
        number = parse_microchip(message.text or "")
    except PetInputError as error:
        await notify_input_error(manager, error)
        return
    await _save(manager, edit_pet, number)


@inject
async def on_microchip_clear(
    callback: CallbackQuery, button: Button, manager: DialogManager, edit_pet: FromDishka[EditPet]
) -> None:
    await _save(manager, edit_pet, None)


microchip_window = Window(
    I18nFormat("msg-pet-ask-microchip"),
    Button(
        I18nFormat("btn-pet-microchip-clear"),
        id=ID_MICROCHIP_CLEAR,
        on_click=on_microchip_clear,
        when=KEY_HAS_NUMBER,
    ),
    Row(Cancel(I18nFormat("btn-back"), id=ID_MICROCHIP_BACK)),
    MessageInput(on_microchip_entered, content_types=ContentType.TEXT),
    unexpected_input_hint("err-pet-text-expected"),
    getter=get_microchip,
    state=PetMicrochipSG.NUMBER,
)


def build_pet_microchip_dialog() -> Dialog:
    return Dialog(microchip_window)
