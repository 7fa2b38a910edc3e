"""Getters of the pets dialogs: they reload pets through interactors and never write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.clock import Clock
from core.entities import AccessiblePet
from core.enums import AccessLevel, Species
from core.interactors.pet_files import GetPetPhotoCopy, RefreshPetPhotoFileId
from core.interactors.pets import DELETERS, EDITORS, GetPetCard, ListMyPets
from core.pets_errors import PetNotFoundError
from dialogs.pets.common import (
    KEY_NAME,
    KEY_SEX,
    KEY_SPECIES,
    NEUTERED_NO,
    NEUTERED_UNKNOWN,
    NEUTERED_YES,
    age_text,
    breed_suggestions,
)
from dialogs.widgets.events import telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.labels import ACCESS_LABELS, SPECIES_LABELS
from dialogs.widgets.pet_context import KEY_PET_ID, pet_id_of
from dialogs.widgets.pet_labels import pet_list_label
from dialogs.widgets.stored_media import StoredCopy, StoredPhoto
from dialogs.widgets.weights import weight_text

KEY_PETS = "pets"  # [(button label, pet id)]
KEY_HAS_PETS = "has_pets"
KEY_NO_PETS = "no_pets"
KEY_ARCHIVED_COUNT = "archived_count"
KEY_FOUND = "found"
KEY_NOT_FOUND = "not_found"
KEY_PET_NAME = "name"
KEY_SPECIES_LABEL = "species"
KEY_SPECIES_CODE = "species_code"
KEY_BREED = "breed"
KEY_SEX_CODE = "sex_code"
KEY_NEUTERED_CODE = "neutered"
KEY_BORN = "born"
KEY_AGE = "age"
KEY_AGE_APPROXIMATE = "age_approximate"
KEY_WEIGHT = "weight"
KEY_MICROCHIP = "microchip"
KEY_ACCESS = "access"
KEY_ARCHIVED_AT = "archived_at"
KEY_ACTIVE = "active"
KEY_ARCHIVED = "archived"
KEY_CAN_EDIT = "can_edit"
KEY_CAN_RESTORE = "can_restore"
KEY_CAN_DELETE = "can_delete"
KEY_PHOTO = "photo"
KEY_MODE = "mode"  # "add" / "edit": Fluent selects the wording on it
KEY_ADDING = "adding"
KEY_EDITING = "editing"
KEY_STEP = "step"
KEY_BREEDS = "breeds"  # [(breed, "<species>:<index>")]
KEY_HAS_BREEDS = "has_breeds"
MODE_ADD = "add"
MODE_EDIT = "edit"

Getter = Callable[..., Awaitable[dict[str, Any]]]


def _list_items(manager: DialogManager, pets: list[AccessiblePet]) -> list[tuple[str, str]]:
    i18n = i18n_from(manager)
    return [
        (
            pet_list_label(i18n, item.pet),
            str(item.pet.id),
        )
        for item in pets
    ]


@inject
async def get_pet_list(
    dialog_manager: DialogManager, list_my_pets: FromDishka[ListMyPets], **_: Any
) -> dict[str, Any]:
    telegram_id = telegram_id_of(dialog_manager)
    active = await list_my_pets(telegram_id)
    return {
        KEY_PETS: _list_items(dialog_manager, active),
        KEY_HAS_PETS: bool(active),
        KEY_NO_PETS: not active,
        KEY_ARCHIVED_COUNT: await list_my_pets.count(telegram_id, archived=True),
    }


@inject
async def get_archived_list(
    dialog_manager: DialogManager, list_my_pets: FromDishka[ListMyPets], **_: Any
) -> dict[str, Any]:
    archived = await list_my_pets(telegram_id_of(dialog_manager), archived=True)
    return {KEY_PETS: _list_items(dialog_manager, archived), KEY_ARCHIVED_COUNT: len(archived)}


async def _load(manager: DialogManager, get_pet_card: GetPetCard) -> AccessiblePet | None:
    pet_id = pet_id_of(manager)
    if pet_id is None:
        return None
    try:
        return await get_pet_card(telegram_id_of(manager), pet_id)
    except PetNotFoundError:
        return None


_NOT_FOUND = {KEY_FOUND: False, KEY_NOT_FOUND: True, KEY_ACTIVE: True}


@inject
async def get_pet_card(
    dialog_manager: DialogManager,
    get_pet_card: FromDishka[GetPetCard],
    clock: FromDishka[Clock],
    get_photo_copy: FromDishka[GetPetPhotoCopy],
    refresh_photo_file_id: FromDishka[RefreshPetPhotoFileId],
    **_: Any,
) -> dict[str, Any]:
    seen = await _load(dialog_manager, get_pet_card)
    if seen is None:
        return dict(_NOT_FOUND)
    pet, level = seen.pet, seen.level
    i18n = i18n_from(dialog_manager)
    today = clock.now().date()
    data: dict[str, Any] = {
        KEY_FOUND: True,
        KEY_NOT_FOUND: False,
        KEY_PET_NAME: pet.name,
        KEY_SPECIES_LABEL: i18n.get(SPECIES_LABELS[pet.species]),
        KEY_SPECIES_CODE: pet.species.value,
        KEY_BREED: pet.breed if pet.breed else "",
        KEY_SEX_CODE: pet.sex.value,
        KEY_NEUTERED_CODE: {True: NEUTERED_YES, False: NEUTERED_NO, None: NEUTERED_UNKNOWN}[
            pet.neutered
        ],
        KEY_BORN: None,
        KEY_AGE: "",
        KEY_AGE_APPROXIMATE: "",
        KEY_WEIGHT: weight_text(i18n, pet.weight_grams) if pet.weight_grams else "",
        KEY_MICROCHIP: pet.microchip or "",
        KEY_ACCESS: "" if level is AccessLevel.OWNER else i18n.get(ACCESS_LABELS[level]),
        KEY_ARCHIVED_AT: pet.archived_at,
        KEY_ACTIVE: not pet.is_archived,
        KEY_ARCHIVED: pet.is_archived,
        KEY_CAN_EDIT: level in EDITORS and not pet.is_archived,
        KEY_CAN_RESTORE: level in EDITORS and pet.is_archived,
        KEY_CAN_DELETE: level in DELETERS,
        KEY_PHOTO: None,
    }
    if pet.birth_date is not None:
        age = age_text(i18n, pet.birth_date, today)
        if pet.birth_date_is_approximate:
            data[KEY_AGE_APPROXIMATE] = age
        else:
            data[KEY_BORN] = pet.birth_date
            data[KEY_AGE] = age
    if pet.photo_file_id:
        # Read or written only if Telegram refuses the file_id, by the message manager, still
        # inside this update's request scope (bot/message_manager.py).
        telegram_id = telegram_id_of(dialog_manager)
        copy = StoredCopy(
            load=partial(get_photo_copy, telegram_id, pet.id),
            remember=partial(refresh_photo_file_id, telegram_id, pet.id, pet.photo_file_id),
        )
        data[KEY_PHOTO] = StoredPhoto(pet.photo_file_id, copy)
    return data


@inject
async def get_pet_form(
    dialog_manager: DialogManager, get_pet_card: FromDishka[GetPetCard], **_: Any
) -> dict[str, Any]:
    """The add-a-pet form, or one field of an existing pet when started with its id."""
    editing = isinstance(dialog_manager.start_data, dict) and KEY_PET_ID in (
        dialog_manager.start_data
    )
    if editing:
        seen = await _load(dialog_manager, get_pet_card)
        name = seen.pet.name if seen else ""
        species: Species | None = seen.pet.species if seen else None
        sex = seen.pet.sex.value if seen else ""
    else:
        name = dialog_manager.dialog_data.get(KEY_NAME, "")
        raw_species = dialog_manager.dialog_data.get(KEY_SPECIES)
        species = Species(raw_species) if raw_species in set(Species) else None
        sex = dialog_manager.dialog_data.get(KEY_SEX, "")
    breeds = breed_suggestions(i18n_from(dialog_manager), species)
    return {
        KEY_MODE: MODE_EDIT if editing else MODE_ADD,
        KEY_EDITING: editing,
        KEY_ADDING: not editing,
        KEY_PET_NAME: name,
        KEY_SEX_CODE: sex,
        # "<species>:<index>": short enough for callback data, whatever the breed's length.
        KEY_BREEDS: [
            (breed, f"{species.value}:{index}")
            for index, breed in enumerate(breeds)
            if species is not None
        ],
        KEY_HAS_BREEDS: bool(breeds),
    }


def step(number: int) -> Getter:
    """A window getter telling the form's header which step this is."""

    async def get_step(**_: Any) -> dict[str, Any]:
        return {KEY_STEP: number}

    return get_step
