from __future__ import annotations

import uuid
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.api.entities import DEFAULT_STACK_ID
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.check_questions import PROBLEM_AREAS
from core.interactors.clinics import FindClinicsInCity, FindNearestClinics
from core.interactors.free_text import ReportTypedEmergency, emergency_answers
from core.interactors.onboarding import GetUser
from core.interactors.pets import ListMyPets
from dialogs.free_text.state import (
    KEY_IDEMPOTENCY,
    KEY_ITEMS,
    KEY_SIGNS,
    KEY_TEXT,
    KEY_TOXIN,
    start_value,
)
from dialogs.states import CheckResultSG, CheckSG, FreeTextSG
from dialogs.widgets.clinics import answer_clinics, offer_location
from dialogs.widgets.i18n import i18n_from

_CHECKABLE_SIGNS = frozenset(sign for area in PROBLEM_AREAS for sign in area.signs)


@inject
async def on_start(
    start_data: Any,
    manager: DialogManager,
    get_user: FromDishka[GetUser],
    pets: FromDishka[ListMyPets],
    report: FromDishka[ReportTypedEmergency],
) -> None:
    # One key per typed emergency: a double tap on the pet stores one check, not two.
    manager.dialog_data[KEY_IDEMPOTENCY] = uuid.uuid4().hex
    if not start_value(manager, KEY_ITEMS):
        await manager.switch_to(FreeTextSG.OFFER)
        return
    sender = manager.middleware_data["event_from_user"]
    user = await get_user(sender.id)
    # Before consent nothing is stored about anyone: the general card needs no pet and no row.
    mine = await pets(sender.id) if user is not None and user.consented_at is not None else []
    if not mine:
        await _general_card(manager)
    elif len(mine) == 1:
        await _report(manager, mine[0].pet.id, report)


async def _report(manager: DialogManager, pet_id: int, report: ReportTypedEmergency) -> None:
    sender = manager.middleware_data["event_from_user"]
    outcome = await report(
        telegram_id=sender.id,
        pet_id=pet_id,
        screen_items=list(start_value(manager, KEY_ITEMS) or []),
        toxin=start_value(manager, KEY_TOXIN),
        text=start_value(manager, KEY_TEXT) or "",
        idempotency_key=manager.dialog_data.get(KEY_IDEMPOTENCY),
    )
    if outcome is None:
        # Not an emergency for this animal: the full check asks what the rules need.
        await _start_check(manager, pet_id=pet_id)
        return
    await manager.start(
        CheckResultSG.MAIN, data={"check_id": outcome.check_id}, mode=StartMode.RESET_STACK
    )
    await offer_location(manager)


@inject
async def on_pet_selected(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    report: FromDishka[ReportTypedEmergency],
) -> None:
    # The id comes from callback data: the interactor checks access to the pet.
    await _report(manager, int(item_id), report)


async def on_not_my_pet(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _general_card(manager)


async def _general_card(manager: DialogManager) -> None:
    if manager.current_stack().id == DEFAULT_STACK_ID:
        await manager.switch_to(FreeTextSG.NO_PET)
        return
    # Typed inside a form, the card was started in a new stack (dialogs/widgets/free_text.py),
    # but the general card asks for the location with a reply keyboard, which aiogram-dialog
    # shows only in the default stack (InvalidKeyboardType), and the location or city typed
    # next reaches only that stack. So it opens there, on top of the form, and this one closes.
    await manager.bg(stack_id=DEFAULT_STACK_ID).start(
        FreeTextSG.NO_PET, data=manager.start_data, show_mode=ShowMode.SEND
    )
    await manager.done()


async def _start_check(manager: DialogManager, *, pet_id: int | None = None) -> None:
    signs = list(start_value(manager, KEY_SIGNS) or [])
    items = start_value(manager, KEY_ITEMS) or []
    signs += [sign for sign in emergency_answers(items, None).signs if sign not in signs]
    data: dict[str, Any] = {
        "reason": start_value(manager, KEY_TEXT) or "",
        "signs": [sign for sign in signs if sign in _CHECKABLE_SIGNS],
    }
    if pet_id is not None:
        data["pet_id"] = pet_id
    await manager.start(CheckSG.PET, data=data)


async def on_start_check(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _start_check(manager)


@inject
async def on_location(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    find_clinics: FromDishka[FindNearestClinics],
) -> None:
    if message.location is None:
        return
    nearby = await find_clinics(message.location.latitude, message.location.longitude)
    await answer_clinics(message, manager, nearby, with_distance=True)


@inject
async def on_city(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    find_in_city: FromDishka[FindClinicsInCity],
) -> None:
    found = await find_in_city(message.text or "")
    if not found:
        await message.answer(i18n_from(manager).get("err-city-not-found"))
        return
    await answer_clinics(message, manager, found, with_distance=False)
