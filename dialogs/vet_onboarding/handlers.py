"""Handlers of the vet profile form: check the input, store it, go on; the summary submits."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, ManagedMultiselect, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.booking_errors import NotAVetError
from core.enums import Species
from core.interactors.vets import SaveVetProfile
from core.vet_input import (
    VetProfileDraft,
    check_languages,
    check_species,
    parse_bio,
    parse_name,
    parse_price,
    parse_specialisations,
    parse_time_zone,
    parse_years,
)
from core.vets_errors import VetInputError
from dialogs.widgets.events import notify, say, telegram_id_of
from dialogs.widgets.vet_input_errors import notify_vet_input_error

# dialog_data: primitives only (STYLE.md, rule 4).
KEY_NAME = "name"
KEY_PHOTO_FILE_ID = "photo_file_id"
KEY_SPECIALISATIONS = "specialisations"
KEY_YEARS = "years"
KEY_PRICE = "price"
KEY_BIO = "bio"
KEY_TIME_ZONE = "time_zone"  # None: keep the current one

ID_SPECIES = "vet_species"
ID_LANGUAGES = "vet_languages"


def checked(manager: DialogManager, widget_id: str) -> list[str]:
    widget = manager.find(widget_id)
    if not isinstance(widget, ManagedMultiselect):
        return []
    return [str(item) for item in widget.get_checked()]


async def _text_step(manager: DialogManager, key: str, parse: Any, text: str) -> None:
    try:
        value = parse(text)
    except VetInputError as error:
        await notify_vet_input_error(manager, error)
        return
    manager.dialog_data[key] = value
    await manager.next()


async def on_name(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    await _text_step(manager, KEY_NAME, parse_name, message.text or "")


async def on_photo(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    if not message.photo:
        await notify(manager, "err-vet-photo-expected")
        return
    # The largest size; Telegram keeps the file, we keep its id (re-sent without uploading).
    manager.dialog_data[KEY_PHOTO_FILE_ID] = message.photo[-1].file_id
    await manager.next()


async def on_skip_photo(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data[KEY_PHOTO_FILE_ID] = None
    await manager.next()


async def on_specialisations(
    message: Message, widget: MessageInput, manager: DialogManager
) -> None:
    await _text_step(manager, KEY_SPECIALISATIONS, parse_specialisations, message.text or "")


async def on_species_done(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    try:
        check_species(checked(manager, ID_SPECIES))
    except VetInputError as error:
        await notify_vet_input_error(manager, error)
        return
    await manager.next()


async def on_languages_done(
    callback: CallbackQuery, button: Button, manager: DialogManager
) -> None:
    try:
        check_languages(checked(manager, ID_LANGUAGES))
    except VetInputError as error:
        await notify_vet_input_error(manager, error)
        return
    await manager.next()


async def on_years(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    await _text_step(manager, KEY_YEARS, parse_years, message.text or "")


async def on_price(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    await _text_step(manager, KEY_PRICE, parse_price, message.text or "")


async def on_zone_entered(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    await _text_step(manager, KEY_TIME_ZONE, parse_time_zone, message.text or "")


async def on_zone_selected(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item_id: str
) -> None:
    await _text_step(manager, KEY_TIME_ZONE, parse_time_zone, item_id)


async def on_zone_keep(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data[KEY_TIME_ZONE] = None
    await manager.next()


async def on_bio(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    await _text_step(manager, KEY_BIO, parse_bio, message.text or "")


async def on_skip_bio(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data[KEY_BIO] = None
    await manager.next()


def draft_of(manager: DialogManager) -> VetProfileDraft | None:
    """What the form collected; None if a step is missing (a stale or crafted summary)."""
    data = manager.dialog_data
    try:
        return VetProfileDraft(
            display_name=str(data[KEY_NAME]),
            specialisations=str(data[KEY_SPECIALISATIONS]),
            species=frozenset(
                Species(item) for item in checked(manager, ID_SPECIES) if item in set(Species)
            ),
            languages=frozenset(checked(manager, ID_LANGUAGES)),
            years_of_practice=int(data[KEY_YEARS]),
            price_amount=int(data[KEY_PRICE]),
            bio=data.get(KEY_BIO) or None,
            photo_file_id=data.get(KEY_PHOTO_FILE_ID) or None,
            time_zone=data.get(KEY_TIME_ZONE) or None,
        )
    except (KeyError, TypeError, ValueError):
        return None


@inject
async def on_submit(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    save_vet_profile: FromDishka[SaveVetProfile],
) -> None:
    draft = draft_of(manager)
    if draft is None:
        await notify(manager, "err-use-buttons")
        return
    try:
        saved = await save_vet_profile(telegram_id_of(manager), draft)
    except VetInputError as error:
        await notify_vet_input_error(manager, error)
        return
    except NotAVetError:
        await notify(manager, "err-vet-only")
        await manager.done()
        return
    await say(manager, "msg-vet-saved" if saved.is_verified else "msg-vet-submitted")
    await manager.done()
