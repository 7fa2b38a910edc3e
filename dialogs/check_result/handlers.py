from __future__ import annotations

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.clinics import FindClinicsInCity, FindNearestClinics
from core.interactors.symptom_check import GetCheckResult
from core.triage import Urgency
from dialogs.check_result.getters import check_id_of
from dialogs.states import BookingSG, MainMenuSG, PetsSG
from dialogs.widgets.clinics import answer_clinics
from dialogs.widgets.free_text import hear_typed_text
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
    # A new message: the result stays in the chat, with its advice and its buttons.
    await manager.start(
        BookingSG.PET,
        data={"pet_id": pet.id, "check_id": check_id},
        show_mode=ShowMode.SEND,
    )


async def on_main_menu(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    # The menu comes as a new message; the result's text stays in the chat above it.
    await manager.start(MainMenuSG.MAIN, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)


@inject
async def on_pet_card(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_check: FromDishka[GetCheckResult],
) -> None:
    _, pet = await get_check(telegram_id=callback.from_user.id, check_id=check_id_of(manager))
    await manager.start(PetsSG.CARD, data={"pet_id": pet.id}, show_mode=ShowMode.SEND)


@inject
async def on_location(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    get_check: FromDishka[GetCheckResult],
    find_clinics: FromDishka[FindNearestClinics],
) -> None:
    location = message.location
    if location is None:
        return
    _, pet = await get_check(telegram_id=message.chat.id, check_id=check_id_of(manager))
    nearby = await find_clinics(location.latitude, location.longitude, species=pet.species)
    await answer_clinics(message, manager, nearby, with_distance=True)


@inject
async def on_city(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    get_check: FromDishka[GetCheckResult],
    find_in_city: FromDishka[FindClinicsInCity],
) -> None:
    """Where a location cannot be shared, a typed city finds the clinics (🔴 results)."""
    check, pet = await get_check(telegram_id=message.chat.id, check_id=check_id_of(manager))
    if check.urgency is Urgency.HIGH:
        found = await find_in_city(message.text or "", species=pet.species)
        if found:
            await answer_clinics(message, manager, found, with_distance=False)
            return
    if await hear_typed_text(message.text or "", manager, in_form=True):
        return
    hint = "err-city-not-found" if check.urgency is Urgency.HIGH else "err-use-buttons"
    await message.answer(i18n_from(manager).get(hint))
    manager.show_mode = ShowMode.DELETE_AND_SEND
