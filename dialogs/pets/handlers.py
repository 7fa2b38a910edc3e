"""Handlers of the pets dialogs: check the input, call one interactor, navigate.

The form (PetAddSG) serves two purposes: started plainly it adds a pet step by step; started
with `{"pet_id": ...}` at one step it edits that one field and closes with `{"saved": True}`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Data, DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.clock import Clock
from core.entities import Pet
from core.enums import Sex, Species
from core.interactors.pet_files import StorePetPhoto
from core.interactors.pets import (
    EDITORS,
    AddPet,
    ArchivePet,
    ArchiveReason,
    DeletePet,
    EditPet,
    GetPetCard,
    PetChanges,
    PetDraft,
    RestorePet,
)
from core.markup import plain_text
from core.pet_input import (
    BirthDate,
    parse_birth,
    parse_breed,
    parse_grams,
    parse_name,
    parse_weight,
)
from core.pets_errors import (
    PetAccessDeniedError,
    PetArchivedError,
    PetInputError,
    PetNotFoundError,
)
from dialogs.pets.common import (
    KEY_BIRTH_APPROXIMATE,
    KEY_BIRTH_DATE,
    KEY_BREED,
    KEY_NAME,
    KEY_NEUTERED,
    KEY_PHOTO_FILE_ID,
    KEY_SAVED,
    KEY_SEX,
    KEY_SPECIES,
    KEY_WEIGHT_GRAMS,
    NEUTERED_VALUES,
    breed_suggestions,
)
from dialogs.states import PetAddSG, PetMicrochipSG, PetsSG
from dialogs.widgets.events import notify, say, telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.pet_context import KEY_PET_ID, pet_id_of
from dialogs.widgets.pet_input_errors import notify_input_error

# Button ids carry the value they choose, so one handler serves a whole row.
ID_SPECIES_PREFIX = "species_"
ID_SEX_PREFIX = "sex_"
ID_NEUTERED_PREFIX = "neutered_"
ID_ARCHIVE_PREFIX = "archive_"
ID_SKIP_PREFIX = "skip_"
ID_BREED_SUGGESTIONS = "breed_suggestions"

# Which form step edits which field (the edit menu's buttons).
ID_EDIT_PREFIX = "edit_"
EDIT_STEPS = {
    "name": PetAddSG.NAME,
    "species": PetAddSG.SPECIES,
    "breed": PetAddSG.BREED,
    "sex": PetAddSG.SEX,
    "neutered": PetAddSG.NEUTERED,
    "birth": PetAddSG.BIRTH,
    "weight": PetAddSG.WEIGHT,
    "photo": PetAddSG.PHOTO,
    "microchip": PetMicrochipSG.NUMBER,
}

logger = logging.getLogger(__name__)


T = TypeVar("T")
Leave = Callable[[DialogManager], Awaitable[None]]


def _suffix(button: Any, prefix: str) -> str:
    widget_id: str = button.widget_id
    return widget_id.removeprefix(prefix)


def _editing(manager: DialogManager) -> bool:
    return isinstance(manager.start_data, dict) and KEY_PET_ID in manager.start_data


# --- access-checked calls ------------------------------------------------------------------


async def _guarded(
    manager: DialogManager, call: Callable[[int, int], Awaitable[T]], leave: Leave
) -> T | None:
    """Run an interactor on the dialog's pet; on refusal tell the user and `leave`.

    A pet that vanished or was never theirs reads "not found" either way.
    """
    pet_id = pet_id_of(manager)
    try:
        if pet_id is None:
            raise PetNotFoundError(-1)
        return await call(telegram_id_of(manager), pet_id)
    except PetNotFoundError:
        await notify(manager, "err-pet-not-found")
    except PetAccessDeniedError as error:
        await notify(
            manager, "err-pet-not-owner" if error.action == "delete" else "err-pet-not-allowed"
        )
    except PetArchivedError:
        await notify(manager, "err-pet-archived")
    await leave(manager)
    return None


async def _to_list(manager: DialogManager) -> None:
    await manager.switch_to(PetsSG.LIST)


async def _stay(manager: DialogManager) -> None:
    return None


async def _close(manager: DialogManager) -> None:
    await manager.done()


# --- the list and the card ---------------------------------------------------------------


@inject
async def on_pet_selected(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    get_pet_card: FromDishka[GetPetCard],
) -> None:
    # The id comes from callback data: whoever crafted it, the interactor decides.
    try:
        pet_id = int(item_id)
        await get_pet_card(callback.from_user.id, pet_id)
    except (ValueError, PetNotFoundError):
        await notify(manager, "err-pet-not-found")
        return
    manager.dialog_data[KEY_PET_ID] = pet_id
    await manager.switch_to(PetsSG.CARD)


async def on_form_result(start_data: Data, result: Any, manager: DialogManager) -> None:
    """Back from the form: a new pet or a saved field opens the card."""
    if not isinstance(result, dict):
        return
    new_pet_id = result.get(KEY_PET_ID)
    if isinstance(new_pet_id, int):
        manager.dialog_data[KEY_PET_ID] = new_pet_id
        await manager.switch_to(PetsSG.CARD)
    elif result.get(KEY_SAVED):
        await manager.switch_to(PetsSG.CARD)


@inject
async def on_edit_field(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_pet_card: FromDishka[GetPetCard],
) -> None:
    seen = await _guarded(manager, get_pet_card, _to_list)
    if seen is None:
        return
    if seen.level not in EDITORS:
        await notify(manager, "err-pet-not-allowed")
        return
    if seen.pet.is_archived:
        await notify(manager, "err-pet-archived")
        return
    step = EDIT_STEPS[_suffix(button, ID_EDIT_PREFIX)]
    await manager.start(step, data={KEY_PET_ID: seen.pet.id})


@inject
async def on_archive(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    archive_pet: FromDishka[ArchivePet],
) -> None:
    reason = ArchiveReason(_suffix(button, ID_ARCHIVE_PREFIX))

    async def archive(telegram_id: int, pet_id: int) -> Pet:
        return await archive_pet(telegram_id, pet_id, reason)

    pet = await _guarded(manager, archive, _stay)
    if pet is None:
        return
    key = (
        "msg-pet-archived-deceased"
        if reason is ArchiveReason.DECEASED
        else "msg-pet-archived-rehomed"
    )
    await say(manager, key, name=pet.name)
    manager.dialog_data.pop(KEY_PET_ID, None)
    await manager.switch_to(PetsSG.LIST)


@inject
async def on_restore(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    restore_pet: FromDishka[RestorePet],
) -> None:
    pet = await _guarded(manager, restore_pet, _stay)
    if pet is not None:
        await callback.answer(
            plain_text(i18n_from(manager).get("msg-pet-restored", name=pet.name))
        )


@inject
async def on_delete(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    delete_pet: FromDishka[DeletePet],
) -> None:
    deleted = await _guarded(manager, _returning_true(delete_pet), _stay)
    if not deleted:
        return
    await say(manager, "msg-pet-deleted")
    manager.dialog_data.pop(KEY_PET_ID, None)
    await manager.switch_to(PetsSG.LIST)


def _returning_true(
    call: Callable[[int, int], Awaitable[None]],
) -> Callable[[int, int], Awaitable[bool]]:
    async def wrapped(telegram_id: int, pet_id: int) -> bool:
        await call(telegram_id, pet_id)
        return True

    return wrapped


# --- the form: adding a pet, or editing one field -----------------------------------------


async def _save(manager: DialogManager, edit_pet: EditPet, changes: PetChanges) -> None:
    async def edit(telegram_id: int, pet_id: int) -> Pet:
        return await edit_pet(telegram_id, pet_id, changes)

    try:
        saved = await _guarded(manager, edit, _close)
    except PetInputError as error:
        await notify_input_error(manager, error)
        return
    if saved is not None:
        await manager.done({KEY_SAVED: True})


async def _store(manager: DialogManager, key: str, value: Any) -> None:
    manager.dialog_data[key] = value
    await manager.next()


@inject
async def on_name_entered(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    edit_pet: FromDishka[EditPet],
) -> None:
    try:
        name = parse_name(message.text or "")
    except PetInputError as error:
        await notify_input_error(manager, error)
        return
    if _editing(manager):
        await _save(manager, edit_pet, PetChanges(name=name))
    else:
        await _store(manager, KEY_NAME, name)


@inject
async def on_species_chosen(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    edit_pet: FromDishka[EditPet],
) -> None:
    species = Species(_suffix(button, ID_SPECIES_PREFIX))
    if _editing(manager):
        await _save(manager, edit_pet, PetChanges(species=species))
    else:
        await _store(manager, KEY_SPECIES, species.value)


async def _breed_chosen(manager: DialogManager, edit_pet: EditPet, text: str) -> None:
    try:
        breed = parse_breed(text)
    except PetInputError as error:
        await notify_input_error(manager, error)
        return
    if _editing(manager):
        await _save(manager, edit_pet, PetChanges(breed=breed))
    else:
        await _store(manager, KEY_BREED, breed)


@inject
async def on_breed_entered(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    edit_pet: FromDishka[EditPet],
) -> None:
    await _breed_chosen(manager, edit_pet, message.text or "")


@inject
async def on_breed_suggested(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    edit_pet: FromDishka[EditPet],
) -> None:
    # Item ids are "<species>:<index>" into that species' localized list (see getters).
    species_code, _, index = item_id.partition(":")
    species = Species(species_code) if species_code in set(Species) else None
    breeds = breed_suggestions(i18n_from(manager), species)
    if not index.isdigit() or int(index) >= len(breeds):
        await notify(manager, "err-use-buttons")
        return
    await _breed_chosen(manager, edit_pet, breeds[int(index)])


@inject
async def on_sex_chosen(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    edit_pet: FromDishka[EditPet],
) -> None:
    sex = Sex(_suffix(button, ID_SEX_PREFIX))
    if _editing(manager):
        await _save(manager, edit_pet, PetChanges(sex=sex))
    else:
        await _store(manager, KEY_SEX, sex.value)


@inject
async def on_neutered_chosen(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    edit_pet: FromDishka[EditPet],
) -> None:
    answer = _suffix(button, ID_NEUTERED_PREFIX)
    if _editing(manager):
        await _save(manager, edit_pet, PetChanges(neutered=NEUTERED_VALUES[answer]))
    else:
        await _store(manager, KEY_NEUTERED, answer)


@inject
async def on_birth_entered(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    edit_pet: FromDishka[EditPet],
    clock: FromDishka[Clock],
) -> None:
    try:
        birth = parse_birth(message.text or "", clock.now().date())
    except PetInputError as error:
        await notify_input_error(manager, error)
        return
    if _editing(manager):
        await _save(manager, edit_pet, PetChanges(birth=birth))
        return
    manager.dialog_data[KEY_BIRTH_APPROXIMATE] = birth.approximate
    await _store(manager, KEY_BIRTH_DATE, birth.value.isoformat())


@inject
async def on_weight_entered(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    edit_pet: FromDishka[EditPet],
) -> None:
    text = message.text or ""
    try:
        if _editing(manager):
            # The species' bounds are checked by EditPet, which knows the stored species.
            grams = parse_grams(text)
        else:
            grams = parse_weight(text, _draft_species(manager))
    except PetInputError as error:
        await notify_input_error(manager, error)
        return
    if _editing(manager):
        await _save(manager, edit_pet, PetChanges(weight_grams=grams))
    else:
        await _store(manager, KEY_WEIGHT_GRAMS, grams)


@inject
async def on_photo_sent(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    edit_pet: FromDishka[EditPet],
    add_pet: FromDishka[AddPet],
    store_photo: FromDishka[StorePetPhoto],
) -> None:
    # Telegram sends several sizes of one photo; keep the largest.
    largest = max(message.photo or [], key=lambda size: size.width * size.height)
    if _editing(manager):
        start = manager.start_data if isinstance(manager.start_data, dict) else {}
        pet_id = int(start[KEY_PET_ID])
        await _save(manager, edit_pet, PetChanges(photo_file_id=largest.file_id))
        await _keep_a_copy(message, largest.file_id, pet_id, store_photo)
        return
    manager.dialog_data[KEY_PHOTO_FILE_ID] = largest.file_id
    pet_id = await _finish(manager, add_pet)
    await _keep_a_copy(message, largest.file_id, pet_id, store_photo)


async def _keep_a_copy(
    message: Message, file_id: str, pet_id: int, store_photo: StorePetPhoto
) -> None:
    """Our own copy of the photo; the pet is saved already, so a failure here costs nothing
    the owner would notice now (the card shows Telegram's copy) and is only logged."""
    try:
        downloaded = await message.bot.download(file_id)  # type: ignore[union-attr]
        if downloaded is not None:
            await store_photo(message.chat.id, pet_id, downloaded.read())
    except Exception:
        logger.warning("could not keep a copy of pet %s's photo", pet_id, exc_info=True)


@inject
async def on_skip(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    edit_pet: FromDishka[EditPet],
    add_pet: FromDishka[AddPet],
) -> None:
    """ "Skip" while adding, "clear" while editing: the optional field stays empty."""
    field = _suffix(button, ID_SKIP_PREFIX)
    if _editing(manager):
        changes = {
            "breed": PetChanges(breed=None),
            "birth": PetChanges(birth=None),
            "weight": PetChanges(weight_grams=None),
            "photo": PetChanges(photo_file_id=None),
        }[field]
        await _save(manager, edit_pet, changes)
        return
    key = {
        "breed": KEY_BREED,
        "birth": KEY_BIRTH_DATE,
        "weight": KEY_WEIGHT_GRAMS,
        "photo": KEY_PHOTO_FILE_ID,
    }[field]
    manager.dialog_data[key] = None
    if field == "photo":
        await _finish(manager, add_pet)
    else:
        await manager.next()


def _draft_species(manager: DialogManager) -> Species:
    raw = manager.dialog_data.get(KEY_SPECIES)
    return Species(raw) if raw in set(Species) else Species.OTHER


async def _finish(manager: DialogManager, add_pet: AddPet) -> int:
    data = manager.dialog_data
    birth_date = data.get(KEY_BIRTH_DATE)
    draft = PetDraft(
        name=data[KEY_NAME],
        species=_draft_species(manager),
        breed=data.get(KEY_BREED),
        sex=Sex(data.get(KEY_SEX) or Sex.UNKNOWN),
        neutered=NEUTERED_VALUES.get(data.get(KEY_NEUTERED) or ""),
        birth=(
            BirthDate(date.fromisoformat(birth_date), bool(data.get(KEY_BIRTH_APPROXIMATE)))
            if birth_date
            else None
        ),
        weight_grams=data.get(KEY_WEIGHT_GRAMS),
        photo_file_id=data.get(KEY_PHOTO_FILE_ID),
    )
    pet = await add_pet(telegram_id_of(manager), draft)
    await say(manager, "msg-pet-added", name=pet.name)
    await manager.done({KEY_PET_ID: pet.id})
    return pet.id
