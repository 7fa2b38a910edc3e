"""Handlers of the medical card (RecordsSG): check the input, call one interactor, navigate.

Record and pet ids come from callback data or start data that anyone could craft: the
interactors decide, and an entry or pet the user cannot see reads "not found".
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.types import BufferedInputFile, CallbackQuery
from aiogram_dialog import Data, DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button, ManagedMultiselect, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.enums import RecordKind
from core.file_names import file_stem
from core.interactors.pets import EDITORS, GetPetCard, ListMyPets
from core.interactors.records import (
    DATA_CHECK_ID,
    DeleteRecord,
    GetRecord,
    GetRecordDocument,
    ListRecords,
    RecordDocument,
    RecordNotDeletableError,
    RecordNotFoundError,
)
from core.pets_errors import PetAccessDeniedError, PetArchivedError, PetNotFoundError
from dialogs.records.common import KEY_PAGE, KEY_PICKED, KEY_RECORD_ID, record_id_of
from dialogs.records.getters import ID_FILTER, filter_kinds
from dialogs.states import CheckResultSG, RecordFormSG, RecordsSG
from dialogs.widgets.events import notify, say, telegram_id_of
from dialogs.widgets.limits import fits_photo_rules
from dialogs.widgets.pet_context import KEY_PET_ID, pet_id_of

logger = logging.getLogger(__name__)

ID_PAGE_NEWER = "records_newer"
ID_PAGE_OLDER = "records_older"


@inject
async def on_card_start(
    start_data: Data, manager: DialogManager, list_my_pets: FromDishka[ListMyPets]
) -> None:
    """The picker is skipped when there is only one pet to choose."""
    if manager.current_context().state != RecordsSG.PET:
        return
    pets = await list_my_pets(telegram_id_of(manager))
    if len(pets) == 1:
        manager.dialog_data[KEY_PET_ID] = pets[0].pet.id
        await manager.switch_to(RecordsSG.LIST)


async def on_form_result(start_data: Data, result: Any, manager: DialogManager) -> None:
    """Back from the form with a new entry: show it."""
    if isinstance(result, dict) and isinstance(result.get(KEY_RECORD_ID), int):
        manager.dialog_data[KEY_RECORD_ID] = result[KEY_RECORD_ID]
        manager.dialog_data[KEY_PAGE] = 0
        await manager.switch_to(RecordsSG.RECORD)


@inject
async def on_pet_selected(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    get_pet_card: FromDishka[GetPetCard],
) -> None:
    try:
        pet_id = int(item_id)
        await get_pet_card(callback.from_user.id, pet_id)
    except (ValueError, PetNotFoundError):
        await notify(manager, "err-pet-not-found")
        return
    manager.dialog_data.update({KEY_PET_ID: pet_id, KEY_PICKED: True, KEY_PAGE: 0})
    await manager.switch_to(RecordsSG.LIST)


@inject
async def on_page(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    list_records: FromDishka[ListRecords],
) -> None:
    pet_id = pet_id_of(manager)
    if pet_id is None:
        return
    step = 1 if button.widget_id == ID_PAGE_OLDER else -1
    wanted = int(manager.dialog_data.get(KEY_PAGE, 0)) + step
    try:
        page = await list_records(
            callback.from_user.id, pet_id, kinds=filter_kinds(manager), page=wanted
        )
    except PetNotFoundError:
        await notify(manager, "err-pet-not-found")
        return
    # The page actually shown: a stale press past the end stays on the last one.
    manager.dialog_data[KEY_PAGE] = page.page


async def on_filter_apply(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data[KEY_PAGE] = 0
    await manager.switch_to(RecordsSG.LIST)


async def on_filter_clear(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    widget = manager.find(ID_FILTER)
    if isinstance(widget, ManagedMultiselect):
        for kind in widget.get_checked():
            await widget.set_checked(kind, False)
    manager.dialog_data[KEY_PAGE] = 0
    await manager.switch_to(RecordsSG.LIST)


@inject
async def on_add(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_pet_card: FromDishka[GetPetCard],
) -> None:
    pet_id = pet_id_of(manager)
    try:
        if pet_id is None:
            raise PetNotFoundError(-1)
        seen = await get_pet_card(callback.from_user.id, pet_id)
    except PetNotFoundError:
        await notify(manager, "err-pet-not-found")
        return
    if seen.level not in EDITORS:
        await notify(manager, "err-record-not-allowed")
        return
    if seen.pet.is_archived:
        await notify(manager, "err-record-pet-archived")
        return
    await manager.start(RecordFormSG.KIND, data={KEY_PET_ID: seen.pet.id})


@inject
async def on_record_selected(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    get_record: FromDishka[GetRecord],
    get_document: FromDishka[GetRecordDocument],
) -> None:
    try:
        record_id = int(item_id)
        view = await get_record(callback.from_user.id, record_id, pet_id=pet_id_of(manager))
    except (ValueError, RecordNotFoundError):
        await notify(manager, "err-record-not-found")
        return
    manager.dialog_data[KEY_RECORD_ID] = record_id
    if view.entry.record.attachment_key is not None:
        # The papers themselves first, the entry's window under them.
        document = await get_document(callback.from_user.id, record_id, pet_id=view.pet.pet.id)
        if document is not None:
            await _send_document(manager, callback.from_user.id, document)
    await manager.switch_to(RecordsSG.RECORD)


@inject
async def on_send_file(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_document: FromDishka[GetRecordDocument],
) -> None:
    record_id = record_id_of(manager)
    try:
        if record_id is None:
            raise RecordNotFoundError(-1)
        document = await get_document(callback.from_user.id, record_id, pet_id=pet_id_of(manager))
    except RecordNotFoundError:
        await notify(manager, "err-record-not-found")
        return
    if document is None:
        await notify(manager, "err-record-file-missing")
        return
    await _send_document(manager, callback.from_user.id, document)


async def _send_document(manager: DialogManager, chat_id: int, document: RecordDocument) -> None:
    bot: Bot = manager.middleware_data["bot"]
    # Named after the entry ("Анализ-крови.pdf"), as the owner would file it.
    stem = file_stem(document.record.title, f"record-{document.record.id}")
    upload = BufferedInputFile(document.data, filename=f"{stem}.{document.extension}")
    # A long receipt or a big scan is beyond Telegram's photo rules: as a document it arrives.
    if document.is_image and fits_photo_rules(document.data):
        await bot.send_photo(chat_id, upload)
    else:
        await bot.send_document(chat_id, upload)
    manager.show_mode = ShowMode.SEND


@inject
async def on_open_result(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_record: FromDishka[GetRecord],
) -> None:
    record_id = record_id_of(manager)
    try:
        if record_id is None:
            raise RecordNotFoundError(-1)
        view = await get_record(callback.from_user.id, record_id, pet_id=pet_id_of(manager))
    except RecordNotFoundError:
        await notify(manager, "err-record-not-found")
        return
    check_id = view.entry.record.data.get(DATA_CHECK_ID)
    if view.entry.record.kind is not RecordKind.TRIAGE_RESULT or not isinstance(check_id, int):
        await notify(manager, "err-record-not-found")
        return
    # The result dialog checks access to the check again, through its own interactor.
    # A past result: it shows its date and Back returns to the card.
    await manager.start(CheckResultSG.MAIN, data={"check_id": check_id, "from_card": True})


@inject
async def on_delete(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    delete_record: FromDishka[DeleteRecord],
) -> None:
    record_id = record_id_of(manager)
    try:
        if record_id is None:
            raise RecordNotFoundError(-1)
        await delete_record(callback.from_user.id, record_id, pet_id=pet_id_of(manager))
    except RecordNotFoundError:
        await notify(manager, "err-record-not-found")
        manager.dialog_data.pop(KEY_RECORD_ID, None)
        await manager.switch_to(RecordsSG.LIST)
        return
    except PetAccessDeniedError:
        await notify(manager, "err-record-not-allowed")
        return
    except PetArchivedError:
        await notify(manager, "err-record-pet-archived")
        return
    except RecordNotDeletableError:
        await notify(manager, "err-record-not-deletable")
        return
    await say(manager, "msg-record-deleted")
    manager.dialog_data.pop(KEY_RECORD_ID, None)
    await manager.switch_to(RecordsSG.LIST)
