from __future__ import annotations

from html import escape

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.clinics import FindNearestClinics
from core.interactors.symptom_check import GetCheckResult
from dialogs.check_result.getters import check_id_of
from dialogs.states import BookingSG, MainMenuSG, PetsSG
from dialogs.widgets.i18n import i18n_from


@inject
async def on_book(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_check: FromDishka[GetCheckResult],
) -> None:
    # The pet is known and the check can go to the vet: booking starts at the reason.
    check_id = check_id_of(manager)
    _, pet = await get_check(telegram_id=callback.from_user.id, check_id=check_id)
    await manager.start(BookingSG.PET, data={"pet_id": pet.id, "check_id": check_id})


async def on_main_menu(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.start(MainMenuSG.MAIN, mode=StartMode.RESET_STACK)


@inject
async def on_pet_card(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_check: FromDishka[GetCheckResult],
) -> None:
    _, pet = await get_check(telegram_id=callback.from_user.id, check_id=check_id_of(manager))
    await manager.start(PetsSG.CARD, data={"pet_id": pet.id})


@inject
async def on_location(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    get_check: FromDishka[GetCheckResult],
    find_clinics: FromDishka[FindNearestClinics],
) -> None:
    i18n = i18n_from(manager)
    manager.show_mode = ShowMode.DELETE_AND_SEND  # the result stays right under the list
    location = message.location
    if location is None:
        return
    _, pet = await get_check(telegram_id=message.chat.id, check_id=check_id_of(manager))
    nearby = await find_clinics(location.latitude, location.longitude, species=pet.species)
    if not nearby:
        await message.answer(i18n.get("msg-clinics-none"))
        return
    lines = [
        i18n.get(
            "msg-clinic-item",
            name=escape(item.clinic.name),
            address=escape(item.clinic.address),
            phone=escape(item.clinic.phone or "—"),
            distance=round(item.distance_km, 1),
        )
        for item in nearby
    ]
    await message.answer("\n\n".join([i18n.get("msg-clinics-nearby"), *lines]))
